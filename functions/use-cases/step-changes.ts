// Step transitions as an enrollment change carries them: each step's move, conditional on the
// status it was read with, and the pipeline counter deltas it causes, built together so they
// always agree.
import { stepMoved } from '../domain/counters.js';
import type { EnrollmentStep, StepResolution, StepStatus } from '../domain/enrollment.js';
import type { EnrollmentChange } from './ports.js';

export interface StepMove {
  step: EnrollmentStep;
  to: StepStatus;
  /** When the step moved, if not at the change's own time (a partner's earlier completion time). */
  at?: string;
  /** Who or what completed or waived the step. */
  resolution?: StepResolution;
}

export function stepChanges(moves: readonly StepMove[], at: string): Required<Pick<EnrollmentChange, 'steps' | 'counters'>> {
  return {
    steps: moves.map(({ step, to, resolution, ...move }) => ({
      index: step.index,
      partnerId: step.partnerId,
      from: step.status,
      to,
      at: move.at ?? at,
      ...(resolution ? { resolution } : {}),
    })),
    counters: moves.map(({ step, to }) => stepMoved(step.partnerId, step.status, to)),
  };
}
