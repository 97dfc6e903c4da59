// The tasks of the advancement state machine (state-machines/advance-enrollment.asl.json); the
// certificate task is in issue-certificate.ts. Each is idempotent: running it again after
// success, a crash or a retry changes nothing twice.
import { verifyUrl } from '../domain/certificates.js';
import { enrollmentFinished } from '../domain/counters.js';
import { DomainError } from '../domain/errors.js';
import { planAdvance } from '../domain/enrollment.js';
import { completionEmail } from '../domain/notifications.js';
import type { Logger } from './logger.js';
import { EmailNotSent, type Clock, type EnrollmentChange, type Mailer, type Repository, type Settings } from './ports.js';
import { stepChanges, type StepMove } from './step-changes.js';

/**
 * Thrown for failures a retry cannot fix. The state machine does not retry this error name;
 * it records the failure on the enrollment for admins instead.
 */
export class PermanentTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentTaskError';
  }
}

export interface WorkflowInput {
  enrollmentId: string;
}

export interface AdvanceResult {
  enrollmentId: string;
  completed: boolean;
  started: number[];
}

const MAX_ATTEMPTS = 5;

/** Starts every step whose predecessors are done; completes the enrollment when nothing required is left. */
export async function advanceEnrollment(
  deps: { repo: Repository; clock: Clock; logger: Logger },
  { enrollmentId }: WorkflowInput,
): Promise<AdvanceResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const data = await deps.repo.getEnrollment(enrollmentId);
    if (!data) throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
    const { enrollment, steps } = data;
    if (enrollment.status === 'completed') return { enrollmentId, completed: true, started: [] };

    const plan = planAdvance(enrollment.status, steps);
    if (!plan.complete && plan.start.length === 0) {
      // Nothing due. Clear the request unless a newer one arrived (its own execution handles it).
      if (enrollment.advanceRequestedAt) await deps.repo.clearAdvanceRequest(enrollmentId, enrollment.advanceRequestedAt);
      return { enrollmentId, completed: false, started: [] };
    }

    const at = deps.clock.now().toISOString();
    // Started steps, and on completion the optional steps left open, which close as skipped (out
    // of the in-progress index and counters) in the same write that completes the enrollment.
    const moves: StepMove[] = [
      ...plan.start.map((step) => ({ step, to: 'in_progress' as const })),
      ...plan.skip.map((step) => ({ step, to: 'skipped' as const })),
    ];
    const change: EnrollmentChange = { enrollmentId, ...stepChanges(moves, at) };
    if (plan.complete) {
      // The request stays set until the completion email is sent, so a crash before then is re-run.
      change.finish = { status: 'completed', at, studentId: enrollment.studentId, programId: enrollment.programId };
      change.counters!.push(enrollmentFinished(enrollment.programId, 'completed'));
    } else if (enrollment.advanceRequestedAt) {
      change.clearAdvanceIf = enrollment.advanceRequestedAt;
    }
    const result = await deps.repo.commitTransition({ changes: [change] });
    if (result.ok) return { enrollmentId, completed: plan.complete, started: plan.start.map((s) => s.index) };
    deps.logger.info('advance conflicted with another transition; re-reading', { enrollmentId, attempt });
  }
  throw new DomainError('CONCURRENT_CHANGE', `enrollment ${enrollmentId} kept changing during ${MAX_ATTEMPTS} attempts`);
}

/**
 * A claim older than this belongs to a dead run (the state machine times out after 270 s); a
 * younger one may belong to a run that is sending right now.
 */
export const EMAIL_CLAIM_LIFETIME_MS = 5 * 60_000;

/**
 * Sends the completion email at most once. A claim is written before sending. If the mailer says
 * the message was definitely not sent, the claim is released so a retry may send; if the outcome
 * is unknown (SES may have accepted it), the claim stays and nothing sends again. Several
 * executions of one enrollment can get here at once (each completed step starts one): the one
 * that loses the claim leaves the send to the holder. If a run dies between claim and result, or
 * its send had an unknown outcome, then once the claim is older than any live run the task fails
 * for an admin to decide rather than risk a second email.
 */
export async function sendCompletionEmail(
  deps: { repo: Repository; mailer: Mailer; clock: Clock; settings: Settings; logger: Logger },
  { enrollmentId }: WorkflowInput,
): Promise<{ enrollmentId: string; sent: boolean }> {
  const data = await deps.repo.getEnrollment(enrollmentId);
  if (!data) throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
  const { enrollment } = data;
  if (!enrollment.certificateId) throw new PermanentTaskError(`enrollment ${enrollmentId} has no certificate yet`);

  let sent = false;
  if (!enrollment.emailSentAt) {
    const claimedAt = deps.clock.now().toISOString();
    if (!(await deps.repo.claimCompletionEmail(enrollmentId, claimedAt))) return leaveToClaimHolder(deps, enrollmentId);
    const { siteUrl } = deps.settings;
    const message = completionEmail({
      studentName: enrollment.studentName,
      studentEmail: enrollment.studentEmail,
      programName: enrollment.programName,
      certificateId: enrollment.certificateId,
      verifyUrl: verifyUrl(siteUrl, enrollment.certificateId),
      progressUrl: `${siteUrl}/student/progress`,
    });
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send(message));
    } catch (error) {
      if (error instanceof EmailNotSent) {
        await deps.repo.releaseCompletionEmail(enrollmentId, claimedAt);
      } else {
        // The claim stays: a retry finds it and leaves the send to this run, which is over. Once
        // the claim outlives any run, a reconciler-started run reports the outcome to admins.
        deps.logger.warn('completion email outcome unknown; keeping the claim so it is never sent twice', {
          enrollmentId,
          claimedAt,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
      throw error;
    }
    deps.logger.info('completion email sent', { enrollmentId, messageId });
    await recordEmailSent(deps, enrollmentId, claimedAt, messageId);
    sent = true;
  }
  // The last task of a completing run: the workflow has caught up with this request.
  if (enrollment.advanceRequestedAt) await deps.repo.clearAdvanceRequest(enrollmentId, enrollment.advanceRequestedAt);
  return { enrollmentId, sent };
}

/** Attempts at recording a sent email before giving up (each is also retried by the SDK). */
const RECORD_SENT_ATTEMPTS = 4;

/**
 * Records the sent email on the claim it was sent under. The email is out, so a failure here must
 * not end in a retry of the task (it would find the claim and, later, call the outcome unknown):
 * the write is tried again in place, and if it never succeeds the failure says the email was sent.
 */
async function recordEmailSent(
  deps: { repo: Repository; clock: Clock; logger: Logger },
  enrollmentId: string,
  claimedAt: string,
  messageId: string,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      const recorded = await deps.repo.markCompletionEmailSent(enrollmentId, claimedAt, deps.clock.now().toISOString(), messageId);
      if (!recorded)
        deps.logger.warn('completion email sent, but its claim was gone (an admin reset it?); not recorded', {
          enrollmentId,
          claimedAt,
          messageId,
        });
      return;
    } catch (error) {
      if (attempt >= RECORD_SENT_ATTEMPTS) {
        throw new PermanentTaskError(
          `EmailSentNotRecorded: the completion email was sent (message id ${messageId}) but recording it failed; do not resend it. ` +
            (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
        );
      }
      deps.logger.warn('recording the sent completion email failed; trying again', { enrollmentId, messageId, attempt });
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

/**
 * Another run holds the email claim (or this one, retried after a send with an unknown outcome):
 * it has sent the email, is sending it, or died doing so, or its send may or may not have gone
 * out. A live holder finishes the job; this run leaves the advance request in place, so the
 * reconciler comes back, and by then the claim is old enough to call the outcome unknown.
 */
async function leaveToClaimHolder(
  deps: { repo: Repository; clock: Clock; logger: Logger },
  enrollmentId: string,
): Promise<{ enrollmentId: string; sent: boolean }> {
  const enrollment = (await deps.repo.getEnrollment(enrollmentId))?.enrollment;
  if (enrollment?.emailSentAt) {
    if (enrollment.advanceRequestedAt) await deps.repo.clearAdvanceRequest(enrollmentId, enrollment.advanceRequestedAt);
    return { enrollmentId, sent: false };
  }
  const claimedAt = enrollment?.emailClaimedAt;
  if (claimedAt && deps.clock.now().getTime() - Date.parse(claimedAt) >= EMAIL_CLAIM_LIFETIME_MS) {
    throw new PermanentTaskError(
      'EmailOutcomeUnknown: an earlier run started sending the completion email and did not record the result; ' +
        'check the mail log, then retry with "resend email" if it was not delivered',
    );
  }
  deps.logger.info('another run holds the completion email claim', { enrollmentId, claimedAt });
  return { enrollmentId, sent: false };
}
