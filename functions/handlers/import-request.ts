// The bodies of the import routes, checked.
import * as z from 'zod/mini';
import { FILE_NAME_RULE, isFileName } from '../domain/file-name.js';
import { partnerIdSchema } from './schemas.js';

/** A file's name as the admin's computer gave it: no path, no control characters. */
const fileName = z.string().check(
  z.trim(),
  z.minLength(1, 'must name the file'),
  z.refine(isFileName, { error: `must be a file name: ${FILE_NAME_RULE}` }),
  // The worker reads the file by its content; the name only keeps other kinds of file out early.
  z.regex(/\.(csv|tsv|txt|xlsx)$/i, 'must end in .csv, .tsv, .txt or .xlsx (save an .xls workbook as .xlsx or "CSV UTF-8")'),
);

export const createImportBody = z.strictObject({
  kind: z.enum(['completions', 'enrollments']),
  partnerId: z.optional(partnerIdSchema),
  fileName,
});

export const runImportBody = z.strictObject({ dryRun: z.boolean() });
