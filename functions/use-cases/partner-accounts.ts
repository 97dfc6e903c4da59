// Linking a student's partner account, and re-applying the unmatched events that were waiting
// for it. Re-application goes through the same path as a fresh webhook, so it is exactly-once too.
import { DomainError } from '../domain/errors.js';
import type { PartnerId } from '../domain/partners.js';
import { applyPartnerEvent, type ApplyDeps, type ApplyResult } from './apply-partner-event.js';
import type { Clock, Delivery, Page, Repository, Student, UnmatchedOwner } from './ports.js';

export interface ReapplyResult extends ApplyResult {
  webhookId: string;
  partnerId: PartnerId;
}

export async function linkPartnerAccount(
  deps: ApplyDeps & { clock: Clock },
  input: { partnerId: PartnerId; externalId: string; studentEmail: string },
): Promise<{ partnerId: PartnerId; externalId: string; studentId: string; reapplied: ReapplyResult[] }> {
  const student = await deps.repo.findStudentByEmail(input.studentEmail);
  if (!student) {
    throw new DomainError('STUDENT_NOT_FOUND', `no student with email ${input.studentEmail}; enroll them first`);
  }
  const at = deps.clock.now().toISOString();
  const result = await deps.repo.commitTransition({
    changes: [],
    link: { partnerId: input.partnerId, externalId: input.externalId, studentId: student.id, at },
  });
  if (!result.ok) {
    throw new DomainError('PARTNER_ACCOUNT_TAKEN', `${input.partnerId} account ${input.externalId} is linked to another student`);
  }
  const reapplied = await reapplyUnmatchedFor(deps, [{ partnerId: input.partnerId, externalId: input.externalId }]);
  return { partnerId: input.partnerId, externalId: input.externalId, studentId: student.id, reapplied };
}

/** Where events for this student may be waiting: under the student, the email, each partner account. */
export function waitingEventOwners(student: Pick<Student, 'id' | 'email' | 'accounts'>): UnmatchedOwner[] {
  return [
    { studentId: student.id },
    { email: student.email },
    ...Object.entries(student.accounts).map(([partnerId, externalId]) => ({ partnerId: partnerId as PartnerId, externalId: externalId })),
  ];
}

/**
 * Re-applies the events waiting for the student of an enrollment whose creation may have died
 * before doing it (the reconciler calls this for every enrollment whose advance is overdue).
 */
export async function reapplyUnmatchedForEnrollment(deps: ApplyDeps & { clock: Clock }, enrollmentId: string): Promise<ReapplyResult[]> {
  const data = await deps.repo.getEnrollment(enrollmentId);
  const student = data && (await deps.repo.getStudent(data.enrollment.studentId));
  return student ? reapplyUnmatchedFor(deps, waitingEventOwners(student)) : [];
}

/** Re-applies every unmatched event waiting under these owners (oldest first). */
export async function reapplyUnmatchedFor(deps: ApplyDeps & { clock: Clock }, owners: UnmatchedOwner[]): Promise<ReapplyResult[]> {
  const waiting = (await Promise.all(owners.map((owner) => deps.repo.listUnmatchedFor(owner)))).flat();
  const unique = [...new Map(waiting.map((d) => [`${d.partnerId}#${d.webhookId}`, d])).values()];
  unique.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const results: ReapplyResult[] = [];
  for (const delivery of unique) {
    if (delivery.event.kind !== 'completion') continue;
    const result = await applyPartnerEvent(
      deps,
      delivery.partnerId,
      delivery.event,
      { kind: 'stored', partnerId: delivery.partnerId, webhookId: delivery.webhookId },
      deps.clock.now().toISOString(),
    );
    results.push({ ...result, webhookId: delivery.webhookId, partnerId: delivery.partnerId });
  }
  return results;
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
  rawBody: string;
}

export async function listUnmatchedEvents(repo: Repository, limit: number, cursor?: string): Promise<Page<UnmatchedEventView>> {
  const page = await repo.listUnmatched(limit, cursor);
  return { ...page, items: page.items.map(toUnmatchedView) };
}

function toUnmatchedView(delivery: Delivery): UnmatchedEventView {
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
    rawBody: delivery.rawBody,
  };
}
