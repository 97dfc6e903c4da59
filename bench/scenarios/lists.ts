// The enrollment list's read cost (GET /api/admin/enrollments) at each dashboard size: one page
// of each filter kind (a status's list, a program's, last change, a creation range, and the
// filters the index cannot serve directly, read from a bounded number of entries). The CI guard
// requires each to cost no more at 10,000 enrollments than at 1,000.
import type { BenchBaton } from '../harness.js';
import { totalRequests, type DynamoTally } from '../instrument.js';

/** Small enough that every list fills its page at 1,000 enrollments (a program has ~20 of them), so the sizes compare like for like. */
const PAGE = 5;

export interface ListRead {
  query: string;
  requests: number;
  dynamo: DynamoTally;
  /** Rows on the page, and whether it said more may exist. */
  shown: { rows: number; more: boolean };
}

export function listQueries(programId: string, now: Date): string[] {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  return [
    'status=active',
    `programId=${programId}`,
    `programId=${programId}&status=completed`,
    'sort=updated',
    `createdFrom=${daysAgo(30)}&createdTo=${daysAgo(10)}`,
    'partnerId=hsi&stepStatus=in_progress',
    'stuck=true',
  ];
}

export async function measureListReads(bench: BenchBaton, programId: string, now: Date): Promise<ListRead[]> {
  const reads: ListRead[] = [];
  for (const query of listQueries(programId, now)) {
    const { result, tally } = await bench.dynamo.measure(() => bench.admin('GET', `/api/admin/enrollments?${query}&limit=${PAGE}`));
    if (result.status !== 200) throw new Error(`GET /api/admin/enrollments?${query} answered ${result.status}`);
    const body = result.body as { enrollments: unknown[]; cursor?: string };
    reads.push({ query, requests: totalRequests(tally), dynamo: tally, shown: { rows: body.enrollments.length, more: !!body.cursor } });
  }
  return reads;
}

/**
 * Which list reads cost more at the larger size: more requests or more items read. Read units are
 * not compared: they follow the sizes of the rows that happen to be on the page (programs differ in
 * steps), not the size of the table.
 */
export function listGrowth(small: readonly ListRead[], large: readonly ListRead[]): string[] {
  return large.flatMap((read) => {
    const before = small.find((s) => s.query === read.query);
    if (!before) return [];
    const grew: string[] = [];
    if (read.requests > before.requests) grew.push(`requests ${before.requests} → ${read.requests}`);
    if (read.dynamo.itemsRead > before.dynamo.itemsRead) grew.push(`items read ${before.dynamo.itemsRead} → ${read.dynamo.itemsRead}`);
    return grew.map((g) => `list ?${read.query}: ${g}`);
  });
}
