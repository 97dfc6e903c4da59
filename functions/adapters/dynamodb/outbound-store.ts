// Outbound events in DynamoDB: endpoints in one partition, events in the sparse OUTBOX index until
// relayed, deliveries in their endpoint's partition and in the due index while an attempt is due.
// Every replacement is conditional on the item as it was read, so two attempts of one delivery (a
// queue redelivery and a sweep) cannot both record.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboundEvent } from '../../domain/outbound-events.js';
import type { Page } from '../../use-cases/ports/page.js';
import type { DeliveryRef, EventDelivery, EventEndpoint, OutboundStore, StoredEvent } from '../../use-cases/ports/outbound.js';
import { sameValue } from './item-diff.js';
import type { Item } from './item.js';
import { deliveryItem, endpointItem, eventItem, outboundKeys, toDelivery, toEndpoint, toStoredEvent } from './outbound-items.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

export class DynamoOutboundStore implements OutboundStore {
  constructor(private readonly table: Table) {}

  async putEndpoint(endpoint: EventEndpoint): Promise<void> {
    await this.table.putNew(endpointItem(endpoint));
  }

  async replaceEndpoint(endpoint: EventEndpoint, expected: EventEndpoint): Promise<boolean> {
    return this.replace(endpointItem(endpoint), endpointItem(expected));
  }

  async getEndpoint(endpointId: string): Promise<EventEndpoint | undefined> {
    const item = await this.table.get(outboundKeys.endpoint(endpointId));
    return item ? toEndpoint(item) : undefined;
  }

  async listEndpoints(): Promise<EventEndpoint[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': outboundKeys.endpointsPartition },
      ConsistentRead: true,
    });
    return items.map(toEndpoint);
  }

  async deleteEndpoint(endpointId: string): Promise<boolean> {
    try {
      await this.table.db.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: outboundKeys.endpoint(endpointId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listOutbox(limit: number, cursor?: string): Promise<Page<StoredEvent>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.attention.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': outboundKeys.outboxPartition },
        Limit: limit,
      },
      cursor,
      GSI.attention.cursor(outboundKeys.outboxPartition),
    );
    // The index holds the event's id; the event itself is read from the table (its data is not projected).
    const events = await Promise.all(page.items.map((item) => this.getEvent(item.id as string)));
    return { items: events.filter((e): e is StoredEvent => e !== undefined), ...(page.next ? { next: page.next } : {}) };
  }

  async getEvent(eventId: string): Promise<StoredEvent | undefined> {
    const item = await this.table.get(outboundKeys.event(eventId));
    return item ? toStoredEvent(item) : undefined;
  }

  async putEvent(event: StoredEvent): Promise<void> {
    const { gsi2pk: _pk, gsi2sk: _sk, ...item } = eventItem(event as OutboundEvent, event.id);
    await this.table.putNew({ ...item, ...(event.payload ? { payload: event.payload } : {}) });
  }

  async relay(event: StoredEvent, payload: string, deliveries: EventDelivery[]): Promise<void> {
    // Each delivery on its own: one that exists (an earlier relay that died half-way) stays as it is.
    for (const delivery of deliveries) await this.table.putNew(deliveryItem(delivery));
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: outboundKeys.event(event.id),
        UpdateExpression: 'SET #payload = if_not_exists(#payload, :payload) REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#payload': 'payload' },
        ExpressionAttributeValues: { ':payload': payload },
      }),
    );
  }

  async getDelivery(ref: DeliveryRef): Promise<EventDelivery | undefined> {
    const item = await this.table.get(outboundKeys.delivery(ref.endpointId, ref.eventId));
    return item ? toDelivery(item) : undefined;
  }

  async replaceDelivery(delivery: EventDelivery, expected: EventDelivery): Promise<boolean> {
    return this.replace(deliveryItem(delivery), deliveryItem(expected));
  }

  async listDue(at: string, limit: number): Promise<DeliveryRef[]> {
    const items = await this.table.queryOnce({
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :at',
      ExpressionAttributeValues: { ':pk': outboundKeys.duePartition, ':at': at },
      Limit: limit,
    });
    return items.map((item) => ({ endpointId: item.endpointId as string, eventId: item.eventId as string }));
  }

  async listDeliveries(endpointId: string, limit: number, cursor?: string): Promise<Page<EventDelivery>> {
    const partition = outboundKeys.deliveriesPartition(endpointId);
    const page = await this.table.queryPage(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': outboundKeys.deliveryPrefix },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
      { attributes: ['pk', 'sk'], partition: { attribute: 'pk', value: partition } },
    );
    return { ...page, items: page.items.map(toDelivery) };
  }

  /** Puts `next` only if the stored item is still exactly `expected` (compared attribute by attribute). */
  private async replace(next: Item, expected: Item): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const clauses = Object.entries(expected)
      .filter(([name]) => name !== 'pk' && name !== 'sk')
      .map(([name, value], i) => {
        names[`#c${i}`] = name;
        values[`:c${i}`] = value;
        return `#c${i} = :c${i}`;
      });
    const absent = Object.keys(next)
      .filter((name) => !(name in expected) && name !== 'pk' && name !== 'sk')
      .map((name, i) => {
        names[`#n${i}`] = name;
        return `attribute_not_exists(#n${i})`;
      });
    if (sameValue(next, expected)) return true;
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: next,
          ConditionExpression: ['attribute_exists(pk)', ...clauses, ...absent].join(' AND '),
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The outbox items of a save, for the same transaction (see enrollment-store.ts). */
export const outboxPut = (
  tableName: string,
  item: Item,
): NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number] => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});
