// Field rules shared by request bodies.
import { z } from 'zod';

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((email) => email.toLowerCase());

/** Partner account ids: opaque, printable ASCII, bounded. */
export const externalIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable ASCII characters without spaces');

export const reasonSchema = z.string().trim().min(3, 'must say why (at least 3 characters)').max(500);
