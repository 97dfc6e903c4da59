// Partner deliveries in DynamoDB: deduplication by delivery id, the unmatched inbox (a sparse
// index, newest first) and the events waiting for an owner (the owner index).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Delivery, DeliveryOutcome, Dismissal, WaitingOwner } from '../../domain/delivery.js';
import type { PartnerId } from '../../domain/partners.js';
import type { DeliveryLogEntry, DeliveryStore, DeliverySummary } from '../../use-cases/ports/deliveries.js';
import type { Page } from '../../use-cases/ports/page.js';
import { WriteContention } from '../../use-cases/retry.js';
import {
  deliveryItem,
  settleUpdate,
  toDelivery,
  toDeliveryLogEntry,
  toDeliverySummary,
  unmatchedEmailPointerItem,
  unmatchedCounterUpdate,
} from './delivery-items.js';
import { ENTITY } from './item.js';
import { indexKeys, keys, COUNTER_SHARDS } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

/** Pages of the log one request reads at most when filtering by outcome. */
const LOG_PAGES_PER_REQUEST = 4;

export class DynamoDeliveryStore implements DeliveryStore {
  constructor(private readonly table: Table) {}

  async get(partnerId: PartnerId, webhookId: string): Promise<Delivery | undefined> {
    const item = await this.table.get(keys.delivery(partnerId, webhookId));
    return item ? toDelivery(item) : undefined;
  }

  async put(delivery: Delivery): Promise<boolean> {
    const pointer = unmatchedEmailPointerItem(delivery);
    const inbox = delivery.outcome === 'unmatched';
    if (!pointer && !inbox) return this.table.putNew(deliveryItem(delivery));
    const outcome = await this.table.transact([
      {
        role: 'delivery',
        item: { Put: { TableName: this.table.name, Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(pk)' } },
      },
      ...(pointer ? [{ role: 'pointer' as const, item: { Put: { TableName: this.table.name, Item: pointer } } }] : []),
      // The inbox count moves in the same write as the inbox.
      ...(inbox ? [{ role: 'pointer' as const, item: unmatchedCounterUpdate(this.table.name, delivery.webhookId, 1) }] : []),
    ]);
    if (outcome.ok) return true;
    if ('failed' in outcome && outcome.failed.includes('delivery')) return false;
    throw new WriteContention(`storing delivery ${delivery.partnerId}/${delivery.webhookId}`);
  }

  async replace(delivery: Delivery, expectedOutcome: DeliveryOutcome): Promise<boolean> {
    const condition = {
      ConditionExpression: '#outcome = :expected',
      ExpressionAttributeNames: { '#outcome': 'outcome' },
      ExpressionAttributeValues: { ':expected': expectedOutcome },
    };
    const pointer = unmatchedEmailPointerItem(delivery);
    const outcome = await this.table.transact([
      { role: 'delivery', item: { Put: { TableName: this.table.name, Item: deliveryItem(delivery), ...condition } } },
      ...(pointer ? [{ role: 'pointer' as const, item: { Put: { TableName: this.table.name, Item: pointer } } }] : []),
    ]);
    if (outcome.ok) return true;
    if ('failed' in outcome) return false;
    throw new WriteContention(`replacing delivery ${delivery.partnerId}/${delivery.webhookId}`);
  }

  async listForPartner(
    partnerId: PartnerId,
    options: { outcome?: DeliveryOutcome; limit: number; cursor?: string },
  ): Promise<Page<DeliveryLogEntry>> {
    const partition = indexKeys.partnerDeliveriesPartition(partnerId);
    const entries: DeliveryLogEntry[] = [];
    let cursor = options.cursor;
    // A filtered page may hold fewer entries than asked for: read on (each read asks only for what
    // is still missing, so no page is cut in the middle) up to a few pages per request.
    for (let page = 0; page < LOG_PAGES_PER_REQUEST; page++) {
      const read = await this.table.queryPage(
        {
          IndexName: GSI.log.name,
          KeyConditionExpression: 'gsi3pk = :pk',
          ...(options.outcome ? { FilterExpression: '#outcome = :outcome', ExpressionAttributeNames: { '#outcome': 'outcome' } } : {}),
          ExpressionAttributeValues: { ':pk': partition, ...(options.outcome ? { ':outcome': options.outcome } : {}) },
          ScanIndexForward: false,
          Limit: options.limit - entries.length,
        },
        cursor,
        GSI.log.cursor(partition),
      );
      entries.push(...read.items.map(toDeliveryLogEntry));
      cursor = read.next;
      if (!cursor || entries.length >= options.limit) break;
    }
    return { items: entries, ...(cursor ? { next: cursor } : {}) };
  }

  async listInbox(limit: number, cursor?: string): Promise<Page<DeliverySummary>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.attention.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': indexKeys.unmatchedPartition },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
      GSI.attention.cursor(indexKeys.unmatchedPartition),
    );
    return { ...page, items: page.items.map(toDeliverySummary) };
  }

  async listUnmatchedSince(receivedAfter: string, limit: number, cursor?: string): Promise<Page<DeliverySummary>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.attention.name,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk > :after',
        ExpressionAttributeValues: { ':pk': indexKeys.unmatchedPartition, ':after': receivedAfter },
        Limit: limit,
      },
      cursor,
      GSI.attention.cursor(indexKeys.unmatchedPartition),
    );
    return { ...page, items: page.items.map(toDeliverySummary) };
  }

  async listWaiting(owner: WaitingOwner, limit: number, cursor?: string): Promise<Page<DeliverySummary>> {
    const partition =
      'email' in owner
        ? indexKeys.unmatchedEmailPartition(owner.email)
        : 'studentId' in owner
          ? indexKeys.unmatchedStudentPartition(owner.studentId)
          : indexKeys.unmatchedAccountPartition(owner.partnerId, owner.externalId);
    const page = await this.table.queryPage(
      { IndexName: GSI.owner.name, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Limit: limit },
      cursor,
      GSI.owner.cursor(partition),
    );
    return { ...page, items: page.items.map(toDeliverySummary) };
  }

  async settleWaiting(
    partnerId: PartnerId,
    webhookId: string,
    outcome: DeliveryOutcome,
    reason: string,
    studentId: string | undefined,
    at: string,
  ) {
    if (outcome === 'unmatched') {
      // Still waiting, but now under its student (known since the account was linked).
      const owner = studentId ? indexKeys.unmatchedForStudent(studentId, at, webhookId) : undefined;
      return this.table.conditionalUpdate({
        Key: keys.delivery(partnerId, webhookId),
        UpdateExpression: `SET reason = :reason${owner ? ', studentId = :student, gsi1pk = :opk, gsi1sk = :osk' : ''}`,
        ConditionExpression: 'outcome = :unmatched',
        ExpressionAttributeValues: {
          ':reason': reason,
          ':unmatched': 'unmatched',
          ...(owner ? { ':student': studentId, ':opk': owner.gsi1pk, ':osk': owner.gsi1sk } : {}),
        },
      });
    }
    return this.settle(partnerId, webhookId, { outcome, reason, at, also: studentId ? { studentId } : {} });
  }

  async dismiss(partnerId: PartnerId, webhookId: string, dismissal: Dismissal) {
    return this.settle(partnerId, webhookId, { outcome: 'ignored', reason: 'dismissed', at: dismissal.at, also: { dismissal } });
  }

  async countUnmatched(): Promise<number> {
    const shards = await Promise.all(Array.from({ length: COUNTER_SHARDS }, (_, shard) => this.table.get(keys.unmatchedCounter(shard))));
    return Math.max(
      0,
      shards.reduce((n, item) => n + Number(item?.count ?? 0), 0),
    );
  }

  async queueReapply(studentId: string, at: string): Promise<void> {
    // One entry per student: queueing again moves it to the back with the newer time.
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.reapplyQueued(studentId),
          ...indexKeys.reapplyQueue(at, studentId),
          [ENTITY]: 'reapplyQueued',
          studentId,
          queuedAt: at,
        },
      }),
    );
  }

  async listReapplyQueue(limit: number): Promise<Array<{ studentId: string; queuedAt: string }>> {
    const items = await this.table.queryOnce({
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': indexKeys.reapplyQueuePartition },
      Limit: limit,
    });
    return items.map((item) => ({ studentId: item.studentId as string, queuedAt: item.queuedAt as string }));
  }

  async dequeueReapply(studentId: string, queuedAt: string): Promise<void> {
    try {
      await this.table.db.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.reapplyQueued(studentId),
          ConditionExpression: 'queuedAt = :at',
          ExpressionAttributeValues: { ':at': queuedAt },
        }),
      );
    } catch (error) {
      // Queued again meanwhile: that queueing is the reconciler's next job.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Settles a still-unmatched delivery and deletes its email pointer, in one transaction. */
  private async settle(partnerId: PartnerId, webhookId: string, settle: Parameters<typeof settleUpdate>[2]): Promise<boolean> {
    const outcome = await this.table.transact([
      { role: 'delivery', item: { Update: { TableName: this.table.name, ...settleUpdate(partnerId, webhookId, settle) } } },
      { role: 'pointer', item: { Delete: { TableName: this.table.name, Key: keys.unmatchedEmailPointer(partnerId, webhookId) } } },
      { role: 'pointer', item: unmatchedCounterUpdate(this.table.name, webhookId, -1) },
    ]);
    if (outcome.ok) return true;
    if ('failed' in outcome) return false;
    throw new WriteContention(`settling delivery ${partnerId}/${webhookId}`);
  }
}
