// The enrollment list's filters as requests carry them: the list route's query string and an
// export's `filters` (the same names and values, so an export is exactly the list it was started
// from). Every value is checked; a 400 names the filter that is wrong and what it takes.
import * as z from 'zod/mini';
import { STEP_STATUSES, type StepStatus } from '../domain/enrollment.js';
import { ENROLLMENT_STATUSES, LIST_SORTS, type ListFilters, type ListSort } from '../domain/enrollment-list.js';
import { validationError } from '../domain/errors.js';
import { knownPartnerSchema, knownPartners, partnerIdSchema } from './schemas.js';
import type { EnrollmentStatus } from '../domain/enrollment.js';

const oneOf = <T extends string>(values: readonly T[], what: string) =>
  z.string().check(z.refine((v) => (values as readonly string[]).includes(v), { error: `must be one of ${values.join(', ')} (${what})` }));
/** "true"/"false" as query strings carry them, or JSON booleans. */
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]);
/** A date (YYYY-MM-DD, UTC) or an ISO date-time. */
const dateOrTime = z.string().check(
  z.refine((v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: 'must be a date (YYYY-MM-DD) or an ISO date-time',
  }),
);

export const listQuerySchema = z.object({
  programId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a program id'))),
  status: z.optional(oneOf(ENROLLMENT_STATUSES, 'the enrollment status')),
  partnerId: z.optional(partnerIdSchema),
  stepStatus: z.optional(oneOf(STEP_STATUSES, 'a step status')),
  /** `true` (in progress on a step for more than 7 days) or a number of days. */
  stuck: z.optional(z.union([flag, z.coerce.number().check(z.minimum(0), z.maximum(3650))])),
  overdue: z.optional(flag),
  createdFrom: z.optional(dateOrTime),
  createdTo: z.optional(dateOrTime),
  q: z.optional(z.string().check(z.trim(), z.minLength(2, 'must be at least 2 characters of a name or email'), z.maxLength(254))),
  sort: z.optional(oneOf(LIST_SORTS, 'newest first by creation or by last change; _asc for oldest first')),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

/** The filters with `partnerId` one of these partners (the ones on record), as every route that names a partner checks it. */
export const listQuery = (partners: ReadonlySet<string>) =>
  z.extend(listQuerySchema, { partnerId: z.optional(knownPartnerSchema(partners)) });

/** The partners on record when the filters name one (a list without the filter reads none). */
export const partnersFor = async (filters: Record<string, unknown>, partners: Parameters<typeof knownPartners>[0]) =>
  filters.partnerId === undefined ? new Set<string>() : knownPartners(partners);

const STUCK_DAYS_DEFAULT = 7;

/** The filters in the domain's terms: dates as ISO bounds (a date-only `createdTo` includes its whole day). */
export function toListFilters(query: ListQuery): ListFilters {
  const from = query.createdFrom
    ? new Date(query.createdFrom.length === 10 ? `${query.createdFrom}T00:00:00.000Z` : query.createdFrom)
    : undefined;
  const to = query.createdTo ? new Date(query.createdTo.length === 10 ? `${query.createdTo}T23:59:59.999Z` : query.createdTo) : undefined;
  if (from && to && from > to) throw validationError('createdFrom: must not be after createdTo');
  const stuck =
    query.stuck === true || query.stuck === 'true' ? STUCK_DAYS_DEFAULT : typeof query.stuck === 'number' ? query.stuck : undefined;
  return {
    ...(query.programId ? { programId: query.programId } : {}),
    ...(query.status ? { status: query.status as EnrollmentStatus } : {}),
    ...(query.partnerId ? { partnerId: query.partnerId } : {}),
    ...(query.stepStatus ? { stepStatus: query.stepStatus as StepStatus } : {}),
    ...(stuck !== undefined ? { stuckDays: stuck } : {}),
    ...(query.overdue === true || query.overdue === 'true' ? { overdue: true } : {}),
    ...(from ? { createdFrom: from.toISOString() } : {}),
    ...(to ? { createdTo: to.toISOString() } : {}),
    ...(query.q ? { q: query.q } : {}),
    sort: (query.sort ?? 'created') as ListSort,
  };
}
