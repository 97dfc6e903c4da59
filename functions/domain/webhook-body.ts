// A verified webhook body → the events it carries, by the partner's body format. `baton` is the
// seed's contract (the seed JSON or one xAPI statement; malformed is a 400). `xapi` is one
// statement or an array of them, as an LRS forwards statements; `mapped` reads the partner's own
// JSON through RFC 6901 pointers, with `items` for batches. A batch becomes one item per event,
// each applied and deduplicated on its own. For xapi and mapped, what cannot be read is not a 400:
// the delivery verified, so it is kept with the reason (and answered "ignored") for an admin to
// fix the mapping and replay it.
import { normalizeEmail } from './email.js';
import { DomainError } from './errors.js';
import { resolvePointer } from './json-pointer.js';
import {
  identifier,
  optional,
  parsePartnerEvent,
  parseXapi,
  score,
  timestamp,
  type ParseContext,
  type PartnerEvent,
} from './partner-events.js';
import type { BodyMapping, WebhookConfig } from './partner-webhook-config.js';

/** What could not be read from a verified delivery: kept, and answered "ignored". */
export interface Unreadable {
  kind: 'unreadable';
  problem: string;
}

export interface BodyItem {
  /** The item's own delivery id, when the body carries one (an xAPI statement id, the mapping's per-item id). */
  id?: string;
  /** Set for an item of a batch: the item's own JSON, stored as its delivery's body. */
  body?: string;
  /** Its position in the batch. */
  index?: number;
  event: PartnerEvent | Unreadable;
}

/** Batches of more than this many items are refused whole (Docebo sends at most 25). */
export const MAX_BATCH_ITEMS = 100;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The items of a body already parsed as JSON. Throws VALIDATION_FAILED (a 400) only for the
 * `baton` format, whose contract it is; other formats return unreadable items instead.
 */
export function readWebhookBody(
  config: Pick<WebhookConfig, 'format' | 'mapping' | 'deliveryId'>,
  body: unknown,
  context: ParseContext,
): BodyItem[] {
  switch (config.format) {
    case 'baton':
      return [{ event: parsePartnerEvent(body, context) }];
    case 'xapi':
      return readXapi(body, context);
    case 'mapped':
      return readMapped(config.mapping!, 'pointer' in config.deliveryId ? config.deliveryId.pointer : undefined, body, context);
  }
}

/** Reads one event; a DomainError becomes its reason. */
function attempt(read: () => PartnerEvent): PartnerEvent | Unreadable {
  try {
    return read();
  } catch (error) {
    if (error instanceof DomainError) return { kind: 'unreadable', problem: error.message };
    throw error;
  }
}

function tooMany(count: number): Unreadable {
  return { kind: 'unreadable', problem: `the batch has ${count} items; at most ${MAX_BATCH_ITEMS} are read from one delivery` };
}

function readXapi(body: unknown, context: ParseContext): BodyItem[] {
  const statement = (value: unknown): PartnerEvent => {
    if (!isObject(value)) throw new DomainError('VALIDATION_FAILED', 'a statement must be a JSON object');
    return parseXapi(value, context);
  };
  if (!Array.isArray(body)) return [{ ...statementId(body), event: attempt(() => statement(body)) }];
  if (body.length === 0) return [{ event: { kind: 'unreadable', problem: 'the array holds no statements' } }];
  if (body.length > MAX_BATCH_ITEMS) return [{ event: tooMany(body.length) }];
  return body.map((value, index) => ({
    ...statementId(value),
    body: JSON.stringify(value),
    index,
    event: attempt(() => statement(value)),
  }));
}

/** An xAPI statement's id (LRSs give every statement one): its deduplication key. */
function statementId(value: unknown): { id?: string } {
  const id = isObject(value) ? value.id : undefined;
  return typeof id === 'string' && /^[\x21-\x7e]{1,200}$/.test(id) ? { id } : {};
}

function readMapped(mapping: BodyMapping, idPointer: string | undefined, body: unknown, context: ParseContext): BodyItem[] {
  if (mapping.items === undefined) return [{ event: attempt(() => mappedEvent(mapping, body, context)) }];
  const items = resolvePointer(body, mapping.items);
  if (!Array.isArray(items)) {
    return [{ event: { kind: 'unreadable', problem: `items (${mapping.items}) is not an array in this body` } }];
  }
  if (items.length === 0) return [{ event: { kind: 'unreadable', problem: `items (${mapping.items}) is an empty array` } }];
  if (items.length > MAX_BATCH_ITEMS) return [{ event: tooMany(items.length) }];
  return items.map((item, index) => {
    const id = idPointer === undefined ? undefined : itemId(resolvePointer(item, idPointer));
    return { ...(id ? { id } : {}), body: JSON.stringify(item), index, event: attempt(() => mappedEvent(mapping, item, context)) };
  });
}

const itemId = (value: unknown): string | undefined => {
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof id === 'string' && /^[\x21-\x7e]{1,200}$/.test(id) ? id : undefined;
};

/** Partners' ids are often numbers (Thinkific's user and course ids); Baton keeps them as strings. */
function idValue(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return identifier(value, field);
}

function mappedEvent(mapping: BodyMapping, item: unknown, context: ParseContext): PartnerEvent {
  const at = (name: keyof BodyMapping) => resolvePointer(item, mapping[name] as string);
  const field = (name: keyof BodyMapping) => `${name} (${mapping[name] as string})`;
  const type = at('eventType');
  const typeName = typeof type === 'number' ? String(type) : type;
  if (typeof typeName !== 'string' || typeName.length === 0 || typeName.length > 100) {
    throw new DomainError('VALIDATION_FAILED', `${field('eventType')} must be a string of 1-100 characters in the body`);
  }
  const result = Object.prototype.hasOwnProperty.call(mapping.eventTypes, typeName) ? mapping.eventTypes[typeName] : undefined;
  if (!result) return { kind: 'other', format: 'mapped', type: typeName };
  const studentId = mapping.studentId === undefined ? undefined : at('studentId');
  const email = mapping.email === undefined ? undefined : at('email');
  if ((studentId === undefined || studentId === null) && (email === undefined || email === null)) {
    const named = [mapping.studentId && field('studentId'), mapping.email && field('email')].filter(Boolean).join(' or ');
    throw new DomainError('VALIDATION_FAILED', `the body has no ${named}: nothing names the student`);
  }
  const course = at('courseId');
  if (course === undefined || course === null) throw new DomainError('VALIDATION_FAILED', `${field('courseId')} is missing from the body`);
  return {
    kind: 'completion',
    format: 'mapped',
    result,
    ...(studentId !== undefined && studentId !== null ? { externalId: idValue(studentId, field('studentId')) } : {}),
    ...(email !== undefined && email !== null ? { email: normalizeEmail(email, field('email')) } : {}),
    courseId: idValue(course, field('courseId')),
    ...(mapping.occurredAt ? optional('occurredAt', timestamp(at('occurredAt'), field('occurredAt'), context)) : {}),
    ...(mapping.score ? optional('score', score(numeric(at('score')), field('score'))) : {}),
  };
}

/** Some platforms send scores as numeric strings ("87.5"). */
const numeric = (value: unknown) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
