// Export jobs in DynamoDB: one item each, replaced only over the revision it was read at (each
// slice a run writes, and the job's end), expiring with the file after 7 days.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportJob, ExportStore } from '../../use-cases/ports/exports.js';
import { ENTITY, type Item } from './item.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

/** Export files and their records are kept this long. */
export const EXPORT_RETENTION_DAYS = 7;

const jobItem = (job: ExportJob): Item => ({
  ...keys.exportJob(job.id),
  [ENTITY]: 'exportJob',
  ...job,
  expiresAt: Math.floor(Date.parse(job.createdAt) / 1000) + EXPORT_RETENTION_DAYS * 86_400,
});

const toJob = (item: Item): ExportJob => {
  const { pk: _pk, sk: _sk, [ENTITY]: _e, expiresAt: _x, ...job } = item;
  return job as unknown as ExportJob;
};

export class DynamoExportStore implements ExportStore {
  constructor(private readonly table: Table) {}

  async putJob(job: ExportJob): Promise<void> {
    await this.table.putNew(jobItem(job));
  }

  async getJob(exportId: string): Promise<ExportJob | undefined> {
    const item = await this.table.get(keys.exportJob(exportId), { consistent: true });
    return item ? toJob(item) : undefined;
  }

  async replaceJob(job: ExportJob, expected: ExportJob): Promise<boolean> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.name,
          Item: jobItem(job),
          ConditionExpression: '#revision = :revision',
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':revision': expected.revision },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
