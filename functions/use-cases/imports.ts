// Imports of report files, the request side: an admin creates an import (an upload slot for the
// file), runs it (a dry run or for real; answered 202, the work is queued), and reads its
// progress, counts and, when done, a link to its per-row result report.
import { randomUUID } from 'node:crypto';
import { DomainError, validationError } from '../domain/errors.js';
import type { Actor } from './enrollments.js';
import type { PartnerStore } from './ports/partners.js';
import {
  COMPLETION_OUTCOMES,
  ENROLLMENT_OUTCOMES,
  type ImportJob,
  type ImportKind,
  type ImportQueue,
  type ImportStore,
  type RowOutcome,
} from './ports/imports.js';
import type { Clock } from './ports/services.js';
import { READ_LINK_SECONDS, UPLOAD_SLOT_SECONDS, type Uploads } from './uploads.js';
import { MAX_IMPORT_BYTES } from '../domain/report-file.js';
import { IMPORT_RUNS_PREFIX } from '../domain/drop-zone.js';

/** What the upload slot is signed for (the worker reads the file by its content, whatever it is called). */
export const UPLOAD_CONTENT_TYPE = 'text/csv';
export const importFileKey = (importId: string) => `${IMPORT_RUNS_PREFIX}uploads/${importId}`;
const IMPORT_ID = /^[0-9a-f-]{36}$/;

export interface ImportView {
  importId: string;
  kind: ImportKind;
  partnerId?: string;
  fileName: string;
  source: ImportJob['source'];
  status: ImportJob['status'];
  dryRun: boolean;
  rows: { total: number; done: number };
  outcomes: Partial<Record<RowOutcome, number>>;
  createdAt: string;
  createdBy: string;
  startedAt?: string;
  finishedAt?: string;
  problem?: string;
  resultUrl?: string;
}

export const outcomesOf = (kind: ImportKind): readonly RowOutcome[] => (kind === 'completions' ? COMPLETION_OUTCOMES : ENROLLMENT_OUTCOMES);

type CreateDeps = { imports: ImportStore; uploads: Uploads; partners: PartnerStore; clock: Clock };

/** A new import in `uploaded` state, with the slot its file is PUT to. */
export async function createImport(
  deps: CreateDeps,
  input: { kind: ImportKind; partnerId?: string; fileName: string },
  actor: Pick<Actor, 'email'>,
): Promise<{ importId: string; uploadUrl: string; uploadHeaders: Record<string, string>; uploadExpiresAt: string }> {
  if (input.kind === 'completions' && !input.partnerId) throw validationError('partnerId: a completion report is one partner’s');
  if (input.kind === 'enrollments' && input.partnerId)
    throw validationError('partnerId: a bulk enrollment file names its partners in its columns');
  if (input.partnerId && !(await deps.partners.get(input.partnerId)))
    throw validationError(`partnerId: "${input.partnerId}" is not a partner (GET /api/admin/partners lists them)`);
  const id = randomUUID();
  const job = newJob(id, input, actor.email, deps.clock.now().toISOString(), 'upload');
  const slot = await deps.uploads.createSlot({
    key: job.fileKey,
    contentType: UPLOAD_CONTENT_TYPE,
    maxBytes: MAX_IMPORT_BYTES,
    expiresInSeconds: UPLOAD_SLOT_SECONDS,
  });
  if (!(await deps.imports.create(job))) throw new Error(`import ${id} exists already`);
  return { importId: id, uploadUrl: slot.url, uploadHeaders: slot.headers, uploadExpiresAt: slot.expiresAt };
}

export function newJob(
  id: string,
  input: { kind: ImportKind; partnerId?: string; fileName: string },
  by: string,
  at: string,
  source: ImportJob['source'],
): ImportJob {
  return {
    id,
    kind: input.kind,
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    fileName: input.fileName,
    fileKey: importFileKey(id),
    source,
    createdAt: at,
    createdBy: by,
    status: 'uploaded',
    run: 0,
    dryRun: false,
    total: 0,
    done: 0,
    chunks: 0,
    outcomes: {},
  };
}

/** Starts a run of the import's file (the dry run and the real one alike); the worker does it off the request. */
export async function runImport(
  deps: { imports: ImportStore; importQueue: ImportQueue; uploads: Uploads; clock: Clock },
  importId: string,
  options: { dryRun: boolean },
  actor: Pick<Actor, 'email'>,
): Promise<{ importId: string; run: number }> {
  const job = await getOrThrow(deps.imports, importId);
  if (job.status === 'running') throw new DomainError('IMPORT_RUNNING', 'this import is running: wait for it to end, then run it again');
  if (!(await deps.uploads.head(job.fileKey)))
    throw new DomainError('IMPORT_NOT_UPLOADED', 'the file is not uploaded yet: PUT it to the uploadUrl this import was created with');
  const { problem: _p, resultKey: _r, finishedAt: _f, ...rest } = job;
  const next: ImportJob = {
    ...rest,
    status: 'running',
    run: job.run + 1,
    dryRun: options.dryRun,
    runBy: actor.email,
    startedAt: deps.clock.now().toISOString(),
    total: 0,
    done: 0,
    chunks: 0,
    outcomes: Object.fromEntries(outcomesOf(job.kind).map((o) => [o, 0])),
  };
  if (!(await deps.imports.replace(next, job)))
    throw new DomainError('IMPORT_RUNNING', 'this import was started meanwhile: wait for it to end, then run it again');
  await deps.importQueue.enqueue({ importId, run: next.run, step: 'prepare' });
  return { importId, run: next.run };
}

export async function readImport(deps: { imports: ImportStore; uploads: Uploads }, importId: string): Promise<ImportView> {
  return viewOf(deps, await getOrThrow(deps.imports, importId));
}

export async function listImports(deps: { imports: ImportStore; uploads: Uploads }, limit = 50): Promise<{ items: ImportView[] }> {
  return { items: await Promise.all((await deps.imports.list(limit)).map((job) => viewOf(deps, job))) };
}

async function getOrThrow(imports: ImportStore, importId: string): Promise<ImportJob> {
  const job = IMPORT_ID.test(importId) ? await imports.get(importId) : undefined;
  if (!job) throw new DomainError('IMPORT_NOT_FOUND', `no import ${importId.slice(0, 40)}`);
  return job;
}

export const resultFileName = (job: Pick<ImportJob, 'fileName' | 'dryRun'>) =>
  `${job.fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '')}-${job.dryRun ? 'dry-run' : 'result'}.csv`;

async function viewOf(deps: { uploads: Uploads }, job: ImportJob): Promise<ImportView> {
  const resultUrl =
    job.status === 'done' && job.resultKey
      ? await deps.uploads.linkToRead(job.resultKey, READ_LINK_SECONDS, resultFileName(job))
      : undefined;
  return {
    importId: job.id,
    kind: job.kind,
    ...(job.partnerId ? { partnerId: job.partnerId } : {}),
    fileName: job.fileName,
    source: job.source,
    status: job.status,
    dryRun: job.dryRun,
    rows: { total: job.total, done: job.done },
    outcomes: job.outcomes,
    createdAt: job.createdAt,
    createdBy: job.createdBy,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(job.problem ? { problem: job.problem } : {}),
    ...(resultUrl ? { resultUrl } : {}),
  };
}
