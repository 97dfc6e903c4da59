// Pipeline counters as items: one item per partner and per program in each of the counter shards,
// each change an ADD, merged so a transaction touches each counter item once.
import { mergeDeltas, type CounterDelta } from '../../domain/counters.js';
import { counterShard, keys } from './keys.js';
import type { TransactItem } from './table.js';

export function counterUpdates(
  tableName: string,
  byEnrollment: ReadonlyArray<{ enrollmentId: string; deltas: readonly CounterDelta[] }>,
): TransactItem[] {
  const perShard = new Map<number, CounterDelta[]>();
  for (const { enrollmentId, deltas } of byEnrollment) {
    const shard = counterShard(enrollmentId);
    perShard.set(shard, [...(perShard.get(shard) ?? []), ...deltas]);
  }
  const updates: TransactItem[] = [];
  for (const [shard, deltas] of perShard) {
    for (const delta of mergeDeltas(deltas)) {
      const changes = Object.entries(delta.changes);
      updates.push({
        Update: {
          TableName: tableName,
          Key: delta.kind === 'partner' ? keys.partnerCounter(shard, delta.partnerId) : keys.programCounter(shard, delta.programId),
          UpdateExpression: `ADD ${changes.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(changes.map(([name], i) => [`#c${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(changes.map(([, value], i) => [`:c${i}`, value])),
        },
      });
    }
  }
  return updates;
}
