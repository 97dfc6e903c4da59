// Imports of report files: the job record (its status, its run's progress and counts), each
// chunk's recorded results (written once per run and chunk, with the job's counts in the same
// transaction, so a redelivered chunk neither counts twice nor is lost), and the queue of work.
export type ImportKind = 'completions' | 'enrollments';
export type ImportStatus = 'uploaded' | 'running' | 'done' | 'failed';

export const COMPLETION_OUTCOMES = ['applied', 'duplicate', 'unmatched', 'ignored', 'invalid'] as const;
export const ENROLLMENT_OUTCOMES = ['created', 'already_active', 'invalid'] as const;
export type RowOutcome = (typeof COMPLETION_OUTCOMES)[number] | (typeof ENROLLMENT_OUTCOMES)[number];

export interface ImportJob {
  id: string;
  kind: ImportKind;
  partnerId?: string;
  fileName: string;
  /** Where the file is in the uploads bucket. */
  fileKey: string;
  /** An admin's upload, or a file a partner put in the drop zone. */
  source: 'upload' | 'drop';
  createdAt: string;
  createdBy: string;
  status: ImportStatus;
  /** The current (or last) run: each run of the file (a dry run, then the real one) counts afresh. */
  run: number;
  dryRun: boolean;
  runBy?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Rows in the file (known once the run has read it) and rows done. */
  total: number;
  done: number;
  /** How many chunks the run's rows are in. */
  chunks: number;
  outcomes: Partial<Record<RowOutcome, number>>;
  /** Why the file was refused (nothing applied). */
  problem?: string;
  /** The run's per-row report (CSV) in the uploads bucket. */
  resultKey?: string;
}

/** One row's outcome, as the result report shows it. */
export interface RowResult {
  /** The row's line in the file (the header is line 1). */
  line: number;
  outcome: RowOutcome;
  reason?: string;
  /** Who and what the row is about, as the file says. */
  student?: string;
  course?: string;
  enrollmentId?: string;
}

export interface ImportStore {
  /** Creates the job unless one has its id already (false); throws WriteContention when another write met it (nothing written). */
  create(job: ImportJob): Promise<boolean>;
  get(importId: string): Promise<ImportJob | undefined>;
  /** The newest first. */
  list(limit: number): Promise<ImportJob[]>;
  /** Replaces the job if its status and run are still those of `expected` (false: it changed meanwhile). */
  replace(job: ImportJob, expected: Pick<ImportJob, 'status' | 'run'>): Promise<boolean>;
  /**
   * Records a chunk's results and adds its counts to the job, in one transaction, if the chunk is
   * not recorded yet and the job is still running this run. False: it was recorded already (a
   * redelivery) or the run is over.
   */
  recordChunk(importId: string, run: number, index: number, results: readonly RowResult[]): Promise<boolean>;
  isRecorded(importId: string, run: number, index: number): Promise<boolean>;
  /** Every recorded chunk's results of the run, in chunk order. */
  results(importId: string, run: number): Promise<RowResult[][]>;
}

/** A unit of an import's work: read the file (`prepare`), one chunk of rows, or the end of a run. */
export type ImportMessage =
  | { importId: string; run: number; step: 'prepare' }
  | { importId: string; run: number; step: 'chunk'; index: number }
  | { importId: string; run: number; step: 'finish' };

export interface ImportQueue {
  enqueue(message: ImportMessage): Promise<void>;
}
