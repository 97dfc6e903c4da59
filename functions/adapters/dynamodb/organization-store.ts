// The organization's settings: one item, every save conditional on the version it replaces.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { OrganizationSettings } from '../../domain/organization.js';
import type { OrganizationStore } from '../../use-cases/ports/organization.js';
import { ENTITY } from './item.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

export class DynamoOrganizationStore implements OrganizationStore {
  constructor(private readonly table: Table) {}

  async get(): Promise<OrganizationSettings | undefined> {
    const item = await this.table.get(keys.organization);
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, [ENTITY]: _entity, ...settings } = item;
    return settings as unknown as OrganizationSettings;
  }

  async save(settings: OrganizationSettings, expectedVersion: number): Promise<boolean> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.organization, [ENTITY]: 'organization', ...settings, version: expectedVersion + 1 },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/**
 * Settings read through a short cache: warm functions reread them at most every `ttlMs`, so an
 * admin's change reaches every function within that time, at one read per function per period.
 */
export class CachedOrganizationStore implements OrganizationStore {
  private cached?: { at: number; value: OrganizationSettings | undefined };

  constructor(
    private readonly store: OrganizationStore,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(): Promise<OrganizationSettings | undefined> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.value;
    const value = await this.store.get();
    this.cached = { at: this.now(), value };
    return value;
  }

  async save(settings: OrganizationSettings, expectedVersion: number): Promise<boolean> {
    this.cached = undefined;
    return this.store.save(settings, expectedVersion);
  }
}
