// Imports in DynamoDB: the job item, a list entry per import (newest first), and a chunk item per
// run and chunk, written together with the job's counts in one transaction on the condition that
// the chunk is not recorded yet, so a redelivered chunk changes nothing. All expire after 30 days.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { WriteContention } from '../../use-cases/retry.js';
import type { ImportJob, ImportStore, RowOutcome, RowResult } from '../../use-cases/ports/imports.js';
import { ENTITY, type Item } from './item.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

/** Imports, their chunks and files are kept this long. */
export const IMPORT_RETENTION_DAYS = 30;

const expiry = (job: Pick<ImportJob, 'createdAt'>) => Math.floor(Date.parse(job.createdAt) / 1000) + IMPORT_RETENTION_DAYS * 86_400;

const jobItem = (job: ImportJob): Item => ({ ...keys.importJob(job.id), [ENTITY]: 'importJob', ...job, expiresAt: expiry(job) });

const toJob = (item: Item): ImportJob => {
  const { pk: _pk, sk: _sk, [ENTITY]: _e, expiresAt: _x, ...job } = item;
  return job as unknown as ImportJob;
};

export class DynamoImportStore implements ImportStore {
  constructor(private readonly table: Table) {}

  async create(job: ImportJob) {
    const outcome = await this.table.transact([
      { role: 'job', item: { Put: { TableName: this.table.name, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } } },
      {
        role: 'entry',
        item: {
          Put: {
            TableName: this.table.name,
            Item: { ...keys.importListEntry(job.createdAt, job.id), [ENTITY]: 'importListEntry', importId: job.id, expiresAt: expiry(job) },
          },
        },
      },
    ]);
    if (outcome.ok) return true;
    // Another transaction on the same item, nothing written: the caller's retry decides again.
    if ('contention' in outcome) throw new WriteContention(`creating import ${job.id}`);
    if (outcome.failed.includes('job')) return false;
    throw new Error(`creating import ${job.id}: the ${outcome.failed.join(', ')} write was refused`);
  }

  async get(importId: string) {
    const item = await this.table.get(keys.importJob(importId));
    return item ? toJob(item) : undefined;
  }

  async list(limit: number) {
    const entries = await this.table.queryOnce({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.importListPartition },
      ScanIndexForward: false,
      Limit: limit,
    });
    const jobs = await Promise.all(entries.map((entry) => this.get(String(entry.importId))));
    return jobs.filter((job): job is ImportJob => job !== undefined);
  }

  async replace(job: ImportJob, expected: Pick<ImportJob, 'status' | 'run'>) {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: jobItem(job),
          ConditionExpression: '#status = :status AND #run = :run',
          ExpressionAttributeNames: { '#status': 'status', '#run': 'run' },
          ExpressionAttributeValues: { ':status': expected.status, ':run': expected.run },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordChunk(importId: string, run: number, index: number, results: readonly RowResult[]) {
    const counts = new Map<RowOutcome, number>();
    for (const row of results) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
    const names: Record<string, string> = { '#done': 'done', '#outcomes': 'outcomes', '#status': 'status', '#run': 'run' };
    const values: Record<string, unknown> = { ':rows': results.length, ':running': 'running', ':run': run };
    const adds = ['#done :rows'];
    [...counts].forEach(([outcome, count], i) => {
      names[`#o${i}`] = outcome;
      values[`:c${i}`] = count;
      adds.push(`#outcomes.#o${i} :c${i}`);
    });
    const job = await this.get(importId);
    if (!job) return false;
    const outcome = await this.table.transact([
      {
        role: 'chunk',
        item: {
          Put: {
            TableName: this.table.name,
            Item: { ...keys.importChunk(importId, run, index), [ENTITY]: 'importChunk', results, expiresAt: expiry(job) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        role: 'job',
        item: {
          Update: {
            TableName: this.table.name,
            Key: keys.importJob(importId),
            UpdateExpression: `ADD ${adds.join(', ')}`,
            ConditionExpression: '#status = :running AND #run = :run',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      },
    ]);
    if (outcome.ok) return true;
    if ('contention' in outcome)
      throw new Error(`recording chunk ${index} of import ${importId} collided with another write; it is retried`);
    return false;
  }

  async isRecorded(importId: string, run: number, index: number) {
    return (await this.table.get(keys.importChunk(importId, run, index))) !== undefined;
  }

  async results(importId: string, run: number) {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
      ExpressionAttributeValues: { ':pk': keys.importPartition(importId), ':run': keys.importRunPrefix(run) },
    });
    return items.map((item) => item.results as RowResult[]);
  }
}
