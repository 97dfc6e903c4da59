// Files that arrive by themselves: an object under imports/<partnerId>/ (the bucket's notification
// on AWS, the drop folder in local mode) becomes a completions import of that partner, run for
// real with its saved mapping, as if an admin had uploaded and run it. Whatever is wrong with it
// (its key, its partner, the mapping, later the file itself) is recorded as a failed import that
// names the problem: nothing a partner drops disappears without a trace in the import list.
import { DROP_ZONE_ACTOR, dropImportId, readDropKey, type DropKey, type DroppedObject } from '../domain/drop-zone.js';
import type { Partner } from '../domain/partners.js';
import { DomainError } from '../domain/errors.js';
import { newJob, runImport } from './imports.js';
import type { Logger } from './logger.js';
import type { ImportJob, ImportQueue, ImportStore } from './ports/imports.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock } from './ports/services.js';
import { retrying } from './retry.js';
import type { Uploads } from './uploads.js';

export type DropOutcome = 'started' | 'failed' | 'redelivered' | 'not-a-report';

export interface DropZoneDeps {
  imports: ImportStore;
  importQueue: ImportQueue;
  uploads: Uploads;
  partners: PartnerStore;
  clock: Clock;
  logger: Logger;
}

export const REPLACED_PROBLEM = 'replaced by a newer upload of the same name before it was read; that upload is imported on its own';
const REMOVED_PROBLEM = 'the file was removed from the drop zone before Baton read it: drop it again';

/**
 * Records the dropped object's import, copies the object to the import's own key and starts its
 * run from the copy. Its id comes from the object, and it is created only if absent, so a
 * notification delivered again makes and runs nothing twice; one whose first delivery stopped
 * part-way (the import still `uploaded`, or `running` with its first step never queued) carries on.
 */
export async function importDroppedFile(deps: DropZoneDeps, object: DroppedObject): Promise<DropOutcome> {
  const key = readDropKey(object.key);
  if (key.kind === 'not-a-report') {
    deps.logger.info('not a report in the drop zone: nothing to import', { key: object.key, why: key.why });
    return 'not-a-report';
  }
  const id = dropImportId(object);
  let job = await deps.imports.get(id);
  if (!job) {
    const at = deps.clock.now().toISOString();
    const partner = key.kind === 'file' ? await deps.partners.get(key.partnerId) : undefined;
    const problem = problemOf(key, partner);
    const created = newJob(
      id,
      { kind: 'completions', ...(partner ? { partnerId: partner.id } : {}), fileName: key.fileName },
      DROP_ZONE_ACTOR,
      at,
      'drop',
    );
    const made = problem ? failed(created, problem, at) : created;
    // Another delivery of the same notification may be creating it at this moment.
    if (!(await retrying(`creating import ${id}`, async () => ({ done: await deps.imports.create(made) })))) return 'redelivered';
    if (problem) return 'failed';
    job = made;
  }
  if (job.status === 'running' && job.chunks === 0) {
    // Marked running, but the delivery that did it may have stopped before queuing the first
    // step: queue it again (a prepare that is queued twice reads the file once).
    await deps.importQueue.enqueue({ importId: id, run: job.run, step: 'prepare' });
    return 'redelivered';
  }
  if (job.status !== 'uploaded') return 'redelivered';
  // The key may hold a newer object by the time this runs: the run reads a copy of this one.
  if (!(await deps.uploads.head(job.fileKey))) {
    const copy = await deps.uploads.copy(object.key, job.fileKey, { ifEtag: object.etag });
    if (copy !== 'copied') return fail(deps, job, copy === 'changed' ? REPLACED_PROBLEM : REMOVED_PROBLEM);
  }
  try {
    await runImport(deps, id, { dryRun: false }, { email: DROP_ZONE_ACTOR });
    return 'started';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'IMPORT_RUNNING') return 'redelivered';
    if (error.code !== 'IMPORT_NOT_UPLOADED') throw error;
    return fail(deps, (await deps.imports.get(id))!, REMOVED_PROBLEM);
  }
}

async function fail(deps: DropZoneDeps, job: ImportJob, problem: string): Promise<DropOutcome> {
  await deps.imports.replace(failed(job, problem, deps.clock.now().toISOString()), job);
  return 'failed';
}

/** Why the dropped file cannot be imported, or undefined when it can (its content is the run's to judge). */
function problemOf(key: Exclude<DropKey, { kind: 'not-a-report' }>, partner: Partner | undefined): string | undefined {
  if (key.kind === 'refused') return key.problem;
  if (!partner)
    return `no partner "${key.partnerId}": imports/${key.partnerId}/ is no partner's folder (GET /api/admin/partners lists them)`;
  if (!partner.csv) return `${partner.name} has no saved column mapping: save one (the partner's "csv"), then drop the file again`;
  return undefined;
}

const failed = (job: ImportJob, problem: string, at: string): ImportJob => ({ ...job, status: 'failed', problem, finishedAt: at });
