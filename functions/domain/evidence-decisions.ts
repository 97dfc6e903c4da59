// The enrollment decider's rules for a student's evidence: who may submit it for which step, what
// a file check does, and what approving or rejecting it does. An approval completes the step
// through the same events as every other completion (resolution source `evidence`), so the
// workflow advances the enrollment the same way.
import {
  stepAt,
  type Decision,
  type EnrollmentCommand,
  type EnrollmentEvent,
  type Refusal,
  type RefusalCode,
} from './enrollment-decider.js';
import { isDone, isOpen, type EnrollmentState, type EnrollmentStep, type StepResolution } from './enrollment.js';
import { BATON_REVIEWER, MAX_EVIDENCE_PER_STEP, pendingEvidence, type Evidence } from './evidence.js';

type Command<T extends EnrollmentCommand['type']> = Extract<EnrollmentCommand, { type: T }>;

const accept = (...events: EnrollmentEvent[]): Decision => ({ ok: true, events });
const refuse = (code: RefusalCode, message: string): Decision => ({ ok: false, refusal: { code, message } satisfies Refusal });

export function decideSubmitEvidence(state: EnrollmentState, command: Command<'submit_evidence'>): Decision {
  if (state.enrollment.status !== 'active') {
    return refuse('ENROLLMENT_NOT_ACTIVE', `enrollment is ${state.enrollment.status}; only an active enrollment's steps take evidence`);
  }
  const found = stepAt(state.steps, command.sequence, command.partnerId);
  if ('refusal' in found) return found.refusal;
  const { step } = found;
  const refusal = stepRefusal(step);
  if (refusal) return refusal;
  const pending = pendingEvidence(step.evidence);
  if (pending) {
    return refuse(
      'EVIDENCE_PENDING',
      `evidence ${pending.id} for this step is waiting for review; it can be submitted again once reviewed`,
    );
  }
  if ((step.evidence?.length ?? 0) >= MAX_EVIDENCE_PER_STEP) {
    return refuse('EVIDENCE_LIMIT', `this step has ${MAX_EVIDENCE_PER_STEP} pieces of evidence already; ask program staff for help`);
  }
  return accept({ type: 'evidence_submitted', index: step.index, evidence: command.evidence });
}

/** A file passed its check, or is refused, which rejects the evidence (the student sees why, and may submit again). */
export function decideEvidenceFile(state: EnrollmentState, command: Command<'check_evidence_file'>): Decision {
  const found = findEvidence(state, command.evidenceId);
  if ('refusal' in found) return found.refusal;
  const { step, evidence } = found;
  // Checked already (a confirmation sent twice), or reviewed meanwhile: nothing changes.
  if (evidence.status !== 'pending' || evidence.file?.status !== 'awaiting_upload') return accept();
  const checked: EnrollmentEvent = {
    type: 'evidence_file_checked',
    index: step.index,
    evidenceId: evidence.id,
    at: command.at,
    ...(command.problem ? { problem: command.problem } : {}),
  };
  if (!command.problem) return accept(checked);
  return accept(checked, {
    type: 'evidence_reviewed',
    index: step.index,
    evidenceId: evidence.id,
    status: 'rejected',
    review: { at: command.at, by: BATON_REVIEWER, reason: `The file was refused: ${command.problem}` },
  });
}

export function decideApproveEvidence(state: EnrollmentState, command: Command<'approve_evidence'>): Decision {
  const found = findEvidence(state, command.evidenceId);
  if ('refusal' in found) return found.refusal;
  const { step, evidence } = found;
  if (evidence.status !== 'pending') return refuse('EVIDENCE_REVIEWED', `evidence ${evidence.id} was already ${evidence.status}`);
  if (evidence.file && evidence.file.status !== 'received') {
    return refuse(
      'EVIDENCE_FILE_MISSING',
      `evidence ${evidence.id} declares a file that has not arrived; reject it, or wait for the upload`,
    );
  }
  if (state.enrollment.status !== 'active') {
    return refuse('ENROLLMENT_NOT_ACTIVE', `enrollment is ${state.enrollment.status}; reject the evidence instead`);
  }
  const refusal = stepRefusal(step);
  if (refusal) return refusal;
  const resolution: StepResolution = {
    source: 'evidence',
    evidenceId: evidence.id,
    reference: evidence.reference,
    occurredAt: evidence.completedAt,
    by: command.by,
    ...(command.note ? { note: command.note } : {}),
    ...(evidence.credentialExpiresAt ? { credentialExpiresAt: evidence.credentialExpiresAt } : {}),
  };
  return accept(
    {
      type: 'evidence_reviewed',
      index: step.index,
      evidenceId: evidence.id,
      status: 'approved',
      review: { at: command.at, by: command.by, ...(command.note ? { note: command.note } : {}) },
    },
    { type: 'step_completed', index: step.index, at: command.at, resolution },
    { type: 'advance_requested', at: command.at },
  );
}

/** Rejecting needs no open step: evidence left pending on a step completed some other way is settled this way. */
export function decideRejectEvidence(state: EnrollmentState, command: Command<'reject_evidence'>): Decision {
  const found = findEvidence(state, command.evidenceId);
  if ('refusal' in found) return found.refusal;
  const { step, evidence } = found;
  if (evidence.status !== 'pending') return refuse('EVIDENCE_REVIEWED', `evidence ${evidence.id} was already ${evidence.status}`);
  return accept({
    type: 'evidence_reviewed',
    index: step.index,
    evidenceId: evidence.id,
    status: 'rejected',
    review: { at: command.at, by: command.by, reason: command.reason },
  });
}

/** Only a started, open step takes evidence or completes through it. */
function stepRefusal(step: EnrollmentStep): Decision | undefined {
  if (isDone(step)) return refuse('STEP_ALREADY_DONE', `the step is already ${step.status}`);
  if (!isOpen(step)) return refuse('STEP_CLOSED', `the step was ${step.status}; a closed step never moves`);
  if (step.status === 'pending')
    return refuse('STEP_NOT_STARTED', 'the step has not started yet; evidence is taken for the step in progress');
  return undefined;
}

function findEvidence(state: EnrollmentState, evidenceId: string): { step: EnrollmentStep; evidence: Evidence } | { refusal: Decision } {
  for (const step of state.steps) {
    const evidence = step.evidence?.find((e) => e.id === evidenceId);
    if (evidence) return { step, evidence };
  }
  return { refusal: refuse('EVIDENCE_NOT_FOUND', `enrollment ${state.enrollment.id} has no evidence ${evidenceId}`) };
}
