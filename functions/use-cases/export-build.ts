// Building an export's rows: the enrollments of a list (every page, following its cursor), each
// read in full with its student's partner accounts and its certificate; or the certificates issued
// in a date range. The worker's time is checked between pages: an export that cannot finish in one
// run fails with a sentence saying so, rather than writing a partial file.
import type { Certificate } from '../domain/certificates.js';
import type { ListFilters } from '../domain/enrollment-list.js';
import { DomainError } from '../domain/errors.js';
import type { Program } from '../domain/programs.js';
import type { Student } from '../domain/student.js';
import {
  CERTIFICATE_EXPORT_COLUMNS,
  ENROLLMENT_COLUMNS,
  STEP_COLUMNS,
  certificateRow,
  enrollmentHeader,
  enrollmentRow,
} from './export-rows.js';
import { listEnrollments, MAX_PAGE } from './list-enrollments.js';
import type { RunDeps } from './exports.js';

const outOfTime = () =>
  new DomainError(
    'VALIDATION_FAILED',
    'the export did not finish within one run (15 minutes); narrow the filters (a program, a date range) and start it again',
  );

/** Reads at most this many enrollments at once. */
const CONCURRENCY = 16;

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return results;
}

export async function enrollmentRows(
  deps: RunDeps,
  filters: ListFilters,
  programs: ReadonlyMap<string, Program>,
  timeLeft: () => boolean,
  progress: (rows: number) => Promise<void>,
  every: number,
) {
  const students = new Map<string, Promise<Student | undefined>>();
  // Each enrollment becomes its row at once (its own steps only), so the export holds rows of text,
  // not whole enrollments; rows are padded to the longest program's steps at the end.
  const built: Array<{ row: unknown[]; steps: number }> = [];
  let cursor: string | undefined;
  let reported = 0;
  do {
    if (!timeLeft()) throw outOfTime();
    const page = await listEnrollments(deps, filters, { limit: MAX_PAGE, ...(cursor ? { cursor } : {}) });
    const rows = await inBatches(page.enrollments, async (summary) => {
      const snapshot = await deps.enrollments.load(summary.id);
      if (!snapshot) return undefined;
      const { state } = snapshot;
      const studentId = state.enrollment.studentId;
      if (!students.has(studentId)) students.set(studentId, deps.students.get(studentId));
      const certificateId = state.enrollment.certificateId;
      const [student, certificate] = await Promise.all([
        students.get(studentId),
        certificateId ? deps.certificateRecords.get(certificateId) : undefined,
      ]);
      const program = programs.get(state.enrollment.programId);
      const row = enrollmentRow(state, {
        ...(student ? { student } : {}),
        ...(program ? { program } : {}),
        ...(certificate ? { certificate } : {}),
        siteUrl: deps.settings.siteUrl,
        maxSteps: state.steps.length,
      });
      return { row, steps: state.steps.length };
    });
    built.push(...rows.filter((r) => r !== undefined));
    if (built.length - reported >= every) await progress((reported = built.length));
    cursor = page.cursor;
  } while (cursor);
  const maxSteps = Math.max(0, ...built.map((b) => b.steps));
  return { header: enrollmentHeader(maxSteps), rows: built.map((b) => padSteps(b.row, b.steps, maxSteps)) };
}

/** A row built with `steps` step groups, given empty groups up to `maxSteps` (before the certificate columns). */
function padSteps(row: unknown[], steps: number, maxSteps: number): unknown[] {
  if (steps === maxSteps) return row;
  const at = ENROLLMENT_COLUMNS.length + steps * STEP_COLUMNS.length;
  return [...row.slice(0, at), ...new Array<string>((maxSteps - steps) * STEP_COLUMNS.length).fill(''), ...row.slice(at)];
}

export async function certificateRows(
  deps: RunDeps,
  issuedFrom: string,
  issuedTo: string,
  programs: ReadonlyMap<string, Program>,
  timeLeft: () => boolean,
  progress: (rows: number) => Promise<void>,
  every: number,
) {
  const certificates: Certificate[] = [];
  let cursor: string | undefined;
  let reported = 0;
  do {
    if (!timeLeft()) throw outOfTime();
    const page = await deps.certificateRecords.listIssued(issuedFrom, issuedTo, MAX_PAGE, cursor);
    const read = await inBatches(page.items, (id) => deps.certificateRecords.get(id));
    certificates.push(...read.filter((c): c is Certificate => c !== undefined));
    if (certificates.length - reported >= every) await progress((reported = certificates.length));
    cursor = page.next;
  } while (cursor);
  return {
    header: [...CERTIFICATE_EXPORT_COLUMNS],
    rows: certificates.map((c) => certificateRow(c, programs.get(c.programId), deps.settings.siteUrl)),
  };
}

export const certificateHeaderRow = CERTIFICATE_EXPORT_COLUMNS;
