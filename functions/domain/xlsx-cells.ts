// A worksheet cell's number as the text a coordinator sees, by its number format: a date as
// YYYY-MM-DD (what the mapping's default date format reads), a date with a time as
// "YYYY-MM-DD HH:MM:SS", a time alone as HH:MM:SS, a percentage as "85%", any other number as
// its shortest decimal text.
export type NumberKind = 'number' | 'percent' | 'date' | 'datetime' | 'time';

/** Excel's built-in number formats that are not plain numbers (ids 27–36 and 50–58 are East Asian dates). */
const BUILT_IN: Record<number, string> = {
  9: '0%',
  10: '0.00%',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
};
for (const id of [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]) BUILT_IN[id] = 'yyyy-mm-dd';

/** What a number format (its id, and the workbook's own format codes) shows a number as. */
export function numberKind(formatId: number, customFormats: ReadonlyMap<number, string>): NumberKind {
  const code = customFormats.get(formatId) ?? BUILT_IN[formatId] ?? 'General';
  // The section for positive numbers, without literal text ("…", \x), padding (_x), fill (*x),
  // colors and locales ([Red], [$-409]); elapsed-time brackets ([h], [mm]) stay.
  const section = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\.|_.|\*./g, '')
    .replace(/\[([^\]]*)\]/g, (_, inner: string) => (/^[hms]+$/i.test(inner) ? inner : ''))
    .replace(/AM\/PM|A\/P/gi, '')
    .split(';')[0]!;
  const time = /[hs]/i.test(section);
  const date = /[dy]/i.test(section) || (/m/i.test(section) && !time);
  if (date) return time ? 'datetime' : 'date';
  if (time) return 'time';
  return section.includes('%') ? 'percent' : 'number';
}

/** Day 0 of each date system (1900's is a day early: Excel counts 1900-02-29, so this is right from March 1900 on). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 9999-12-31, Excel's last day. */
const LAST_SERIAL = 2_958_465;

/** A cell's stored number (its `<v>` text) as it shows; a value that is no number stays as stored. */
export function numberText(stored: string, kind: NumberKind, date1904: boolean): string {
  const value = Number(stored);
  if (stored.trim() === '' || !Number.isFinite(value)) return stored;
  if (kind === 'number') return String(value);
  if (kind === 'percent') return `${Number((value * 100).toPrecision(15))}%`;
  if (value < 0 || value > LAST_SERIAL) return String(value);
  let days = Math.floor(value);
  let seconds = Math.round((value - days) * 86_400);
  if (seconds === 86_400) [days, seconds] = [days + 1, 0];
  const iso = new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + days * 86_400_000 + seconds * 1000).toISOString();
  if (kind === 'date') return iso.slice(0, 10);
  if (kind === 'time') return iso.slice(11, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
