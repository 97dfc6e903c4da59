// The tasks of the advancement state machine (state-machines/advance-enrollment.asl.json); the
// certificate task is in issue-certificate.ts. Each is idempotent: running it again after
// success, a crash or a retry changes nothing twice.
import { verifyUrl } from '../domain/certificates.js';
import { DomainError } from '../domain/errors.js';
import { completionEmail } from '../domain/notifications.js';
import { organizationBrand } from '../domain/organization.js';
import { readOrganization } from './organization.js';
import type { OrganizationStore } from './ports/organization.js';
import type { Logger } from './logger.js';
import type { EnrollmentSnapshot, EnrollmentStore } from './ports/enrollments.js';
import { EmailNotSent, type Clock, type Mailer, type Settings } from './ports/services.js';
import type { SuppressionList } from './ports/suppressions.js';
import { attemptTransition, transition } from './enrollment-transitions.js';
import { retrying } from './retry.js';

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

type TaskDeps = { enrollments: EnrollmentStore; clock: Clock; logger: Logger };

/** Starts every step whose predecessors are done; completes the enrollment when nothing required is left. */
export async function advanceEnrollment(deps: TaskDeps, { enrollmentId }: WorkflowInput): Promise<AdvanceResult> {
  const result = await transition(deps, enrollmentId, { type: 'advance', at: deps.clock.now().toISOString() }).catch(
    notFoundIsPermanent(enrollmentId),
  );
  if (!result.ok) throw new PermanentTaskError(result.refusal.message);
  const started = result.events.flatMap((e) => (e.type === 'step_started' ? [e.index] : []));
  return { enrollmentId, completed: result.after.enrollment.status === 'completed', started };
}

/**
 * A claim older than this belongs to a dead run (the state machine times out after 270 s); a
 * younger one may belong to a run that is sending right now.
 */
export const EMAIL_CLAIM_LIFETIME_MS = 5 * 60_000;

type EmailDeps = TaskDeps & { mailer: Mailer; settings: Settings; organization: OrganizationStore; suppressions: SuppressionList };

/**
 * Sends the completion email at most once. A claim is written before sending. If the mailer says
 * the message was definitely not sent, the claim is released so a retry may send; if the outcome
 * is unknown (SES may have accepted it), the claim stays and nothing sends again. Several
 * executions of one enrollment can get here at once (each completed step starts one): the one
 * that loses the claim leaves the send to the holder. If a run dies between claim and result, or
 * its send had an unknown outcome, then once the claim is older than any live run the task fails
 * for an admin to decide (retry with a resend, or mark it sent) rather than risk a second email.
 */
export async function sendCompletionEmail(
  deps: EmailDeps,
  { enrollmentId }: WorkflowInput,
): Promise<{ enrollmentId: string; sent: boolean }> {
  const claimedAt = deps.clock.now().toISOString();
  const claim = await transition(deps, enrollmentId, { type: 'claim_email', at: claimedAt }).catch(notFoundIsPermanent(enrollmentId));
  if (!claim.ok) {
    if (claim.refusal.code === 'EMAIL_ALREADY_CLAIMED')
      return leaveToClaimHolder(deps, enrollmentId, claim.state.enrollment.emailClaimedAt!);
    throw new PermanentTaskError(`enrollment ${enrollmentId}: ${claim.refusal.message}`);
  }
  // No claim event: the email was sent already (this is a re-run). Each write below starts from
  // the enrollment as the one before it left it.
  let latest = claim.saved;
  let sent = claim.events.length > 0;
  // No email goes to an address that bounced or complained: the claim becomes "not sent" and the run ends normally.
  const suppression = sent ? await deps.suppressions.get(claim.after.enrollment.studentEmail) : undefined;
  if (suppression) {
    const skipped = await transition(
      deps,
      enrollmentId,
      { type: 'skip_completion_email', at: deps.clock.now().toISOString(), claimedAt, reason: 'suppressed' },
      { from: latest },
    );
    if (skipped.ok) latest = skipped.saved;
    deps.logger.warn('completion email not sent: the address is suppressed', { enrollmentId, reason: suppression.reason });
    sent = false;
  }
  if (sent) {
    const { enrollment } = claim.after;
    const { siteUrl } = deps.settings;
    const message = completionEmail({
      studentName: enrollment.studentName,
      studentEmail: enrollment.studentEmail,
      programName: enrollment.programName,
      certificateId: enrollment.certificateId!,
      verifyUrl: verifyUrl(siteUrl, enrollment.certificateId!),
      progressUrl: `${siteUrl}/student/progress`,
      brand: organizationBrand(await readOrganization(deps), siteUrl),
      coordinator: enrollment.createdBy,
    });
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send(message));
    } catch (error) {
      if (error instanceof EmailNotSent) {
        await transition(deps, enrollmentId, { type: 'release_email', claimedAt }, { from: latest });
        throw error;
      }
      // SES may have accepted the message before the answer was lost: a retry could be a second
      // email. The claim stays, and the run ends here for an admin to decide.
      deps.logger.warn('completion email outcome unknown; keeping the claim so it is never sent twice', {
        enrollmentId,
        claimedAt,
        error: describe(error),
      });
      throw new PermanentTaskError(
        `EmailOutcomeUnknown: the completion email may have been sent (${describe(error)}); ` +
          'check the mail log, then retry with "resend email" if it was not delivered, or mark it sent if it was',
      );
    }
    deps.logger.info('completion email sent', { enrollmentId, messageId });
    latest = await recordEmailSent(deps, latest, claimedAt, messageId);
  }
  // The last task of a completing run: the workflow has caught up with the request it read.
  const requestedAt = claim.before.state.enrollment.advanceRequestedAt;
  if (requestedAt) await transition(deps, enrollmentId, { type: 'settle_advance', requestedAt }, { from: latest });
  return { enrollmentId, sent };
}

/**
 * Records the sent email on the claim it was sent under. The email is out, so a failure here must
 * not end in a retry of the task (it would find the claim and, later, call the outcome unknown):
 * the write is tried again in place, whatever went wrong, under the one retry policy; if it never
 * succeeds, the failure says the email was sent.
 */
async function recordEmailSent(
  deps: TaskDeps,
  claimed: EnrollmentSnapshot,
  claimedAt: string,
  messageId: string,
): Promise<EnrollmentSnapshot> {
  const enrollmentId = claimed.state.enrollment.id;
  const command = { type: 'record_email_sent', at: deps.clock.now().toISOString(), claimedAt, messageId } as const;
  try {
    const recorded = await retrying(`recording the completion email of ${enrollmentId}`, (n) =>
      attemptTransition(deps, enrollmentId, command, n === 1 ? { from: claimed } : {}).catch((error: unknown) => {
        deps.logger.warn('recording the sent completion email failed; trying again', {
          enrollmentId,
          messageId,
          attempt: n,
          error: describe(error),
        });
        return { again: describe(error) };
      }),
    );
    if (recorded.ok) return recorded.saved;
    deps.logger.warn('completion email sent, but its claim was gone (an admin reset it?); not recorded', {
      enrollmentId,
      claimedAt,
      messageId,
    });
    return claimed;
  } catch (error) {
    throw new PermanentTaskError(
      `EmailSentNotRecorded: the completion email was sent (message id ${messageId}) but recording it failed; do not resend it. ${describe(error)}`,
    );
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Another run holds the email claim (or this one, retried after a send with an unknown outcome):
 * it has sent the email, is sending it, or died doing so, or its send may or may not have gone
 * out. A live holder finishes the job; this run leaves the advance request in place, so the
 * reconciler comes back, and by then the claim is old enough to call the outcome unknown.
 */
async function leaveToClaimHolder(
  deps: TaskDeps,
  enrollmentId: string,
  claimedAt: string,
): Promise<{ enrollmentId: string; sent: boolean }> {
  if (deps.clock.now().getTime() - Date.parse(claimedAt) >= EMAIL_CLAIM_LIFETIME_MS) {
    throw new PermanentTaskError(
      'EmailOutcomeUnknown: an earlier run started sending the completion email and did not record the result; ' +
        'check the mail log, then retry with "resend email" if it was not delivered, or mark it sent if it was',
    );
  }
  deps.logger.info('another run holds the completion email claim', { enrollmentId, claimedAt });
  return { enrollmentId, sent: false };
}

/** A task for an enrollment that does not exist can never succeed. */
export const notFoundIsPermanent = (enrollmentId: string) => (error: unknown) => {
  if (error instanceof DomainError && error.code === 'ENROLLMENT_NOT_FOUND')
    throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
  throw error;
};
