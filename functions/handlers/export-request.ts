// An export's request, checked: its kind and filters (an enrollment export takes the list's; a
// certificate export, a range of issue dates). The worker reads the stored filters back the same way.
import * as z from 'zod/mini';
import { validationError } from '../domain/errors.js';
import { validate } from '../http/handler.js';
import type { ExportRequest } from '../use-cases/exports.js';
import { listQuery, listQuerySchema, toListFilters } from './list-filters.js';

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)'));
const certificateFilters = z.strictObject({ issuedFrom: day, issuedTo: day });

export const exportBody = z.strictObject({
  kind: z.enum(['enrollments', 'certificates']),
  filters: z._default(z.record(z.string(), z.unknown()), {}),
});

/** The request, checked; `partners` (the ones on record) when it is made, so an enrollment export names a partner that exists. */
export function exportRequest(
  kind: 'enrollments' | 'certificates',
  filters: Record<string, unknown>,
  partners?: ReadonlySet<string>,
): ExportRequest {
  if (kind === 'enrollments') {
    const query = validate(z.strictObject((partners ? listQuery(partners) : listQuerySchema).shape), filters);
    const raw = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    return { kind, filters: toListFilters(query), raw };
  }
  const range = validate(certificateFilters, filters);
  if (range.issuedFrom > range.issuedTo) throw validationError('filters.issuedFrom: must not be after issuedTo');
  return { kind, issuedFrom: `${range.issuedFrom}T00:00:00.000Z`, issuedTo: `${range.issuedTo}T23:59:59.999Z`, raw: range };
}
