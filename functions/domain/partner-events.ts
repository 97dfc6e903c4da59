// Partner webhook bodies → one normalized event. Two shapes arrive on the same route, told
// apart by shape: the seed's JSON ({"event", "student_id", "course_id", ...}) and an xAPI
// statement ({"actor", "verb", "object", ...}). Anything else that is valid JSON but not a
// completion is kept and answered "ignored".
import { normalizeEmail } from './email.js';
import { validationError } from './errors.js';
import type { PartnerResult } from './enrollment.js';

export type PartnerEvent =
  | {
      kind: 'completion';
      format: EventFormat;
      result: PartnerResult;
      /** The student's id at the partner; for xAPI statements that name only an mbox it is absent. */
      externalId?: string;
      email?: string;
      courseId: string;
      occurredAt?: string;
      score?: number;
      /** The partner credential's own expiry (an HSI card's date), when the partner sends it. */
      credentialExpiresAt?: string;
    }
  | { kind: 'other'; format: EventFormat; type: string };

/** The shape the event arrived in: the seed's JSON, an xAPI statement, or the partner's own (mapped). */
export type EventFormat = 'baton' | 'xapi' | 'mapped';

const XAPI_VERBS: Record<string, PartnerResult> = {
  'http://adlnet.gov/expapi/verbs/completed': 'completed',
  'http://adlnet.gov/expapi/verbs/passed': 'passed',
};
const NATIVE_EVENTS: Record<string, PartnerResult> = {
  'course.completed': 'completed',
  'course.passed': 'passed',
};

// Identifiers are printable ASCII: partners use opaque ids, and anything else (control
// characters, emoji, 10 kB strings) is a broken or hostile sender we answer with a 400.
const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;
const MAX_IRI = 512;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function identifier(value: unknown, field: string): string {
  if (typeof value !== 'string') throw validationError(`${field} must be a string`);
  if (!IDENTIFIER.test(value)) {
    throw validationError(`${field} must be 1-200 printable ASCII characters without spaces`);
  }
  return value;
}

/** What parsing needs from outside the body: the receiving server's current time. */
export interface ParseContext {
  now: Date;
}

/** The oldest completion time accepted: no partner platform reports training before 2000. */
export const EARLIEST_OCCURRED_AT = '2000-01-01T00:00:00Z';
/** How far ahead of the server's clock a completion time may be (partners' clocks and time zones drift). */
export const MAX_OCCURRED_AHEAD_HOURS = 24;

export function timestamp(value: unknown, field: string, { now }: ParseContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'string' && value.length <= 40 ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw validationError(`${field} must be an ISO-8601 timestamp`);
  // A year -1 or 3000 is a broken sender, and would sit on the student's timeline for ever.
  const latest = now.getTime() + MAX_OCCURRED_AHEAD_HOURS * 3600_000;
  if (at < Date.parse(EARLIEST_OCCURRED_AT) || at > latest) {
    throw validationError(
      `${field} must be between ${EARLIEST_OCCURRED_AT} and ${MAX_OCCURRED_AHEAD_HOURS} hours after the server's current time ` +
        `(now at most ${new Date(latest).toISOString()}), not ${value as string}`,
    );
  }
  return new Date(at).toISOString();
}

/** A credential expiry: a date or timestamp from 2000 to 2100 (a card's printed date). */
export function credentialExpiry(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'string' && value.length <= 40 ? Date.parse(value) : NaN;
  if (Number.isNaN(at) || at < Date.parse('2000-01-01T00:00:00Z') || at > Date.parse('2100-01-01T00:00:00Z')) {
    throw validationError(`${field} must be an ISO-8601 date between 2000-01-01 and 2100-01-01`);
  }
  return new Date(at).toISOString();
}

// Scores are stored with the delivery; DynamoDB numbers only reach 1e-130..1e125, and no real
// score (a percentage, xAPI's scaled -1..1, raw points) comes near these bounds.
const MAX_SCORE = 1e9;
const MIN_SCORE_MAGNITUDE = 1e-9;

export function score(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw validationError(`${field} must be a number`);
  const magnitude = Math.abs(value);
  if (magnitude > MAX_SCORE || (magnitude > 0 && magnitude < MIN_SCORE_MAGNITUDE)) {
    throw validationError(`${field} must be 0 or a number whose magnitude is between 1e-9 and 1e9`);
  }
  return value;
}

function parseNative(body: Json, context: ParseContext): PartnerEvent {
  if (typeof body.event !== 'string' || body.event.length === 0 || body.event.length > 100) {
    throw validationError('event must be a string such as "course.completed"');
  }
  const result = NATIVE_EVENTS[body.event];
  if (!result) return { kind: 'other', format: 'baton', type: body.event };
  if (body.student_id === undefined) throw validationError('student_id is required');
  if (body.course_id === undefined) throw validationError('course_id is required');
  return {
    kind: 'completion',
    format: 'baton',
    result,
    externalId: identifier(body.student_id, 'student_id'),
    courseId: identifier(body.course_id, 'course_id'),
    ...(body.email !== undefined ? { email: normalizeEmail(body.email) } : {}),
    ...optional('occurredAt', timestamp(body.completed_at, 'completed_at', context)),
    ...optional('score', score(body.score, 'score')),
    ...optional('credentialExpiresAt', credentialExpiry(body.credential_expires_at, 'credential_expires_at')),
  };
}

/** Courses are IRIs in xAPI; partners configure Baton with the IRI's last path segment. */
function courseFromActivityId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_IRI) {
    throw validationError('object.id must be the course IRI');
  }
  const lastSegment =
    id
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .pop() ?? '';
  return identifier(decodeURIComponentSafe(lastSegment), 'object.id (last path segment)');
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function parseXapi(body: Json, context: ParseContext): PartnerEvent {
  const verb = isObject(body.verb) ? body.verb.id : undefined;
  if (typeof verb !== 'string') throw validationError('verb.id must be a string');
  const result = XAPI_VERBS[verb];
  if (!result) return { kind: 'other', format: 'xapi', type: verb.slice(0, 200) };
  if (!isObject(body.actor)) throw validationError('actor must be an object');
  const account = isObject(body.actor.account) ? body.actor.account : undefined;
  const mbox = body.actor.mbox;
  if (!account && mbox === undefined) throw validationError('actor.account.name or actor.mbox is required');
  if (mbox !== undefined && (typeof mbox !== 'string' || !mbox.startsWith('mailto:'))) {
    throw validationError('actor.mbox must be a mailto: IRI');
  }
  if (!isObject(body.object)) throw validationError('object must be an object with the course IRI in id');
  const statementResult = isObject(body.result) ? body.result : {};
  const scaled = isObject(statementResult.score) ? (statementResult.score.scaled ?? statementResult.score.raw) : undefined;
  return {
    kind: 'completion',
    format: 'xapi',
    result,
    ...(account ? { externalId: identifier(account.name, 'actor.account.name') } : {}),
    ...(typeof mbox === 'string' ? { email: normalizeEmail(mbox.slice('mailto:'.length), 'actor.mbox') } : {}),
    courseId: courseFromActivityId(body.object.id),
    ...optional('occurredAt', timestamp(body.timestamp, 'timestamp', context)),
    ...optional('score', score(scaled, 'result.score')),
  };
}

export const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * Parses a webhook body already known to be JSON. Throws VALIDATION_FAILED naming the field.
 * `context.now` is the receiving server's clock, which bounds the completion time.
 */
export function parsePartnerEvent(body: unknown, context: ParseContext): PartnerEvent {
  if (!isObject(body)) throw validationError('body must be a JSON object');
  const looksLikeXapi = 'verb' in body && 'actor' in body && 'object' in body;
  return looksLikeXapi ? parseXapi(body, context) : parseNative(body, context);
}
