// Ids derived from what they identify: the same text always gives the same id, so whatever makes
// it twice (a redelivered notification, a user signing in again) finds the first one.
import { createHash } from 'node:crypto';

/** The SHA-256 of `text`, shaped like a UUID (8-4-4-4-12 hex digits) where an id of that shape is expected. */
export function uuidShapedHash(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
