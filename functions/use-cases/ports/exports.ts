// Exports: the job record (its progress and, when done, its file), the files (S3 on AWS), and the
// queue that runs a job off the request.
export type ExportKind = 'enrollments' | 'certificates';

export interface ExportJob {
  id: string;
  kind: ExportKind;
  /** The filters as the request gave them (validated), kept to say what the file holds. */
  filters: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** Rows written so far (the progress), or in all once completed. */
  rows: number;
  startedAt?: string;
  completedAt?: string;
  error?: string;
  /** Where the file is, once completed. */
  fileKey?: string;
  fileName?: string;
}

export interface ExportStore {
  putJob(job: ExportJob): Promise<void>;
  getJob(exportId: string): Promise<ExportJob | undefined>;
  /** Replaces the job as it was read (false: it changed meanwhile). */
  replaceJob(job: ExportJob, expected: ExportJob): Promise<boolean>;
}

export interface ExportFiles {
  put(key: string, body: Buffer): Promise<void>;
  /** A short-lived link the staff member's browser downloads the file from. */
  downloadUrl(key: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
}

export interface ExportQueue {
  enqueue(exportId: string): Promise<void>;
}
