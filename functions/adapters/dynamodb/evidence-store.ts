// The evidence review queue in DynamoDB: an item per piece of evidence, queried by status and
// partner on the owner index (gsi1), oldest first.
import type { EvidenceEntry, EvidenceStatus } from '../../domain/evidence.js';
import type { EvidenceStore } from '../../use-cases/ports/evidence.js';
import type { Page } from '../../use-cases/ports/page.js';
import { toEvidenceEntry } from './evidence-items.js';
import { indexKeys, keys } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

export class DynamoEvidenceStore implements EvidenceStore {
  constructor(private readonly table: Table) {}

  async get(evidenceId: string): Promise<EvidenceEntry | undefined> {
    const item = await this.table.get(keys.evidence(evidenceId));
    return item ? toEvidenceEntry(item) : undefined;
  }

  async listByPartner(status: EvidenceStatus, partnerId: string, limit: number, cursor?: string): Promise<Page<EvidenceEntry>> {
    const partition = indexKeys.evidenceQueuePartition(status, partnerId);
    const page = await this.table.queryPage(
      {
        IndexName: GSI.owner.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
      },
      cursor,
      GSI.owner.cursor(partition),
    );
    return { items: page.items.map(toEvidenceEntry), ...(page.next ? { next: page.next } : {}) };
  }
}
