// The test console: an admin pastes a delivery's headers and raw body and sees what Baton would
// make of it — the verification verdict with its reason, the events read, and which student and
// step each would reach — without writing anything (its route is granted table reads only).
import { DomainError } from '../domain/errors.js';
import { decide } from '../domain/enrollment-decider.js';
import { outcomeWithoutApply } from '../domain/partner-completion.js';
import { getPartnerOrThrow } from './partners.js';
import { namesSomeoneElse, resolveStudent } from './apply-partner-event.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { StudentStore } from './ports/students.js';
import { verifyWebhook, type WebhookDeps } from './receive-partner-webhook.js';

export interface TestedEvent {
  deliveryId: string;
  /** completed | passed for a completion; absent for an event Baton ignores. */
  result?: 'completed' | 'passed';
  eventType?: string;
  studentId?: string;
  email?: string;
  courseId?: string;
  occurredAt?: string;
  score?: number;
  /** What could not be read (the delivery would be stored and answered "ignored"). */
  problem?: string;
  match: {
    outcome: 'applied' | 'duplicate' | 'unmatched' | 'ignored';
    reason?: string;
    studentId?: string;
    steps?: Array<{ enrollmentId: string; programName: string; stepIndex: number; sequence: number; courseName: string }>;
  };
}

export interface WebhookTestResult {
  verified: boolean;
  problem?: string;
  events: TestedEvent[];
}

type TestDeps = Pick<WebhookDeps, 'partners' | 'secrets' | 'keySets' | 'clock'> & {
  students: StudentStore;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
};

export async function testWebhook(
  deps: TestDeps,
  partnerId: string,
  input: { headers: Record<string, string>; body: string },
): Promise<WebhookTestResult> {
  await getPartnerOrThrow(deps.partners, partnerId);
  const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase().trim(), v]));
  let verified;
  try {
    // A disabled partner is tested too: the console is how an admin gets a new integration right before enabling it.
    verified = await verifyWebhook(
      deps,
      { partnerId, headers, rawBody: input.body },
      { checkContentType: headers['content-type'] !== undefined, allowDisabled: true },
    );
  } catch (error) {
    if (!(error instanceof DomainError) || error.code === 'NOT_FOUND') throw error;
    return { verified: !NOT_VERIFIED.has(error.code), problem: error.message, events: [] };
  }
  const now = deps.clock.now().toISOString();
  const events: TestedEvent[] = [];
  for (const delivery of verified.deliveries) {
    const { event } = delivery;
    const base = { deliveryId: delivery.webhookId };
    if (event.kind === 'unreadable') {
      events.push({ ...base, problem: event.problem, match: { outcome: 'ignored', reason: 'unreadable' } });
      continue;
    }
    if (event.kind === 'other') {
      events.push({ ...base, eventType: event.type, match: { outcome: 'ignored', reason: `event_type:${event.type}` } });
      continue;
    }
    const fields = {
      ...base,
      result: event.result,
      ...(event.externalId ? { studentId: event.externalId } : {}),
      ...(event.email ? { email: event.email } : {}),
      courseId: event.courseId,
      ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
      ...(event.score !== undefined ? { score: event.score } : {}),
    };
    if (await deps.deliveries.get(verified.partner.id, delivery.webhookId)) {
      events.push({ ...fields, match: { outcome: 'duplicate', reason: 'same_webhook_id' } });
      continue;
    }
    const resolved = await resolveStudent(deps.students, verified.partner.id, event);
    if (!resolved || 'review' in resolved) {
      events.push({ ...fields, match: { outcome: 'unmatched', reason: resolved ? resolved.review : 'unknown_student' } });
      continue;
    }
    const studentId = resolved.student.id;
    const command = {
      type: 'record_partner_completion' as const,
      at: now,
      partnerId: verified.partner.id,
      courseId: event.courseId,
      result: event.result,
      webhookId: delivery.webhookId,
    };
    const steps: NonNullable<TestedEvent['match']['steps']> = [];
    const refusals = [];
    const snapshots = await deps.enrollments.findForCourse(studentId, verified.partner.id, event.courseId, { consistent: false });
    if (await namesSomeoneElse(deps.students, resolved, { snapshots })) {
      events.push({ ...fields, match: { outcome: 'unmatched', reason: 'account_conflict', studentId } });
      continue;
    }
    for (const snapshot of snapshots) {
      const decision = decide(snapshot.state, command);
      if (decision.ok) {
        const completed = decision.events.find((e) => e.type === 'step_completed');
        const step = completed && snapshot.state.steps.find((s) => s.index === completed.index);
        if (step) {
          steps.push({
            enrollmentId: snapshot.state.enrollment.id,
            programName: snapshot.state.enrollment.programName,
            stepIndex: step.index,
            sequence: step.sequence,
            courseName: step.courseName,
          });
        }
      } else refusals.push({ code: decision.refusal.code, ...(decision.refusal.step ? { stepStatus: decision.refusal.step.status } : {}) });
    }
    if (steps.length > 0) events.push({ ...fields, match: { outcome: 'applied', studentId, steps } });
    else {
      const outcome = outcomeWithoutApply(refusals);
      events.push({ ...fields, match: { outcome: outcome.status, reason: outcome.reason, studentId } });
    }
  }
  return { verified: true, events };
}

/** Refusals that come before a delivery is verified (the rest, e.g. a malformed seed body, come after). */
const NOT_VERIFIED = new Set<string>(['INVALID_SIGNATURE', 'PAYLOAD_TOO_LARGE', 'UPSTREAM_UNAVAILABLE']);
