// Imports, the worker side (off the imports queue): each message is one step of a run.
// - prepare: read the file once (size, type by content, encoding, mapped columns, row count:
//   a problem fails the run naming it, and nothing is applied), judge each row's form, and write
//   the rows in chunks of CHUNK_ROWS beside the file; then queue chunk 0.
// - chunk i: apply (or, in a dry run, judge) its rows, record their results with the run's counts
//   in one conditional transaction, then queue the next chunk (or the finish). A redelivered
//   chunk finds its results recorded, applies nothing, and still queues the next one, so the
//   chain never stops at a redelivery; rows already applied are duplicates by their delivery id.
// - finish: write the per-row result report (CSV) and mark the run done.
import { IMPORT_RUNS_PREFIX } from '../domain/drop-zone.js';
import { DomainError } from '../domain/errors.js';
import { csvLines } from '../domain/csv.js';
import {
  foldRow,
  mappedColumns,
  missingColumns,
  readCompletionRow,
  readEnrollmentRow,
  ENROLLMENT_COLUMNS,
  type CompletionRow,
  type EnrollmentRow,
} from '../domain/import-mapping.js';
import { readReportFile } from '../domain/report-reader.js';
import { lineName, MAX_IMPORT_BYTES, type ReportTable } from '../domain/report-table.js';
import type { EnrollmentDeps } from './enrollments.js';
import { completionResults, enrollmentResults, markRepeatedCompletions, type WorkRow } from './import-rows.js';
import { resultFileName } from './imports.js';
import type { ImportJob, ImportMessage, ImportQueue, ImportStore, RowResult } from './ports/imports.js';
import { pacedWorkflow, startsPerStep } from './paced-workflow.js';
import type { Uploads } from './uploads.js';

/** Rows per chunk: a chunk's results stay well inside one DynamoDB item (400 KB). */
export const CHUNK_ROWS = 500;

export interface ImportWorkerDeps extends EnrollmentDeps {
  imports: ImportStore;
  importQueue: ImportQueue;
  uploads: Uploads;
  /** The advancement workflow's starts per second all imports together may use (each step its share). */
  importStartsPerSecond: number;
}

export type StepOutcome = 'prepared' | 'failed' | 'recorded' | 'redelivered' | 'finished' | 'skipped';

const workKey = (job: Pick<ImportJob, 'id' | 'run'>, index: number) => `${IMPORT_RUNS_PREFIX}work/${job.id}/${job.run}/${index}.json`;
const resultKey = (job: Pick<ImportJob, 'id' | 'run'>) => `${IMPORT_RUNS_PREFIX}results/${job.id}/${job.run}.csv`;

export async function runImportStep(deps: ImportWorkerDeps, message: ImportMessage): Promise<StepOutcome> {
  const job = await deps.imports.get(message.importId);
  // Another run has started since, or this one has ended: the message is stale.
  if (!job || job.status !== 'running' || job.run !== message.run) return 'skipped';
  if (message.step === 'prepare') return prepare(deps, job);
  if (message.step === 'chunk') return chunk(deps, job, message.index);
  return finish(deps, job);
}

async function prepare(deps: ImportWorkerDeps, job: ImportJob): Promise<StepOutcome> {
  if (job.chunks > 0) {
    // Prepared already (this is a redelivery): make sure the chain has begun.
    if (!(await deps.imports.isRecorded(job.id, job.run, 0))) await queue(deps.importQueue, job, 0);
    return 'redelivered';
  }
  let rows: Array<WorkRow<unknown>>;
  try {
    rows = await readRows(deps, job);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const failed: ImportJob = { ...job, status: 'failed', problem: error.message, finishedAt: deps.clock.now().toISOString() };
    await deps.imports.replace(failed, job);
    return 'failed';
  }
  const chunks = Math.ceil(rows.length / CHUNK_ROWS);
  for (let i = 0; i < chunks; i++) {
    const body = Buffer.from(JSON.stringify(rows.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS)));
    await deps.uploads.write(workKey(job, i), body, 'application/json');
  }
  if (!(await deps.imports.replace({ ...job, total: rows.length, chunks }, job))) return 'skipped';
  await queue(deps.importQueue, job, 0);
  return 'prepared';
}

/** The file's rows as the chunks will take them, or a DomainError naming what is wrong with the file. */
async function readRows(deps: ImportWorkerDeps, job: ImportJob): Promise<Array<WorkRow<unknown>>> {
  const head = await deps.uploads.head(job.fileKey);
  if (!head) throw new DomainError('VALIDATION_FAILED', 'the file is gone from the uploads bucket (kept 30 days): upload it again');
  if (head.size > MAX_IMPORT_BYTES)
    throw new DomainError(
      'VALIDATION_FAILED',
      `the file is ${(head.size / 1048576).toFixed(1)} MB, over the ${MAX_IMPORT_BYTES / 1048576} MB limit`,
    );
  const bytes = await deps.uploads.read(job.fileKey);
  if (!bytes) throw new DomainError('VALIDATION_FAILED', 'the file is gone from the uploads bucket: upload it again');
  const table = readReportFile(bytes);
  const now = deps.clock.now();
  if (job.kind === 'completions') {
    const partner = await deps.partners.get(job.partnerId!);
    if (!partner) throw new DomainError('VALIDATION_FAILED', `partner "${job.partnerId}" no longer exists`);
    const mapping = partner.csv;
    if (!mapping)
      throw new DomainError(
        'VALIDATION_FAILED',
        `${partner.name} has no saved column mapping: save one (the partner's "csv") and run again`,
      );
    const missing = missingColumns(table.header, mappedColumns(mapping));
    if (missing.length > 0) throw missingProblem(missing, table);
    const completions = table.rows.map(({ line, cells }): WorkRow<CompletionRow> => {
      const row = foldRow(table.header, cells);
      const student = row[(mapping.columns.email ?? mapping.columns.studentId ?? '').trim().toLowerCase()];
      const course = row[(mapping.columns.courseId ?? mapping.columns.courseName ?? '').trim().toLowerCase()];
      return {
        line,
        ...(student ? { student } : {}),
        ...(course ? { course } : {}),
        verdict: readCompletionRow(row, mapping, partner.courses, now),
      };
    });
    return markRepeatedCompletions(partner.id, completions);
  }
  const missing = missingColumns(table.header, [ENROLLMENT_COLUMNS.email, ENROLLMENT_COLUMNS.program]);
  if (missing.length > 0) throw missingProblem(missing, table);
  const known = new Set((await deps.partners.list()).map((p) => p.id));
  const partnerColumns = table.header.map((name) => name.trim().toLowerCase()).filter((name) => known.has(name));
  return table.rows.map(({ line, cells }): WorkRow<EnrollmentRow> => {
    const row = foldRow(table.header, cells);
    return {
      line,
      ...(row.email ? { student: row.email } : {}),
      ...(row.program ? { course: row.program } : {}),
      verdict: readEnrollmentRow(row, partnerColumns),
    };
  });
}

const missingProblem = (missing: readonly string[], table: ReportTable) =>
  new DomainError(
    'VALIDATION_FAILED',
    `the header row (${lineName(table, table.headerLine)}) has no column ${missing.map((m) => `"${m}"`).join(', ')}; its columns are ${table.header
      .slice(0, 30)
      .map((h) => `"${h.slice(0, 40)}"`)
      .join(', ')}`,
  );

async function chunk(deps: ImportWorkerDeps, job: ImportJob, index: number): Promise<StepOutcome> {
  if (await deps.imports.isRecorded(job.id, job.run, index)) {
    await queueAfter(deps, job, index);
    return 'redelivered';
  }
  const body = await deps.uploads.read(workKey(job, index));
  if (!body) throw new Error(`import ${job.id} run ${job.run}: chunk ${index}'s rows are missing`);
  const rows = JSON.parse(Buffer.from(body).toString('utf8')) as Array<WorkRow<never>>;
  const paced = { ...deps, workflow: pacedWorkflow(deps.workflow, startsPerStep(deps.importStartsPerSecond)) };
  const at = deps.clock.now().toISOString();
  const results = job.kind === 'completions' ? await completionResults(paced, job, rows, at) : await enrollmentResults(paced, job, rows);
  const recorded = await deps.imports.recordChunk(job.id, job.run, index, results);
  await queueAfter(deps, job, index);
  return recorded ? 'recorded' : 'redelivered';
}

/** The next chunk, unless it is recorded already (then whoever recorded it went on), or the finish after the last. */
async function queueAfter(deps: ImportWorkerDeps, job: ImportJob, index: number) {
  if (index + 1 >= job.chunks) return deps.importQueue.enqueue({ importId: job.id, run: job.run, step: 'finish' });
  if (await deps.imports.isRecorded(job.id, job.run, index + 1)) return;
  await queue(deps.importQueue, job, index + 1);
}

const queue = (importQueue: ImportQueue, job: ImportJob, index: number) =>
  importQueue.enqueue({ importId: job.id, run: job.run, step: 'chunk', index });

export const RESULT_HEADER = ['line', 'outcome', 'reason', 'student', 'course', 'enrollment'];

async function finish(deps: ImportWorkerDeps, job: ImportJob): Promise<StepOutcome> {
  const chunks = await deps.imports.results(job.id, job.run);
  if (chunks.length < job.chunks) {
    // A chunk is not recorded (its message was lost?): run it again before finishing; it queues the rest.
    for (let i = 0; i < job.chunks; i++) {
      if (await deps.imports.isRecorded(job.id, job.run, i)) continue;
      deps.logger.warn('import finishing with a chunk unrecorded; queuing it again', { importId: job.id, run: job.run, chunk: i });
      await queue(deps.importQueue, job, i);
      return 'skipped';
    }
  }
  const site = deps.settings.siteUrl;
  const rows = chunks
    .flat()
    .map((r: RowResult) => [
      r.line,
      r.outcome,
      r.reason ?? '',
      r.student ?? '',
      r.course ?? '',
      r.enrollmentId ? `${site}/admin/enrollments/${r.enrollmentId}` : '',
    ]);
  const key = resultKey(job);
  await deps.uploads.write(key, Buffer.from(csvLines([RESULT_HEADER, ...rows], { bom: true }), 'utf8'), 'text/csv; charset=utf-8');
  const current = (await deps.imports.get(job.id)) ?? job;
  const done: ImportJob = { ...current, status: 'done', resultKey: key, finishedAt: deps.clock.now().toISOString() };
  await deps.imports.replace(done, job);
  deps.logger.info('import run finished', { importId: job.id, run: job.run, file: resultFileName(job), rows: rows.length });
  return 'finished';
}
