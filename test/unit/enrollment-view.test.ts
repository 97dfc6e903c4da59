// The cause of a failed automation as admins read it, and the student's view of the same failure.
import { describe, expect, it } from 'vitest';
import type { Enrollment } from '../../functions/domain/enrollment.js';
import {
  AUTOMATION_DELAYED,
  readableCause,
  toAdminEnrollmentView,
  toStudentEnrollmentView,
} from '../../functions/use-cases/enrollment-view.js';

const failed: Enrollment = {
  id: 'e-1',
  studentId: 's-1',
  studentName: 'Ada Student',
  studentEmail: 'ada@example.org',
  programId: 'cdl',
  programName: 'CDL',
  programVersion: 1,
  status: 'completed',
  createdAt: '2026-03-01T10:00:00.000Z',
  createdBy: 'admin@test.com',
  completedAt: '2026-03-02T10:00:00.000Z',
  workflowFailure: {
    error: 'Sandbox.Timedout',
    cause: JSON.stringify({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 30.00 seconds',
      trace: ['at /var/task/index.mjs:1:1'],
    }),
    at: '2026-03-02T10:00:01.000Z',
  },
};

describe('readableCause', () => {
  it("gives a Lambda error's message, never its type or trace", () => {
    expect(readableCause(failed.workflowFailure!.cause)).toBe('Task timed out after 30.00 seconds');
  });

  it('keeps a cause that is already a message, or JSON of another shape, as it is', () => {
    expect(readableCause('EmailOutcomeUnknown: the claim is older than any run')).toBe(
      'EmailOutcomeUnknown: the claim is older than any run',
    );
    expect(readableCause('{"reason":"x"}')).toBe('{"reason":"x"}');
    expect(readableCause('')).toBe('');
    expect(readableCause(undefined)).toBe('');
  });

  it('shortens a very long cause to 500 characters', () => {
    const long = readableCause('x'.repeat(5000));
    expect(long).toHaveLength(500);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the two views of a failed automation', () => {
  it('gives the admin the error and readable cause, the student only the plain sentence', () => {
    const admin = toAdminEnrollmentView(failed, [], {}, 'https://baton.example.org', { partners: new Map(), now: new Date() });
    const student = toStudentEnrollmentView(failed, [], {}, 'https://baton.example.org', { partners: new Map(), now: new Date() });
    expect(admin.workflowFailure).toEqual({
      error: 'Sandbox.Timedout',
      cause: 'Task timed out after 30.00 seconds',
      at: '2026-03-02T10:00:01.000Z',
    });
    expect(admin.timeline.at(-1)?.detail).toBe('Automation failed: Sandbox.Timedout: Task timed out after 30.00 seconds');
    expect(student).not.toHaveProperty('workflowFailure');
    expect(student.timeline.at(-1)).toEqual({ at: '2026-03-02T10:00:01.000Z', type: 'workflow_failed', detail: AUTOMATION_DELAYED });
  });
});
