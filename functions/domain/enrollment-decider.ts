// The enrollment aggregate's one decision function. Every change to an enrollment — a partner's
// completion, an admin's complete / waive / skip / cancel / retry / mark-email-sent, the workflow's
// advance, certificate and email bookkeeping — is a command; `decide` answers with the events that
// happen, or a refusal with a code. `evolve` applies an event to the state. Nothing here does I/O:
// the adapter derives every item write from the state before and after the events, and makes the
// save conditional on the version it read.
import {
  allRequiredDone,
  dueAtFor,
  findStepBySequence,
  generateSteps,
  isDone,
  isOpen,
  newEnrollment,
  planAdvance,
  type Cancellation,
  type EmailOutcome,
  type Enrollment,
  type EnrollmentState,
  type EnrollmentStep,
  type PartnerResult,
  type StepReopening,
  type ReminderKind,
  type ReminderRecord,
  type StepResolution,
} from './enrollment.js';
import type { Evidence, EvidenceReview } from './evidence.js';
import {
  decideClaimEmail,
  decideClaimReminders,
  decideClaimWelcome,
  decideMarkEmailSent,
  decideRecordEmailSent,
  decideRecordReminders,
  decideRecordWelcome,
  decideReleaseEmail,
  decideReleaseReminders,
  decideReleaseWelcome,
  decideSkipCompletionEmail,
  emailPending,
} from './email-decisions.js';
import { decideApproveEvidence, decideEvidenceFile, decideRejectEvidence, decideSubmitEvidence } from './evidence-decisions.js';
import type { PartnerId } from './partners.js';
import type { Program } from './programs.js';

export type EnrollmentCommand =
  /** A new enrollment: the program's current steps, the first sequence started, the workflow asked to run. */
  | { type: 'enroll'; at: string; enrollmentId: string; student: { id: string; name: string; email: string }; program: Program; by: string }
  | {
      type: 'record_partner_completion';
      at: string;
      partnerId: PartnerId;
      courseId: string;
      result: PartnerResult;
      webhookId: string;
      occurredAt?: string;
      score?: number;
      /** The partner's own credential expiry (an HSI card's date). */
      credentialExpiresAt?: string;
    }
  | {
      type: 'override_step';
      at: string;
      action: 'complete' | 'waive' | 'skip';
      sequence: number;
      partnerId?: string;
      by: string;
      reason: string;
      /** An admin entering a partner credential by hand also records its expiry. */
      credentialExpiresAt?: string;
    }
  | { type: 'cancel'; at: string; by: string; reason: string }
  /**
   * An admin undoes a step's completion (a partner account credited the wrong student): the step
   * is in progress again, with who, why and what was undone on it.
   */
  | { type: 'reopen_step'; at: string; sequence: number; partnerId?: string; by: string; reason: string }
  /** The workflow's Advance task: start the steps that are due, or complete the enrollment. */
  | { type: 'advance'; at: string }
  /** The workflow has done everything the request it read asked for (a newer request survives). */
  | { type: 'settle_advance'; requestedAt: string }
  | { type: 'retry'; at: string; by: string; resendEmail: boolean }
  | { type: 'issue_certificate'; at: string; certificateId: string; expiresAt?: string }
  /** An admin revoked the enrollment's certificate (decided on the certificate; recorded here for the timeline). */
  | { type: 'record_certificate_revoked'; certificateId: string; at: string; by: string; reason: string }
  | { type: 'claim_email'; at: string }
  | { type: 'release_email'; claimedAt: string }
  | { type: 'record_email_sent'; at: string; claimedAt: string; messageId: string }
  /** The completion email claimed at `claimedAt` is not sent after all: its address is suppressed. */
  | { type: 'skip_completion_email'; at: string; claimedAt: string; reason: string }
  /** An admin has checked that a completion email whose outcome was unknown was delivered. */
  | { type: 'mark_email_sent'; at: string; by: string; reason: string }
  /** The welcome email is about to be sent (at most once: whoever saves the claim sends it). */
  | { type: 'claim_welcome'; at: string }
  /** The mail service refused the welcome email for now (throttled): it may be sent later. */
  | { type: 'release_welcome'; claimedAt: string }
  /** What became of the welcome email: sent under the claim, may have been sent, or skipped (a suppressed address). */
  | { type: 'record_welcome'; claimedAt?: string; result: EmailOutcome }
  /**
   * Reminders about the steps in progress: `scheduled` (the sweep: the steps whose program rules
   * make one due) or `nudge` (an admin: every step in progress not reminded within a day). When the
   * student cannot be reminded (`blocked`), a scheduled reminder is skipped and a nudge refused.
   */
  | { type: 'claim_reminders'; at: string; kind: ReminderKind; by?: string; blocked?: ReminderBlock }
  | { type: 'release_reminders'; claimedAt: string }
  /** What became of the reminder sent under the claim made at `claimedAt` (every step it named). */
  | { type: 'record_reminders'; claimedAt: string; result: EmailOutcome }
  /** The sweep: the steps still open past their due date now count as overdue. */
  | { type: 'mark_overdue'; at: string }
  /** The student brings proof for an open step (functions/domain/evidence-decisions.ts). */
  | { type: 'submit_evidence'; at: string; sequence: number; partnerId?: string; evidence: Evidence }
  /** Baton checked the evidence's uploaded file: accepted, or refused with the problem (which rejects the evidence). */
  | { type: 'check_evidence_file'; at: string; evidenceId: string; problem?: string }
  /** An admin approves pending evidence: the step completes through it. */
  | { type: 'approve_evidence'; at: string; evidenceId: string; by: string; note?: string }
  /** An admin rejects pending evidence with a reason the student sees; they may submit again. */
  | { type: 'reject_evidence'; at: string; evidenceId: string; by: string; reason: string };

/** Why a student cannot be reminded: they unsubscribed, or mail to their address bounced or was reported. */
export type ReminderBlock = 'unsubscribed' | 'suppressed';

export type EnrollmentEvent =
  /** The enrollment exists, its steps all pending (the events after it start the first ones). */
  | { type: 'enrolled'; enrollment: Enrollment; steps: EnrollmentStep[] }
  | { type: 'step_started'; index: number; at: string }
  | { type: 'step_completed'; index: number; at: string; resolution: StepResolution }
  | { type: 'step_waived'; index: number; at: string; resolution: StepResolution }
  /** An optional step closed without being taken: by the workflow when the program completes, or by an admin. */
  | { type: 'step_skipped'; index: number; at: string; resolution?: StepResolution }
  | { type: 'step_cancelled'; index: number; at: string }
  | { type: 'step_reopened'; index: number; reopening: StepReopening }
  | { type: 'enrollment_completed'; at: string }
  | { type: 'enrollment_cancelled'; cancellation: Cancellation }
  | { type: 'advance_requested'; at: string }
  /** The request is done: it leaves the enrollment, and so does a failure it may have recorded. */
  | { type: 'advance_settled'; requestedAt: string }
  | { type: 'retry_requested'; at: string; by: string; forgetEmailClaim: boolean }
  | { type: 'certificate_issued'; certificateId: string; at: string; expiresAt?: string }
  | { type: 'certificate_revoked'; at: string; by: string; reason: string }
  | { type: 'email_claimed'; at: string }
  | { type: 'email_released'; claimedAt: string }
  | { type: 'email_sent'; at: string; messageId: string }
  | { type: 'email_skipped'; at: string; reason: string }
  | { type: 'email_marked_sent'; at: string; by: string; reason: string }
  | { type: 'welcome_claimed'; at: string }
  | { type: 'welcome_released' }
  | { type: 'welcome_recorded'; result: EmailOutcome }
  | { type: 'reminder_claimed'; index: number; at: string; kind: ReminderKind; by?: string }
  | { type: 'reminder_released'; index: number }
  | { type: 'reminder_recorded'; index: number; record: ReminderRecord }
  | { type: 'step_overdue'; index: number; at: string }
  | { type: 'evidence_submitted'; index: number; evidence: Evidence }
  | { type: 'evidence_file_checked'; index: number; evidenceId: string; at: string; problem?: string }
  | { type: 'evidence_reviewed'; index: number; evidenceId: string; status: 'approved' | 'rejected'; review: EvidenceReview };

/**
 * Why a command changes nothing. Codes a partner completion can end in are outcomes, not errors
 * (partnerCompletionOutcome turns them into the delivery's outcome); the others are 4xx answers.
 */
export type RefusalCode =
  | 'ENROLLMENT_NOT_FOUND'
  | 'ENROLLMENT_NOT_ACTIVE'
  | 'ENROLLMENT_COMPLETING'
  | 'STEP_NOT_FOUND'
  | 'STEP_AMBIGUOUS'
  | 'STEP_ALREADY_DONE'
  | 'STEP_REQUIRED'
  | 'STEP_CLOSED'
  | 'STEP_NOT_DONE'
  | 'REQUIRES_PASSED'
  | 'NO_STEP'
  | 'NOTHING_TO_RETRY'
  | 'NOT_COMPLETED'
  | 'EMAIL_ALREADY_CLAIMED'
  | 'EMAIL_CLAIM_GONE'
  | 'EMAIL_NOT_PENDING'
  | 'NOTHING_DUE'
  | 'NO_STEP_IN_PROGRESS'
  | 'REMINDED_TODAY'
  | 'REMINDERS_UNSUBSCRIBED'
  | 'EMAIL_SUPPRESSED'
  | 'STEP_NOT_STARTED'
  | 'EVIDENCE_NOT_FOUND'
  | 'EVIDENCE_PENDING'
  | 'EVIDENCE_REVIEWED'
  | 'EVIDENCE_FILE_MISSING'
  | 'EVIDENCE_LIMIT';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The step the refusal is about, when there is one (a partner completion's outcome needs it). */
  step?: EnrollmentStep;
}

export type Decision = { ok: true; events: EnrollmentEvent[] } | { ok: false; refusal: Refusal };

const accept = (...events: EnrollmentEvent[]): Decision => ({ ok: true, events });
const refuse = (code: RefusalCode, message: string, step?: EnrollmentStep): Decision => ({
  ok: false,
  refusal: { code, message, ...(step ? { step } : {}) },
});

/** What `command` does to the enrollment (undefined: there is none yet, which only `enroll` accepts). */
export function decide(state: EnrollmentState | undefined, command: EnrollmentCommand): Decision {
  if (command.type === 'enroll')
    return state ? refuse('ENROLLMENT_NOT_ACTIVE', `enrollment ${state.enrollment.id} exists`) : decideEnroll(command);
  if (!state) return refuse('ENROLLMENT_NOT_FOUND', 'no such enrollment');
  switch (command.type) {
    case 'record_partner_completion':
      return decidePartnerCompletion(state, command);
    case 'override_step':
      return decideOverride(state, command);
    case 'cancel':
      return decideCancel(state, command);
    case 'reopen_step':
      return decideReopen(state, command);
    case 'advance':
      return decideAdvance(state, command.at);
    case 'settle_advance':
      return state.enrollment.advanceRequestedAt === command.requestedAt
        ? accept({ type: 'advance_settled', requestedAt: command.requestedAt })
        : accept();
    case 'retry':
      return decideRetry(state, command);
    case 'issue_certificate':
      return decideCertificate(state, command);
    case 'record_certificate_revoked':
      if (state.enrollment.certificateId !== command.certificateId)
        return refuse('NOT_COMPLETED', `certificate ${command.certificateId} is not this enrollment's`);
      if (state.enrollment.certificateRevocation) return accept();
      return accept({ type: 'certificate_revoked', at: command.at, by: command.by, reason: command.reason });
    case 'claim_email':
      return decideClaimEmail(state, command);
    case 'release_email':
      return decideReleaseEmail(state, command);
    case 'record_email_sent':
      return decideRecordEmailSent(state, command);
    case 'mark_email_sent':
      return decideMarkEmailSent(state, command);
    case 'skip_completion_email':
      return decideSkipCompletionEmail(state, command);
    case 'claim_welcome':
      return decideClaimWelcome(state, command);
    case 'release_welcome':
      return decideReleaseWelcome(state, command);
    case 'record_welcome':
      return decideRecordWelcome(state, command);
    case 'claim_reminders':
      return decideClaimReminders(state, command);
    case 'release_reminders':
      return decideReleaseReminders(state, command);
    case 'record_reminders':
      return decideRecordReminders(state, command);
    case 'submit_evidence':
      return decideSubmitEvidence(state, command);
    case 'check_evidence_file':
      return decideEvidenceFile(state, command);
    case 'approve_evidence':
      return decideApproveEvidence(state, command);
    case 'reject_evidence':
      return decideRejectEvidence(state, command);
    case 'mark_overdue':
      return accept(
        ...state.steps
          .filter((s) => s.status === 'in_progress' && s.dueAt !== undefined && s.dueAt <= command.at && !s.overdueSince)
          .map((step): EnrollmentEvent => ({ type: 'step_overdue', index: step.index, at: command.at })),
      );
  }
}

function decideEnroll(command: Extract<EnrollmentCommand, { type: 'enroll' }>): Decision {
  const enrollment = newEnrollment(command.enrollmentId, command.student, command.program, command.at, command.by);
  const steps = generateSteps(command.program);
  return accept(
    { type: 'enrolled', enrollment, steps },
    ...planAdvance('active', steps).start.map((step): EnrollmentEvent => ({ type: 'step_started', index: step.index, at: command.at })),
    { type: 'advance_requested', at: command.at },
  );
}

function decidePartnerCompletion(
  state: EnrollmentState,
  command: Extract<EnrollmentCommand, { type: 'record_partner_completion' }>,
): Decision {
  const step = state.steps.find((s) => s.partnerId === command.partnerId && s.courseId === command.courseId);
  if (!step) return refuse('NO_STEP', `no ${command.partnerId} step for course ${command.courseId}`);
  if (isDone(step)) return refuse('STEP_ALREADY_DONE', `the step is already ${step.status}`, step);
  if (!isOpen(step)) return refuse('STEP_CLOSED', `the step was ${step.status}`, step);
  if (state.enrollment.status !== 'active') return refuse('ENROLLMENT_NOT_ACTIVE', `the enrollment is ${state.enrollment.status}`, step);
  if (step.completion === 'passed' && command.result !== 'passed') {
    return refuse('REQUIRES_PASSED', 'the step needs a passing result, and this event reports a completion', step);
  }
  // A partner's own completion time, when it is earlier than now, is when the step was completed.
  const completedAt = command.occurredAt && command.occurredAt < command.at ? command.occurredAt : command.at;
  const resolution: StepResolution = {
    source: 'partner',
    webhookId: command.webhookId,
    result: command.result,
    ...(command.occurredAt ? { occurredAt: command.occurredAt } : {}),
    ...(command.score !== undefined ? { score: command.score } : {}),
    ...(command.credentialExpiresAt ? { credentialExpiresAt: command.credentialExpiresAt } : {}),
  };
  return accept({ type: 'step_completed', index: step.index, at: completedAt, resolution }, { type: 'advance_requested', at: command.at });
}

function decideOverride(state: EnrollmentState, command: Extract<EnrollmentCommand, { type: 'override_step' }>): Decision {
  const { enrollment, steps } = state;
  if (enrollment.status !== 'active') {
    return refuse('ENROLLMENT_NOT_ACTIVE', `enrollment is ${enrollment.status}; only active enrollments change`);
  }
  const found = findStepBySequence(steps, command.sequence, command.partnerId);
  if ('error' in found) {
    if (found.error === 'ambiguous') {
      const partners = found.candidates.map((s) => s.partnerId).join(', ');
      return refuse('STEP_AMBIGUOUS', `sequence ${command.sequence} has several steps (${partners}); send "partnerId" to pick one`);
    }
    const at = command.partnerId ? ` at ${command.partnerId}` : '';
    return refuse('STEP_NOT_FOUND', `enrollment has no step with sequence ${command.sequence}${at}`);
  }
  const { step } = found;
  if (isDone(step)) return refuse('STEP_ALREADY_DONE', `the step is already ${step.status}`, step);
  if (!isOpen(step)) return refuse('STEP_CLOSED', `the step was ${step.status}; a closed step never moves`, step);
  const resolution: StepResolution = {
    source: 'admin',
    by: command.by,
    reason: command.reason,
    ...(command.credentialExpiresAt ? { credentialExpiresAt: command.credentialExpiresAt } : {}),
  };
  const requested: EnrollmentEvent = { type: 'advance_requested', at: command.at };
  switch (command.action) {
    case 'complete':
      return accept({ type: 'step_completed', index: step.index, at: command.at, resolution }, requested);
    case 'waive':
      return accept({ type: 'step_waived', index: step.index, at: command.at, resolution }, requested);
    case 'skip':
      if (step.required) return refuse('STEP_REQUIRED', 'only an optional step can be skipped; waive a required one instead', step);
      return accept({ type: 'step_skipped', index: step.index, at: command.at, resolution }, requested);
  }
}

function decideReopen(state: EnrollmentState, command: Extract<EnrollmentCommand, { type: 'reopen_step' }>): Decision {
  const { enrollment, steps } = state;
  // A finished enrollment's certificate rests on its steps: undoing one would leave it standing on nothing.
  if (enrollment.status !== 'active') {
    return refuse(
      'ENROLLMENT_NOT_ACTIVE',
      `enrollment is ${enrollment.status}; only a step of an active enrollment can be reopened${enrollment.certificateId ? ' (its certificate was issued)' : ''}`,
    );
  }
  const found = stepAt(steps, command.sequence, command.partnerId);
  if ('refusal' in found) return found.refusal;
  const { step } = found;
  if (step.status !== 'completed' || !step.resolution) {
    return refuse('STEP_NOT_DONE', `the step is ${step.status}; only a completed step can be reopened`, step);
  }
  const reopening: StepReopening = {
    at: command.at,
    by: command.by,
    reason: command.reason,
    undone: step.resolution,
    ...(step.completedAt ? { completedAt: step.completedAt } : {}),
  };
  return accept({ type: 'step_reopened', index: step.index, reopening }, { type: 'advance_requested', at: command.at });
}

/** The step a command names by sequence (and partner, when the sequence has several), or the refusal that says why there is none. */
export function stepAt(
  steps: readonly EnrollmentStep[],
  sequence: number,
  partnerId: string | undefined,
): { step: EnrollmentStep } | { refusal: Decision } {
  const found = findStepBySequence(steps, sequence, partnerId);
  if (!('error' in found)) return found;
  return {
    refusal:
      found.error === 'ambiguous'
        ? refuse('STEP_AMBIGUOUS', `sequence ${sequence} has several steps; send "partnerId" to pick one`)
        : refuse('STEP_NOT_FOUND', `enrollment has no step with sequence ${sequence}${partnerId ? ` at ${partnerId}` : ''}`),
  };
}

function decideCancel(state: EnrollmentState, command: Extract<EnrollmentCommand, { type: 'cancel' }>): Decision {
  const { enrollment, steps } = state;
  if (enrollment.status !== 'active') {
    return refuse('ENROLLMENT_NOT_ACTIVE', `enrollment is ${enrollment.status}; only an active enrollment can be cancelled`);
  }
  // The student has done the work: cancelling now would withhold the certificate they earned.
  if (allRequiredDone(steps)) {
    return refuse(
      'ENROLLMENT_COMPLETING',
      'every required step is done, so this enrollment is completing (certificate and email follow); if its automation failed, retry it instead',
    );
  }
  return accept(...steps.filter(isOpen).map((step): EnrollmentEvent => ({ type: 'step_cancelled', index: step.index, at: command.at })), {
    type: 'enrollment_cancelled',
    cancellation: { at: command.at, by: command.by, reason: command.reason },
  });
}

function decideAdvance(state: EnrollmentState, at: string): Decision {
  const { enrollment, steps } = state;
  const plan = planAdvance(enrollment.status, steps);
  const started = plan.start.map((step): EnrollmentEvent => ({ type: 'step_started', index: step.index, at }));
  if (plan.complete) {
    // Optional steps still open close as skipped in the same write that completes the enrollment.
    // The advance request stays until the completion email is sent, so a crash before then is re-run.
    const skipped = plan.skip.map((step): EnrollmentEvent => ({ type: 'step_skipped', index: step.index, at }));
    return accept(...skipped, { type: 'enrollment_completed', at });
  }
  // Nothing more is due: the request this run read is done (a newer one is not: its run handles it).
  const settled: EnrollmentEvent[] =
    enrollment.status === 'active' && enrollment.advanceRequestedAt
      ? [{ type: 'advance_settled', requestedAt: enrollment.advanceRequestedAt }]
      : [];
  return accept(...started, ...settled);
}

function decideRetry(state: EnrollmentState, command: Extract<EnrollmentCommand, { type: 'retry' }>): Decision {
  const { enrollment } = state;
  // A cancelled enrollment has nothing left to run, even if a late failure was recorded on it.
  if (!enrollment.workflowFailure || enrollment.status === 'cancelled') {
    return refuse('NOTHING_TO_RETRY', 'this enrollment has no failed workflow to retry');
  }
  return accept({ type: 'retry_requested', at: command.at, by: command.by, forgetEmailClaim: command.resendEmail && emailPending(state) });
}

function decideCertificate(state: EnrollmentState, command: Extract<EnrollmentCommand, { type: 'issue_certificate' }>): Decision {
  const { enrollment } = state;
  if (enrollment.status !== 'completed') return refuse('NOT_COMPLETED', `enrollment is ${enrollment.status}, not completed`);
  // One certificate per enrollment: a re-run finds it and changes nothing.
  if (enrollment.certificateId) return accept();
  return accept({
    type: 'certificate_issued',
    certificateId: command.certificateId,
    at: command.at,
    ...(command.expiresAt ? { expiresAt: command.expiresAt } : {}),
  });
}

export function evolve(state: EnrollmentState | undefined, event: EnrollmentEvent): EnrollmentState {
  if (event.type === 'enrolled') return { enrollment: event.enrollment, steps: event.steps };
  if (!state) throw new Error(`${event.type} before the enrollment exists`);
  const { enrollment, steps } = state;
  const step = (index: number, change: (s: EnrollmentStep) => EnrollmentStep): EnrollmentState => ({
    enrollment,
    steps: steps.map((s) => (s.index === index ? change(s) : s)),
  });
  const withEnrollment = (change: Partial<Enrollment>, remove: ReadonlyArray<keyof Enrollment> = []): EnrollmentState => {
    const next: Enrollment = { ...enrollment, ...change };
    for (const field of remove) delete next[field];
    return { enrollment: next, steps };
  };
  switch (event.type) {
    case 'step_started':
      return step(event.index, (s) => {
        const dueAt = dueAtFor(s, event.at);
        return { ...s, status: 'in_progress', startedAt: event.at, ...(dueAt ? { dueAt } : {}) };
      });
    case 'step_completed':
      return step(event.index, (s) => ({ ...s, status: 'completed', completedAt: event.at, resolution: event.resolution }));
    case 'step_waived':
      return step(event.index, (s) => ({ ...s, status: 'waived', completedAt: event.at, resolution: event.resolution }));
    case 'step_skipped':
      return step(event.index, (s) => ({
        ...s,
        status: 'skipped',
        closedAt: event.at,
        ...(event.resolution ? { resolution: event.resolution } : {}),
      }));
    case 'step_cancelled':
      return step(event.index, (s) => ({ ...s, status: 'cancelled', closedAt: event.at }));
    case 'step_reopened':
      return step(event.index, (s) => {
        // In progress again from now (the stuck list measures from here), without the completion it had.
        const { completedAt: _completed, resolution: _resolution, ...rest } = s;
        return { ...rest, status: 'in_progress', startedAt: event.reopening.at, reopenings: [...(s.reopenings ?? []), event.reopening] };
      });
    case 'enrollment_completed':
      return withEnrollment({ status: 'completed', completedAt: event.at });
    case 'enrollment_cancelled':
      // Nothing is left for the workflow: no advance to run, no failure to retry.
      return withEnrollment({ status: 'cancelled', cancellation: event.cancellation }, ['advanceRequestedAt', 'workflowFailure']);
    case 'advance_requested':
      return withEnrollment({ advanceRequestedAt: event.at });
    case 'advance_settled':
      return withEnrollment({}, ['advanceRequestedAt', 'workflowFailure']);
    case 'retry_requested':
      return withEnrollment({ advanceRequestedAt: event.at }, [
        'workflowFailure',
        ...(event.forgetEmailClaim ? (['emailClaimedAt'] as const) : []),
      ]);
    case 'certificate_issued':
      return withEnrollment({
        certificateId: event.certificateId,
        certificateIssuedAt: event.at,
        ...(event.expiresAt ? { certificateExpiresAt: event.expiresAt } : {}),
      });
    case 'certificate_revoked':
      return withEnrollment({ certificateRevocation: { at: event.at, by: event.by, reason: event.reason } });
    case 'email_claimed':
      return withEnrollment({ emailClaimedAt: event.at });
    case 'email_released':
      return withEnrollment({}, ['emailClaimedAt']);
    case 'email_sent':
      return withEnrollment({ emailSentAt: event.at, emailMessageId: event.messageId });
    case 'email_marked_sent':
      // The admin's word closes the run that could not know: the failure it recorded goes too.
      return withEnrollment({ emailSentAt: event.at, emailMarkedSent: { at: event.at, by: event.by, reason: event.reason } }, [
        'workflowFailure',
      ]);
    case 'email_skipped':
      return withEnrollment({ emailSkipped: { at: event.at, reason: event.reason } }, ['emailClaimedAt']);
    case 'welcome_claimed':
      return withEnrollment({ welcome: { ...enrollment.welcome!, claimedAt: event.at } });
    case 'welcome_released': {
      const { claimedAt: _released, ...welcome } = enrollment.welcome!;
      return withEnrollment({ welcome });
    }
    case 'welcome_recorded':
      return withEnrollment({ welcome: { ...enrollment.welcome!, result: event.result } });
    case 'reminder_claimed':
      return step(event.index, (s) => ({ ...s, reminderClaim: { at: event.at, kind: event.kind, ...(event.by ? { by: event.by } : {}) } }));
    case 'reminder_released':
      return step(event.index, ({ reminderClaim: _released, ...s }) => s);
    case 'reminder_recorded':
      return step(event.index, ({ reminderClaim: _settled, ...s }) => ({ ...s, reminders: [...(s.reminders ?? []), event.record] }));
    case 'step_overdue':
      return step(event.index, (s) => ({ ...s, overdueSince: event.at }));
    case 'evidence_submitted':
      return step(event.index, (s) => ({ ...s, evidence: [...(s.evidence ?? []), event.evidence] }));
    case 'evidence_file_checked':
      return step(event.index, (s) => ({
        ...s,
        evidence: (s.evidence ?? []).map((e) =>
          e.id === event.evidenceId && e.file
            ? {
                ...e,
                file: {
                  ...e.file,
                  status: event.problem ? 'refused' : 'received',
                  checkedAt: event.at,
                  ...(event.problem ? { problem: event.problem } : {}),
                },
              }
            : e,
        ),
      }));
    case 'evidence_reviewed':
      return step(event.index, (s) => ({
        ...s,
        evidence: (s.evidence ?? []).map((e) => (e.id === event.evidenceId ? { ...e, status: event.status, review: event.review } : e)),
      }));
  }
}

/** The state after the events (what a save writes). */
export function evolveAll(state: EnrollmentState | undefined, events: readonly EnrollmentEvent[]): EnrollmentState {
  const after = events.reduce<EnrollmentState | undefined>(evolve, state);
  if (!after) throw new Error('no events and no enrollment');
  return after;
}
