// Baton's own events, sent to the endpoints admins register (Standard Webhooks, Baton as the
// sender). Each is derived from the enrollment decider's events, so an outbound event exists
// exactly when the transition that caused it was saved (the save writes it in the same
// transaction). Delivery follows the retry schedule receivers expect of Svix.
import type { EnrollmentEvent } from './enrollment-decider.js';
import type { EnrollmentState, EnrollmentStep } from './enrollment.js';

export const OUTBOUND_EVENT_TYPES = [
  'enrollment.created',
  'step.started',
  'step.completed',
  'step.waived',
  'enrollment.completed',
  'enrollment.cancelled',
  'certificate.issued',
  // #12 (certificate revocation): 'certificate.revoked' goes here, with its case in outboundEvents.
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** What a test ping sends (never subscribed to: the admin asks for it). */
export const TEST_EVENT_TYPE = 'baton.test';

export interface OutboundEvent {
  type: OutboundEventType | typeof TEST_EVENT_TYPE;
  /** When it happened (ISO). */
  at: string;
  data: Record<string, unknown>;
}

const stepData = (step: EnrollmentStep) => ({
  index: step.index,
  sequence: step.sequence,
  partnerId: step.partnerId,
  courseId: step.courseId,
  courseName: step.courseName,
  required: step.required,
  status: step.status,
  ...(step.startedAt ? { startedAt: step.startedAt } : {}),
  ...(step.completedAt ? { completedAt: step.completedAt } : {}),
  ...(step.resolution?.source === 'partner'
    ? { result: step.resolution.result, ...(step.resolution.score !== undefined ? { score: step.resolution.score } : {}) }
    : {}),
  ...(step.resolution?.source === 'admin' ? { by: step.resolution.by, reason: step.resolution.reason } : {}),
});

/** The outbound events of one saved change (`after` is the state the decider's events leave). */
export function outboundEvents(events: readonly EnrollmentEvent[], after: EnrollmentState): OutboundEvent[] {
  const { enrollment } = after;
  const base = {
    enrollmentId: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
  };
  const step = (index: number) => stepData(after.steps.find((s) => s.index === index)!);
  return events.flatMap((event): OutboundEvent[] => {
    switch (event.type) {
      case 'enrolled':
        return [
          {
            type: 'enrollment.created',
            at: event.enrollment.createdAt,
            data: { ...base, programVersion: enrollment.programVersion, createdAt: event.enrollment.createdAt },
          },
        ];
      case 'step_started':
        return [{ type: 'step.started', at: event.at, data: { ...base, step: step(event.index) } }];
      case 'step_completed':
        return [{ type: 'step.completed', at: event.at, data: { ...base, step: step(event.index) } }];
      case 'step_waived':
        return [{ type: 'step.waived', at: event.at, data: { ...base, step: step(event.index) } }];
      case 'enrollment_completed':
        return [{ type: 'enrollment.completed', at: event.at, data: { ...base, completedAt: event.at } }];
      case 'enrollment_cancelled':
        return [
          {
            type: 'enrollment.cancelled',
            at: event.cancellation.at,
            data: { ...base, cancelledAt: event.cancellation.at, by: event.cancellation.by, reason: event.cancellation.reason },
          },
        ];
      case 'certificate_issued':
        // The verification URL is added when the event is sent (the site's URL is the sender's setting).
        return [{ type: 'certificate.issued', at: event.at, data: { ...base, certificateId: event.certificateId, issuedAt: event.at } }];
      default:
        return [];
    }
  });
}

/** Svix's schedule: the first attempt at once, then these waits after each failed attempt (8 attempts in all). */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long an endpoint may fail every attempt before it is disabled (and admins are told). */
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;
/** Each attempt waits this long for an answer. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** After a rotation, the previous secret still signs for this long, so the receiver can switch. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** The wait before the next attempt after `attempts` failed ones, or undefined when they are used up. */
export const retryDelay = (attempts: number): number | undefined => RETRY_DELAYS_MS[attempts - 1];

export type AttemptOutcome = 'delivered' | 'failed' | 'gone';

/** A 2xx is delivered; 410 Gone means the receiver wants no more (the endpoint is disabled); anything else, a 3xx included, failed. */
export function outcomeOf(status: number | undefined): AttemptOutcome {
  if (status === undefined) return 'failed';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'failed';
}
