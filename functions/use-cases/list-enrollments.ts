// The admin's enrollment lists: pick the list of the index that serves the filters best (README,
// "Which index serves which list"), read it in batches, keep the rows that pass every filter, and
// stop at a page of rows or at the read bound — whichever comes first. A cursor continues exactly
// after the last row returned (or the last entry read), so a page may be short, even empty, while
// more may exist: the cursor says so.
import { createHash } from 'node:crypto';
import {
  ENROLLMENT_STATUSES,
  matchesFilters,
  searchKey,
  searchSuffixes,
  toSummary,
  type EnrollmentSummary,
  type ListFilters,
} from '../domain/enrollment-list.js';
import type { EnrollmentStore, ListSource } from './ports/enrollments.js';
import type { Clock } from './ports/services.js';
import type { StudentStore } from './ports/students.js';

/** Index entries one request reads at most, whatever the filters: the bound on its cost. */
export const MAX_ENTRIES_READ = 400;
/** Students a search request reads the enrollments of, at most (one owner-index query each). */
export const MAX_STUDENTS_READ = 20;
export const DEFAULT_PAGE = 25;
export const MAX_PAGE = 100;

export interface ListPage {
  enrollments: EnrollmentSummary[];
  /** Present when more may exist (pass it back as `cursor`). */
  cursor?: string;
}

/** Which list of the index a set of filters reads: the one whose partitions already apply the most of them. */
export function listSourceFor(filters: ListFilters, now: Date): ListSource {
  const fingerprint = createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
  // Stuck: the attention index already holds exactly the in-progress steps by start time, oldest first.
  if (filters.stuckDays !== undefined) {
    const stuckBefore = new Date(now.getTime() - filters.stuckDays * 24 * 3600_000).toISOString();
    return { order: 'created', ascending: true, statuses: ['active'], stuckBefore, fingerprint };
  }
  const order = filters.sort.startsWith('updated') ? 'updated' : 'created';
  const byProgram = order === 'created' && filters.programId !== undefined;
  const source: Omit<ListSource, 'fingerprint'> = {
    order,
    ascending: filters.sort.endsWith('_asc'),
    statuses: filters.status ? [filters.status] : ENROLLMENT_STATUSES,
    ...(byProgram ? { programId: filters.programId } : {}),
    ...(order === 'created' && filters.createdFrom ? { createdFrom: filters.createdFrom } : {}),
    ...(order === 'created' && filters.createdTo ? { createdTo: filters.createdTo } : {}),
  };
  return { ...source, fingerprint };
}

type ListDeps = { enrollments: EnrollmentStore; students: StudentStore; clock: Clock };

export async function listEnrollments(
  deps: ListDeps,
  filters: ListFilters,
  options: { limit: number; cursor?: string; maxRead?: number },
): Promise<ListPage> {
  if (filters.q) return searchEnrollments(deps, filters, options);
  const now = deps.clock.now();
  const source = listSourceFor(filters, now);
  const maxRead = options.maxRead ?? MAX_ENTRIES_READ;
  const rows: EnrollmentSummary[] = [];
  let cursor = options.cursor;
  let read = 0;
  // Each batch reads at most the rows still wanted (per partition), so a page never reads far past its end.
  while (read < maxRead) {
    const perPartition = Math.max(1, Math.min(options.limit - rows.length + 1, Math.floor((maxRead - read) / source.statuses.length)));
    const batch = await deps.enrollments.readList(source, cursor, perPartition);
    read += batch.read;
    if (batch.read === 0 && batch.rows.length === 0 && batch.next !== undefined) break; // nothing read: never spin
    for (const row of batch.rows) {
      if (!matchesFilters(row.summary, filters, now)) continue;
      rows.push(row.summary);
      if (rows.length === options.limit) return { enrollments: rows, ...(isLast(row, batch) ? {} : { cursor: row.after }) };
    }
    if (batch.next === undefined) return { enrollments: rows };
    cursor = batch.next;
  }
  return { enrollments: rows, ...(cursor ? { cursor } : {}) };
}

/** The row ends the list: it is the batch's last and the batch says nothing follows. */
const isLast = (row: { after: string }, batch: { rows: Array<{ after: string }>; next?: string }) =>
  batch.next === undefined && batch.rows.at(-1)?.after === row.after;

/**
 * With `q`: the search index gives the students whose name or email contains it (in the order of
 * the matching text), and each one's enrollments come from the owner index, newest first, through
 * the other filters. A student is read once: only at the first (smallest) of their suffixes that
 * matches, so one with several matches never appears twice, across pages either.
 */
async function searchEnrollments(deps: ListDeps, filters: ListFilters, options: { limit: number; cursor?: string }): Promise<ListPage> {
  const text = searchKey(filters.q!);
  const now = deps.clock.now();
  const rows: EnrollmentSummary[] = [];
  let cursor = options.cursor;
  let students = 0;
  for (;;) {
    const page = await deps.students.match(text, MAX_STUDENTS_READ, cursor);
    for (const [i, match] of page.items.entries()) {
      const first = searchSuffixes(match.studentName, match.studentEmail).find((s) => s.startsWith(text));
      if (first !== match.suffix) continue;
      const enrollments = await deps.enrollments.listForStudent(match.studentId);
      rows.push(
        ...enrollments
          .map(({ enrollment, steps }) => toSummary(enrollment, steps))
          .filter((summary) => matchesFilters(summary, filters, now)),
      );
      students++;
      // A page ends after a whole student, so the cursor never splits one student's enrollments.
      if (rows.length >= options.limit || students >= MAX_STUDENTS_READ) {
        const more = i < page.items.length - 1 || page.next !== undefined;
        return { enrollments: rows, ...(more ? { cursor: await cursorAfter(deps, text, cursor, i + 1) } : {}) };
      }
    }
    if (!page.next) return { enrollments: rows };
    cursor = page.next;
  }
}

/** The search cursor after the first `consumed` matches of the page that started at `from`. */
async function cursorAfter(deps: ListDeps, text: string, from: string | undefined, consumed: number): Promise<string> {
  const page = await deps.students.match(text, consumed, from);
  return page.next!;
}
