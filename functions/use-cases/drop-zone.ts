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

/**
 * Records the dropped object's import and starts its run. Its id comes from the object, and it is
 * created only if absent, so a notification delivered again makes and runs nothing twice; one
 * whose first delivery stopped between the two (the import still `uploaded`) starts the run.
 */
export async function importDroppedFile(deps: DropZoneDeps, object: DroppedObject): Promise<DropOutcome> {
  const key = readDropKey(object.key);
  if (key.kind === 'not-a-report') {
    deps.logger.info('not a report in the drop zone: nothing to import', { key: object.key, why: key.why });
    return 'not-a-report';
  }
  const id = dropImportId(object);
  const existing = await deps.imports.get(id);
  if (existing && existing.status !== 'uploaded') return 'redelivered';
  if (!existing) {
    const at = deps.clock.now().toISOString();
    const partner = key.kind === 'file' ? await deps.partners.get(key.partnerId) : undefined;
    const problem = problemOf(key, partner);
    const job = newJob(
      id,
      { kind: 'completions', ...(partner ? { partnerId: partner.id } : {}), fileName: key.fileName },
      DROP_ZONE_ACTOR,
      at,
      'drop',
      object.key,
    );
    if (!(await deps.imports.create(problem ? failed(job, problem, at) : job))) return 'redelivered';
    if (problem) return 'failed';
  }
  try {
    await runImport(deps, id, { dryRun: false }, { email: DROP_ZONE_ACTOR });
    return 'started';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'IMPORT_RUNNING') return 'redelivered';
    if (error.code !== 'IMPORT_NOT_UPLOADED') throw error;
    const job = (await deps.imports.get(id))!;
    const at = deps.clock.now().toISOString();
    await deps.imports.replace(failed(job, 'the file was removed from the drop zone before Baton read it: drop it again', at), job);
    return 'failed';
  }
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
