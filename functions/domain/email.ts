// The one rule for email addresses, used wherever one arrives: request bodies (the zod schemas),
// partner events, token claims, and local mode's sign-in. An address is stored and compared
// trimmed and with ASCII A-Z lower-cased (foldEmail), which is how students are found by email.
import { validationError } from './errors.js';

/** RFC 5321's limit for a whole address (a path of 256 octets minus the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;
/** The local part as an RFC 5322 dot-atom: no quoting, no leading, trailing or doubled dots. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A host name with at least one dot: labels of letters, digits and inner hyphens; a TLD of letters or punycode. */
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** Whether a (trimmed) string is an email address Baton accepts. */
export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1 || value.length > MAX_EMAIL_LENGTH) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && domain.length <= 253 && LOCAL_PART.test(local) && DOMAIN.test(domain);
}

/**
 * The one case folding for email addresses: ASCII A-Z to a-z, nothing else. JavaScript's
 * toLowerCase() folds more than ASCII (the Kelvin sign U+212A becomes "k", U+0130 becomes "i̇"), so
 * an address that is not plain ASCII could fold into someone else's: "\u212Aim@test.com" would
 * read kim@test.com's enrollments. Here a character outside ASCII stays as it is.
 */
export function foldEmail(email: string): string {
  return email.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

/** The address as Baton stores it (trimmed, ASCII-folded), or a 400 naming the field. */
export function normalizeEmail(value: unknown, field = 'email'): string {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  if (trimmed === undefined || !isEmailAddress(trimmed)) throw validationError(`${field} must be a valid email address`);
  return foldEmail(trimmed);
}
