// The program catalog in DynamoDB: the current version of every program in one partition (one
// Query lists the catalog) and every version ever saved under the program, for audit.
import { DomainError } from '../../domain/errors.js';
import type { Program, ProgramDefinition } from '../../domain/programs.js';
import { DEFAULT_REMINDERS } from '../../domain/reminder-rules.js';
import type { CatalogStore } from '../../use-cases/ports/catalog.js';
import { WriteContention } from '../../use-cases/retry.js';
import { ENTITY, type Item } from './item.js';
import { keys } from './keys.js';
import type { Table, TransactItem } from './table.js';

const programItem = (program: Program): Item => ({ ...keys.program(program.id), [ENTITY]: 'program', ...program });
const programVersionItem = (program: Program): Item => ({
  ...keys.programVersion(program.id, program.version),
  [ENTITY]: 'programVersion',
  ...program,
});

function toProgram(item: Item): Program {
  return {
    id: item.id as string,
    name: item.name as string,
    category: item.category as Program['category'],
    // Map attributes come back in any order; rebuild each step with the domain's field order.
    steps: (item.steps as Program['steps']).map((s) => ({
      sequence: s.sequence,
      partnerId: s.partnerId,
      courseId: s.courseId,
      courseName: s.courseName,
      required: s.required,
      completion: s.completion,
      ...(s.dueDays !== undefined ? { dueDays: s.dueDays } : {}),
    })),
    ...(item.certificateValidityMonths !== undefined ? { certificateValidityMonths: item.certificateValidityMonths as number } : {}),
    ...(item.renewalProgramId !== undefined ? { renewalProgramId: item.renewalProgramId as string } : {}),
    // Programs saved before reminder rules existed have the default ones.
    reminders: item.reminders === undefined ? DEFAULT_REMINDERS : (item.reminders as Program['reminders']),
    ...(typeof item.cipCode === 'string' ? { cipCode: item.cipCode } : {}),
    ...(typeof item.onetCode === 'string' ? { onetCode: item.onetCode } : {}),
    version: item.version as number,
    updatedAt: item.updatedAt as string,
  };
}

export class DynamoCatalogStore implements CatalogStore {
  constructor(private readonly table: Table) {}

  async list(): Promise<Program[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.catalogPartition },
    });
    return items.map(toProgram).sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
  }

  async get(programId: string): Promise<Program | undefined> {
    const item = await this.table.get(keys.program(programId));
    return item ? toProgram(item) : undefined;
  }

  async save(definition: ProgramDefinition, expectedVersion: number, at: string): Promise<Program> {
    const program = { ...definition, version: expectedVersion + 1, updatedAt: at };
    const current: TransactItem = {
      Put: {
        TableName: this.table.name,
        Item: programItem(program),
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    };
    const history: TransactItem = {
      Put: { TableName: this.table.name, Item: programVersionItem(program), ConditionExpression: 'attribute_not_exists(pk)' },
    };
    const outcome = await this.table.transact([
      { role: 'program', item: current },
      { role: 'program', item: history },
    ]);
    if (outcome.ok) return program;
    if ('contention' in outcome) throw new WriteContention(`saving program ${definition.id}`);
    throw new DomainError(
      'STALE_PROGRAM_VERSION',
      `program ${definition.id} changed since version ${expectedVersion}; reload it and apply your edit again`,
    );
  }
}
