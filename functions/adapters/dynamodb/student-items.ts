// Student ↔ items: the profile (with the sign-in account once claimed), the email pointer that makes
// emails unique, and each partner account twice — under the account (unique: who it belongs to)
// and in the student's partition (read with the profile in one Query).
import { randomUUID } from 'node:crypto';
import { searchSuffixes } from '../../domain/enrollment-list.js';
import type { AccountEvent, AccountLink, Student } from '../../domain/student.js';
import { keys, listKeys } from './keys.js';
import { ENTITY, isEntity, pick, type Item } from './item.js';
import type { RoledItem } from './table.js';

export const STUDENT_FIELDS = ['id', 'name', 'email', 'createdAt', 'sub', 'remindersOff'] as const satisfies ReadonlyArray<keyof Student>;

export function studentProfileItem(student: Omit<Student, 'accounts'>): Item {
  return {
    ...keys.studentProfile(student.id),
    [ENTITY]: 'student',
    ...pick(student, STUDENT_FIELDS),
  };
}

/** The email → student pointer that also makes emails unique. */
export function studentEmailItem(email: string, studentId: string): Item {
  return { ...keys.studentEmail(email), [ENTITY]: 'studentEmail', studentId };
}

/** Builds a Student from the items of its partition (profile + account items). */
export function toStudent(items: readonly Item[]): Student | undefined {
  const profile = items.find((i) => isEntity(i, 'student'));
  if (!profile) return undefined;
  const accounts: Student['accounts'] = {};
  const history: AccountEvent[] = [];
  for (const item of items) {
    if (isEntity(item, 'studentAccount')) accounts[item.partnerId as keyof Student['accounts']] = item.externalId as string;
    if (isEntity(item, 'accountEvent')) history.push(pick(item, ACCOUNT_EVENT_FIELDS) as unknown as AccountEvent);
  }
  return {
    ...(pick(profile, STUDENT_FIELDS) as Omit<Student, 'accounts'>),
    accounts,
    ...(history.length ? { accountHistory: history } : {}),
  };
}

/** The (partner, external id) → student pointer, unique per account. */
export const partnerAccountItem = (link: AccountLink): Item => ({
  ...keys.partnerAccount(link.partnerId, link.externalId),
  [ENTITY]: 'partnerAccount',
  ...link,
});

/** The student's own record of a partner account (read with the profile in one Query). */
export const studentAccountItem = (link: AccountLink): Item => ({
  ...keys.studentAccount(link.studentId, link.partnerId),
  [ENTITY]: 'studentAccount',
  ...link,
});

/**
 * A link's two items: the account → student pointer (unique: it may exist only as this student's)
 * and the student's own record of the account.
 */
export function accountLinkItems(tableName: string, link: AccountLink): Array<RoledItem<'link'>> {
  return [
    {
      role: 'link',
      item: {
        Put: {
          TableName: tableName,
          Item: partnerAccountItem(link),
          ConditionExpression: 'attribute_not_exists(pk) OR studentId = :student',
          ExpressionAttributeValues: { ':student': link.studentId },
        },
      },
    },
    { role: 'link', item: { Put: { TableName: tableName, Item: studentAccountItem(link) } } },
  ];
}

const ACCOUNT_EVENT_FIELDS = ['at', 'type', 'partnerId', 'externalId', 'by', 'reason', 'otherStudentId'] as const;

/** One entry of the student's account history (in their partition, read with the profile). */
export const accountEventItem = (studentId: string, event: AccountEvent): Item => ({
  ...keys.studentAccountEvent(studentId, event.at, event.partnerId, randomUUID().slice(0, 8)),
  [ENTITY]: 'accountEvent',
  ...pick(event, ACCOUNT_EVENT_FIELDS),
});

/** The student's entries in the search index (gsi4), one per suffix of their name and email; written once, with the student. */
export function studentSearchItems(student: Pick<Student, 'id' | 'name' | 'email'>): Item[] {
  return searchSuffixes(student.name, student.email).map((suffix) => ({
    ...keys.studentSearchEntry(student.id, suffix),
    ...listKeys.search(suffix, student.id),
    [ENTITY]: 'studentSearch',
    studentId: student.id,
    studentName: student.name,
    studentEmail: student.email,
  }));
}
