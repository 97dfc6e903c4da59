// POST /api/webhooks/partners/{partnerId}: verify the Standard Webhooks signature on the raw
// body, dedupe by webhook-id, then apply. Every 4xx happens before anything is written.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { DomainError, validationError } from '../domain/errors.js';
import { parsePartnerWebhook } from '../domain/partner-events.js';
import { isPartnerId } from '../domain/partners.js';
import { applyPartnerEvent, type ApplyDeps, type ApplyResult } from './apply-partner-event.js';
import type { Clock, PartnerSecrets } from './ports/services.js';

export const MAX_WEBHOOK_BYTES = 256 * 1024;

/** Headers kept with each delivery for audit; never the signature. */
const AUDITED_HEADERS = ['webhook-id', 'webhook-timestamp', 'content-type', 'user-agent'] as const;

export interface WebhookRequest {
  partnerId: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface WebhookDeps extends ApplyDeps {
  secrets: PartnerSecrets;
  clock: Clock;
}

export async function receivePartnerWebhook(deps: WebhookDeps, request: WebhookRequest): Promise<ApplyResult> {
  if (!isPartnerId(request.partnerId)) {
    throw new DomainError('NOT_FOUND', `unknown partner "${request.partnerId.slice(0, 50)}"`);
  }
  const partnerId = request.partnerId;
  if (Buffer.byteLength(request.rawBody, 'utf8') > MAX_WEBHOOK_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `webhook body is over ${MAX_WEBHOOK_BYTES / 1024} KiB`);
  }
  await verifySignature(await deps.secrets.secretsFor(partnerId), request);

  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    throw validationError('body is not valid JSON');
  }
  const receivedAt = deps.clock.now();
  const event = parsePartnerWebhook(partnerId, body, { now: receivedAt });

  const webhookId = request.headers['webhook-id']!;
  if (await deps.deliveries.get(partnerId, webhookId)) return { status: 'duplicate', reason: 'same_webhook_id' };

  const now = receivedAt.toISOString();
  const delivery = {
    partnerId,
    webhookId,
    receivedAt: now,
    rawBody: request.rawBody,
    headers: auditedHeaders(request.headers),
    event,
  };
  if (event.kind === 'other') {
    const stored = await deps.deliveries.put({ ...delivery, outcome: 'ignored', reason: `event_type:${event.type}` });
    return stored ? { status: 'ignored', reason: 'event_type' } : { status: 'duplicate', reason: 'same_webhook_id' };
  }
  return applyPartnerEvent(deps, partnerId, event, { kind: 'new', delivery }, now);
}

async function verifySignature(secrets: string[], request: WebhookRequest): Promise<void> {
  const headers = {
    'webhook-id': request.headers['webhook-id'] ?? '',
    'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
    'webhook-signature': request.headers['webhook-signature'] ?? '',
  };
  const missing = Object.entries(headers)
    .filter(([, v]) => v === '')
    .map(([k]) => k);
  if (missing.length > 0) throw new DomainError('INVALID_SIGNATURE', `missing ${missing.join(', ')} header`);
  if (headers['webhook-id'].length > 200) throw new DomainError('INVALID_SIGNATURE', 'webhook-id is longer than 200 characters');

  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(request.rawBody, headers, { jsonParse: false });
      return;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // A timestamp problem is the same for every secret: say so rather than "no match".
      if (/timestamp|Invalid Signature Headers/i.test(error.message)) {
        throw new DomainError('INVALID_SIGNATURE', `webhook-timestamp is ${timestampProblem(error.message)}`);
      }
    }
  }
  throw new DomainError('INVALID_SIGNATURE', "no webhook-signature matches this partner's secret");
}

function timestampProblem(message: string): string {
  if (/too old/i.test(message)) return 'more than 5 minutes old';
  if (/too new/i.test(message)) return 'more than 5 minutes in the future';
  return 'not a unix time in seconds';
}

function auditedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of AUDITED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value.slice(0, 500);
  }
  return kept;
}
