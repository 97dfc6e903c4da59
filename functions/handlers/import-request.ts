// The bodies of the import routes, checked.
import * as z from 'zod/mini';
import { partnerIdSchema } from './schemas.js';

/** A file's name as the admin's computer gave it: no path, no control characters. */
const fileName = z.string().check(
  z.trim(),
  z.minLength(1, 'must name the file'),
  z.maxLength(200),
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  z.regex(/^[^/\\\x00-\x1f\x7f]+$/, 'must be a file name (no path, no control characters)'),
  // The worker reads the file by its content; the name only keeps other kinds of file out early.
  z.regex(/\.(csv|tsv|txt|xlsx)$/i, 'must end in .csv, .tsv, .txt or .xlsx (save an .xls workbook as .xlsx or "CSV UTF-8")'),
);

export const createImportBody = z.strictObject({
  kind: z.enum(['completions', 'enrollments']),
  partnerId: z.optional(partnerIdSchema),
  fileName,
});

export const runImportBody = z.strictObject({ dryRun: z.boolean() });
