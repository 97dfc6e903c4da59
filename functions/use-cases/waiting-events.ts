// Events that matched no one wait (unmatched) under their owner: the student once known, the
// partner account they name, their email. Enrolling a student or linking an account re-applies
// them through the same path as a fresh webhook, so each applies exactly once. A request does a
// bounded share — one page per owner, only the events the new enrollment can use — and queues the
// rest for the reconciler, so a student with thousands of waiting events cannot stall a request.
import type { WaitingOwner } from '../domain/delivery.js';
import type { PartnerId } from '../domain/partners.js';
import type { Student } from '../domain/student.js';
import { applyPartnerEvent, type ApplyDeps, type ApplyResult } from './apply-partner-event.js';
import type { DeliverySummary } from './ports/deliveries.js';
import type { Clock } from './ports/services.js';

/** Waiting events read per owner in one request (the reconciler reads on, page by page). */
export const WAITING_PAGE_SIZE = 25;

export interface ReapplyResult extends ApplyResult {
  webhookId: string;
  partnerId: PartnerId;
}

export type WaitingDeps = ApplyDeps & { clock: Clock };

/** Where events for this student may be waiting: under the student, the email, each partner account. */
export function waitingOwners(student: Pick<Student, 'id' | 'email' | 'accounts'>): WaitingOwner[] {
  return [
    { studentId: student.id },
    { email: student.email },
    ...Object.entries(student.accounts).map(([partnerId, externalId]) => ({ partnerId: partnerId, externalId: externalId })),
  ];
}

/** Accepts the waiting completions of these steps' courses (a step is its partner's course). */
export function completionOfCourses(steps: ReadonlyArray<{ partnerId: string; courseId: string }>): (event: DeliverySummary) => boolean {
  const courses = new Set(steps.map((s) => `${s.partnerId}#${s.courseId}`));
  return (d) => d.event.kind === 'completion' && courses.has(`${d.partnerId}#${d.event.courseId}`);
}

/**
 * In a request: re-applies the events waiting under these owners that `wanted` accepts (one page
 * per owner); if an owner has more, the student is queued and the reconciler finishes the job.
 */
export async function reapplyWaiting(
  deps: WaitingDeps,
  studentId: string,
  owners: readonly WaitingOwner[],
  wanted: (event: DeliverySummary) => boolean = () => true,
): Promise<ReapplyResult[]> {
  const pages = await Promise.all(owners.map((owner) => deps.deliveries.listWaiting(owner, WAITING_PAGE_SIZE)));
  const results = await applyEach(deps, pages.flatMap((page) => page.items).filter(wanted));
  if (pages.some((page) => page.next)) await deps.deliveries.queueReapply(studentId, deps.clock.now().toISOString());
  return results;
}

/**
 * The reconciler's share: every event waiting for the student, page after page, while `timeLeft`
 * allows. True when it got through all of them.
 */
export async function reapplyAllWaiting(
  deps: WaitingDeps,
  student: Pick<Student, 'id' | 'email' | 'accounts'>,
  timeLeft: () => boolean,
): Promise<boolean> {
  for (const owner of waitingOwners(student)) {
    let cursor: string | undefined;
    do {
      if (!timeLeft()) return false;
      const page = await deps.deliveries.listWaiting(owner, WAITING_PAGE_SIZE, cursor);
      await applyEach(deps, page.items);
      cursor = page.next;
    } while (cursor);
  }
  return true;
}

/** Applies each waiting completion, oldest first, once (an event can wait under two owners). */
async function applyEach(deps: WaitingDeps, waiting: readonly DeliverySummary[]): Promise<ReapplyResult[]> {
  const unique = [...new Map(waiting.map((d) => [`${d.partnerId}#${d.webhookId}`, d])).values()];
  unique.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const results: ReapplyResult[] = [];
  for (const delivery of unique) {
    if (delivery.event.kind !== 'completion') continue;
    const { partnerId, webhookId } = delivery;
    const result = await applyPartnerEvent(
      deps,
      partnerId,
      delivery.event,
      { kind: 'stored', partnerId, webhookId },
      deps.clock.now().toISOString(),
    );
    results.push({ ...result, webhookId, partnerId });
  }
  return results;
}
