// A verified request → the deliveries it holds: each with its delivery id (from a header, a JSON
// Pointer, the statement or item's own id, or the SHA-256 of the raw body), the body stored with
// it, and its event. Shared by the webhook, its test console and replays, so the three read a
// delivery the same way.
import { createHash } from 'node:crypto';
import { DomainError, validationError } from './errors.js';
import { resolvePointer } from './json-pointer.js';
import type { ParseContext } from './partner-events.js';
import type { Partner } from './partners.js';
import { readWebhookBody, type BodyItem } from './webhook-body.js';

export interface PreparedDelivery {
  webhookId: string;
  /** What is stored as the delivery's body: the raw body, or a batch item's own JSON. */
  rawBody: string;
  event: BodyItem['event'];
  batch?: { id: string; index: number };
}

const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

/** The id a body is known by when nothing else names it: its SHA-256, so an identical resend is a duplicate. */
export const derivedDeliveryId = (rawBody: string) => `sha256:${createHash('sha256').update(rawBody, 'utf8').digest('hex')}`;

/**
 * The deliveries of a verified request. `verifiedBody` is what verification vouched for (the raw
 * body, or a JWS's payload). Throws a 4xx only where the seed's contract says so (`baton`
 * format), or when a configured delivery id header is missing; anything else that cannot be
 * read is an unreadable delivery, stored and answered "ignored".
 */
export function prepareDeliveries(
  partner: Pick<Partner, 'webhook'>,
  request: { headers: Record<string, string | undefined>; rawBody: string; verifiedBody: string },
  context: ParseContext,
): PreparedDelivery[] {
  const { webhook } = partner;
  let body: unknown;
  let unreadable: string | undefined;
  try {
    body = JSON.parse(request.verifiedBody);
  } catch {
    if (webhook.format === 'baton') throw validationError('body is not valid JSON');
    unreadable = 'the body is not valid JSON';
  }
  const source = webhook.deliveryId;
  let envelopeId: string;
  if ('header' in source) {
    const value = request.headers[source.header];
    if (!value || !DELIVERY_ID.test(value)) {
      throw new DomainError('VALIDATION_FAILED', `missing ${source.header} header (the delivery id: 1-200 printable characters)`);
    }
    envelopeId = value;
  } else if ('pointer' in source && !webhook.mapping?.items && unreadable === undefined) {
    const value = resolvePointer(body, source.pointer);
    const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof id === 'string' && DELIVERY_ID.test(id)) envelopeId = id;
    else {
      if (webhook.format === 'baton') throw validationError(`the delivery id (${source.pointer}) is missing from the body`);
      envelopeId = derivedDeliveryId(request.rawBody);
      unreadable = `the delivery id (${source.pointer}) is missing from the body or not 1-200 printable characters`;
    }
  } else {
    envelopeId = derivedDeliveryId(request.rawBody);
  }
  if (unreadable !== undefined)
    return [{ webhookId: envelopeId, rawBody: request.rawBody, event: { kind: 'unreadable', problem: unreadable } }];

  const items = readWebhookBody(webhook, body, context);
  if (items.length === 1 && items[0]!.index === undefined) {
    const [item] = items as [BodyItem];
    return [{ webhookId: item.id ?? envelopeId, rawBody: request.rawBody, event: item.event }];
  }
  return items.map((item) => ({
    webhookId: item.id ?? `${envelopeId}#${item.index ?? 0}`,
    rawBody: item.body ?? request.rawBody,
    event: item.event,
    batch: { id: envelopeId, index: item.index ?? 0 },
  }));
}
