// Partners in DynamoDB: every partner in one partition (one Query lists them; a webhook reads its
// partner with one GetItem), each save conditional on the version it replaces, with its audit entry
// in the same transaction. The secrets' last-use times on the record are written by the webhook
// function (at most one write per secret an hour); a save carries over the times it read.
import { randomUUID } from 'node:crypto';
import type { Partner, PartnerChange, PartnerId } from '../../domain/partners.js';
import type { PartnerStore } from '../../use-cases/ports/partners.js';
import { WriteContention } from '../../use-cases/retry.js';
import { keys } from './keys.js';
import { partnerChangeItem, partnerItem, toPartner, toPartnerChange } from './partner-items.js';
import type { Table, TransactItem } from './table.js';

export class DynamoPartnerStore implements PartnerStore {
  constructor(private readonly table: Table) {}

  async list(): Promise<Partner[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.partnersPartition },
    });
    return items.map(toPartner).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(partnerId: PartnerId, options: { consistent?: boolean } = {}): Promise<Partner | undefined> {
    const item = await this.table.get(keys.partner(partnerId), options);
    return item ? toPartner(item) : undefined;
  }

  async save(partner: Partner, expectedVersion: number, change: PartnerChange): Promise<boolean> {
    const write: TransactItem = {
      Put: {
        TableName: this.table.name,
        Item: partnerItem(partner),
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    };
    const outcome = await this.table.transact([
      { role: 'partner', item: write },
      { role: 'change', item: { Put: { TableName: this.table.name, Item: partnerChangeItem(partner.id, change, randomUUID()) } } },
    ]);
    if (outcome.ok) return true;
    if ('contention' in outcome) throw new WriteContention(`saving partner ${partner.id}`);
    return false;
  }

  async recordChange(partnerId: PartnerId, change: PartnerChange): Promise<void> {
    await this.table.putNew(partnerChangeItem(partnerId, change, randomUUID()));
  }

  async changes(partnerId: PartnerId, limit: number): Promise<PartnerChange[]> {
    const items = await this.table.queryOnce({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.partnerChangesPartition(partnerId), ':prefix': keys.partnerChangePrefix },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map(toPartnerChange);
  }

  async markSecretUsed(partnerId: PartnerId, secretId: string, at: string, notBefore: string): Promise<void> {
    await this.table.conditionalUpdate({
      Key: keys.partner(partnerId),
      UpdateExpression: 'SET secretsLastUsed.#secret = :at',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(secretsLastUsed.#secret) OR secretsLastUsed.#secret < :notBefore)',
      ExpressionAttributeNames: { '#secret': secretId },
      ExpressionAttributeValues: { ':at': at, ':notBefore': notBefore },
    });
  }
}
