// How a report file's rows are read: the column mapping a partner's completion report is saved
// with (on the partner, `csv`), and the rules that turn one row into a completion event or into
// the reason it is invalid. Bulk enrollment's columns are fixed (email, name, program, and one
// column per partner account). Every reason names the column and the value, as a coordinator
// fixing the sheet needs it.
import * as z from 'zod/mini';
import { isEmailAddress, normalizeEmail } from './email.js';
import { validationError } from './errors.js';
import type { PartnerResult } from './enrollment.js';
import type { PartnerCourse } from './partners.js';

export type StatusValue = PartnerResult | 'ignore';
export type DateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY';

export interface CsvMapping {
  /** Column names as they appear in the header row. */
  columns: {
    studentId?: string;
    email?: string;
    courseId?: string;
    courseName?: string;
    completedAt?: string;
    /** A partner credential's own expiry (an HSI card's date), read with `dateFormat`. */
    credentialExpiresAt?: string;
    status?: string;
    score?: string;
  };
  /** The status column's values (compared without case or surrounding spaces); a value not listed makes the row invalid. */
  statusValues?: Record<string, StatusValue>;
  dateFormat?: DateFormat;
}

const column = z.string().check(z.trim(), z.minLength(1, 'must name a column'), z.maxLength(200));

export const csvMappingSchema = z.strictObject({
  columns: z.strictObject({
    studentId: z.optional(column),
    email: z.optional(column),
    courseId: z.optional(column),
    courseName: z.optional(column),
    completedAt: z.optional(column),
    credentialExpiresAt: z.optional(column),
    status: z.optional(column),
    score: z.optional(column),
  }),
  statusValues: z.optional(
    z
      .record(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), z.enum(['completed', 'passed', 'ignore']))
      .check(z.refine((values) => Object.keys(values).length <= 100, { error: 'at most 100 values' })),
  ),
  dateFormat: z.optional(z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY'])),
});

/** The rules zod cannot say field by field: a row must name its student and its course. */
export function checkCsvMapping(mapping: z.infer<typeof csvMappingSchema>): CsvMapping {
  const { columns } = mapping;
  if (!columns.studentId && !columns.email)
    throw validationError('csv.columns: needs studentId or email (or both), so a row names its student');
  if (!columns.courseId && !columns.courseName)
    throw validationError('csv.columns: needs courseId or courseName, so a row names its course');
  if (columns.status && !mapping.statusValues)
    throw validationError('csv.statusValues: is required with a status column (e.g. {"Pass": "passed", "Fail": "ignore"})');
  const defined = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  return {
    columns: defined,
    ...(mapping.statusValues ? { statusValues: normalizedKeys(mapping.statusValues) } : {}),
    ...(mapping.dateFormat ? { dateFormat: mapping.dateFormat } : {}),
  };
}

const fold = (value: string) => value.trim().toLowerCase();
const normalizedKeys = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [fold(k), v]));

/** A row as read: the header's names to the cells' text. */
export type Row = Readonly<Record<string, string>>;

/** The mapping's columns in the order a report lists them (stored maps come back in any order). */
export function mappedColumns(mapping: CsvMapping): string[] {
  const order = ['studentId', 'email', 'courseId', 'courseName', 'completedAt', 'credentialExpiresAt', 'status', 'score'] as const;
  return order.flatMap((key) => (mapping.columns[key] ? [mapping.columns[key]] : []));
}

/** The header's columns the mapping names that the file lacks (matched without case or surrounding spaces). */
export function missingColumns(header: readonly string[], wanted: readonly string[]): string[] {
  const present = new Set(header.map(fold));
  return wanted.filter((name) => !present.has(fold(name)));
}

/** A row keyed by folded column names, so "Exam Date" finds "exam date ". */
export function foldRow(header: readonly string[], cells: readonly string[]): Row {
  const row: Record<string, string> = {};
  header.forEach((name, i) => (row[fold(name)] = (cells[i] ?? '').trim()));
  return row;
}

const cell = (row: Row, name: string | undefined) => (name ? (row[fold(name)] ?? '') : '');

export type RowVerdict<T> = { ok: true; value: T } | { ok: false; outcome: 'invalid' | 'ignored' | 'duplicate'; reason: string };

export interface CompletionRow {
  externalId?: string;
  email?: string;
  courseId: string;
  result: PartnerResult;
  /** ISO date-time (midnight UTC of the day the report gives), when the report has the column. */
  occurredAt?: string;
  score?: number;
  /** The partner credential's expiry (midnight UTC of the day), when the row gives one. */
  credentialExpiresAt?: string;
}

const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;

/** One completion report row → the completion it reports, or why not. */
export function readCompletionRow(row: Row, mapping: CsvMapping, courses: readonly PartnerCourse[], now: Date): RowVerdict<CompletionRow> {
  const { columns } = mapping;
  const invalid = (reason: string): RowVerdict<CompletionRow> => ({ ok: false, outcome: 'invalid', reason });
  let result: PartnerResult = 'completed';
  if (columns.status) {
    const raw = cell(row, columns.status);
    const value = mapping.statusValues?.[fold(raw)];
    if (!value) return invalid(`${columns.status}: "${raw.slice(0, 60)}" is not one of the mapped status values`);
    if (value === 'ignore') return { ok: false, outcome: 'ignored', reason: `${columns.status}: "${raw.slice(0, 60)}" is ignored` };
    result = value;
  }
  const externalId = cell(row, columns.studentId);
  if (externalId && !IDENTIFIER.test(externalId)) return invalid(`${columns.studentId}: must be printable characters without spaces`);
  const rawEmail = cell(row, columns.email);
  let email: string | undefined;
  if (rawEmail) {
    if (!isEmailAddress(rawEmail)) return invalid(`${columns.email}: "${rawEmail.slice(0, 80)}" is not an email address`);
    email = normalizeEmail(rawEmail);
  }
  if (!externalId && !email) return invalid(`no student: ${[columns.studentId, columns.email].filter(Boolean).join(' and ')} empty`);
  const courseId = courseOf(row, mapping, courses);
  if ('error' in courseId) return invalid(courseId.error);
  let occurredAt: string | undefined;
  if (columns.completedAt) {
    const date = parseDate(cell(row, columns.completedAt), mapping.dateFormat ?? 'YYYY-MM-DD', now);
    if ('error' in date) return invalid(`${columns.completedAt}: ${date.error}`);
    occurredAt = date.iso;
  }
  let credentialExpiresAt: string | undefined;
  const rawExpiry = cell(row, columns.credentialExpiresAt);
  if (rawExpiry) {
    const date = parseExpiryDate(rawExpiry, mapping.dateFormat ?? 'YYYY-MM-DD');
    if ('error' in date) return invalid(`${columns.credentialExpiresAt}: ${date.error}`);
    credentialExpiresAt = date.iso;
  }
  let score: number | undefined;
  const rawScore = cell(row, columns.score);
  if (rawScore) {
    score = Number(rawScore.replace(/%$/, ''));
    if (!Number.isFinite(score) || score < 0 || score > 100_000)
      return invalid(`${columns.score}: "${rawScore.slice(0, 20)}" is not a score`);
  }
  return {
    ok: true,
    value: {
      ...(externalId ? { externalId } : {}),
      ...(email ? { email } : {}),
      courseId: courseId.id,
      result,
      ...(occurredAt ? { occurredAt } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(credentialExpiresAt ? { credentialExpiresAt } : {}),
    },
  };
}

function courseOf(row: Row, mapping: CsvMapping, courses: readonly PartnerCourse[]): { id: string } | { error: string } {
  const { courseId, courseName } = mapping.columns;
  const id = cell(row, courseId);
  if (id) return IDENTIFIER.test(id) ? { id } : { error: `${courseId}: must be printable characters without spaces` };
  const name = cell(row, courseName);
  if (!name) return { error: `no course: ${[courseId, courseName].filter(Boolean).join(' and ')} empty` };
  const found = courses.find((c) => fold(c.name) === fold(name) || fold(c.courseId) === fold(name));
  return found ? { id: found.courseId } : { error: `${courseName}: "${name.slice(0, 80)}" is not one of the partner's courses` };
}

const DATE_PATTERNS: Record<DateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})/, order: [1, 2, 3] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, order: [3, 1, 2] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, order: [3, 2, 1] },
};

/** A report's date (a time after it, as "3/14/2026 10:02 AM", is allowed and not kept): the day, at midnight UTC. */
export function parseDate(raw: string, format: DateFormat, now: Date): { iso: string } | { error: string } {
  const day = parseDay(raw, format);
  if ('error' in day) return day;
  if (day.at.getUTCFullYear() < 2000 || day.at.getTime() > now.getTime() + 86_400_000)
    return { error: `"${raw.slice(0, 40)}" is before 2000 or in the future` };
  return { iso: day.at.toISOString() };
}

/** A credential's expiry is usually in the future: the same bounds as the webhook's `credential_expires_at`. */
function parseExpiryDate(raw: string, format: DateFormat): { iso: string } | { error: string } {
  const day = parseDay(raw, format);
  if ('error' in day) return day;
  if (day.at.getUTCFullYear() < 2000 || day.at.getUTCFullYear() >= 2100)
    return { error: `"${raw.slice(0, 40)}" is not between 2000-01-01 and 2100-01-01` };
  return { iso: day.at.toISOString() };
}

/** A year first is unambiguous: an XLSX date cell reads as YYYY-MM-DD whatever format the mapping gives its text dates. */
const ISO_DAY = /^\d{4}-\d{1,2}-\d{1,2}/;

function parseDay(raw: string, format: DateFormat): { at: Date } | { error: string } {
  const { pattern, order } = DATE_PATTERNS[ISO_DAY.test(raw) ? 'YYYY-MM-DD' : format];
  const match = pattern.exec(raw);
  if (!match) return { error: `"${raw.slice(0, 40)}" is not a date as ${format}` };
  const [year, month, day] = order.map((i) => Number(match[i]));
  const at = new Date(Date.UTC(year!, month! - 1, day));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month! - 1 || at.getUTCDate() !== day)
    return { error: `"${raw.slice(0, 40)}" is not a day of the calendar (as ${format})` };
  return { at };
}

/** The columns of a bulk enrollment file (matched without case); `account:<partnerId>` or the partner's id names an account column. */
export const ENROLLMENT_COLUMNS = { email: 'email', name: 'name', program: 'program' } as const;

export interface EnrollmentRow {
  email: string;
  name?: string;
  /** The program column's text: an id or a name, resolved against the catalog by the use case. */
  program: string;
  partnerAccounts: Record<string, string>;
}

/** One bulk enrollment row → what to enroll, or why not. `partnerIds` are the header's partner columns. */
export function readEnrollmentRow(row: Row, partnerIds: readonly string[]): RowVerdict<EnrollmentRow> {
  const invalid = (reason: string): RowVerdict<EnrollmentRow> => ({ ok: false, outcome: 'invalid', reason });
  const rawEmail = cell(row, ENROLLMENT_COLUMNS.email);
  if (!isEmailAddress(rawEmail)) return invalid(`email: "${rawEmail.slice(0, 80)}" is not an email address`);
  const program = cell(row, ENROLLMENT_COLUMNS.program);
  if (!program) return invalid('program: empty');
  const name = cell(row, ENROLLMENT_COLUMNS.name);
  if (name.length > 120) return invalid('name: over 120 characters');
  const partnerAccounts: Record<string, string> = {};
  for (const partnerId of partnerIds) {
    const account = cell(row, partnerId);
    if (!account) continue;
    if (!IDENTIFIER.test(account)) return invalid(`${partnerId}: must be printable characters without spaces`);
    partnerAccounts[partnerId] = account;
  }
  return { ok: true, value: { email: normalizeEmail(rawEmail), ...(name ? { name } : {}), program, partnerAccounts } };
}
