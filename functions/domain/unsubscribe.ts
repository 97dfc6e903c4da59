// One-click unsubscribe links (RFC 8058): a token signed per student with a key only Baton holds,
// so the link needs no sign-in and cannot be made up for another student. It names the student and
// nothing else, and never expires (a mail provider may POST to it long after the email was sent).
// Tokens are capabilities: they are never logged; `tokenFingerprint` is what a log may carry.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'baton-unsubscribe-v1';
/** Longer than any token Baton makes (a 36-character id and a 43-character MAC, encoded). */
const MAX_TOKEN_LENGTH = 200;

const mac = (key: Uint8Array, studentId: string) => createHmac('sha256', key).update(`${PURPOSE}\n${studentId}`).digest();

export function unsubscribeToken(key: Uint8Array, studentId: string): string {
  return `${Buffer.from(studentId, 'utf8').toString('base64url')}.${mac(key, studentId).toString('base64url')}`;
}

/** The student a token was made for, or undefined when it was not made with this key (or is not a token at all). */
export function studentOfToken(key: Uint8Array, token: string): string | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const studentId = Buffer.from(match[1]!, 'base64url').toString('utf8');
  const given = Buffer.from(match[2]!, 'base64url');
  // Only the canonical encoding: base64url ignores the last character's spare bits, so another
  // spelling of the same bytes would otherwise pass as the token.
  if (given.toString('base64url') !== match[2] || Buffer.from(studentId, 'utf8').toString('base64url') !== match[1]) return undefined;
  const expected = mac(key, studentId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? studentId : undefined;
}

/** What a log may say about a token: enough to tell two apart, nothing to use. */
export const tokenFingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 12);

export const unsubscribeUrl = (siteUrl: string, token: string) => `${siteUrl}/api/unsubscribe?token=${token}`;
