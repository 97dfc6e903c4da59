// The admin pipeline's read model: counters kept by every transition, and the attention lists.
import type { PartnerCounter } from '../../domain/counters.js';
import type { WorkflowFailure } from '../../domain/enrollment.js';
import type { PartnerId } from '../../domain/partners.js';

/** Steps at one partner, by status, and how many of its open steps are overdue. */
export type PartnerCounts = Record<PartnerCounter, number>;
export interface ProgramCounts {
  total: number;
  active: number;
  completed: number;
  cancelled: number;
}

export interface StuckStep {
  enrollmentId: string;
  stepIndex: number;
  studentName: string;
  studentEmail: string;
  partnerId: PartnerId;
  courseId: string;
  startedAt: string;
  dueAt?: string;
  /** When the student was last reminded of the step (a reminder or a nudge), if ever. */
  lastRemindedAt?: string;
}

export interface FailedWorkflow {
  enrollmentId: string;
  studentName: string;
  studentEmail: string;
  programName: string;
  failure: WorkflowFailure;
}

export interface PipelineReadModel {
  readCounters(): Promise<{ partners: Partial<Record<PartnerId, PartnerCounts>>; programs: Record<string, ProgramCounts> }>;
  /** In-progress steps started before this time, longest waiting first. */
  listStuckSteps(startedBefore: string, limit: number): Promise<StuckStep[]>;
  /** Enrollments whose workflow failed for good, newest first. */
  listWorkflowFailures(limit: number): Promise<FailedWorkflow[]>;
}
