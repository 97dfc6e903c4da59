// The one table every store works on: reads, conditional writes, transactions, and the one
// translation of DynamoDB's refusals into outcomes. A failed condition comes back as the role of
// the item whose condition failed; a transaction cancelled only because it collided with another
// is `contention`. Neither is retried here: callers decide again on fresh state, through the one
// retry helper (use-cases/retry.ts), so no loop nests inside another.
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
import { DomainError } from '../../domain/errors.js';
import type { Page } from '../../use-cases/ports/page.js';
import type { Item } from './item.js';
import type { Key } from './keys.js';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** A transaction item and what it stands for, so a failed condition can be named. */
export interface RoledItem<R extends string> {
  role: R;
  item: TransactItem;
}

export type TransactOutcome<R extends string> = { ok: true } | { ok: false; failed: R[] } | { ok: false; contention: true };

/** DynamoDB's limit for a sort key value; partition keys may be longer, none of ours are. */
const MAX_KEY_BYTES = 1024;

export class Table {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** A strongly consistent read, unless `consistent: false` (half the read units, may lag a write by a moment). */
  async get(key: Key, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: options.consistent ?? true }))).Item;
  }

  /** Every item of a query, following pages. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The first page of a query (its Limit bounds what is read). */
  async queryOnce(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return (await this.db.send(new QueryCommand({ TableName: this.name, ...input }))).Items ?? [];
  }

  /** One page of a query; the cursor is checked against the keys the query's index has. */
  async queryPage(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    cursor: string | undefined,
    cursorKeys: CursorShape,
  ): Promise<Page<Item>> {
    const result = await this.db.send(
      new QueryCommand({ TableName: this.name, ...input, ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, cursorKeys) } : {}) }),
    );
    return { items: result.Items ?? [], ...(result.LastEvaluatedKey ? { next: encodeCursor(result.LastEvaluatedKey) } : {}) };
  }

  /** A put that replaces whatever item has the key. */
  async put(item: Item): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.name, Item: item }));
  }

  /** A put that must not overwrite: false when the item exists. */
  async putNew(item: Item): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** An update under a condition: false when the condition fails. */
  async conditionalUpdate(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.name, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The writes, all or none: one TransactWriteItems, its cancellation reasons turned into the roles
   * that failed, or contention. A single write goes as the plain conditional write it is: the same
   * condition, atomic by itself, at half a transaction's write units.
   */
  async transact<R extends string>(items: ReadonlyArray<RoledItem<R>>): Promise<TransactOutcome<R>> {
    if (items.length === 1) return this.writeOne(items[0]!);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      const failed = items.filter((_, i) => codes[i] === 'ConditionalCheckFailed').map((i) => i.role);
      if (failed.length > 0 && codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
        return { ok: false, failed: [...new Set(failed)] };
      }
      // Cancelled for colliding with another transaction, having written nothing: try again later.
      if (codes.includes('TransactionConflict') && codes.every((c) => c === 'None' || c === 'TransactionConflict')) {
        return { ok: false, contention: true };
      }
      throw error;
    }
  }

  private async writeOne<R extends string>({ role, item }: RoledItem<R>): Promise<TransactOutcome<R>> {
    try {
      if (item.Put) await this.db.send(new PutCommand(item.Put));
      else if (item.Update) await this.db.send(new UpdateCommand(item.Update));
      else if (item.Delete) await this.db.send(new DeleteCommand(item.Delete));
      else throw new Error('a condition check alone writes nothing');
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { ok: false, failed: [role] };
      throw error;
    }
  }
}

/** The key attributes a page cursor of a query must hold (a table query, or an index's). */
export interface CursorShape {
  attributes: readonly string[];
  /** The partition the cursor must be in, when it is one fixed partition. */
  partition?: { attribute: string; value: string };
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * A cursor back into the LastEvaluatedKey it came from: exactly the key attributes of an entry of
 * that query. Anything else would make DynamoDB fail the query (a 500), so it is a 400 here.
 */
function decodeCursor(cursor: string, shape: CursorShape): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not JSON: the validation error below
  }
  const record = typeof key === 'object' && key !== null && !Array.isArray(key) ? (key as Record<string, unknown>) : {};
  const valid =
    Object.keys(record).sort().join() === [...shape.attributes].sort().join() &&
    Object.values(record).every((v) => typeof v === 'string' && v !== '' && Buffer.byteLength(v) <= MAX_KEY_BYTES) &&
    (!shape.partition || record[shape.partition.attribute] === shape.partition.value);
  if (!valid) throw new DomainError('VALIDATION_FAILED', 'cursor is not one this API returned; start again without it');
  return record as Record<string, string>;
}
