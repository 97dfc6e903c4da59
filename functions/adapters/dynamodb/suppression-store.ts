// Suppressed addresses: one item per address, read before every send.
import type { Suppression } from '../../domain/suppression.js';
import type { SuppressionList } from '../../use-cases/ports/suppressions.js';
import { ENTITY, pick } from './item.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

const FIELDS = ['email', 'reason', 'at', 'detail'] as const satisfies ReadonlyArray<keyof Suppression>;

export class DynamoSuppressionList implements SuppressionList {
  constructor(private readonly table: Table) {}

  async get(email: string): Promise<Suppression | undefined> {
    const item = await this.table.get(keys.suppression(email));
    return item ? (pick(item, FIELDS) as unknown as Suppression) : undefined;
  }

  async add(suppression: Suppression): Promise<void> {
    await this.table.put({ ...keys.suppression(suppression.email), [ENTITY]: 'suppression', ...pick(suppression, FIELDS) });
  }
}
