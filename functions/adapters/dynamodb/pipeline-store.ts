// The admin pipeline's reads: counter items (a query per shard, whatever the number of
// enrollments) and the attention index's stuck steps and failed workflows.
import { STEP_STATUSES } from '../../domain/enrollment.js';
import { stepCounts } from '../../domain/counters.js';
import type { PartnerId } from '../../domain/partners.js';
import type { FailedWorkflow, PartnerCounts, PipelineReadModel, ProgramCounts, StuckStep } from '../../use-cases/ports/pipeline.js';
import { COUNTER_SHARDS, indexKeys, keys, parseCounterKey } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

const PROGRAM_COUNTS = ['total', 'active', 'completed', 'cancelled'] as const;

export class DynamoPipelineReadModel implements PipelineReadModel {
  constructor(private readonly table: Table) {}

  async readCounters() {
    const shards = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.counterShard(shard) } }),
      ),
    );
    const partners: Partial<Record<PartnerId, PartnerCounts>> = {};
    const programs: Record<string, ProgramCounts> = {};
    for (const item of shards.flat()) {
      const counter = parseCounterKey(item.sk as string);
      if (counter?.kind === 'partner') {
        const counts = (partners[counter.id] ??= stepCounts());
        for (const status of [...STEP_STATUSES, 'overdue' as const]) counts[status] += Number(item[status] ?? 0);
      } else if (counter?.kind === 'program') {
        const counts = (programs[counter.id] ??= { total: 0, active: 0, completed: 0, cancelled: 0 });
        for (const field of PROGRAM_COUNTS) counts[field] += Number(item[field] ?? 0);
      }
    }
    return { partners, programs };
  }

  async listStuckSteps(startedBefore: string, limit: number): Promise<StuckStep[]> {
    const items = await this.table.queryOnce({
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
      ExpressionAttributeValues: { ':pk': indexKeys.inProgressPartition, ':before': startedBefore },
      Limit: limit,
    });
    return items.map((item) => ({
      enrollmentId: item.enrollmentId as string,
      stepIndex: item.index as number,
      studentName: item.studentName as string,
      studentEmail: item.studentEmail as string,
      partnerId: item.partnerId as PartnerId,
      courseId: item.courseId as string,
      startedAt: item.startedAt as string,
      ...(item.dueAt ? { dueAt: item.dueAt as string } : {}),
      ...(item.lastRemindedAt ? { lastRemindedAt: item.lastRemindedAt as string } : {}),
    }));
  }

  async listWorkflowFailures(limit: number): Promise<FailedWorkflow[]> {
    const items = await this.table.queryOnce({
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': indexKeys.workflowFailedPartition },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map((item) => ({
      enrollmentId: item.id as string,
      studentName: item.studentName as string,
      studentEmail: item.studentEmail as string,
      programName: item.programName as string,
      failure: item.workflowFailure as FailedWorkflow['failure'],
    }));
  }
}
