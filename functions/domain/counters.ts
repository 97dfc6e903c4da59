// The admin pipeline is read from counter items kept in step with every transition, so the
// dashboard costs the same at 100 or 100,000 enrollments. What a transition does to them is the
// difference between the enrollment before and after it, so counters cannot disagree with the
// steps they count; the adapter writes them in the same transaction as the transition.
import { STEP_STATUSES, isOpen, type EnrollmentState, type EnrollmentStatus, type EnrollmentStep, type StepStatus } from './enrollment.js';
import type { PartnerId } from './partners.js';

/** What a partner's counter item counts: steps by status, and the open steps the sweep found overdue. */
export type PartnerCounter = StepStatus | 'overdue';

export type CounterDelta =
  | { kind: 'partner'; partnerId: PartnerId; changes: Partial<Record<PartnerCounter, number>> }
  | { kind: 'program'; programId: string; changes: Partial<Record<'total' | EnrollmentStatus, number>> };

/** The counter changes of going from `before` (undefined: the enrollment is new) to `after`. */
export function counterChanges(before: EnrollmentState | undefined, after: EnrollmentState): CounterDelta[] {
  const deltas: CounterDelta[] = [];
  const { programId, status } = after.enrollment;
  if (!before) deltas.push({ kind: 'program', programId, changes: { total: 1, [status]: 1 } });
  else if (before.enrollment.status !== status) {
    deltas.push({ kind: 'program', programId, changes: { [before.enrollment.status]: -1, [status]: 1 } });
  }
  for (const step of after.steps) {
    const previous = before?.steps.find((s) => s.index === step.index);
    const was = previous?.status;
    if (was !== step.status) {
      deltas.push({ kind: 'partner', partnerId: step.partnerId, changes: was ? { [was]: -1, [step.status]: 1 } : { [step.status]: 1 } });
    }
    const overdue = Number(countsAsOverdue(step)) - Number(previous ? countsAsOverdue(previous) : false);
    if (overdue !== 0) deltas.push({ kind: 'partner', partnerId: step.partnerId, changes: { overdue } });
  }
  return mergeDeltas(deltas);
}

/** A step is counted overdue from when the sweep marks it until it closes. */
export const countsAsOverdue = (step: Pick<EnrollmentStep, 'status' | 'overdueSince'>) => isOpen(step) && step.overdueSince !== undefined;

/** Step counts for every status and the overdue count, zero where nothing was counted. */
export function stepCounts(counted: Partial<Record<PartnerCounter, number>> = {}): Record<PartnerCounter, number> {
  return Object.fromEntries([...STEP_STATUSES, 'overdue' as const].map((name) => [name, counted[name] ?? 0])) as Record<
    PartnerCounter,
    number
  >;
}

/** Several deltas on the same counter item merged into one update (changes that cancel out dropped). */
export function mergeDeltas(deltas: readonly CounterDelta[]): CounterDelta[] {
  const merged = new Map<string, { delta: CounterDelta; changes: Record<string, number> }>();
  for (const delta of deltas) {
    const key = delta.kind === 'partner' ? `partner:${delta.partnerId}` : `program:${delta.programId}`;
    const entry = merged.get(key) ?? { delta, changes: {} };
    for (const [name, value] of Object.entries(delta.changes)) entry.changes[name] = (entry.changes[name] ?? 0) + (value ?? 0);
    merged.set(key, entry);
  }
  return [...merged.values()].flatMap(({ delta, changes }) => {
    const nonZero = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== 0));
    return Object.keys(nonZero).length === 0 ? [] : [{ ...delta, changes: nonZero }];
  });
}
