// Reading an export's rows one slice at a time: the enrollments of a list from a cursor (pages of
// the list until the slice has its rows), each read in full with its student's partner accounts
// and its certificate; or the certificates issued in a date range. A slice ends at a page's end,
// so its cursor is one the list itself gave: the next slice, in this run or the next, starts there.
// A slice also ends when the run's time does (a filter few rows match reads many pages for them).
import type { Certificate } from '../domain/certificates.js';
import type { ListFilters } from '../domain/enrollment-list.js';
import type { Program } from '../domain/programs.js';
import type { Student } from '../domain/student.js';
import { certificateRow, enrollmentRow } from './export-rows.js';
import type { RunDeps } from './exports.js';
import { listEnrollments, MAX_PAGE } from './list-enrollments.js';
import { inParallel } from './in-parallel.js';

/** A row as built, and how many step groups it has (rows are padded to the file's most when it is assembled). */
export interface BuiltRow {
  row: unknown[];
  steps: number;
}

export interface Slice {
  rows: BuiltRow[];
  /** Where the next slice starts; absent: the list has no more rows. */
  next?: string;
}

/** Enrollments (or certificates) read at once: the rows of a page are read together, this many in flight. */
const CONCURRENCY = 32;

export async function enrollmentSlice(
  deps: RunDeps,
  filters: ListFilters,
  programs: ReadonlyMap<string, Program>,
  from: string | undefined,
  size: number,
  timeLeft: () => boolean,
): Promise<Slice> {
  // A student in several programs is read once per slice.
  const students = new Map<string, Promise<Student | undefined>>();
  const rows: BuiltRow[] = [];
  let cursor = from;
  do {
    const page = await listEnrollments(deps, filters, { limit: Math.min(MAX_PAGE, size), ...(cursor ? { cursor } : {}) });
    const built = await inParallel(page.enrollments, CONCURRENCY, async (summary) => {
      // The student is read beside the enrollment (the list row names them): one round trip, not two in turn.
      if (!students.has(summary.studentId)) {
        const student = deps.students.get(summary.studentId);
        student.catch(() => undefined); // a failure reaches the row that awaits it, not the process (an enrollment gone meanwhile awaits none)
        students.set(summary.studentId, student);
      }
      const snapshot = await deps.enrollments.load(summary.id);
      if (!snapshot) return undefined;
      const { state } = snapshot;
      const certificateId = state.enrollment.certificateId;
      const [student, certificate] = await Promise.all([
        students.get(state.enrollment.studentId),
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
    rows.push(...built.filter((r) => r !== undefined));
    cursor = page.cursor;
  } while (cursor && rows.length < size && timeLeft());
  return { rows, ...(cursor ? { next: cursor } : {}) };
}

export async function certificateSlice(
  deps: RunDeps,
  range: { issuedFrom: string; issuedTo: string },
  programs: ReadonlyMap<string, Program>,
  from: string | undefined,
  size: number,
  timeLeft: () => boolean,
): Promise<Slice> {
  const rows: BuiltRow[] = [];
  let cursor = from;
  do {
    const page = await deps.certificateRecords.listIssued(range.issuedFrom, range.issuedTo, MAX_PAGE, cursor);
    const read = await inParallel(page.items, CONCURRENCY, (id) => deps.certificateRecords.get(id));
    for (const c of read.filter((c): c is Certificate => c !== undefined))
      rows.push({ row: certificateRow(c, programs.get(c.programId), deps.settings.siteUrl), steps: 0 });
    cursor = page.next;
  } while (cursor && rows.length < size && timeLeft());
  return { rows, ...(cursor ? { next: cursor } : {}) };
}
