// Exports: the job record (its progress, the slices written so far and, when done, its file), the
// files (S3 on AWS), and the queue that runs a job off the request.
export type ExportKind = 'enrollments' | 'certificates';

/** One slice of an export's rows, written by one step of a run as an object of its own. */
export interface ExportPart {
  key: string;
  rows: number;
  /** The most steps a row of this slice has (the file's step columns are the most of every slice). */
  steps: number;
}

export interface ExportJob {
  id: string;
  kind: ExportKind;
  /** The filters as the request gave them (validated), kept to say what the file holds. */
  filters: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** Incremented on every change: each change is written only over the revision it was made from. */
  revision: number;
  /** Rows written so far (the progress), or in all once completed. */
  rows: number;
  /** The slices written so far, in file order. */
  parts: ExportPart[];
  /** Where the next slice starts in the list (absent: at its start, or, once `listed`, nowhere). */
  cursor?: string;
  /** Every row has been written to a slice: what is left is assembling the file. */
  listed?: boolean;
  /** Runs of the worker so far (each continues where the last one stopped). */
  runs: number;
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
  /** Writes the job's next revision over the one it was made from (false: another run changed it meanwhile). */
  replaceJob(job: ExportJob, expected: ExportJob): Promise<boolean>;
}

export interface ExportFiles {
  /** Writes an object (a slice of an export). */
  put(key: string, body: Buffer): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** Writes the file from its pieces in order; it exists under `key` only once whole. */
  assemble(key: string, pieces: AsyncIterable<Buffer>): Promise<void>;
  /** A short-lived link the staff member's browser downloads the file from. */
  downloadUrl(key: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
}

export interface ExportQueue {
  enqueue(exportId: string): Promise<void>;
}
