// The CI guard: counts measured by `npm run bench -- --quick` against bench/budgets.json.
// Counts only — requests, capacity units, transitions, alarms, metrics, keys, bundle KiB — never time.
import { readFileSync } from 'node:fs';

export type Budgets = Record<string, Record<string, number>>;
export type Measured = Record<string, Record<string, number>>;

export interface BudgetCheck {
  scope: string;
  metric: string;
  budget: number;
  measured: number;
  /** `unbudgeted`: measured with no budget (a new function, a new count) — fails until one is written. */
  status: 'ok' | 'over' | 'under' | 'unbudgeted';
}

export const UPDATE_COMMAND = 'npm run bench -- --quick --update-budgets';

export function loadBudgets(file: string): Budgets {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const budgets: Budgets = {};
  for (const [scope, metrics] of Object.entries(parsed)) {
    if (scope.startsWith('$')) continue; // $comment
    budgets[scope] = metrics as Record<string, number>;
  }
  return budgets;
}

/**
 * Every budgeted metric against its measurement: over budget fails; under budget passes (the
 * budget should then be lowered, to lock the gain in). A budget with no measurement is an error:
 * a renamed metric must not silently stop being guarded. A measurement with no budget fails too:
 * a new function's bundle is guarded from the commit that adds it.
 */
export function checkBudgets(budgets: Budgets, measured: Measured): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  for (const [scope, metrics] of Object.entries(budgets)) {
    for (const [metric, budget] of Object.entries(metrics)) {
      const value = measured[scope]?.[metric];
      if (value === undefined)
        throw new Error(`bench/budgets.json has ${scope}.${metric} but the benchmark measured no such count (run ${UPDATE_COMMAND})`);
      const status = value > budget + 1e-9 ? 'over' : value < budget - 1e-9 ? 'under' : 'ok';
      checks.push({ scope, metric, budget, measured: value, status });
    }
  }
  for (const [scope, metrics] of Object.entries(measured)) {
    for (const [metric, value] of Object.entries(metrics)) {
      if (budgets[scope]?.[metric] === undefined) checks.push({ scope, metric, budget: NaN, measured: value, status: 'unbudgeted' });
    }
  }
  return checks;
}

/** The failure line for a check that fails (over budget, or no budget). */
export function describeFailure(check: BudgetCheck): string {
  return check.status === 'unbudgeted'
    ? `${check.scope}.${check.metric} measured ${check.measured} and has no budget: run ${UPDATE_COMMAND} and commit bench/budgets.json`
    : `${check.scope}.${check.metric} measured ${check.measured}, budget ${check.budget}`;
}
