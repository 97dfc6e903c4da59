// Domain error codes → HTTP status, in one place. Errors leave as {"error": {"code", "message"}}.
import type { ErrorCode } from '../domain/errors.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_PROGRAM: 400,
  UNKNOWN_PARTNER: 400,
  STEP_AMBIGUOUS: 400,
  UNAUTHENTICATED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PROGRAM_NOT_FOUND: 404,
  ENROLLMENT_NOT_FOUND: 404,
  STEP_NOT_FOUND: 404,
  STUDENT_NOT_FOUND: 404,
  CERTIFICATE_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  ACTIVE_ENROLLMENT_EXISTS: 409,
  PARTNER_ACCOUNT_TAKEN: 409,
  STEP_ALREADY_DONE: 409,
  ENROLLMENT_NOT_ACTIVE: 409,
  CONCURRENT_CHANGE: 409,
  STALE_PROGRAM_VERSION: 409,
  NOTHING_TO_RETRY: 409,
  EVENT_ALREADY_SETTLED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
