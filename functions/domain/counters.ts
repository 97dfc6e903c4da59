// The admin pipeline is read from counter items kept in step with every transition, so the
// dashboard costs the same at 100 or 100,000 enrollments. These are the deltas each
// transition applies; the repository writes them in the same transaction as the transition.
import type { PartnerId } from './partners.js';
import { STEP_STATUSES, type EnrollmentStatus, type StepStatus } from './enrollment.js';

export type CounterDelta =
  | { kind: 'partner'; partnerId: PartnerId; changes: Partial<Record<StepStatus, number>> }
  | { kind: 'program'; programId: string; changes: Partial<Record<'total' | EnrollmentStatus, number>> };

export function stepMoved(partnerId: PartnerId, from: StepStatus | null, to: StepStatus): CounterDelta {
  const changes: Partial<Record<StepStatus, number>> = { [to]: 1 };
  if (from) changes[from] = -1;
  return { kind: 'partner', partnerId, changes };
}

export function enrollmentCreated(programId: string): CounterDelta {
  return { kind: 'program', programId, changes: { total: 1, active: 1 } };
}

export function enrollmentFinished(programId: string, to: Exclude<EnrollmentStatus, 'active'>): CounterDelta {
  return { kind: 'program', programId, changes: { active: -1, [to]: 1 } };
}

/** Step counts for every status, zero where nothing was counted. */
export function stepCounts(counted: Partial<Record<StepStatus, number>> = {}): Record<StepStatus, number> {
  return Object.fromEntries(STEP_STATUSES.map((status) => [status, counted[status] ?? 0])) as Record<StepStatus, number>;
}

/** Several deltas on the same counter item merged into one update. */
export function mergeDeltas(deltas: readonly CounterDelta[]): CounterDelta[] {
  const merged = new Map<string, CounterDelta>();
  for (const delta of deltas) {
    const key = delta.kind === 'partner' ? `partner:${delta.partnerId}` : `program:${delta.programId}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...delta, changes: { ...delta.changes } });
      continue;
    }
    const target = existing.changes as Record<string, number>;
    for (const [name, value] of Object.entries(delta.changes)) target[name] = (target[name] ?? 0) + (value ?? 0);
  }
  return [...merged.values()];
}
