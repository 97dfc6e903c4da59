// How a use case changes an enrollment: read it, let the decider decide, save what it decided —
// and when the save finds the enrollment changed since the read (or collided with another write),
// decide again on fresh state, under the one retry policy.
import { decide, evolveAll, type EnrollmentCommand, type EnrollmentEvent, type Refusal } from '../domain/enrollment-decider.js';
import type { EnrollmentState } from '../domain/enrollment.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from './logger.js';
import type { EnrollmentSnapshot, EnrollmentStore, SaveExtras } from './ports/enrollments.js';
import { retrying, type Attempt } from './retry.js';

export interface TransitionDeps {
  enrollments: EnrollmentStore;
  logger: Logger;
}

export type TransitionResult =
  /** The events were saved (none: the command changed nothing, and nothing was written); `saved` is the enrollment now. */
  | { ok: true; before: EnrollmentSnapshot; events: EnrollmentEvent[]; after: EnrollmentState; saved: EnrollmentSnapshot }
  | { ok: false; refusal: Refusal; state: EnrollmentState };

export interface TransitionOptions {
  /** What else the save stores, given what was decided (e.g. the certificate it issues). */
  extras?: (events: readonly EnrollmentEvent[]) => SaveExtras;
  /** The enrollment as the caller just read or saved it: the first attempt decides on it instead of reading again. */
  from?: EnrollmentSnapshot;
}

/**
 * Decides `command` on the enrollment and saves the events, retrying on conflicts; a refusal is
 * returned, not thrown (the workflow's tasks act on some). ENROLLMENT_NOT_FOUND when there is none.
 */
export async function transition(
  deps: TransitionDeps,
  enrollmentId: string,
  command: EnrollmentCommand | ((state: EnrollmentState) => EnrollmentCommand),
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  // Only the first attempt may use the caller's snapshot: a retry decides on what the table holds now.
  return retrying<TransitionResult>(`enrollment ${enrollmentId}`, (n) =>
    attemptTransition(deps, enrollmentId, command, n === 1 ? options : { ...options, from: undefined }),
  );
}

/** One read-decide-save; `again` when the save found the enrollment changed since the read. */
export async function attemptTransition(
  deps: TransitionDeps,
  enrollmentId: string,
  command: EnrollmentCommand | ((state: EnrollmentState) => EnrollmentCommand),
  options: TransitionOptions = {},
): Promise<Attempt<TransitionResult>> {
  const before = options.from ?? (await deps.enrollments.load(enrollmentId));
  if (!before) throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment ${enrollmentId}`);
  const decision = decide(before.state, typeof command === 'function' ? command(before.state) : command);
  if (!decision.ok) return { done: { ok: false, refusal: decision.refusal, state: before.state } };
  const { events } = decision;
  const after = evolveAll(before.state, events);
  if (events.length === 0) return { done: { ok: true, before, events, after, saved: before } };
  const saved = await deps.enrollments.save([{ before, events }], options.extras?.(events));
  if (saved.ok) return { done: { ok: true, before, events, after, saved: saved.saved[0]! } };
  if (saved.conflict !== 'stale' && saved.conflict !== 'contention')
    throw new Error(`enrollment ${enrollmentId}: unexpected ${saved.conflict} conflict`);
  deps.logger.info('enrollment changed while deciding; deciding again', { enrollmentId, conflict: saved.conflict });
  return { again: saved.conflict };
}

/** Like `transition`, with a refusal thrown as the error it is (the API answers it as a 4xx). */
export async function changeEnrollment(
  deps: TransitionDeps,
  enrollmentId: string,
  command: EnrollmentCommand | ((state: EnrollmentState) => EnrollmentCommand),
  options: TransitionOptions = {},
): Promise<Extract<TransitionResult, { ok: true }>> {
  const result = await transition(deps, enrollmentId, command, options);
  if (!result.ok) throw new DomainError(result.refusal.code, result.refusal.message);
  return result;
}
