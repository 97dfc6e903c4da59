// Program catalog: list, admin edits (each a new version), and loading the shipped catalog.
import { PROGRAM_CATALOG } from '../domain/catalog.js';
import { DomainError } from '../domain/errors.js';
import { sameSteps, validateProgram, type Program } from '../domain/programs.js';
import { sameReminders } from '../domain/reminder-rules.js';
import type { CatalogStore } from './ports/catalog.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock } from './ports/services.js';
import { retrying } from './retry.js';

export async function listPrograms(catalog: CatalogStore): Promise<Program[]> {
  return catalog.list();
}

/**
 * Creates or edits a program. Edits create a new version; enrollments keep the steps they were
 * created with. `expectedVersion` (optional) guards against overwriting someone else's edit.
 */
export async function saveProgram(
  deps: { catalog: CatalogStore; partners: PartnerStore; clock: Clock },
  programId: string,
  input: unknown,
  expectedVersion?: number,
): Promise<{ program: Program; created: boolean; changed: boolean }> {
  // Every step must name a partner that exists and is active.
  const partners = new Map((await deps.partners.list()).map((p) => [p.id, p]));
  const definition = validateProgram({ ...(typeof input === 'object' && input !== null ? input : {}), id: programId }, partners);
  const current = await deps.catalog.get(programId);
  if (expectedVersion !== undefined && expectedVersion !== (current?.version ?? 0)) {
    throw new DomainError('STALE_PROGRAM_VERSION', `program ${programId} is at version ${current?.version ?? 0}, not ${expectedVersion}`);
  }
  if (definition.renewalProgramId && !(await deps.catalog.get(definition.renewalProgramId))) {
    throw new DomainError(
      'INVALID_PROGRAM',
      `renewalProgramId "${definition.renewalProgramId}" is not a program; GET /api/programs lists them`,
    );
  }
  if (
    current &&
    current.name === definition.name &&
    current.category === definition.category &&
    current.certificateValidityMonths === definition.certificateValidityMonths &&
    current.renewalProgramId === definition.renewalProgramId &&
    current.cipCode === definition.cipCode &&
    current.onetCode === definition.onetCode &&
    sameSteps(current.steps, definition.steps) &&
    sameReminders(current.reminders, definition.reminders)
  ) {
    return { program: current, created: false, changed: false };
  }
  const at = deps.clock.now().toISOString();
  const program = await retrying(`saving program ${programId}`, async () => ({
    done: await deps.catalog.save(definition, current?.version ?? 0, at),
  }));
  return { program, created: !current, changed: true };
}

/** Loads the shipped catalog: new programs are created, changed ones get a new version. */
export async function seedCatalog(deps: { catalog: CatalogStore; partners: PartnerStore; clock: Clock }) {
  const summary = { created: 0, updated: 0, unchanged: 0 };
  for (const definition of PROGRAM_CATALOG) {
    const { created, changed } = await saveProgram(deps, definition.id, definition);
    if (created) summary.created++;
    else if (changed) summary.updated++;
    else summary.unchanged++;
  }
  return { programs: PROGRAM_CATALOG.length, mappings: PROGRAM_CATALOG.reduce((n, p) => n + p.steps.length, 0), ...summary };
}
