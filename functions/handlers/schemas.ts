// Field rules shared by request bodies (zod/mini: a few kB per bundle instead of ~450 kB).
import * as z from 'zod/mini';
import { foldEmail, isEmailAddress } from '../domain/email.js';
import { isPartnerId, PARTNER_ID_RULE } from '../domain/partners.js';

/** An email address by the domain's one rule, trimmed and case-folded (ASCII only) as Baton stores it. */
export const emailSchema = z.pipe(
  z.string().check(z.trim(), z.refine(isEmailAddress, { error: 'must be a valid email address' })),
  z.transform(foldEmail),
);

/** A partner id: a slug (whether such a partner exists is the use case's to say). */
export const partnerIdSchema = z.string().check(z.refine(isPartnerId, { error: `must be a partner id: ${PARTNER_ID_RULE}` }));

/** The id of one of these partners (the handler lists them first: partners are data). */
export const knownPartnerSchema = (known: ReadonlySet<string>) =>
  z.string().check(z.refine((id) => known.has(id), { error: 'must be the id of a partner (GET /api/admin/partners lists them)' }));

/** The ids of the partners on record. */
export const knownPartners = async (partners: { list(): Promise<Array<{ id: string }>> }) =>
  new Set((await partners.list()).map((p) => p.id));

/** Partner account ids: opaque, printable ASCII, bounded. */
export const externalIdSchema = z
  .string()
  .check(z.regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable ASCII characters without spaces'));

export const reasonSchema = z.string().check(z.trim(), z.minLength(3, 'must say why (at least 3 characters)'), z.maxLength(500));

/** A query-string number within bounds (query values arrive as strings). */
export const queryNumber = (min: number, max: number, options: { integer?: boolean } = {}) =>
  z.coerce.number().check(...(options.integer ? [z.int()] : []), z.minimum(min), z.maximum(max));
