// Dates and counts as people read them, in the browser's language.
const DAY_MS = 24 * 3600 * 1000;

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
/** A calendar date a person entered (stored as its UTC midnight): the same day in every time zone. */
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const formatDay = (iso: string) => dayFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const formatTime = (date: Date) => timeFormat.format(date);

/** Whole days between an instant and now (0 on the same day's 24 hours). */
function daysSince(iso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / DAY_MS));
}

/** "today", "yesterday", "5 days ago". */
export function daysAgo(iso: string, now = Date.now()): string {
  const days = daysSince(iso, now);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Days stuck, with a fraction only when it matters (fractions of a day are allowed as thresholds). */
export function formatDays(days: number): string {
  if (days >= 10 || Number.isInteger(days)) return plural(Math.floor(days), 'day');
  return `${days.toFixed(1)} days`;
}
