// What a partner's completion report comes to, across every enrollment of its student that has a
// step for the course: the delivery's outcome is decided here, once, from the decider's refusals.
import type { RefusalCode } from './enrollment-decider.js';
import type { StepStatus } from './enrollment.js';
import type { DeliveryOutcome } from './delivery.js';

export interface NotApplied {
  code: RefusalCode;
  /** The status of the step the refusal is about, when there is one. */
  stepStatus?: StepStatus;
}

/**
 * The outcome of a completion that applies nowhere. A cancelled step's event waits in the inbox,
 * where re-enrolling the student applies it, or an admin dismisses it; that wins over a skipped
 * match, so the event stays usable. A skipped step stays skipped (its program is completed): the
 * event is kept and ignored. No step at all: it waits for an enrollment that has one.
 */
export function outcomeWithoutApply(refusals: readonly NotApplied[]): { status: Exclude<DeliveryOutcome, 'applied'>; reason: string } {
  const has = (code: RefusalCode, status?: StepStatus) =>
    refusals.some((r) => r.code === code && (status === undefined || r.stepStatus === status));
  if (has('REQUIRES_PASSED')) return { status: 'ignored', reason: 'requires_passed' };
  if (has('STEP_ALREADY_DONE')) return { status: 'duplicate', reason: 'already_completed' };
  if (has('STEP_CLOSED', 'cancelled')) return { status: 'unmatched', reason: 'enrollment_cancelled' };
  if (has('STEP_CLOSED', 'skipped')) return { status: 'ignored', reason: 'step_skipped' };
  return { status: 'unmatched', reason: 'no_step' };
}
