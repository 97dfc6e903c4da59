// Exports for funder reporting: a staff member starts one (the job is queued and answered 202);
// the worker writes the CSV off the request (SQS on AWS) a slice at a time, recording its progress
// in rows, over as many runs as it takes, and the file is downloaded through a short-lived link.
// Enrollments: the list's filters, one row per student per program. Certificates: those issued in
// a date range.
import { randomUUID } from 'node:crypto';
import type { ListFilters } from '../domain/enrollment-list.js';
import { DomainError } from '../domain/errors.js';
import type { Program } from '../domain/programs.js';
import type { Actor } from './enrollments.js';
import { certificateSlice, enrollmentSlice } from './export-build.js';
import { assembledCsv, encodePart } from './export-parts.js';
import type { Logger } from './logger.js';
import type { CatalogStore } from './ports/catalog.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { ExportFiles, ExportJob, ExportKind, ExportPart, ExportQueue, ExportStore } from './ports/exports.js';
import type { Clock, Settings } from './ports/services.js';
import type { StudentStore } from './ports/students.js';

export type ExportRequest =
  | { kind: 'enrollments'; filters: ListFilters; raw: Record<string, unknown> }
  | { kind: 'certificates'; issuedFrom: string; issuedTo: string; raw: Record<string, unknown> };

export async function startExport(
  deps: { exports: ExportStore; exportQueue: ExportQueue; clock: Clock },
  request: ExportRequest,
  actor: Actor,
): Promise<{ exportId: string }> {
  const job: ExportJob = {
    id: randomUUID(),
    kind: request.kind,
    filters: request.raw,
    createdAt: deps.clock.now().toISOString(),
    createdBy: actor.email,
    status: 'queued',
    revision: 0,
    rows: 0,
    parts: [],
    runs: 0,
  };
  await deps.exports.putJob(job);
  await deps.exportQueue.enqueue(job.id);
  return { exportId: job.id };
}

export interface ExportView {
  exportId: string;
  kind: ExportKind;
  status: ExportJob['status'];
  rows: number;
  filters: Record<string, unknown>;
  createdAt: string;
  completedAt?: string;
  error?: string;
  downloadUrl?: string;
  downloadExpiresAt?: string;
}

export async function readExport(deps: { exports: ExportStore; exportFiles: ExportFiles }, exportId: string): Promise<ExportView> {
  const job = /^[0-9a-f-]{36}$/.test(exportId) ? await deps.exports.getJob(exportId) : undefined;
  if (!job) throw new DomainError('EXPORT_NOT_FOUND', `no export ${exportId.slice(0, 40)}`);
  const link =
    job.status === 'completed' && job.fileKey ? await deps.exportFiles.downloadUrl(job.fileKey, job.fileName ?? 'export.csv') : undefined;
  return {
    exportId: job.id,
    kind: job.kind,
    status: job.status,
    rows: job.rows,
    filters: job.filters,
    createdAt: job.createdAt,
    ...(job.completedAt ? { completedAt: job.completedAt } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(link ? { downloadUrl: link.url, downloadExpiresAt: link.expiresAt } : {}),
  };
}

export interface RunDeps {
  exports: ExportStore;
  exportFiles: ExportFiles;
  exportQueue: ExportQueue;
  enrollments: EnrollmentStore;
  students: StudentStore;
  catalog: CatalogStore;
  certificateRecords: CertificateRecords;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

/** Rows a slice holds (about: a slice ends at the end of a page of the list). */
export const SLICE_ROWS = 2_000;

export type RunOutcome = 'completed' | 'failed' | 'continued' | 'skipped';

/**
 * One run of the worker: writes slices of the export (each an object of its own, recorded with its
 * cursor over the job's revision) while its time lasts, then either assembles the file, or queues
 * the next run to continue from the cursor. A run whose write finds another revision (a redelivered
 * message, a run beside it) stops: the slice it wrote is in no job, so no row is written twice.
 */
export async function runExport(
  deps: RunDeps,
  exportId: string,
  request: ExportRequest,
  timeLeft: () => boolean,
  options: { sliceRows?: number } = {},
): Promise<RunOutcome> {
  const found = await deps.exports.getJob(exportId);
  if (!found || found.status === 'completed' || found.status === 'failed') return 'skipped';
  let job: ExportJob = next(found, {
    status: 'running',
    runs: found.runs + 1,
    ...(found.startedAt ? {} : { startedAt: deps.clock.now().toISOString() }),
  });
  if (!(await deps.exports.replaceJob(job, found))) return 'skipped';
  const run = randomUUID().slice(0, 8);
  try {
    const programs = new Map((await deps.catalog.list()).map((p): [string, Program] => [p.id, p]));
    for (;;) {
      if (!timeLeft()) {
        await deps.exportQueue.enqueue(job.id);
        return 'continued';
      }
      if (job.listed) break;
      const slice =
        request.kind === 'enrollments'
          ? await enrollmentSlice(deps, request.filters, programs, job.cursor, options.sliceRows ?? SLICE_ROWS, timeLeft)
          : await certificateSlice(deps, request, programs, job.cursor, options.sliceRows ?? SLICE_ROWS, timeLeft);
      const part: ExportPart = {
        key: `exports/${job.id}/parts/${String(job.parts.length + 1).padStart(5, '0')}-${run}.jsonl`,
        rows: slice.rows.length,
        steps: Math.max(0, ...slice.rows.map((r) => r.steps)),
      };
      await deps.exportFiles.put(part.key, encodePart(slice.rows));
      const written = next(job, {
        rows: job.rows + part.rows,
        parts: [...job.parts, part],
        ...(slice.next ? { cursor: slice.next } : { cursor: undefined, listed: true }),
      });
      if (!(await deps.exports.replaceJob(written, job))) return 'skipped';
      job = written;
    }
    const fileName = `baton-${request.kind}-${job.createdAt.slice(0, 10)}.csv`;
    const fileKey = `exports/${job.id}/${fileName}`;
    await deps.exportFiles.assemble(
      fileKey,
      assembledCsv(job.kind, job.parts, (key) => deps.exportFiles.read(key)),
    );
    const done = next(job, { status: 'completed', completedAt: deps.clock.now().toISOString(), fileKey, fileName });
    return (await deps.exports.replaceJob(done, job)) ? 'completed' : 'skipped';
  } catch (error) {
    const message = error instanceof DomainError ? error.message : 'the export failed on our side; it has been logged — start it again';
    deps.logger.error('export failed', { exportId, error: String(error) });
    await deps.exports.replaceJob(next(job, { status: 'failed', error: message, completedAt: deps.clock.now().toISOString() }), job);
    return 'failed';
  }
}

/** The job's next revision, with these changes. */
const next = (job: ExportJob, changes: Partial<ExportJob>): ExportJob => ({ ...job, ...changes, revision: job.revision + 1 });
