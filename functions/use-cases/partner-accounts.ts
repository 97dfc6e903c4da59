// Linking a student's partner account (which re-applies the events that were waiting for it), and
// the admin's unmatched inbox.
import { DomainError } from '../domain/errors.js';
import type { PartnerId } from '../domain/partners.js';
import type { DeliverySummary, DeliveryStore } from './ports/deliveries.js';
import type { Page } from './ports/page.js';
import { retrying } from './retry.js';
import { reapplyWaiting, type ReapplyResult, type WaitingDeps } from './waiting-events.js';

export async function linkPartnerAccount(
  deps: WaitingDeps,
  input: { partnerId: PartnerId; externalId: string; studentEmail: string },
): Promise<{ partnerId: PartnerId; externalId: string; studentId: string; reapplied: ReapplyResult[] }> {
  const student = await deps.students.findByEmail(input.studentEmail);
  if (!student) throw new DomainError('STUDENT_NOT_FOUND', `no student with email ${input.studentEmail}; enroll them first`);
  const link = { partnerId: input.partnerId, externalId: input.externalId, studentId: student.id, at: deps.clock.now().toISOString() };
  const linked = await retrying(`linking ${input.partnerId} account ${input.externalId}`, async () => ({
    done: await deps.students.link(link),
  }));
  if (!linked)
    throw new DomainError('PARTNER_ACCOUNT_TAKEN', `${input.partnerId} account ${input.externalId} is linked to another student`);
  const reapplied = await reapplyWaiting(deps, student.id, [{ partnerId: input.partnerId, externalId: input.externalId }]);
  return { ...link, reapplied };
}

export interface UnmatchedEventView {
  partnerId: PartnerId;
  webhookId: string;
  receivedAt: string;
  reason?: string;
  externalId?: string;
  email?: string;
  courseId?: string;
  result?: string;
  studentId?: string;
  /** The start of the raw body as received (the whole of it when `bodyBytes` is small). */
  bodyPreview: string;
  bodyBytes: number;
}

export async function listUnmatchedEvents(deliveries: DeliveryStore, limit: number, cursor?: string): Promise<Page<UnmatchedEventView>> {
  const page = await deliveries.listInbox(limit, cursor);
  return { ...page, items: page.items.map(toUnmatchedView) };
}

function toUnmatchedView(delivery: DeliverySummary): UnmatchedEventView {
  const event = delivery.event.kind === 'completion' ? delivery.event : undefined;
  return {
    partnerId: delivery.partnerId,
    webhookId: delivery.webhookId,
    receivedAt: delivery.receivedAt,
    ...(delivery.reason ? { reason: delivery.reason } : {}),
    ...(event?.externalId ? { externalId: event.externalId } : {}),
    ...(event?.email ? { email: event.email } : {}),
    ...(event ? { courseId: event.courseId, result: event.result } : {}),
    ...(delivery.studentId ? { studentId: delivery.studentId } : {}),
    bodyPreview: delivery.bodyPreview,
    bodyBytes: delivery.bodyBytes,
  };
}
