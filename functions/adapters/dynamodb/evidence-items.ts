// Evidence ↔ items. The evidence a student submits lives on its step (the aggregate decides on
// it); each piece also has an item of its own, written in the same save whenever it changes, so
// the admin's review queue is an index query (the owner index, gsi1, by status and partner) and an
// admin's approve or reject finds its enrollment from the evidence id alone.
import type { EnrollmentState } from '../../domain/enrollment.js';
import type { EvidenceEntry } from '../../domain/evidence.js';
import { sameValue } from './item-diff.js';
import { ENTITY, pick, type Item } from './item.js';
import { indexKeys, keys } from './keys.js';
import type { TransactItem } from './table.js';

const ENTRY_FIELDS = [
  'id',
  'enrollmentId',
  'index',
  'sequence',
  'partnerId',
  'courseId',
  'courseName',
  'studentId',
  'studentName',
  'studentEmail',
  'programName',
  'submittedAt',
  'reference',
  'completedAt',
  'credentialExpiresAt',
  'file',
  'status',
  'review',
] as const satisfies ReadonlyArray<keyof EvidenceEntry>;

export const evidenceItem = (entry: EvidenceEntry): Item => ({
  ...keys.evidence(entry.id),
  [ENTITY]: 'evidence',
  ...indexKeys.evidenceQueue(entry.status, entry.partnerId, entry.submittedAt, entry.id),
  ...pick(entry, ENTRY_FIELDS),
});

export const toEvidenceEntry = (item: Item): EvidenceEntry => pick(item, ENTRY_FIELDS) as unknown as EvidenceEntry;

/** Every piece of evidence of the enrollment, as queue entries. */
function entries({ enrollment, steps }: EnrollmentState): EvidenceEntry[] {
  return steps.flatMap((step) =>
    (step.evidence ?? []).map((evidence) => ({
      ...evidence,
      enrollmentId: enrollment.id,
      index: step.index,
      sequence: step.sequence,
      partnerId: step.partnerId,
      courseId: step.courseId,
      courseName: step.courseName,
      studentId: enrollment.studentId,
      studentName: enrollment.studentName,
      studentEmail: enrollment.studentEmail,
      programName: enrollment.programName,
    })),
  );
}

/**
 * The evidence items a save writes: a new piece must not exist yet, a changed one must still have
 * the status it was read with (two admins reviewing at once: one save lands, the other is decided
 * again and refused).
 */
export function evidenceWrites(tableName: string, before: EnrollmentState | undefined, after: EnrollmentState): TransactItem[] {
  const was = new Map((before ? entries(before) : []).map((e) => [e.id, e]));
  const writes: TransactItem[] = [];
  for (const entry of entries(after)) {
    const previous = was.get(entry.id);
    if (previous && sameValue(previous, entry)) continue;
    writes.push({
      Put: {
        TableName: tableName,
        Item: evidenceItem(entry),
        ...(previous
          ? {
              ConditionExpression: '#status = :was',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':was': previous.status },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }
  return writes;
}
