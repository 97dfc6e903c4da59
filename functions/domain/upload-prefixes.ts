// Where files live in the uploads bucket, apart from evidence: a leaf module, so what grants
// access by prefix (functions/access.ts, read by every function's wiring) carries nothing else.

/** Partners' reports, put there by themselves (the drop zone: imports/<partnerId>/<file>). */
export const DROP_ZONE_PREFIX = 'imports/';
/** Baton's own import files: the uploaded report, its run's work files and result report. */
export const IMPORT_RUNS_PREFIX = 'import-runs/';
