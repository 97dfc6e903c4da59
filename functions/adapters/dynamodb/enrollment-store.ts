// The enrollment aggregate in DynamoDB, and its one save path. A save takes each enrollment as it
// was read (with the version it was read at) and the events the decider returned; every item write
// is derived from the state before and after them — the enrollment, each step that changed, the
// lock, the pipeline counters, index membership — plus what the same transaction must also store
// (a partner's delivery, an account link, a certificate). The enrollment's version is the
// condition: a save lands only on the version it was decided on.
import { counterChanges, type CounterDelta } from '../../domain/counters.js';
import { evolveAll } from '../../domain/enrollment-decider.js';
import type { EnrollmentState } from '../../domain/enrollment.js';
import type { PartnerId } from '../../domain/partners.js';
import type {
  EnrollmentChange,
  EnrollmentSnapshot,
  EnrollmentStore,
  ListBatch,
  ListSource,
  SaveExtras,
  SaveResult,
} from '../../use-cases/ports/enrollments.js';
import type { Page } from '../../use-cases/ports/page.js';
import { evolveCertificateAll } from '../../domain/certificate-decider.js';
import { certificateItem } from './certificate-items.js';
import { certificateUpdate } from './certificate-store.js';
import { counterUpdates } from './counter-items.js';
import { appliedWaitingUpdate, deliveryItem, unmatchedCounterUpdate } from './delivery-items.js';
import { evidenceWrites } from './evidence-items.js';
import { activeEnrollmentItem, enrollmentItem, listEntryItems, stepItem, toSnapshot } from './enrollment-items.js';
import { readListBatch } from './enrollment-lists.js';
import { isEntity, type Item } from './item.js';
import { itemUpdate, sameValue } from './item-diff.js';
import { indexKeys, keys } from './keys.js';
import { GSI } from './schema.js';
import { outboundEvents } from '../../domain/outbound-events.js';
import { eventItem } from './outbound-items.js';
import { outboxPut } from './outbound-store.js';
import { accountLinkItems } from './student-items.js';
import type { RoledItem, Table, TransactItem } from './table.js';

/** What each item of a save stands for, to name the condition that failed. */
type Role = 'state' | 'lock' | 'delivery' | 'waiting' | 'link' | 'certificate';

const CONFLICT_BY_ROLE: ReadonlyArray<[Role, Exclude<SaveResult, { ok: true }>['conflict']]> = [
  ['delivery', 'delivery_exists'],
  ['waiting', 'delivery_settled'],
  ['link', 'account_taken'],
  ['lock', 'active_enrollment_exists'],
  ['state', 'stale'],
  ['certificate', 'stale'],
];

export class DynamoEnrollmentStore implements EnrollmentStore {
  constructor(private readonly table: Table) {}

  async load(enrollmentId: string): Promise<EnrollmentSnapshot | undefined> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.enrollmentPartition(enrollmentId) },
      ConsistentRead: true,
    });
    return toSnapshot(items, 'table')?.snapshot;
  }

  async listForStudent(studentId: string): Promise<EnrollmentState[]> {
    const byEnrollment = await this.studentPartition(studentId);
    return [...byEnrollment.values()]
      .flatMap((items) => toSnapshot(items, 'index')?.snapshot.state ?? [])
      .sort((a, b) => b.enrollment.createdAt.localeCompare(a.enrollment.createdAt));
  }

  async findForCourse(
    studentId: string,
    partnerId: PartnerId,
    courseId: string,
    options: { consistent: boolean },
  ): Promise<EnrollmentSnapshot[]> {
    const byEnrollment = await this.studentPartition(studentId);
    const snapshots: EnrollmentSnapshot[] = [];
    for (const [enrollmentId, items] of byEnrollment) {
      if (!items.some((i) => isEntity(i, 'step') && i.partnerId === partnerId && i.courseId === courseId)) continue;
      // The index copy is decided on when it is one whole version; the save's version condition
      // catches one that lags the table. A torn copy, and every retry, reads the table itself.
      const read = options.consistent ? undefined : toSnapshot(items, 'index');
      const snapshot = read?.whole ? read.snapshot : await this.load(enrollmentId);
      if (snapshot) snapshots.push(snapshot);
    }
    return snapshots;
  }

  async listScheduled(dueBefore: string, limit: number, cursor?: string): Promise<Page<{ enrollmentId: string }>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.schedule.name,
        KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk < :before',
        ExpressionAttributeValues: { ':pk': indexKeys.scheduledPartition, ':before': dueBefore },
        Limit: limit,
      },
      cursor,
      GSI.schedule.cursor(indexKeys.scheduledPartition),
    );
    return {
      ...page,
      items: page.items.map((item) => ({ enrollmentId: (isEntity(item, 'enrollment') ? item.id : item.enrollmentId) as string })),
    };
  }

  readList(source: ListSource, cursor: string | undefined, batch: number): Promise<ListBatch> {
    return readListBatch(this.table, source, cursor, batch);
  }

  async listAdvanceDue(
    requestedBefore: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<{ enrollmentId: string; requestedAt: string }>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.attention.name,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': indexKeys.advanceDuePartition, ':before': requestedBefore },
        Limit: limit,
      },
      cursor,
      GSI.attention.cursor(indexKeys.advanceDuePartition),
    );
    return {
      ...page,
      items: page.items.map((item) => ({ enrollmentId: item.id as string, requestedAt: item.advanceRequestedAt as string })),
    };
  }

  async save(changes: readonly EnrollmentChange[], extras: SaveExtras = {}): Promise<SaveResult> {
    const writes: Array<RoledItem<Role>> = [];
    const counters: Array<{ enrollmentId: string; deltas: CounterDelta[] }> = [];
    const saved: EnrollmentSnapshot[] = [];
    for (const { before, events } of changes) {
      if (events.length === 0) {
        if (before) saved.push(before);
        continue;
      }
      const after = evolveAll(before?.state, events);
      const { items, snapshot } = this.aggregateWrites(before, after);
      writes.push(...items);
      // The transactional outbox: the outbound events of this change are saved with it, or not at all.
      for (const event of outboundEvents(events, after)) writes.push({ role: 'state', item: outboxPut(this.table.name, eventItem(event)) });
      saved.push(snapshot);
      counters.push({ enrollmentId: after.enrollment.id, deltas: counterChanges(before?.state, after) });
    }
    for (const item of counterUpdates(this.table.name, counters)) writes.push({ role: 'state', item });
    writes.push(...this.extraWrites(extras));
    if (writes.length === 0) return { ok: true, saved };

    const outcome = await this.table.transact(writes);
    if (outcome.ok) return { ok: true, saved };
    if ('contention' in outcome) return { ok: false, conflict: 'contention' };
    const conflict = CONFLICT_BY_ROLE.find(([role]) => outcome.failed.includes(role))?.[1] ?? 'stale';
    return { ok: false, conflict };
  }

  /** The writes that take one enrollment from `before` (undefined: it is new) to `after`, and the snapshot they leave. */
  private aggregateWrites(
    before: EnrollmentSnapshot | undefined,
    after: EnrollmentState,
  ): { items: Array<RoledItem<Role>>; snapshot: EnrollmentSnapshot } {
    const table = this.table.name;
    const { enrollment } = after;
    const version = (before?.version ?? 0) + 1;
    // A step keeps the version it was last written at; the steps this save changes get the new one.
    const stepVersions = after.steps.map((step, i) => {
      const was = before?.state.steps[i];
      return was && sameValue(was, step) ? before.stepVersions[i]! : version;
    });
    const put = (item: Item, condition?: string): TransactItem => ({
      Put: { TableName: table, Item: item, ...(condition ? { ConditionExpression: condition } : {}) },
    });

    const snapshot: EnrollmentSnapshot = { state: after, version, stepVersions };
    if (!before) {
      const items: Array<RoledItem<Role>> = [
        { role: 'lock', item: put(activeEnrollmentItem(enrollment), 'attribute_not_exists(pk)') },
        { role: 'state', item: put(enrollmentItem(enrollment, version, stepVersions, after.steps), 'attribute_not_exists(pk)') },
        ...after.steps.map((step): RoledItem<Role> => ({ role: 'state', item: put(stepItem(enrollment, step, version)) })),
        ...listEntryItems(after).map((entry): RoledItem<Role> => ({ role: 'state', item: put(entry) })),
      ];
      return { items, snapshot };
    }

    const was = before.state.enrollment;
    // The version always changes, so there is always an update to make.
    const update = itemUpdate(
      enrollmentItem(was, before.version, before.stepVersions, before.state.steps),
      enrollmentItem(enrollment, version, stepVersions, after.steps),
    )!;
    const writes: Array<RoledItem<Role>> = [
      {
        role: 'state',
        item: {
          Update: {
            TableName: table,
            Key: keys.enrollment(enrollment.id),
            UpdateExpression: update.UpdateExpression,
            ConditionExpression: '#version = :expectedVersion',
            ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#version': 'version' },
            ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':expectedVersion': before.version },
          },
        },
      },
    ];
    for (const [i, step] of after.steps.entries()) {
      if (stepVersions[i] !== version) continue;
      const stepUpdate = itemUpdate(stepItem(was, before.state.steps[i]!, before.stepVersions[i]!), stepItem(enrollment, step, version));
      if (stepUpdate)
        writes.push({ role: 'state', item: { Update: { TableName: table, Key: keys.step(enrollment.id, step.index), ...stepUpdate } } });
    }
    // A list entry is rewritten only when its row or its place changed.
    const entriesBefore = listEntryItems(before.state);
    for (const [i, entry] of listEntryItems(after).entries()) {
      if (!sameValue(entriesBefore[i], entry)) writes.push({ role: 'state', item: put(entry) });
    }
    for (const item of evidenceWrites(table, before.state, after)) writes.push({ role: 'state', item });
    if (was.status === 'active' && enrollment.status !== 'active') {
      writes.push({
        role: 'state',
        item: { Delete: { TableName: table, Key: keys.activeEnrollment(enrollment.studentId, enrollment.programId) } },
      });
    }
    return { items: writes, snapshot };
  }

  private extraWrites(extras: SaveExtras): Array<RoledItem<Role>> {
    const table = this.table.name;
    const writes: Array<RoledItem<Role>> = [];
    if (extras.newDelivery) {
      writes.push({
        role: 'delivery',
        item: { Put: { TableName: table, Item: deliveryItem(extras.newDelivery), ConditionExpression: 'attribute_not_exists(pk)' } },
      });
    }
    if (extras.replacedDelivery) {
      writes.push({
        role: 'delivery',
        item: {
          Put: {
            TableName: table,
            Item: deliveryItem(extras.replacedDelivery.delivery),
            ConditionExpression: '#outcome = :expectedOutcome',
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ExpressionAttributeValues: { ':expectedOutcome': extras.replacedDelivery.expectedOutcome },
          },
        },
      });
    }
    if (extras.reattributed) {
      const { partnerId, webhookId, studentId, appliedTo, at, by, reason } = extras.reattributed;
      writes.push({
        role: 'delivery',
        item: {
          Update: {
            TableName: table,
            Key: keys.delivery(partnerId, webhookId),
            UpdateExpression:
              'SET studentId = :student, appliedTo = :appliedTo, reattributions = list_append(if_not_exists(reattributions, :none), :entry)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: {
              ':student': studentId,
              ':appliedTo': appliedTo,
              ':none': [],
              ':entry': [{ at, by, reason, studentId }],
            },
          },
        },
      });
    }
    if (extras.appliedWaiting) {
      const { partnerId, webhookId } = extras.appliedWaiting;
      writes.push({ role: 'waiting', item: { Update: { TableName: table, ...appliedWaitingUpdate(extras.appliedWaiting) } } });
      writes.push({ role: 'waiting', item: { Delete: { TableName: table, Key: keys.unmatchedEmailPointer(partnerId, webhookId) } } });
      writes.push({ role: 'waiting', item: unmatchedCounterUpdate(table, webhookId, -1) });
    }
    for (const link of extras.links ?? []) writes.push(...accountLinkItems(table, link));
    if (extras.certificate) {
      writes.push({
        role: 'certificate',
        item: { Put: { TableName: table, Item: certificateItem(extras.certificate), ConditionExpression: 'attribute_not_exists(pk)' } },
      });
    }
    if (extras.certificateChange && extras.certificateChange.events.length > 0) {
      const { before, events } = extras.certificateChange;
      writes.push({
        role: 'certificate',
        item: { Update: certificateUpdate(table, before, evolveCertificateAll(before.certificate, events)) },
      });
    }
    return writes;
  }

  /** The student's enrollments and their steps from the owner index (one query), by enrollment. */
  private async studentPartition(studentId: string): Promise<Map<string, Item[]>> {
    const items = await this.table.queryAll({
      IndexName: GSI.owner.name,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': indexKeys.studentPartition(studentId), ':prefix': indexKeys.studentEnrollmentPrefix },
    });
    const byEnrollment = new Map<string, Item[]>();
    for (const item of items) {
      const id = (isEntity(item, 'enrollment') ? item.id : item.enrollmentId) as string;
      byEnrollment.set(id, [...(byEnrollment.get(id) ?? []), item]);
    }
    return byEnrollment;
  }
}
