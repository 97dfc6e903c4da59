// The program catalog: programs and their versions.
import type { Program, ProgramDefinition } from '../../domain/programs.js';

export interface CatalogStore {
  list(): Promise<Program[]>;
  get(programId: string): Promise<Program | undefined>;
  /** Creates version 1 (expectedVersion 0) or the next version; STALE_PROGRAM_VERSION on a race. */
  save(definition: ProgramDefinition, expectedVersion: number, at: string): Promise<Program>;
}
