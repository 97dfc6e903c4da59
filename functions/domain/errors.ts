// Errors are values with codes; functions/http/errors.ts maps each code to an HTTP status in one place.
import type { CertificateRefusalCode } from './certificate-decider.js';
import type { RefusalCode } from './enrollment-decider.js';

export type ErrorCode =
  /** Every reason the enrollment decider refuses a command is an error code too. */
  | RefusalCode
  | CertificateRefusalCode
  | 'VALIDATION_FAILED'
  | 'INVALID_PROGRAM'
  | 'UNKNOWN_PARTNER'
  | 'PROGRAM_NOT_FOUND'
  | 'ENROLLMENT_NOT_FOUND'
  | 'STEP_NOT_FOUND'
  | 'STEP_AMBIGUOUS'
  | 'STEP_ALREADY_DONE'
  | 'ENROLLMENT_NOT_ACTIVE'
  | 'ENROLLMENT_COMPLETING'
  | 'CONCURRENT_CHANGE'
  | 'ACTIVE_ENROLLMENT_EXISTS'
  | 'PARTNER_ACCOUNT_TAKEN'
  | 'STUDENT_NOT_FOUND'
  | 'CERTIFICATE_NOT_FOUND'
  | 'STALE_PROGRAM_VERSION'
  | 'NOTHING_TO_RETRY'
  | 'EVENT_NOT_FOUND'
  | 'EVENT_ALREADY_SETTLED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INVALID_SIGNATURE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'SECRET_NOT_FOUND'
  | 'DELIVERY_NOT_FOUND'
  | 'ACCOUNT_NOT_FOUND'
  | 'NOT_FOUND'
  | 'SETTINGS_CHANGED'
  | 'INVALID_UNSUBSCRIBE_LINK'
  /** The step's partner does not take evidence from students (its definition turns it off). */
  | 'EVIDENCE_NOT_ACCEPTED'
  | 'ENDPOINT_NOT_FOUND'
  | 'EXPORT_NOT_FOUND'
  | 'IMPORT_NOT_FOUND'
  /** The import is running: a second run waits for it to end. */
  | 'IMPORT_RUNNING'
  /** The import's file has not been PUT to its upload URL yet. */
  | 'IMPORT_NOT_UPLOADED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, details?: Record<string, unknown>) =>
  new DomainError('VALIDATION_FAILED', message, details);
