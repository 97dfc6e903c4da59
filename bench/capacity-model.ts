// DynamoDB's documented capacity rules, for the one case DynamoDB Local reports wrongly:
// TransactWriteItems (it rounds the whole transaction as if it were one item, so a transaction
// of four small items reports 2 write units where AWS charges 8). Everything else uses the
// units DynamoDB Local returns, which follow the same rules (checked in test/unit/bench-*.test.ts).
//
// Rules (Amazon DynamoDB Developer Guide, "Capacity unit consumption for write operations",
// "Item sizes", "Capacity management for transactions"):
// - a write consumes one unit per started KB of the larger of the item before and after;
// - a transactional write consumes two units per started KB of each item;
// - each global secondary index the write touches is written too, by the size of the index entry
//   (the table's key, the index's key and the attributes the index projects): adding or removing
//   the item's entry is one write, changing its index key is two (delete + put), changing projected
//   attributes in place is one, and a write that changes nothing the index projects writes none.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type ItemImage = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Size of a number as DynamoDB stores it: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + attributeValueSize(v) + 1, 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + utf8(k) + attributeValueSize(v) + 1, 0);
  return 0;
}

export function itemSize(item: ItemImage | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
}

const kilobytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export interface IndexKeyNames {
  partitionKey: string;
  sortKey: string;
  /** The non-key attributes the index projects (INCLUDE), or every attribute (ALL). */
  projectedAttributes: readonly string[] | 'ALL';
}

const TABLE_KEY = ['pk', 'sk'];

/** The item as the index stores it: the keys and the projected attributes. */
function indexEntry(item: ItemImage | undefined, index: IndexKeyNames): ItemImage | undefined {
  if (!item || index.projectedAttributes === 'ALL') return item;
  const kept = new Set([...TABLE_KEY, index.partitionKey, index.sortKey, ...index.projectedAttributes]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

export interface WriteUnits {
  table: number;
  index: number;
}

const indexKey = (item: ItemImage | undefined, index: IndexKeyNames) => {
  const pk = item?.[index.partitionKey]?.S;
  const sk = item?.[index.sortKey]?.S;
  return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
};

/** Units one write of one item consumes, from its images before and after (undefined = absent). */
export function writeUnits(
  before: ItemImage | undefined,
  after: ItemImage | undefined,
  indexes: readonly IndexKeyNames[],
  transactional: boolean,
): WriteUnits {
  const factor = transactional ? 2 : 1;
  const table = kilobytes(Math.max(itemSize(before), itemSize(after))) * factor;
  let index = 0;
  for (const names of indexes) {
    const was = indexKey(before, names);
    const is = indexKey(after, names);
    const [old, now] = [indexEntry(before, names), indexEntry(after, names)];
    if (was === undefined && is === undefined) continue;
    if (was === undefined) index += kilobytes(itemSize(now));
    else if (is === undefined) index += kilobytes(itemSize(old));
    else if (was !== is) index += kilobytes(itemSize(old)) + kilobytes(itemSize(now));
    else if (canonical(old) !== canonical(now)) index += kilobytes(Math.max(itemSize(old), itemSize(now)));
  }
  return { table, index: index * factor };
}

/** JSON with object keys sorted, so two images of the same item compare equal whatever their order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
