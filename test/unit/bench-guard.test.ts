// The CI guard's pure parts: budgets against measured counts, DynamoDB's capacity rules for
// transactions, the dashboard growth check, and the import's peak starts in one second.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBudgets, describeFailure, loadBudgets } from '../../bench/budgets.js';
import { itemSize, writeUnits, type ItemImage } from '../../bench/capacity-model.js';
import { dashboardGrowth, type DashboardPoint } from '../../bench/scenarios/dashboard.js';
import type { ListRead } from '../../bench/scenarios/lists.js';
import { peakInWindow } from '../../bench/scenarios/import-throughput.js';
import { emptyTally } from '../../bench/instrument.js';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';

describe('the budget check', () => {
  it('fails a count above its budget and passes one at or below it', () => {
    const checks = checkBudgets(
      { 'webhook-applied': { dynamodbRequests: 4, writeUnits: 16 }, enrollment: { stateTransitions: 14 } },
      { 'webhook-applied': { dynamodbRequests: 5, writeUnits: 16 }, enrollment: { stateTransitions: 11 } },
    );

    expect(checks.map((c) => [`${c.scope}.${c.metric}`, c.status])).toEqual([
      ['webhook-applied.dynamodbRequests', 'over'],
      ['webhook-applied.writeUnits', 'ok'],
      ['enrollment.stateTransitions', 'under'],
    ]);
  });

  it('refuses a budget the benchmark no longer measures, so a renamed count cannot go unguarded', () => {
    expect(() => checkBudgets({ enrollment: { stateTransitions: 14 } }, { enrollment: { transitions: 14 } })).toThrow(
      /enrollment\.stateTransitions/,
    );
  });

  it('fails an alarm count, a custom-metric count or a bundle that grows past its budget', () => {
    const budgets = { stack: { alarmMetrics: 10, customMetrics: 4 }, 'bundle-gzip-kib': { health: 16 } };
    const checks = checkBudgets(budgets, { stack: { alarmMetrics: 12, customMetrics: 5 }, 'bundle-gzip-kib': { health: 17 } });

    expect(checks.map((c) => [`${c.scope}.${c.metric}`, c.status])).toEqual([
      ['stack.alarmMetrics', 'over'],
      ['stack.customMetrics', 'over'],
      ['bundle-gzip-kib.health', 'over'],
    ]);
    expect(
      checkBudgets(budgets, { stack: { alarmMetrics: 10, customMetrics: 4 }, 'bundle-gzip-kib': { health: 16 } }).map((c) => c.status),
    ).toEqual(['ok', 'ok', 'ok']);
  });

  it('fails a function (or any count) measured with no budget, and says how to write one', () => {
    const [check] = checkBudgets({ 'bundle-gzip-kib': {} }, { 'bundle-gzip-kib': { 'import-students': 140 } });

    expect(check!.status).toBe('unbudgeted');
    expect(describeFailure(check!)).toBe(
      'bundle-gzip-kib.import-students measured 140 and has no budget: run npm run bench -- --quick --update-budgets and commit bench/budgets.json',
    );
  });

  it('reads budgets.json, skipping $comment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'budgets-')), 'budgets.json');
    writeFileSync(file, JSON.stringify({ $comment: 'why', enrollment: { stateTransitions: 14 } }));

    expect(loadBudgets(file)).toEqual({ enrollment: { stateTransitions: 14 } });
  });
});

const item = (attrs: Record<string, string>): ItemImage => Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { S: v }]));
const INDEXES = TABLE_SCHEMA.indexes;

describe("DynamoDB's write capacity rules", () => {
  it('sizes items by attribute names and values', () => {
    expect(itemSize({ pk: { S: 'ab' }, n: { N: '123' }, ok: { BOOL: true } })).toBe(2 + 2 + 1 + 3 + 2 + 1);
    expect(itemSize({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + 1 + 2 + 1);
  });

  it('charges a transactional write two units per started KB of each item', () => {
    const small = item({ pk: 'a', sk: 'b' });
    const large = item({ pk: 'a', sk: 'b', body: 'x'.repeat(1500) });

    expect(writeUnits(undefined, small, INDEXES, true)).toEqual({ table: 2, index: 0 });
    expect(writeUnits(small, large, INDEXES, true)).toEqual({ table: 4, index: 0 });
    expect(writeUnits(small, small, INDEXES, false)).toEqual({ table: 1, index: 0 });
  });

  it('adds one index write to add or remove an entry, two to move it, one to rewrite what it projects in place, none for the rest', () => {
    const plain = item({ pk: 'a', sk: 'b' });
    const indexed = item({ pk: 'a', sk: 'b', gsi2pk: 'IN_PROGRESS', gsi2sk: '2026-01-01' });
    const moved = item({ pk: 'a', sk: 'b', gsi2pk: 'IN_PROGRESS', gsi2sk: '2026-02-01' });
    const rewritten = item({ pk: 'a', sk: 'b', gsi2pk: 'IN_PROGRESS', gsi2sk: '2026-01-01', studentName: 'x' });
    const unprojected = item({ pk: 'a', sk: 'b', gsi2pk: 'IN_PROGRESS', gsi2sk: '2026-01-01', rawBody: 'x'.repeat(5000) });

    expect(writeUnits(plain, indexed, INDEXES, false).index).toBe(1);
    expect(writeUnits(indexed, plain, INDEXES, false).index).toBe(1);
    expect(writeUnits(indexed, moved, INDEXES, false).index).toBe(2);
    expect(writeUnits(indexed, rewritten, INDEXES, false).index).toBe(1);
    expect(writeUnits(indexed, moved, INDEXES, true).index).toBe(4);
    // A raw body no index projects is written to the table alone.
    expect(writeUnits(indexed, unprojected, INDEXES, false)).toEqual({ table: 5, index: 0 });
    expect(writeUnits(undefined, unprojected, INDEXES, false)).toEqual({ table: 5, index: 1 });
  });
});

const listRead = (query: string, requests: number, itemsRead: number): ListRead => ({
  query,
  requests,
  dynamo: { ...emptyTally(), requests: { Query: requests }, itemsRead, readUnits: itemsRead / 10 },
  shown: { rows: 25, more: true },
});
const point = (enrollments: number, requests: number, itemsRead: number, readUnits: number, lists: ListRead[] = []): DashboardPoint => ({
  enrollments,
  dynamo: { ...emptyTally(), requests: { Query: requests }, itemsRead, readUnits },
  requests,
  ms: { median: 1, min: 1, max: 1, runs: 1 },
  shown: { enrollments, stuck: 0, failures: 0 },
  lists,
});

describe('the dashboard growth check', () => {
  it('passes when reading 10,000 enrollments costs what reading 1,000 does', () => {
    expect(dashboardGrowth(point(1_000, 7, 468, 19.5), point(10_000, 7, 468, 19.5))).toEqual([]);
  });

  it('names every count that grew', () => {
    expect(dashboardGrowth(point(1_000, 7, 468, 19.5), point(10_000, 12, 4_680, 19.5))).toEqual([
      'requests 7 → 12',
      'items read 468 → 4680',
    ]);
  });

  it('names every enrollment list whose page costs more at the larger size', () => {
    const small = [listRead('status=active', 2, 25), listRead('stuck=true', 3, 200)];
    expect(dashboardGrowth(point(1_000, 7, 468, 19.5, small), point(10_000, 7, 468, 19.5, small))).toEqual([]);
    const large = [listRead('status=active', 2, 25), listRead('stuck=true', 5, 400)];
    expect(dashboardGrowth(point(1_000, 7, 468, 19.5, small), point(10_000, 7, 468, 19.5, large))).toEqual([
      'list ?stuck=true: requests 3 → 5',
      'list ?stuck=true: items read 200 → 400',
    ]);
  });
});

describe('peakInWindow', () => {
  it('counts the most starts inside any one-second window, a start a full second later outside it', () => {
    expect(peakInWindow([])).toBe(0);
    expect(peakInWindow([0, 500, 999, 1000, 1999])).toBe(3);
    expect(peakInWindow([0, 1000, 2000, 3000])).toBe(1);
    expect(peakInWindow([5, 5, 5, 2000])).toBe(3);
  });
});
