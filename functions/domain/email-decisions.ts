// The enrollment decider's rules for the emails it sends: the welcome email, step reminders and the
// completion email. Each is claimed before it is sent and recorded (or released) after, so a crash
// between the two leaves a claim an admin can see and settle, and two runs never both send it.
import { nextScheduledReminderAt, remindableAt, type EnrollmentState, type EnrollmentStep, type ReminderRecord } from './enrollment.js';
import type { Decision, EnrollmentCommand, EnrollmentEvent, Refusal, RefusalCode } from './enrollment-decider.js';

type Command<T extends EnrollmentCommand['type']> = Extract<EnrollmentCommand, { type: T }>;

const accept = (...events: EnrollmentEvent[]): Decision => ({ ok: true, events });
const refuse = (code: RefusalCode, message: string): Decision => ({ ok: false, refusal: { code, message } satisfies Refusal });

export function decideClaimWelcome(state: EnrollmentState, { at }: Command<'claim_welcome'>): Decision {
  const { welcome, status } = state.enrollment;
  if (!welcome || welcome.result || status !== 'active') return refuse('NOTHING_DUE', 'no welcome email is due for this enrollment');
  if (welcome.claimedAt) return refuse('EMAIL_ALREADY_CLAIMED', `another run claimed the welcome email at ${welcome.claimedAt}`);
  return accept({ type: 'welcome_claimed', at });
}

export function decideRecordWelcome(state: EnrollmentState, command: Command<'record_welcome'>): Decision {
  const { welcome } = state.enrollment;
  if (!welcome || welcome.result) return refuse('EMAIL_CLAIM_GONE', 'the welcome email is already settled');
  if (command.claimedAt !== undefined ? welcome.claimedAt !== command.claimedAt : welcome.claimedAt !== undefined) {
    return refuse('EMAIL_CLAIM_GONE', 'the welcome email claim this result belongs to is gone');
  }
  return accept({ type: 'welcome_recorded', result: command.result });
}

/** The steps whose reminder claim was made at `claimedAt`. */
const claimedUnder = (state: EnrollmentState, claimedAt: string) => state.steps.filter((s) => s.reminderClaim?.at === claimedAt);

export function decideClaimReminders(state: EnrollmentState, command: Command<'claim_reminders'>): Decision {
  const { enrollment, steps } = state;
  if (enrollment.status !== 'active')
    return refuse('ENROLLMENT_NOT_ACTIVE', `enrollment is ${enrollment.status}; only active enrollments are reminded`);
  const inProgress = steps.filter((s) => s.status === 'in_progress');
  const claim = (step: EnrollmentStep): EnrollmentEvent => ({
    type: 'reminder_claimed',
    index: step.index,
    at: command.at,
    kind: command.kind,
    ...(command.by ? { by: command.by } : {}),
  });
  if (command.kind === 'scheduled') {
    const due = inProgress.filter((s) => !s.reminderClaim && (nextScheduledReminderAt(enrollment.reminders, s) ?? '\uffff') <= command.at);
    if (due.length === 0) return refuse('NOTHING_DUE', 'no scheduled reminder is due');
    // A slot the student cannot be reminded in is used up, so the schedule moves on (and resumes on resubscribing).
    if (command.blocked) {
      const record: ReminderRecord = { at: command.at, kind: 'scheduled', outcome: 'skipped', reason: command.blocked };
      return accept(...due.map((step): EnrollmentEvent => ({ type: 'reminder_recorded', index: step.index, record })));
    }
    return accept(...due.map(claim));
  }
  if (inProgress.length === 0) return refuse('NO_STEP_IN_PROGRESS', 'no step of this enrollment is in progress');
  if (command.blocked === 'unsubscribed') return refuse('REMINDERS_UNSUBSCRIBED', 'the student unsubscribed from reminders');
  if (command.blocked === 'suppressed') {
    return refuse('EMAIL_SUPPRESSED', "email to the student's address bounced or was reported as spam, so none is sent");
  }
  const remindable = inProgress.filter((s) => remindableAt(s, command.at));
  if (remindable.length === 0) return refuse('REMINDED_TODAY', 'the student was reminded of every step in progress within the last day');
  return accept(...remindable.map(claim));
}

export function decideRecordReminders(state: EnrollmentState, command: Command<'record_reminders'>): Decision {
  const claimed = claimedUnder(state, command.claimedAt);
  if (claimed.length === 0) return refuse('EMAIL_CLAIM_GONE', 'the reminder claim this result belongs to is gone');
  return accept(
    ...claimed.map((step): EnrollmentEvent => {
      const { kind, by } = step.reminderClaim!;
      return { type: 'reminder_recorded', index: step.index, record: { ...command.result, kind, ...(by ? { by } : {}) } };
    }),
  );
}

export function decideClaimEmail(state: EnrollmentState, { at }: Command<'claim_email'>): Decision {
  const { enrollment } = state;
  if (enrollment.emailSentAt || enrollment.emailSkipped) return accept();
  if (enrollment.emailClaimedAt)
    return refuse('EMAIL_ALREADY_CLAIMED', `another run claimed the completion email at ${enrollment.emailClaimedAt}`);
  if (!enrollment.certificateId) return refuse('NOT_COMPLETED', 'the enrollment has no certificate yet');
  return accept({ type: 'email_claimed', at });
}

export function decideMarkEmailSent(state: EnrollmentState, command: Command<'mark_email_sent'>): Decision {
  if (!emailPending(state)) {
    return refuse('EMAIL_NOT_PENDING', 'no completion email is waiting on an unknown outcome for this enrollment');
  }
  return accept({ type: 'email_marked_sent', at: command.at, by: command.by, reason: command.reason });
}

/** A completion email was claimed (a send was attempted) and is not recorded as sent. */
export const emailPending = ({ enrollment }: EnrollmentState) =>
  enrollment.emailClaimedAt !== undefined && enrollment.emailSentAt === undefined;

export function decideReleaseWelcome(state: EnrollmentState, command: Command<'release_welcome'>): Decision {
  return state.enrollment.welcome?.claimedAt === command.claimedAt && !state.enrollment.welcome.result
    ? accept({ type: 'welcome_released' })
    : accept();
}

export function decideReleaseReminders(state: EnrollmentState, command: Command<'release_reminders'>): Decision {
  return accept(
    ...claimedUnder(state, command.claimedAt).map((step): EnrollmentEvent => ({ type: 'reminder_released', index: step.index })),
  );
}

export function decideReleaseEmail(state: EnrollmentState, command: Command<'release_email'>): Decision {
  return emailPending(state) && state.enrollment.emailClaimedAt === command.claimedAt
    ? accept({ type: 'email_released', claimedAt: command.claimedAt })
    : accept();
}

export function decideRecordEmailSent(state: EnrollmentState, command: Command<'record_email_sent'>): Decision {
  return state.enrollment.emailClaimedAt === command.claimedAt
    ? accept({ type: 'email_sent', at: command.at, messageId: command.messageId })
    : refuse('EMAIL_CLAIM_GONE', 'the completion email claim this send was made under is gone');
}

export function decideSkipCompletionEmail(state: EnrollmentState, command: Command<'skip_completion_email'>): Decision {
  return emailPending(state) && state.enrollment.emailClaimedAt === command.claimedAt
    ? accept({ type: 'email_skipped', at: command.at, reason: command.reason })
    : refuse('EMAIL_CLAIM_GONE', 'the completion email claim this was decided under is gone');
}
