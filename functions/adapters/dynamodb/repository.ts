// The DynamoDB adapter: one method per access pattern, every state transition a conditional
// write, and every failed condition turned into a domain outcome (never a 500).
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Certificate } from '../../domain/certificates.js';
import type { CounterDelta } from '../../domain/counters.js';
import { mergeDeltas, stepCounts } from '../../domain/counters.js';
import { STEP_STATUSES, type EnrollmentStep } from '../../domain/enrollment.js';
import { DomainError } from '../../domain/errors.js';
import type { PartnerId } from '../../domain/partners.js';
import type { ProgramDefinition } from '../../domain/programs.js';
import type {
  CommitResult,
  Delivery,
  DeliveryOutcome,
  Dismissal,
  NewEnrollment,
  PartnerCounts,
  ProgramCounts,
  Repository,
  Student,
  StuckStep,
  TransitionCommit,
  UnmatchedOwner,
} from '../../use-cases/ports.js';
import { backoff } from '../../use-cases/backoff.js';
import {
  DELIVERY_RETENTION_SECONDS,
  activeEnrollmentItem,
  certificateItem,
  deliveryItem,
  enrollmentItem,
  isEntity,
  partnerAccountItem,
  programItem,
  programVersionItem,
  stepItem,
  studentAccountItem,
  studentEmailItem,
  studentProfileItem,
  toCertificate,
  toDelivery,
  toEnrollment,
  toProgram,
  toStep,
  toStudent,
  unmatchedEmailPointerItem,
  type Item,
} from './items.js';
import { COUNTER_SHARDS, counterShard, indexKeys, keys, type Key } from './keys.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
/** What each item of a transaction stands for, to turn a cancellation reason into an outcome. */
type Role = 'delivery' | 'link' | 'state';

const GSI_OWNER = 'gsi1';
/** Attempts at a transaction that keeps colliding with others before the error is let through. */
const CONTENTION_ATTEMPTS = 8;
const GSI_ATTENTION = 'gsi2';

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export class DynamoRepository implements Repository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ── Programs ──────────────────────────────────────────────────────────────

  async listPrograms() {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CATALOG' } });
    return items.map(toProgram).sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
  }

  async getProgram(id: string) {
    const item = await this.get(keys.program(id));
    return item ? toProgram(item) : undefined;
  }

  async saveProgram(definition: ProgramDefinition, expectedVersion: number, at: string) {
    const program = { ...definition, version: expectedVersion + 1, updatedAt: at };
    const current: TransactItem =
      expectedVersion === 0
        ? { Put: { TableName: this.tableName, Item: programItem(program), ConditionExpression: 'attribute_not_exists(pk)' } }
        : {
            Put: {
              TableName: this.tableName,
              Item: programItem(program),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          };
    const history: TransactItem = {
      Put: { TableName: this.tableName, Item: programVersionItem(program), ConditionExpression: 'attribute_not_exists(pk)' },
    };
    try {
      await this.transactWrite([current, history]);
    } catch (error) {
      if (error instanceof TransactionCanceledException && reasonCodes(error).includes('ConditionalCheckFailed')) {
        throw new DomainError(
          'STALE_PROGRAM_VERSION',
          `program ${definition.id} changed since version ${expectedVersion}; reload it and apply your edit again`,
        );
      }
      throw error;
    }
    return program;
  }

  // ── Students ──────────────────────────────────────────────────────────────

  async findStudentByEmail(email: string) {
    const pointer = await this.get(keys.studentEmail(email));
    return pointer ? this.getStudent(pointer.studentId as string) : undefined;
  }

  async getStudent(id: string) {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.studentProfile(id).pk },
      ConsistentRead: true,
    });
    return toStudent(items);
  }

  async ensureStudent(candidate: Omit<Student, 'accounts'>): Promise<Student> {
    try {
      await this.transactWrite([
        {
          Put: {
            TableName: this.tableName,
            Item: studentEmailItem(candidate.email, candidate.id),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: studentProfileItem(candidate), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
      return { ...candidate, accounts: {} };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await this.findStudentByEmail(candidate.email);
      if (!existing) throw error;
      return existing;
    }
  }

  async findStudentIdByAccount(partnerId: PartnerId, externalId: string) {
    const item = await this.get(keys.partnerAccount(partnerId, externalId));
    return item?.studentId as string | undefined;
  }

  /** Students whose name or email starts with the query (two index queries, merged). */
  async searchStudents(query: string, limit: number) {
    const prefixQuery = (indexName: string, pk: string, prefix: string) =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: `${indexName}pk = :pk AND begins_with(${indexName}sk, :prefix)`,
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          Limit: limit,
        }),
      );
    const [byName, byEmail] = await Promise.all([
      prefixQuery(GSI_OWNER, indexKeys.studentsPartition, indexKeys.studentNamePrefix(query)),
      prefixQuery(GSI_ATTENTION, indexKeys.studentEmailsPartition, query.toLowerCase()),
    ]);
    const students = new Map<string, Student>();
    for (const item of [...(byName.Items ?? []), ...(byEmail.Items ?? [])]) {
      const student = toStudent([item]);
      if (student) students.set(student.id, student);
    }
    return [...students.values()].slice(0, limit);
  }

  // ── Enrollments ───────────────────────────────────────────────────────────

  async createEnrollment({ enrollment, steps, links, counters }: NewEnrollment) {
    const roles: Role[] = [];
    const items: TransactItem[] = [];
    const add = (role: Role, item: TransactItem) => {
      roles.push(role);
      items.push(item);
    };
    add('state', {
      Put: {
        TableName: this.tableName,
        Item: activeEnrollmentItem(enrollment),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    add('state', { Put: { TableName: this.tableName, Item: enrollmentItem(enrollment) } });
    for (const step of steps) add('state', { Put: { TableName: this.tableName, Item: stepItem(enrollment, step) } });
    for (const link of links) {
      for (const item of this.linkItems({ ...link, studentId: enrollment.studentId, at: enrollment.createdAt })) add('link', item);
    }
    for (const item of this.counterUpdates(enrollment.id, counters)) add('state', item);

    const outcome = await this.transact(items, roles);
    if (outcome.ok) return;
    if (outcome.conflict === 'account_taken') {
      throw new DomainError('PARTNER_ACCOUNT_TAKEN', 'one of the partner accounts is already linked to another student');
    }
    throw new DomainError(
      'ACTIVE_ENROLLMENT_EXISTS',
      `${enrollment.studentEmail} already has an active enrollment in ${enrollment.programName}`,
    );
  }

  async getEnrollment(id: string) {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.enrollment(id).pk },
      ConsistentRead: true,
    });
    const meta = items.find((i) => isEntity(i, 'enrollment'));
    if (!meta) return undefined;
    return { enrollment: toEnrollment(meta), steps: items.filter((i) => isEntity(i, 'step')).map(toStep) };
  }

  async listStudentEnrollments(studentId: string) {
    // Enrollment items and their step items share the student's owner-index partition: one Query.
    const items = await this.queryAll({
      IndexName: GSI_OWNER,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': indexKeys.studentPartition(studentId) },
    });
    const steps = new Map<string, EnrollmentStep[]>();
    for (const item of items.filter((i) => isEntity(i, 'step'))) {
      const list = steps.get(item.enrollmentId as string) ?? [];
      list.push(toStep(item));
      steps.set(item.enrollmentId as string, list);
    }
    return items
      .filter((i) => isEntity(i, 'enrollment'))
      .map((item) => ({
        enrollment: toEnrollment(item),
        steps: (steps.get(item.id as string) ?? []).sort((a, b) => a.index - b.index),
      }))
      .sort((a, b) => b.enrollment.createdAt.localeCompare(a.enrollment.createdAt));
  }

  async findStepsForCourse(studentId: string, partnerId: PartnerId, courseId: string) {
    const items = await this.queryAll({
      IndexName: GSI_OWNER,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': indexKeys.studentPartition(studentId),
        ':prefix': indexKeys.studentCoursePrefix(partnerId, courseId),
      },
    });
    return items.map((item) => ({ enrollmentId: item.enrollmentId as string, step: toStep(item) }));
  }

  async commitTransition(commit: TransitionCommit): Promise<CommitResult> {
    const roles: Role[] = [];
    const items: TransactItem[] = [];
    const add = (role: Role, item: TransactItem) => {
      roles.push(role);
      items.push(item);
    };
    if (commit.newDelivery) {
      add('delivery', {
        Put: {
          TableName: this.tableName,
          Item: deliveryItem(commit.newDelivery, epochSeconds(commit.newDelivery.receivedAt)),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (commit.resolvedDelivery) {
      const { partnerId, webhookId, studentId, appliedTo, at } = commit.resolvedDelivery;
      add('state', {
        Update: {
          TableName: this.tableName,
          ...this.settleDeliveryUpdate(partnerId, webhookId, { outcome: 'applied', at, also: { studentId, appliedTo: appliedTo ?? [] } }),
        },
      });
      add('state', { Delete: { TableName: this.tableName, Key: keys.unmatchedEmailPointer(partnerId, webhookId) } });
    }
    if (commit.link) for (const item of this.linkItems(commit.link)) add('link', item);

    const countersByEnrollment: Array<[string, CounterDelta[]]> = [];
    for (const change of commit.changes) {
      for (const step of change.steps) add('state', this.stepUpdate(change.enrollmentId, step));
      add('state', this.enrollmentUpdate(change));
      if (change.finish) {
        add('state', {
          Delete: { TableName: this.tableName, Key: keys.activeEnrollment(change.finish.studentId, change.finish.programId) },
        });
      }
      countersByEnrollment.push([change.enrollmentId, change.counters ?? []]);
    }
    for (const item of this.counterUpdatesFor(countersByEnrollment)) add('state', item);
    return this.transact(items, roles);
  }

  // ── Workflow bookkeeping ──────────────────────────────────────────────────

  async clearAdvanceRequest(enrollmentId: string, seen: string) {
    return this.conditionalUpdate({
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: 'REMOVE advanceRequestedAt, gsi2pk, gsi2sk, workflowFailure',
      ConditionExpression: 'advanceRequestedAt = :seen',
      ExpressionAttributeValues: { ':seen': seen },
    });
  }

  async listAdvanceDue(requestedBefore: string, limit: number) {
    const items = await this.attention(indexKeys.advanceDuePartition, { before: requestedBefore, limit });
    return items.map((item) => ({ enrollmentId: item.id as string, requestedAt: item.advanceRequestedAt as string }));
  }

  async listWorkflowFailures(limit: number) {
    return (await this.attention(indexKeys.workflowFailedPartition, { limit, newestFirst: true })).map(toEnrollment);
  }

  async retryAfterFailure(enrollmentId: string, at: string, forgetEmailClaim: boolean) {
    return this.conditionalUpdate({
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: `SET advanceRequestedAt = :at, gsi2pk = :ipk, gsi2sk = :isk REMOVE workflowFailure${forgetEmailClaim ? ', emailClaimedAt' : ''}`,
      // A cancelled enrollment has nothing left to run, even if a late failure was recorded on it.
      ConditionExpression: 'attribute_exists(workflowFailure) AND #status <> :cancelled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': at, ':cancelled': 'cancelled', ...prefixed(indexKeys.advanceDue(at, enrollmentId)) },
    });
  }

  async claimCompletionEmail(enrollmentId: string, at: string) {
    return this.conditionalUpdate({
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: 'SET emailClaimedAt = :at',
      ConditionExpression: 'attribute_not_exists(emailClaimedAt) AND attribute_not_exists(emailSentAt)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  async releaseCompletionEmail(enrollmentId: string, claimedAt: string) {
    await this.conditionalUpdate({
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: 'REMOVE emailClaimedAt',
      ConditionExpression: 'emailClaimedAt = :claimedAt AND attribute_not_exists(emailSentAt)',
      ExpressionAttributeValues: { ':claimedAt': claimedAt },
    });
  }

  async markCompletionEmailSent(enrollmentId: string, claimedAt: string, at: string, messageId: string) {
    return this.conditionalUpdate({
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: 'SET emailSentAt = :at, emailMessageId = :id',
      ConditionExpression: 'emailClaimedAt = :claimedAt',
      ExpressionAttributeValues: { ':at': at, ':id': messageId, ':claimedAt': claimedAt },
    });
  }

  // ── Deliveries ────────────────────────────────────────────────────────────

  async getDelivery(partnerId: PartnerId, webhookId: string) {
    const item = await this.get(keys.delivery(partnerId, webhookId));
    return item ? toDelivery(item) : undefined;
  }

  async putDelivery(delivery: Delivery) {
    const put = {
      TableName: this.tableName,
      Item: deliveryItem(delivery, epochSeconds(delivery.receivedAt)),
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    const pointer = unmatchedEmailPointerItem(delivery);
    try {
      if (pointer) await this.transactWrite([{ Put: put }, { Put: { TableName: this.tableName, Item: pointer } }]);
      else await this.db.send(new PutCommand(put));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && reasonCodes(error)[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async listUnmatched(limit: number, cursor?: string) {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI_ATTENTION,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': indexKeys.unmatchedPartition },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeUnmatchedCursor(cursor) } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map(toDelivery),
      ...(result.LastEvaluatedKey ? { next: encodeCursor(result.LastEvaluatedKey) } : {}),
    };
  }

  async listUnmatchedSince(receivedAfter: string, limit: number) {
    return (await this.attention(indexKeys.unmatchedPartition, { after: receivedAfter, limit })).map(toDelivery);
  }

  async listUnmatchedFor(key: UnmatchedOwner) {
    const partition =
      'email' in key
        ? indexKeys.unmatchedEmailPartition(key.email)
        : 'studentId' in key
          ? indexKeys.unmatchedStudentPartition(key.studentId)
          : indexKeys.unmatchedAccountPartition(key.partnerId, key.externalId);
    const items = await this.queryAll({
      IndexName: GSI_OWNER,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map(toDelivery);
  }

  async settleUnmatched(
    partnerId: PartnerId,
    webhookId: string,
    outcome: Delivery['outcome'],
    reason: string,
    studentId: string | undefined,
    at: string,
  ) {
    const key = keys.delivery(partnerId, webhookId);
    if (outcome === 'unmatched') {
      // Still waiting, but now under its student (known since the account was linked).
      const owner = studentId ? indexKeys.unmatchedForStudent(studentId, at, webhookId) : undefined;
      return this.conditionalUpdate({
        Key: key,
        UpdateExpression: `SET reason = :reason${owner ? ', studentId = :student, gsi1pk = :opk, gsi1sk = :osk' : ''}`,
        ConditionExpression: 'outcome = :unmatched',
        ExpressionAttributeValues: {
          ':reason': reason,
          ':unmatched': 'unmatched',
          ...(owner ? { ':student': studentId, ':opk': owner.gsi1pk, ':osk': owner.gsi1sk } : {}),
        },
      });
    }
    const settled = await this.conditionalUpdate(
      this.settleDeliveryUpdate(partnerId, webhookId, { outcome, reason, at, also: studentId ? { studentId } : {} }),
    );
    if (settled)
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.unmatchedEmailPointer(partnerId, webhookId) }));
    return settled;
  }

  async dismissUnmatched(partnerId: PartnerId, webhookId: string, dismissal: Dismissal) {
    try {
      await this.transactWrite([
        {
          Update: {
            TableName: this.tableName,
            ...this.settleDeliveryUpdate(partnerId, webhookId, {
              outcome: 'ignored',
              reason: 'dismissed',
              at: dismissal.at,
              also: { dismissal },
            }),
          },
        },
        { Delete: { TableName: this.tableName, Key: keys.unmatchedEmailPointer(partnerId, webhookId) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && reasonCodes(error).includes('ConditionalCheckFailed')) return false;
      throw error;
    }
  }

  // ── Certificates ──────────────────────────────────────────────────────────

  async saveCertificate(certificate: Certificate) {
    try {
      await this.transactWrite([
        { Put: { TableName: this.tableName, Item: certificateItem(certificate), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.enrollment(certificate.enrollmentId),
            UpdateExpression: 'SET certificateId = :id, certificateIssuedAt = :at',
            ConditionExpression: 'attribute_not_exists(certificateId)',
            ExpressionAttributeValues: { ':id': certificate.id, ':at': certificate.issuedAt },
          },
        },
      ]);
    } catch (error) {
      // Already issued by an earlier run: the certificate id is derived from the enrollment, so it is this one.
      if (
        error instanceof TransactionCanceledException &&
        reasonCodes(error).every((c) => c === 'None' || c === 'ConditionalCheckFailed')
      ) {
        return;
      }
      throw error;
    }
  }

  async getCertificate(id: string) {
    const item = await this.get(keys.certificate(id));
    return item ? toCertificate(item) : undefined;
  }

  // ── Admin pipeline ────────────────────────────────────────────────────────

  async readCounters() {
    const shards = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.counterShard(shard) } }),
      ),
    );
    const partners: Partial<Record<PartnerId, PartnerCounts>> = {};
    const programs: Record<string, ProgramCounts> = {};
    for (const item of shards.flat()) {
      const [kind, id] = (item.sk as string).split('#') as [string, string];
      if (kind === 'PARTNER') {
        const counts = (partners[id as PartnerId] ??= stepCounts());
        for (const status of STEP_STATUSES) counts[status] += Number(item[status] ?? 0);
      } else if (kind === 'PROGRAM') {
        const counts = (programs[id] ??= { total: 0, active: 0, completed: 0, cancelled: 0 });
        for (const field of ['total', 'active', 'completed', 'cancelled'] as const) counts[field] += Number(item[field] ?? 0);
      }
    }
    return { partners, programs };
  }

  async listStuckSteps(startedBefore: string, limit: number): Promise<StuckStep[]> {
    const items = await this.attention(indexKeys.inProgressPartition, { before: startedBefore, limit });
    return items.map((item) => ({
      enrollmentId: item.enrollmentId as string,
      stepIndex: item.index as number,
      studentName: item.studentName as string,
      studentEmail: item.studentEmail as string,
      partnerId: item.partnerId as PartnerId,
      courseId: item.courseId as string,
      startedAt: item.startedAt as string,
    }));
  }

  // ── Building blocks ───────────────────────────────────────────────────────

  private stepUpdate(enrollmentId: string, change: TransitionCommit['changes'][number]['steps'][number]): TransactItem {
    const common = {
      TableName: this.tableName,
      Key: keys.step(enrollmentId, change.index),
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
    };
    if (change.to === 'in_progress') {
      return {
        Update: {
          ...common,
          UpdateExpression: 'SET #status = :to, startedAt = :at, gsi2pk = :ipk, gsi2sk = :isk',
          ExpressionAttributeValues: {
            ':from': change.from,
            ':to': change.to,
            ':at': change.at,
            ...prefixed(indexKeys.inProgressStep(change.at, enrollmentId, change.index)),
          },
        },
      };
    }
    if (change.to === 'skipped' || change.to === 'cancelled') {
      return {
        Update: {
          ...common,
          UpdateExpression: 'SET #status = :to, closedAt = :at REMOVE gsi2pk, gsi2sk',
          ExpressionAttributeValues: { ':from': change.from, ':to': change.to, ':at': change.at },
        },
      };
    }
    return {
      Update: {
        ...common,
        UpdateExpression: 'SET #status = :to, completedAt = :at, resolution = :resolution REMOVE gsi2pk, gsi2sk',
        ExpressionAttributeValues: { ':from': change.from, ':to': change.to, ':at': change.at, ':resolution': change.resolution ?? null },
      },
    };
  }

  private enrollmentUpdate(change: TransitionCommit['changes'][number]): TransactItem {
    const set = ['version = version + :one'];
    const remove: string[] = [];
    const conditions = ['#status = :active'];
    const values: Record<string, unknown> = { ':one': 1, ':active': 'active' };
    if (change.finish?.status === 'completed') {
      set.push('#status = :finished', 'completedAt = :finishedAt');
      values[':finished'] = change.finish.status;
      values[':finishedAt'] = change.finish.at;
    } else if (change.finish?.status === 'cancelled') {
      set.push('#status = :finished', 'cancellation = :cancellation');
      values[':finished'] = change.finish.status;
      values[':cancellation'] = change.finish.cancellation;
      // Nothing is left for the workflow: no advance to run, no failure to retry.
      remove.push('advanceRequestedAt', 'gsi2pk', 'gsi2sk', 'workflowFailure');
    }
    if (change.requestAdvanceAt) {
      set.push('advanceRequestedAt = :requested', 'gsi2pk = :ipk', 'gsi2sk = :isk');
      values[':requested'] = change.requestAdvanceAt;
      Object.assign(values, prefixed(indexKeys.advanceDue(change.requestAdvanceAt, change.enrollmentId)));
    } else if (change.clearAdvanceIf) {
      remove.push('advanceRequestedAt', 'gsi2pk', 'gsi2sk', 'workflowFailure');
      conditions.push('advanceRequestedAt = :seen');
      values[':seen'] = change.clearAdvanceIf;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.enrollment(change.enrollmentId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * Settles a delivery that is still unmatched (the condition): its outcome, out of the inbox
   * indexes, and expiring after the retention window like every settled delivery.
   */
  private settleDeliveryUpdate(
    partnerId: PartnerId,
    webhookId: string,
    settle: { outcome: DeliveryOutcome; reason?: string; at: string; also: Record<string, unknown> },
  ) {
    const fields: Record<string, unknown> = {
      outcome: settle.outcome,
      ...(settle.reason ? { reason: settle.reason } : {}),
      resolvedAt: settle.at,
      expiresAt: epochSeconds(settle.at) + DELIVERY_RETENTION_SECONDS,
      ...settle.also,
    };
    const names = Object.keys(fields);
    return {
      Key: keys.delivery(partnerId, webhookId),
      UpdateExpression: `SET ${names.map((name) => `${name} = :${name}`).join(', ')} REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk`,
      ConditionExpression: 'outcome = :unmatched',
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])), ':unmatched': 'unmatched' },
    };
  }

  /** The account → student pointer (unique) and the student's own record of the account. */
  private linkItems(link: { partnerId: PartnerId; externalId: string; studentId: string; at: string }): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: partnerAccountItem(link),
          ConditionExpression: 'attribute_not_exists(pk) OR studentId = :student',
          ExpressionAttributeValues: { ':student': link.studentId },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: studentAccountItem(link),
        },
      },
    ];
  }

  private counterUpdates(enrollmentId: string, deltas: readonly CounterDelta[]): TransactItem[] {
    return this.counterUpdatesFor([[enrollmentId, deltas]]);
  }

  /** One Update per counter item: a transaction may not touch the same item twice. */
  private counterUpdatesFor(byEnrollment: ReadonlyArray<[string, readonly CounterDelta[]]>): TransactItem[] {
    const perShard = new Map<number, CounterDelta[]>();
    for (const [enrollmentId, deltas] of byEnrollment) {
      const shard = counterShard(enrollmentId);
      perShard.set(shard, [...(perShard.get(shard) ?? []), ...deltas]);
    }
    const updates: TransactItem[] = [];
    for (const [shard, deltas] of perShard) {
      for (const delta of mergeDeltas(deltas)) {
        const changes = Object.entries(delta.changes).filter(([, v]) => v !== 0);
        if (changes.length === 0) continue;
        updates.push({
          Update: {
            TableName: this.tableName,
            Key: delta.kind === 'partner' ? keys.partnerCounter(shard, delta.partnerId) : keys.programCounter(shard, delta.programId),
            UpdateExpression: `ADD ${changes.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(changes.map(([name], i) => [`#c${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(changes.map(([, value], i) => [`:c${i}`, value])),
          },
        });
      }
    }
    return updates;
  }

  private async transact(items: TransactItem[], roles: Role[]): Promise<CommitResult> {
    try {
      await this.transactWrite(items);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = reasonCodes(error);
      const failedRole = (role: Role) => codes.some((code, i) => code === 'ConditionalCheckFailed' && roles[i] === role);
      if (failedRole('delivery')) return { ok: false, conflict: 'delivery_exists' };
      if (failedRole('link')) return { ok: false, conflict: 'account_taken' };
      if (
        codes.includes('ConditionalCheckFailed') &&
        codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed' || c === 'TransactionConflict')
      ) {
        return { ok: false, conflict: 'state_changed' };
      }
      // Contention that outlived the retries (or something else): not a decision, so not a domain outcome.
      throw error;
    }
  }

  /**
   * DynamoDB cancels a transaction that collides with another one on an item (the shared
   * counter items make this common under load) with only TransactionConflict reasons, having
   * written nothing: send the same transaction again, with jittered backoff; its conditions are
   * checked afresh. A failed condition is returned to the caller at once.
   */
  private async transactWrite(items: TransactItem[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const contention =
          error instanceof TransactionCanceledException &&
          reasonCodes(error).includes('TransactionConflict') &&
          reasonCodes(error).every((c) => c === 'None' || c === 'TransactionConflict');
        if (!contention || attempt >= CONTENTION_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
  }

  private async conditionalUpdate(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One page of a sparse attention-index partition, optionally bounded by its time-ordered sort key. */
  private async attention(
    partition: string,
    options: { before?: string; after?: string; limit: number; newestFirst?: boolean },
  ): Promise<Item[]> {
    const range = options.before !== undefined ? ' AND gsi2sk < :bound' : options.after !== undefined ? ' AND gsi2sk > :bound' : '';
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI_ATTENTION,
        KeyConditionExpression: `gsi2pk = :pk${range}`,
        ExpressionAttributeValues: { ':pk': partition, ...(range ? { ':bound': options.before ?? options.after } : {}) },
        ...(options.newestFirst ? { ScanIndexForward: false } : {}),
        Limit: options.limit,
      }),
    );
    return result.Items ?? [];
  }

  private async get(key: Key): Promise<Item | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** An attention-index entry as the :ipk/:isk expression values. */
function prefixed(index: { gsi2pk: string; gsi2sk: string }) {
  return { ':ipk': index.gsi2pk, ':isk': index.gsi2sk };
}

function reasonCodes(error: TransactionCanceledException): string[] {
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** DynamoDB's limit for a sort key value; partition keys may be longer, none of ours are. */
const MAX_KEY_BYTES = 1024;

/**
 * A cursor of the unmatched inbox back into the LastEvaluatedKey it came from: exactly the table
 * and attention-index keys of an inbox entry. Anything else would make DynamoDB fail the query
 * (a 500), so it is a 400 here.
 */
function decodeUnmatchedCursor(cursor: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not JSON: the validation error below
  }
  const fields = ['gsi2pk', 'gsi2sk', 'pk', 'sk'];
  const record = typeof key === 'object' && key !== null && !Array.isArray(key) ? (key as Record<string, unknown>) : {};
  const valid =
    Object.keys(record).sort().join() === fields.join() &&
    Object.values(record).every((v) => typeof v === 'string' && v !== '' && Buffer.byteLength(v) <= MAX_KEY_BYTES) &&
    record.gsi2pk === indexKeys.unmatchedPartition;
  if (!valid) throw new DomainError('VALIDATION_FAILED', 'cursor is not one this API returned; start again without it');
  return record as Record<string, string>;
}
