// The admin's enrollment lists: what a row of a list shows (the summary), and the filters a list
// may take, as pure rules. Which index serves which filter is the adapter's business (README,
// "Which index serves which list"); whether a summary passes a filter is decided here, once.
import { foldEmail } from './email.js';
import {
  isOpen,
  progress,
  type Enrollment,
  type EnrollmentStatus,
  type EnrollmentStep,
  type Progress,
  type StepStatus,
} from './enrollment.js';
import type { PartnerId } from './partners.js';

/** One step as a list row shows it (and as list filters read it). */
export interface SummaryStep {
  partnerId: PartnerId;
  courseId: string;
  status: StepStatus;
  startedAt?: string;
  /** When an open step is due (due dates, #13): what `overdue` reads. */
  dueAt?: string;
}

/** A list row: one enrollment, without its timeline or the details of its steps. */
export interface EnrollmentSummary {
  id: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  status: EnrollmentStatus;
  createdAt: string;
  /** The last thing that happened to it: a step started, completed, waived, skipped or closed; completed, cancelled; its certificate issued. */
  updatedAt: string;
  completedAt?: string;
  cancelledAt?: string;
  certificateId?: string;
  progress: Progress;
  steps: SummaryStep[];
}

export const ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['active', 'completed', 'cancelled'];

export type ListSort = 'created' | 'updated' | 'created_asc' | 'updated_asc';
export const LIST_SORTS: readonly ListSort[] = ['created', 'updated', 'created_asc', 'updated_asc'];

export interface ListFilters {
  programId?: string;
  status?: EnrollmentStatus;
  partnerId?: PartnerId;
  /** A step (at `partnerId`, when given) in this status. */
  stepStatus?: StepStatus;
  /** In progress on a step for more than this many days. */
  stuckDays?: number;
  /** An open step whose due date has passed. */
  overdue?: boolean;
  /** Created on or after / on or before (ISO timestamps, inclusive). */
  createdFrom?: string;
  createdTo?: string;
  /** Part of the student's name or email, any case. */
  q?: string;
  sort: ListSort;
}

const DAY_MS = 24 * 3600 * 1000;

/** The row of an enrollment in its state now. */
export function toSummary(enrollment: Enrollment, steps: readonly EnrollmentStep[]): EnrollmentSummary {
  return {
    id: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    status: enrollment.status,
    createdAt: enrollment.createdAt,
    updatedAt: lastChange(enrollment, steps),
    ...(enrollment.completedAt ? { completedAt: enrollment.completedAt } : {}),
    ...(enrollment.cancellation ? { cancelledAt: enrollment.cancellation.at } : {}),
    ...(enrollment.certificateId ? { certificateId: enrollment.certificateId } : {}),
    progress: progress(steps),
    steps: steps.map((s) => ({
      partnerId: s.partnerId,
      courseId: s.courseId,
      status: s.status,
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      // #13 (due dates): an open step's due date, read by the `overdue` filter.
      ...(isOpen(s) && dueAtOf(s) ? { dueAt: dueAtOf(s) } : {}),
    })),
  };
}

/** #13 adds `dueAt` to steps; until then no step has one and nothing is overdue. */
const dueAtOf = (step: EnrollmentStep): string | undefined => (step as EnrollmentStep & { dueAt?: string }).dueAt;

/** The latest time anything happened to the enrollment (its creation, when nothing has since). */
export function lastChange(enrollment: Enrollment, steps: readonly EnrollmentStep[]): string {
  const times = [
    enrollment.createdAt,
    enrollment.completedAt,
    enrollment.cancellation?.at,
    enrollment.certificateIssuedAt,
    ...steps.flatMap((s) => [s.startedAt, s.completedAt, s.closedAt]),
  ].filter((t): t is string => t !== undefined);
  return times.reduce((latest, t) => (t > latest ? t : latest));
}

/** Whether a row passes every filter (the ones its index already applied pass again, harmlessly). */
export function matchesFilters(summary: EnrollmentSummary, filters: ListFilters, now: Date): boolean {
  if (filters.programId && summary.programId !== filters.programId) return false;
  if (filters.status && summary.status !== filters.status) return false;
  if (filters.createdFrom && summary.createdAt < filters.createdFrom) return false;
  if (filters.createdTo && summary.createdAt > filters.createdTo) return false;
  if (filters.partnerId || filters.stepStatus) {
    const matching = summary.steps.some(
      (s) => (!filters.partnerId || s.partnerId === filters.partnerId) && (!filters.stepStatus || s.status === filters.stepStatus),
    );
    if (!matching) return false;
  }
  if (filters.stuckDays !== undefined) {
    const before = new Date(now.getTime() - filters.stuckDays * DAY_MS).toISOString();
    const stuck = summary.steps.some(
      (s) =>
        s.status === 'in_progress' &&
        s.startedAt !== undefined &&
        s.startedAt < before &&
        (!filters.partnerId || s.partnerId === filters.partnerId),
    );
    if (!stuck) return false;
  }
  if (filters.overdue) {
    const at = now.toISOString();
    if (!summary.steps.some((s) => s.dueAt !== undefined && s.dueAt < at)) return false;
  }
  if (filters.q) {
    const needle = foldText(filters.q);
    if (!foldText(summary.studentName).includes(needle) && !foldEmail(summary.studentEmail).includes(needle)) return false;
  }
  return true;
}

/** Case-folded for search: lower case, whitespace collapsed. */
export function foldText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The longest name or email part the search index holds (longer text is matched on its first this many characters). */
export const SEARCH_TEXT_CHARS = 48;

/**
 * What the search index holds for a student: every suffix (of two characters or more) of their
 * folded name and email, so any part of either is the start of one of them: one prefix query
 * finds every student whose name or email contains a text.
 */
export function searchSuffixes(name: string, email: string): string[] {
  const suffixes = new Set<string>();
  for (const text of [foldText(name).slice(0, SEARCH_TEXT_CHARS), foldEmail(email).slice(0, SEARCH_TEXT_CHARS)]) {
    for (let i = 0; i + 2 <= text.length; i++) if (text[i] !== ' ') suffixes.add(text.slice(i));
  }
  return [...suffixes].sort();
}

/** What a search looks up in the index: the folded text, cut to what the index holds. */
export const searchKey = (q: string) => foldText(q).slice(0, SEARCH_TEXT_CHARS);
