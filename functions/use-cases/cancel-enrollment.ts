// An admin cancels an active enrollment (the student dropped out). One conditional transaction
// closes its open steps as cancelled (out of the in-progress index and counters), records who
// cancelled it and why, moves the program's counters from active to cancelled, and releases the
// one-active-enrollment lock so the student can be enrolled in the program again.
import { enrollmentFinished } from '../domain/counters.js';
import { allRequiredDone, stepsToCancel } from '../domain/enrollment.js';
import { DomainError } from '../domain/errors.js';
import type { AdminEnrollmentView } from './enrollment-view.js';
import { getEnrollment, readAdminView, type Actor, type EnrollmentDeps } from './enrollments.js';
import { stepChanges } from './step-changes.js';

/** A conflict means a step moved (a partner event, the workflow) after our read: decide again. */
const MAX_ATTEMPTS = 5;

export async function cancelEnrollment(
  deps: Pick<EnrollmentDeps, 'repo' | 'clock' | 'settings' | 'logger'>,
  input: { enrollmentId: string; reason: string },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const { reason } = input;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { enrollment, steps } = await getEnrollment(deps.repo, input.enrollmentId);
    const enrollmentId = enrollment.id;
    if (enrollment.status !== 'active') {
      throw new DomainError('ENROLLMENT_NOT_ACTIVE', `enrollment is ${enrollment.status}; only an active enrollment can be cancelled`);
    }
    if (allRequiredDone(steps)) {
      // The student has done the work: cancelling now would withhold the certificate they earned.
      throw new DomainError(
        'ENROLLMENT_COMPLETING',
        'every required step is done, so this enrollment is completing (certificate and email follow); if its automation failed, retry it instead',
      );
    }
    const at = deps.clock.now().toISOString();
    const closed = stepChanges(
      stepsToCancel(steps).map((step) => ({ step, to: 'cancelled' as const })),
      at,
    );
    const { studentId, programId } = enrollment;
    const result = await deps.repo.commitTransition({
      changes: [
        {
          enrollmentId,
          steps: closed.steps,
          finish: { status: 'cancelled', at, studentId, programId, cancellation: { at, by: admin.email, reason } },
          counters: [...closed.counters, enrollmentFinished(programId, 'cancelled')],
        },
      ],
    });
    if (result.ok) {
      deps.logger.info('enrollment cancelled', { enrollmentId, admin: admin.email, closedSteps: closed.steps.length });
      return readAdminView(deps, enrollmentId);
    }
    deps.logger.info('cancellation conflicted with another transition; re-reading', { enrollmentId, attempt });
  }
  throw new DomainError(
    'CONCURRENT_CHANGE',
    `the enrollment changed ${MAX_ATTEMPTS} times while it was being cancelled, and nothing was saved; reload it and try again`,
  );
}
