// Students in DynamoDB: the profile and partner accounts in one partition, found by email (a
// pointer item that also makes emails unique) or by partner account (a pointer per account).
import type { PartnerId } from '../../domain/partners.js';
import type { AccountEvent, AccountLink, Student } from '../../domain/student.js';
import type { Page } from '../../use-cases/ports/page.js';
import type { SearchMatch, StudentStore } from '../../use-cases/ports/students.js';
import { WriteContention } from '../../use-cases/retry.js';
import { keys, listKeys, parseSearchKey } from './keys.js';
import { GSI } from './schema.js';
import {
  accountEventItem,
  accountLinkItems,
  partnerAccountItem,
  studentAccountItem,
  studentEmailItem,
  studentProfileItem,
  studentSearchItems,
  toStudent,
} from './student-items.js';
import type { Table } from './table.js';

export class DynamoStudentStore implements StudentStore {
  constructor(private readonly table: Table) {}

  async findByEmail(email: string): Promise<Student | undefined> {
    const pointer = await this.table.get(keys.studentEmail(email));
    return pointer ? this.get(pointer.studentId as string) : undefined;
  }

  async get(studentId: string): Promise<Student | undefined> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.studentPartition(studentId) },
      ConsistentRead: true,
    });
    return toStudent(items);
  }

  async ensure(candidate: Omit<Student, 'accounts' | 'sub'>): Promise<Student> {
    const outcome = await this.table.transact([
      {
        role: 'email',
        item: {
          Put: {
            TableName: this.table.name,
            Item: studentEmailItem(candidate.email, candidate.id),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        role: 'profile',
        item: { Put: { TableName: this.table.name, Item: studentProfileItem(candidate), ConditionExpression: 'attribute_not_exists(pk)' } },
      },
      // In the same transaction: a student exists exactly when they can be found by any part of their name or email.
      ...studentSearchItems(candidate).map((item) => ({ role: 'search', item: { Put: { TableName: this.table.name, Item: item } } })),
    ]);
    if (outcome.ok) return { ...candidate, accounts: {} };
    if ('contention' in outcome) throw new WriteContention(`creating the student ${candidate.email}`);
    const existing = await this.findByEmail(candidate.email);
    if (!existing) throw new WriteContention(`creating the student ${candidate.email}`);
    return existing;
  }

  async findIdByEmail(email: string): Promise<string | undefined> {
    return (await this.table.get(keys.studentEmail(email)))?.studentId as string | undefined;
  }

  async findIdByAccount(partnerId: PartnerId, externalId: string): Promise<string | undefined> {
    return (await this.table.get(keys.partnerAccount(partnerId, externalId)))?.studentId as string | undefined;
  }

  async match(text: string, limit: number, cursor?: string): Promise<Page<SearchMatch>> {
    const partition = listKeys.searchPartition(text);
    const page = await this.table.queryPage(
      {
        IndexName: GSI.list.name,
        KeyConditionExpression: 'gsi4pk = :pk AND begins_with(gsi4sk, :text)',
        ExpressionAttributeValues: { ':pk': partition, ':text': text },
        Limit: limit,
      },
      cursor,
      GSI.list.cursor(partition),
    );
    return {
      ...page,
      items: page.items.map((item) => ({
        studentId: item.studentId as string,
        studentName: item.studentName as string,
        studentEmail: item.studentEmail as string,
        suffix: parseSearchKey(item.gsi4sk as string, item.studentId as string),
      })),
    };
  }

  async link(link: AccountLink, event?: AccountEvent): Promise<boolean> {
    const outcome = await this.table.transact([
      ...accountLinkItems(this.table.name, link),
      ...(event
        ? [{ role: 'link' as const, item: { Put: { TableName: this.table.name, Item: accountEventItem(link.studentId, event) } } }]
        : []),
    ]);
    if (outcome.ok) return true;
    if ('contention' in outcome) throw new WriteContention(`linking ${link.partnerId} account ${link.externalId}`);
    return false;
  }

  async unlink(link: Omit<AccountLink, 'at'>, event: AccountEvent): Promise<boolean> {
    const table = this.table.name;
    const outcome = await this.table.transact([
      {
        role: 'pointer',
        item: {
          Delete: {
            TableName: table,
            Key: keys.partnerAccount(link.partnerId, link.externalId),
            ConditionExpression: 'studentId = :student',
            ExpressionAttributeValues: { ':student': link.studentId },
          },
        },
      },
      { role: 'account', item: { Delete: { TableName: table, Key: keys.studentAccount(link.studentId, link.partnerId) } } },
      { role: 'event', item: { Put: { TableName: table, Item: accountEventItem(link.studentId, event) } } },
    ]);
    if (outcome.ok) return true;
    if ('contention' in outcome) throw new WriteContention(`unlinking ${link.partnerId} account ${link.externalId}`);
    return false;
  }

  async move(
    link: Omit<AccountLink, 'at'>,
    toStudentId: string,
    at: string,
    events: { from: AccountEvent; to: AccountEvent },
  ): Promise<boolean> {
    const table = this.table.name;
    const moved: AccountLink = { partnerId: link.partnerId, externalId: link.externalId, studentId: toStudentId, at };
    const outcome = await this.table.transact([
      {
        role: 'pointer',
        item: {
          Put: {
            TableName: table,
            Item: partnerAccountItem(moved),
            ConditionExpression: 'studentId = :from',
            ExpressionAttributeValues: { ':from': link.studentId },
          },
        },
      },
      { role: 'account', item: { Delete: { TableName: table, Key: keys.studentAccount(link.studentId, link.partnerId) } } },
      {
        role: 'target',
        item: { Put: { TableName: table, Item: studentAccountItem(moved), ConditionExpression: 'attribute_not_exists(pk)' } },
      },
      { role: 'event', item: { Put: { TableName: table, Item: accountEventItem(link.studentId, events.from) } } },
      { role: 'event', item: { Put: { TableName: table, Item: accountEventItem(toStudentId, events.to) } } },
    ]);
    if (outcome.ok) return true;
    if ('contention' in outcome) throw new WriteContention(`moving ${link.partnerId} account ${link.externalId}`);
    return false;
  }

  async claim(studentId: string, sub: string): Promise<boolean> {
    return this.table.conditionalUpdate({
      Key: keys.studentProfile(studentId),
      UpdateExpression: 'SET #sub = :sub',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#sub) OR #sub = :sub)',
      ExpressionAttributeNames: { '#sub': 'sub' },
      ExpressionAttributeValues: { ':sub': sub },
    });
  }

  async setRemindersOff(studentId: string, off: Student['remindersOff']): Promise<boolean> {
    return this.table.conditionalUpdate({
      Key: keys.studentProfile(studentId),
      UpdateExpression: off ? 'SET #off = :off' : 'REMOVE #off',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#off': 'remindersOff' },
      ...(off ? { ExpressionAttributeValues: { ':off': off } } : {}),
    });
  }
}
