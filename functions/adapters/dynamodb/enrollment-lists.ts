// Reading the list index (gsi4): one list is one or more partitions read in one order (a status's
// list, or the three statuses merged), and a cursor says where each partition stopped. Every read
// is a Query with a Limit, so a batch reads at most `batch` entries per partition.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.js';
import type { ListBatch, ListSource } from '../../use-cases/ports/enrollments.js';
import { toEnrollmentSummary } from './enrollment-items.js';
import type { Item } from './item.js';
import { indexKeys, keys, listKeys } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

type Position = Record<string, string>;
/** Where each partition of a list stopped: its last entry read, or null once it is exhausted; absent: not started. */
type Positions = Record<string, Position | null>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi4pk', 'gsi4sk'] as const;

/** The partitions of a list, each with its key condition. */
function partitionsOf(source: ListSource): string[] {
  return source.statuses.map((status) =>
    source.order === 'updated'
      ? listKeys.lastChangePartition(status)
      : source.programId
        ? listKeys.programPartition(source.programId, status)
        : listKeys.createdPartition(status),
  );
}

export async function readListBatch(table: Table, source: ListSource, cursor: string | undefined, batch: number): Promise<ListBatch> {
  if (source.stuckBefore) return readStuckBatch(table, source, cursor, batch);
  const partitions = partitionsOf(source);
  const positions: Positions = cursor ? decodeListCursor(cursor, source.fingerprint, partitions) : {};
  const range =
    source.order === 'created' && (source.createdFrom || source.createdTo)
      ? { from: source.createdFrom ?? '0000', to: `${source.createdTo ?? '9999'}~` }
      : undefined;

  // One page of each partition that has more.
  const pages = await Promise.all(
    partitions.map(async (partition) => {
      const at = positions[partition];
      if (at === null) return { partition, items: [] as Item[], more: false };
      const result = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: GSI.list.name,
          KeyConditionExpression: range ? 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to' : 'gsi4pk = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...(range ? { ':from': range.from, ':to': range.to } : {}) },
          ScanIndexForward: source.ascending,
          Limit: batch,
          ...(at ? { ExclusiveStartKey: at } : {}),
        }),
      );
      return { partition, items: result.Items ?? [], more: result.LastEvaluatedKey !== undefined };
    }),
  );
  const read = pages.reduce((n, p) => n + p.items.length, 0);

  // Merge in the list's order. An entry may be emitted only while every partition that has more
  // than it read still has entries waiting: past that point its next page could hold earlier ones.
  const heads = pages.map((p) => ({ ...p, next: 0 }));
  const before = (a: Item, b: Item) =>
    source.ascending ? (a.gsi4sk as string) < (b.gsi4sk as string) : (a.gsi4sk as string) > (b.gsi4sk as string);
  const current: Positions = { ...positions };
  const rows: ListBatch['rows'] = [];
  for (;;) {
    if (heads.some((h) => h.more && h.next >= h.items.length)) break;
    const waiting = heads.filter((h) => h.next < h.items.length);
    if (waiting.length === 0) break;
    const head = waiting.reduce((best, h) => (before(h.items[h.next]!, best.items[best.next]!) ? h : best));
    const item = head.items[head.next++]!;
    current[head.partition] = !head.more && head.next >= head.items.length ? null : keyOf(item);
    rows.push({ summary: toEnrollmentSummary(item), after: encodeListCursor(source.fingerprint, current) });
  }
  // Partitions read to their end are done even when nothing of them was emitted.
  for (const h of heads) if (!h.more && h.next >= h.items.length) current[h.partition] = null;
  const exhausted = partitions.every((p) => current[p] === null);
  return { rows, read, ...(exhausted ? {} : { next: encodeListCursor(source.fingerprint, current) }) };
}

const STUCK_KEY_ATTRIBUTES = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;

/**
 * The stuck list: the attention index's in-progress steps started before `stuckBefore`, oldest
 * first, each read back as its enrollment's row (one GetItem). An enrollment with several stuck
 * steps is listed once, at its oldest one, so pages never repeat it.
 */
async function readStuckBatch(table: Table, source: ListSource, cursor: string | undefined, batch: number): Promise<ListBatch> {
  const partition = indexKeys.inProgressPartition;
  const start = cursor ? decodeListCursor(cursor, source.fingerprint, [partition], STUCK_KEY_ATTRIBUTES, 'gsi2pk')[partition] : undefined;
  if (start === null) return { rows: [], read: 0 };
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
      ExpressionAttributeValues: { ':pk': partition, ':before': source.stuckBefore },
      ScanIndexForward: true,
      Limit: batch,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const steps = result.Items ?? [];
  const more = result.LastEvaluatedKey !== undefined;
  const enrollments = await Promise.all(steps.map((step) => table.get(keys.enrollment(step.enrollmentId as string))));
  const rows: ListBatch['rows'] = [];
  steps.forEach((step, i) => {
    const last = i === steps.length - 1 && !more;
    const after = encodeListCursor(source.fingerprint, { [partition]: last ? null : keyOf(step, STUCK_KEY_ATTRIBUTES) });
    const enrollment = enrollments[i];
    if (!enrollment) return;
    const summary = toEnrollmentSummary(enrollment);
    const oldest = summary.steps
      .map((s, index) => ({ ...s, index }))
      .filter((s) => s.status === 'in_progress' && s.startedAt)
      .sort((a, b) => a.startedAt!.localeCompare(b.startedAt!) || a.index - b.index)[0];
    if (oldest?.index !== step.index) return; // listed at its oldest stuck step
    rows.push({ summary, after });
  });
  const next = more ? encodeListCursor(source.fingerprint, { [partition]: keyOf(steps.at(-1)!, STUCK_KEY_ATTRIBUTES) }) : undefined;
  return { rows, read: steps.length + enrollments.length, ...(next ? { next } : {}) };
}

const keyOf = (item: Item, attributes: readonly string[] = KEY_ATTRIBUTES): Position =>
  Object.fromEntries(attributes.map((name) => [name, item[name] as string]));

function encodeListCursor(fingerprint: string, positions: Positions): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, p: positions })).toString('base64url');
}

/** A cursor back into positions, checked: made for this list, naming only its partitions, each an entry of that partition. */
function decodeListCursor(
  cursor: string,
  fingerprint: string,
  partitions: readonly string[],
  attributes: readonly string[] = KEY_ATTRIBUTES,
  partitionAttribute = 'gsi4pk',
): Positions {
  const refuse = () => new DomainError('VALIDATION_FAILED', 'cursor is not one this list returned; start again without it');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof parsed !== 'object' || parsed === null) throw refuse();
  const { f, p } = parsed as { f?: unknown; p?: unknown };
  if (f !== fingerprint)
    throw new DomainError('VALIDATION_FAILED', 'cursor belongs to a list with other filters or another order; start again without it');
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw refuse();
  const positions: Positions = {};
  for (const [partition, position] of Object.entries(p as Record<string, unknown>)) {
    if (!partitions.includes(partition)) throw refuse();
    if (position === null) {
      positions[partition] = null;
      continue;
    }
    const key = position as Record<string, unknown>;
    const valid =
      typeof key === 'object' &&
      Object.keys(key).sort().join() === [...attributes].sort().join() &&
      attributes.every((name) => typeof key[name] === 'string' && key[name].length > 0 && key[name].length <= 1024) &&
      key[partitionAttribute] === partition;
    if (!valid) throw refuse();
    positions[partition] = key as Position;
  }
  return positions;
}
