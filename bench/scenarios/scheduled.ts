// What the stack costs when nobody uses it: one run of each scheduled function on a table with
// nothing due, its DynamoDB units, time and log bytes measured in local mode (the bill multiplies
// by the runs a month its schedule makes).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduledRunMeasure } from '../bill/monthly-bill.js';
import type { BenchBaton } from '../harness.js';
import { memoryOf } from '../lambda-bundling.js';
import { measureLogBytes } from '../log-meter.js';
import { spread } from '../stats.js';

export async function measureScheduledRuns(bench: BenchBaton, targets: readonly string[], runs: number): Promise<ScheduledRunMeasure[]> {
  const measured: ScheduledRunMeasure[] = [];
  for (const target of targets) {
    const samples: Array<Omit<ScheduledRunMeasure, 'target' | 'memoryMb'>> = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const {
        result: { tally },
        bytes,
      } = await measureLogBytes(() => bench.dynamo.measure(() => bench.baton.schedules.runNow(target)));
      samples.push({ ms: performance.now() - started, readUnits: tally.readUnits, writeUnits: tally.writeUnits, logBytes: bytes });
    }
    const worst = (pick: (s: (typeof samples)[number]) => number) => Math.max(...samples.map(pick));
    measured.push({
      target,
      memoryMb: memoryOf(target),
      ms: spread(samples.map((s) => s.ms)).median,
      readUnits: worst((s) => s.readUnits),
      writeUnits: worst((s) => s.writeUnits),
      logBytes: worst((s) => s.logBytes),
    });
  }
  return measured;
}

/** Bytes of the files under a directory (local mode's certificates), 0 when it does not exist. */
export function directoryBytes(dir: string): number {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  return entries.reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? directoryBytes(path) : stat.size);
  }, 0);
}
