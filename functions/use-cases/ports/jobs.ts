// Where a scheduled job that pages through more than one run holds (the reconciler today) keeps
// its place between runs.
export interface JobCursors {
  /** The cursor the job stopped at last time, if it stopped before the end. */
  load(job: string): Promise<string | undefined>;
  /** Where to go on next run; undefined: start from the beginning. */
  save(job: string, cursor: string | undefined): Promise<void>;
}
