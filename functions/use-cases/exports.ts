// Exports for funder reporting: a staff member starts one (the job is queued and answered 202);
// the worker writes the CSV off the request (SQS on AWS), recording its progress in rows, and the
// file is downloaded through a short-lived link. Enrollments: the list's filters, one row per
// student per program. Certificates: those issued in a date range.
import { randomUUID } from 'node:crypto';
import { toCsv } from '../domain/csv.js';
import type { ListFilters } from '../domain/enrollment-list.js';
import { DomainError } from '../domain/errors.js';
import type { Program } from '../domain/programs.js';
import type { Actor } from './enrollments.js';
import { certificateRows, enrollmentRows } from './export-build.js';
import type { Logger } from './logger.js';
import type { CatalogStore } from './ports/catalog.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { ExportFiles, ExportJob, ExportKind, ExportQueue, ExportStore } from './ports/exports.js';
import type { Clock, Settings } from './ports/services.js';
import type { StudentStore } from './ports/students.js';

/** How often the worker records its progress (rows). */
const PROGRESS_EVERY = 500;

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
    rows: 0,
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
  enrollments: EnrollmentStore;
  students: StudentStore;
  catalog: CatalogStore;
  certificateRecords: CertificateRecords;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

/** The worker: writes the job's file, or records why it could not. A job that is not queued (a redelivered message) is left alone. */
export async function runExport(
  deps: RunDeps,
  exportId: string,
  request: ExportRequest,
  timeLeft: () => boolean,
): Promise<ExportJob['status'] | 'skipped'> {
  const queued = await deps.exports.getJob(exportId);
  if (!queued || queued.status !== 'queued') return 'skipped';
  let job: ExportJob = { ...queued, status: 'running', startedAt: deps.clock.now().toISOString() };
  if (!(await deps.exports.replaceJob(job, queued))) return 'skipped';
  const progress = async (rows: number) => {
    const next = { ...job, rows };
    if (await deps.exports.replaceJob(next, job)) job = next;
  };
  try {
    const programs = new Map((await deps.catalog.list()).map((p): [string, Program] => [p.id, p]));
    const { header, rows } =
      request.kind === 'enrollments'
        ? await enrollmentRows(deps, request.filters, programs, timeLeft, progress, PROGRESS_EVERY)
        : await certificateRows(deps, request.issuedFrom, request.issuedTo, programs, timeLeft, progress, PROGRESS_EVERY);
    const stamp = job.createdAt.slice(0, 10);
    const fileName = `baton-${request.kind}-${stamp}.csv`;
    const fileKey = `exports/${job.id}/${fileName}`;
    await deps.exportFiles.put(fileKey, toCsv(header, rows));
    const done: ExportJob = {
      ...job,
      status: 'completed',
      rows: rows.length,
      completedAt: deps.clock.now().toISOString(),
      fileKey,
      fileName,
    };
    await deps.exports.replaceJob(done, job);
    return 'completed';
  } catch (error) {
    const message = error instanceof DomainError ? error.message : 'the export failed on our side; it has been logged — start it again';
    deps.logger.error('export failed', { exportId, error: String(error) });
    await deps.exports.replaceJob({ ...job, status: 'failed', error: message, completedAt: deps.clock.now().toISOString() }, job);
    return 'failed';
  }
}
