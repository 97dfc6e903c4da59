// When a program's students are reminded of steps that stay open: the rules a program sets (or the
// default), checked from untrusted input, and when each reminder falls due.
import { DomainError } from './errors.js';

/**
 * When a student is reminded of a step that started and is not completed: `afterDays` after it
 * started, then every `thenEveryDays` (null: no repeats), `max` reminders at most per step.
 */
export interface ReminderRules {
  afterDays: number[];
  thenEveryDays: number | null;
  max: number;
}

/** Reminders 3 and 10 days after a step starts, then weekly, at most 5 per step. */
export const DEFAULT_REMINDERS: ReminderRules = { afterDays: [3, 10], thenEveryDays: 7, max: 5 };

const MAX_REMINDER_DAYS = 365;
const MAX_REMINDERS = 20;
/** A whole number from min to max (untrusted input). */
export const isIntegerIn = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** Checks reminder rules from untrusted input: null turns reminders off. */
export function validateReminders(input: unknown, where: string): ReminderRules | null {
  const invalid = (message: string) => new DomainError('INVALID_PROGRAM', `${where}: reminders${message}`);
  if (input === null) return null;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalid(' must be {"afterDays": [3, 10], "thenEveryDays": 7, "max": 5}, or null for no reminders');
  }
  const r = input as Record<string, unknown>;
  const unknown = Object.keys(r).filter((key) => !['afterDays', 'thenEveryDays', 'max'].includes(key));
  if (unknown.length > 0) throw invalid(` has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (!Array.isArray(r.afterDays) || r.afterDays.length > 10 || !r.afterDays.every((d) => isIntegerIn(d, 1, MAX_REMINDER_DAYS))) {
    throw invalid(`.afterDays must be a list of at most 10 whole numbers of days from 1 to ${MAX_REMINDER_DAYS}`);
  }
  const afterDays = r.afterDays;
  if (afterDays.some((d, i) => i > 0 && d <= afterDays[i - 1]!)) throw invalid('.afterDays must go up (e.g. [3, 10])');
  const thenEveryDays = r.thenEveryDays ?? null;
  if (thenEveryDays !== null && !isIntegerIn(thenEveryDays, 1, MAX_REMINDER_DAYS)) {
    throw invalid(`.thenEveryDays must be a whole number of days from 1 to ${MAX_REMINDER_DAYS}, or null for no repeats`);
  }
  if (!isIntegerIn(r.max, 1, MAX_REMINDERS)) throw invalid(`.max must be a whole number from 1 to ${MAX_REMINDERS}`);
  if (afterDays.length === 0 && thenEveryDays === null) throw invalid(' need afterDays or thenEveryDays (or use null for none)');
  return { afterDays: [...afterDays], thenEveryDays, max: r.max };
}

/** How many days after a step started its reminder number `n` (1 for the first) is due; undefined: there is none. */
export function reminderOffsetDays(rules: ReminderRules, n: number): number | undefined {
  if (n < 1 || n > rules.max) return undefined;
  if (n <= rules.afterDays.length) return rules.afterDays[n - 1];
  if (rules.thenEveryDays === null) return undefined;
  return (rules.afterDays.at(-1) ?? 0) + (n - rules.afterDays.length) * rules.thenEveryDays;
}

/** True when two sets of reminder rules are the same (null: none). */
export function sameReminders(a: ReminderRules | null, b: ReminderRules | null): boolean {
  return JSON.stringify(a && [a.afterDays, a.thenEveryDays, a.max]) === JSON.stringify(b && [b.afterDays, b.thenEveryDays, b.max]);
}
