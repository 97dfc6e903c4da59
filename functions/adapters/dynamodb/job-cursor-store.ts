// Scheduled jobs' places between runs, one small item per job.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JobCursors } from '../../use-cases/ports/jobs.js';
import { ENTITY } from './item.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

export class DynamoJobCursors implements JobCursors {
  constructor(private readonly table: Table) {}

  async load(job: string): Promise<string | undefined> {
    return (await this.table.get(keys.jobCursor(job)))?.cursor as string | undefined;
  }

  async save(job: string, cursor: string | undefined): Promise<void> {
    const Key = keys.jobCursor(job);
    if (cursor === undefined) await this.table.db.send(new DeleteCommand({ TableName: this.table.name, Key }));
    else await this.table.db.send(new PutCommand({ TableName: this.table.name, Item: { ...Key, [ENTITY]: 'jobCursor', job, cursor } }));
  }
}
