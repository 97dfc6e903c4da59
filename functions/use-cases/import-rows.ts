// One chunk's rows, judged (a dry run: reads only) or applied. A completion row goes through the
// webhook's own path (applyNewCompletion: matching, the unmatched inbox, deduplication by delivery
// id), its delivery id derived from what identifies it: partner, student, course and completion
// date, so the same row in a later or overlapping report applies nothing twice. An enrollment row
// is enrolled exactly as POST /api/enrollments enrolls (enroll), its welcome left to the sweep.
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { CompletionRow, EnrollmentRow, RowVerdict } from '../domain/import-mapping.js';
import type { PartnerId } from '../domain/partners.js';
import type { Program } from '../domain/programs.js';
import { previewPartnerEvent, type ApplyResult, type CompletionEvent } from './apply-partner-event.js';
import { enroll, type EnrollmentDeps } from './enrollments.js';
import { inParallel } from './in-parallel.js';
import type { ImportJob, RowResult } from './ports/imports.js';
import { applyNewCompletion } from './receive-partner-webhook.js';

/**
 * Rows of a chunk applied at once. Each waits on a few DynamoDB round trips; one at a time, a
 * 50,000-row re-upload (every row a duplicate, no workflow to pace) would take most of an hour.
 * Rows of one student at once are webhooks arriving together: the same conditional writes.
 */
export const ROW_CONCURRENCY = 8;

/** A row as the prepare step left it for its chunk: its line, what it names, and its verdict. */
export type WorkRow<T> = { line: number; student?: string; course?: string; verdict: RowVerdict<T> };

/** The delivery id of a report row: the same completion in any report is the same delivery. */
export function importDeliveryId(partnerId: PartnerId, row: CompletionRow): string {
  const student = row.externalId ? `id:${row.externalId}` : `email:${row.email}`;
  const identity = [partnerId, student, row.courseId, row.occurredAt?.slice(0, 10) ?? ''].join('\n');
  return `report-${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`;
}

/**
 * A completion the file already named on an earlier line (an export that overlaps itself) is a
 * duplicate of that line, in the dry run too, before anything is applied.
 */
export function markRepeatedCompletions(partnerId: PartnerId, rows: ReadonlyArray<WorkRow<CompletionRow>>): Array<WorkRow<CompletionRow>> {
  const firstLine = new Map<string, number>();
  return rows.map((row) => {
    if (!row.verdict.ok) return row;
    const id = importDeliveryId(partnerId, row.verdict.value);
    const first = firstLine.get(id);
    if (first === undefined) {
      firstLine.set(id, row.line);
      return row;
    }
    return { ...row, verdict: { ok: false, outcome: 'duplicate', reason: `the same completion as line ${first}` } };
  });
}

const asResult = (row: WorkRow<unknown>, result: Omit<RowResult, 'line'>): RowResult => ({
  line: row.line,
  ...(row.student ? { student: row.student } : {}),
  ...(row.course ? { course: row.course } : {}),
  ...result,
});

export async function completionResults(
  deps: EnrollmentDeps,
  job: Pick<ImportJob, 'id' | 'partnerId' | 'dryRun' | 'run'>,
  rows: ReadonlyArray<WorkRow<CompletionRow>>,
  at: string,
): Promise<RowResult[]> {
  const partnerId = job.partnerId!;
  return inParallel(rows, ROW_CONCURRENCY, async (row): Promise<RowResult> => {
    if (!row.verdict.ok) return asResult(row, { outcome: row.verdict.outcome, reason: row.verdict.reason });
    const { value } = row.verdict;
    const webhookId = importDeliveryId(partnerId, value);
    const event: CompletionEvent = {
      kind: 'completion',
      format: 'mapped',
      result: value.result,
      courseId: value.courseId,
      ...(value.externalId ? { externalId: value.externalId } : {}),
      ...(value.email ? { email: value.email } : {}),
      ...(value.occurredAt ? { occurredAt: value.occurredAt } : {}),
      ...(value.score !== undefined ? { score: value.score } : {}),
      ...(value.credentialExpiresAt ? { credentialExpiresAt: value.credentialExpiresAt } : {}),
    };
    const applied: ApplyResult = job.dryRun
      ? await previewPartnerEvent(deps, partnerId, event, webhookId, at)
      : await applyNewCompletion(
          deps,
          partnerId,
          {
            partnerId,
            webhookId,
            receivedAt: at,
            rawBody: JSON.stringify({ import: job.id, run: job.run, line: row.line, row: value }),
            headers: { 'x-baton-import': job.id },
            event,
          },
          at,
        );
    const outcome = job.dryRun ? applied : await ownOutcome(deps, job, row.line, partnerId, webhookId, applied);
    return asResult(row, {
      outcome: outcome.status,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.appliedTo?.[0] ? { enrollmentId: outcome.appliedTo[0].enrollmentId } : {}),
    });
  });
}

/**
 * A row this very run stored already (a redelivered chunk ran beside the first delivery of it)
 * is not a duplicate of itself: its outcome is what its delivery record says. Another line of the
 * same file naming the same completion is a duplicate.
 */
async function ownOutcome(
  deps: EnrollmentDeps,
  job: Pick<ImportJob, 'id' | 'run'>,
  line: number,
  partnerId: PartnerId,
  webhookId: string,
  result: ApplyResult,
): Promise<ApplyResult> {
  if (result.status !== 'duplicate' || result.reason !== 'same_webhook_id') return result;
  const stored = await deps.deliveries.get(partnerId, webhookId);
  const from = stored ? (JSON.parse(stored.rawBody) as { import?: string; run?: number; line?: number }) : {};
  if (!stored || from.import !== job.id || from.run !== job.run || from.line !== line) return result;
  return {
    status: stored.outcome,
    ...(stored.reason ? { reason: stored.reason } : {}),
    ...(stored.appliedTo ? { appliedTo: stored.appliedTo } : {}),
  };
}

/** The program a row names: its id, or its name (without case). */
export function programNamed(programs: readonly Program[], text: string): Program | undefined {
  const folded = text.trim().toLowerCase();
  return programs.find((p) => p.id === text.trim()) ?? programs.find((p) => p.name.trim().toLowerCase() === folded);
}

export async function enrollmentResults(
  deps: EnrollmentDeps,
  job: Pick<ImportJob, 'dryRun' | 'runBy' | 'createdBy'>,
  rows: ReadonlyArray<WorkRow<EnrollmentRow>>,
): Promise<RowResult[]> {
  const programs = await deps.catalog.list();
  return inParallel(rows, ROW_CONCURRENCY, async (row): Promise<RowResult> => {
    if (!row.verdict.ok) return asResult(row, { outcome: 'invalid', reason: row.verdict.reason });
    const { value } = row.verdict;
    const program = programNamed(programs, value.program);
    if (!program) return asResult(row, { outcome: 'invalid', reason: `program: "${value.program.slice(0, 80)}" is not a program` });
    return asResult(row, job.dryRun ? await wouldEnroll(deps, value, program) : await enrollRow(deps, job, value, program));
  });
}

async function wouldEnroll(deps: EnrollmentDeps, row: EnrollmentRow, program: Program): Promise<Omit<RowResult, 'line'>> {
  const student = await deps.students.findByEmail(row.email);
  if (!student) return { outcome: 'created' };
  const active = (await deps.enrollments.listForStudent(student.id)).find(
    (s) => s.enrollment.programId === program.id && s.enrollment.status === 'active',
  );
  if (active) return { outcome: 'already_active', reason: `already enrolled in ${program.name}`, enrollmentId: active.enrollment.id };
  for (const [partnerId, externalId] of Object.entries(row.partnerAccounts)) {
    const holder = await deps.students.findIdByAccount(partnerId, externalId);
    if (holder && holder !== student.id) return { outcome: 'invalid', reason: `${partnerId}: account ${externalId} is another student's` };
  }
  return { outcome: 'created' };
}

async function enrollRow(
  deps: EnrollmentDeps,
  job: Pick<ImportJob, 'runBy' | 'createdBy'>,
  row: EnrollmentRow,
  program: Program,
): Promise<Omit<RowResult, 'line'>> {
  try {
    const enrollmentId = await enroll(
      deps,
      {
        studentEmail: row.email,
        programId: program.id,
        ...(row.name ? { studentName: row.name } : {}),
        partnerAccounts: row.partnerAccounts,
      },
      { email: job.runBy ?? job.createdBy },
      { welcome: 'sweep' },
    );
    return { outcome: 'created', enrollmentId };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'ACTIVE_ENROLLMENT_EXISTS') return { outcome: 'already_active', reason: error.message };
    return { outcome: 'invalid', reason: error.message };
  }
}
