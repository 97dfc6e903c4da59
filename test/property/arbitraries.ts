// Generators shared by the property tests: valid programs (parallel, optional and "passed"
// steps) and sequences of what happens to an enrollment (partner events with duplicates,
// reorderings, unknown courses and insufficient results; admin waives, completions and
// cancellations; workflow runs, which may lag behind the events).
import fc from 'fast-check';
import { SEED_PARTNER_IDS as PARTNER_IDS, type SeedPartnerId as PartnerId } from '../../functions/domain/seed-partners.js';
import { validateProgram, type ProgramDefinition } from '../../functions/domain/programs.js';

export function programArbitrary(options: {
  id: string;
  maxSteps: number;
  partners?: readonly PartnerId[];
}): fc.Arbitrary<ProgramDefinition> {
  const step = fc.record({
    sequence: fc.integer({ min: 1, max: 4 }),
    partnerId: fc.constantFrom(...(options.partners ?? PARTNER_IDS)),
    required: fc.boolean(),
    completion: fc.constantFrom('completed', 'completed', 'passed'),
  });
  return fc.array(step, { minLength: 1, maxLength: options.maxSteps }).map((steps) =>
    // validateProgram is the product's own check: what it accepts is what admins can save.
    validateProgram({
      id: options.id,
      name: `Generated ${options.id}`,
      category: 'Specialized',
      steps: steps.map((s, i) => ({ ...s, courseId: `course-${i}`, required: s.required || i === 0 })),
    }),
  );
}

export type Action =
  /** A partner event for the step at `step` (mod the step count), or for a course no step has. */
  | { kind: 'partner'; step: number; unknownCourse: boolean; result: 'completed' | 'passed' }
  /** The same delivery again: the `nth` earlier partner event (mod their count). */
  | { kind: 'redeliver'; nth: number }
  /** An admin's override (skip: only optional steps may be skipped; the decider refuses the rest). */
  | { kind: 'waive' | 'admin-complete' | 'skip'; step: number }
  /** A workflow run catching up (runs lag behind events, or a crash delays them). */
  | { kind: 'advance' }
  /** An admin cancels the enrollment (placed by `cancelAtArbitrary`, not drawn as an event). */
  | { kind: 'cancel' };

export const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('partner' as const),
      step: fc.nat(),
      unknownCourse: fc.constantFrom(false, false, false, true),
      result: fc.constantFrom('completed' as const, 'passed' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), nth: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('waive' as const, 'admin-complete' as const, 'skip' as const), step: fc.nat() }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'advance' as const }) },
);

/** Where an admin cancels the enrollment among the events, in about one run in four (undefined: never). */
export const cancelAtArbitrary: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.nat({ max: 40 }) },
);

/** The events with the admin's cancellation inserted at `at` (clamped to the end). */
export function withCancellation(actions: readonly Action[], at: number | undefined): Action[] {
  if (at === undefined) return [...actions];
  const i = Math.min(at, actions.length);
  return [...actions.slice(0, i), { kind: 'cancel' }, ...actions.slice(i)];
}
