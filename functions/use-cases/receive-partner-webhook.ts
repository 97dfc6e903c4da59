// POST /api/webhooks/partners/{partnerId}: the partner's record says how to verify and read the
// delivery. An unknown or disabled partner is refused before any verification; the signature (or
// token, or JWS) is checked on the raw body with the partner's active secrets; then each delivery
// in the body (one, or each item of a batch) is deduplicated by its id and applied. Every 4xx
// happens before anything is written.
import { DomainError } from '../domain/errors.js';
import { usesSecrets } from '../domain/partner-webhook-config.js';
import { isActive, isPartnerId, type Partner, type PartnerId } from '../domain/partners.js';
import { verifyDelivery, type VerifyContext } from '../domain/verification/index.js';
import { KeySetUnavailable } from '../domain/verification/jwt.js';
import { prepareDeliveries, type PreparedDelivery } from '../domain/webhook-delivery.js';
import { applyPartnerEvent, type ApplyDeps, type ApplyResult, type CompletionEvent, type DeliverySource } from './apply-partner-event.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock, KeySets, PartnerSecrets } from './ports/services.js';
import type { WebhookGuard } from './webhook-guard.js';

export const MAX_WEBHOOK_BYTES = 256 * 1024;
/** A secret's last use is written at most this often (one conditional write per secret and hour, not one per webhook). */
export const SECRET_USE_PRECISION_MS = 3600_000;

/** Headers kept with each delivery for audit; never a signature or token header. */
const AUDITED_HEADERS = ['webhook-id', 'webhook-timestamp', 'content-type', 'user-agent'] as const;

export interface WebhookRequest {
  partnerId: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface WebhookDeps extends ApplyDeps {
  partners: PartnerStore;
  secrets: PartnerSecrets;
  keySets: KeySets;
  clock: Clock;
  guard?: WebhookGuard;
}

/** One delivery's result; a batch answers each of its items too. */
export interface WebhookResult extends ApplyResult {
  items?: Array<{ deliveryId: string } & ApplyResult>;
}

export interface Verified {
  partner: Partner;
  deliveries: PreparedDelivery[];
  /** The id of the secret that verified it (schemes with secrets). */
  secretId?: string;
}

export async function receivePartnerWebhook(deps: WebhookDeps, request: WebhookRequest): Promise<WebhookResult> {
  const verified = await verifyWebhook(deps, request);
  const receivedAt = deps.clock.now().toISOString();
  const results: Array<{ deliveryId: string } & ApplyResult> = [];
  for (const delivery of verified.deliveries) {
    results.push({
      deliveryId: delivery.webhookId,
      ...(await storeAndApply(deps, verified.partner, delivery, request.headers, receivedAt)),
    });
  }
  await noteSecretUse(deps, verified, receivedAt);
  if (results.length === 1 && !verified.deliveries[0]!.batch) {
    const { deliveryId: _id, ...result } = results[0]!;
    return result;
  }
  return { ...summarize(results), items: results };
}

/** Everything up to (not including) the first write: the partner, the verification, the deliveries read. */
export async function verifyWebhook(
  deps: Pick<WebhookDeps, 'partners' | 'secrets' | 'keySets' | 'clock' | 'guard'>,
  request: WebhookRequest,
  options: { checkContentType?: boolean; allowDisabled?: boolean } = {},
): Promise<Verified> {
  const { partnerId } = request;
  if (!isPartnerId(partnerId)) throw new DomainError('NOT_FOUND', `unknown partner "${String(partnerId).slice(0, 50)}"`);
  deps.guard?.admit(partnerId);
  if (Buffer.byteLength(request.rawBody, 'utf8') > MAX_WEBHOOK_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `webhook body is over ${MAX_WEBHOOK_BYTES / 1024} KiB`);
  }
  const partner = await deps.partners.get(partnerId, { consistent: false });
  if (!partner || (!isActive(partner) && !options.allowDisabled)) {
    deps.guard?.reject(partnerId);
    throw new DomainError('NOT_FOUND', partner ? `partner "${partnerId}" is disabled` : `unknown partner "${partnerId}"`);
  }
  const { verification } = partner.webhook;
  const secrets = usesSecrets(verification) ? await deps.secrets.activeSecrets(partnerId) : [];
  const now = deps.clock.now();
  const context: VerifyContext = { now, jwks: (url) => deps.keySets.forUrl(url) };
  let verdict;
  try {
    verdict = await verifyDelivery(
      verification,
      secrets.map((s) => s.value),
      request,
      context,
    );
  } catch (error) {
    if (error instanceof KeySetUnavailable)
      throw new DomainError('UPSTREAM_UNAVAILABLE', `${error.message}; nothing was stored, send it again`);
    throw error;
  }
  if (!verdict.ok) {
    deps.guard?.reject(partnerId);
    const noSecret =
      usesSecrets(verification) && secrets.length === 0 ? ' (this partner has no webhook secret yet: an admin creates one)' : '';
    throw new DomainError('INVALID_SIGNATURE', `${verdict.problem}${noSecret}`);
  }
  // A JWS body is its own media type; everything else is JSON.
  const contentType = request.headers['content-type'];
  if (
    verification.scheme !== 'jwt' &&
    (options.checkContentType ?? true) &&
    !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType ?? '')
  ) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json');
  }
  const deliveries = prepareDeliveries(partner, { ...request, verifiedBody: verdict.body }, { now });
  const secretId = verdict.secretIndex === undefined ? undefined : secrets[verdict.secretIndex]?.id;
  return { partner, deliveries, ...(secretId ? { secretId } : {}) };
}

async function storeAndApply(
  deps: WebhookDeps,
  partner: Partner,
  prepared: PreparedDelivery,
  headers: WebhookRequest['headers'],
  receivedAt: string,
): Promise<ApplyResult> {
  const partnerId = partner.id;
  const { webhookId, event } = prepared;
  const delivery = {
    partnerId,
    webhookId,
    receivedAt,
    rawBody: prepared.rawBody,
    headers: auditedHeaders(partner, headers),
    event,
    ...(prepared.batch ? { batch: prepared.batch } : {}),
  };
  if (event.kind === 'completion') return applyNewCompletion(deps, partnerId, { ...delivery, event }, receivedAt);
  if (await deps.deliveries.get(partnerId, webhookId)) return { status: 'duplicate', reason: 'same_webhook_id' };
  const [reason, answer] =
    event.kind === 'unreadable' ? (['unreadable', 'unreadable'] as const) : ([`event_type:${event.type}`, 'event_type'] as const);
  const stored = await deps.deliveries.put({
    ...delivery,
    outcome: 'ignored',
    reason,
    ...(event.kind === 'unreadable' ? { problem: event.problem } : {}),
  });
  return stored ? { status: 'ignored', reason: answer } : { status: 'duplicate', reason: 'same_webhook_id' };
}

/**
 * A completion just received (a webhook's, or a report file's row): applied once per delivery id,
 * through the same matching, unmatched inbox and deduplication whatever brought it.
 */
export async function applyNewCompletion(
  deps: ApplyDeps,
  partnerId: PartnerId,
  delivery: Extract<DeliverySource, { kind: 'new' }>['delivery'] & { event: CompletionEvent },
  receivedAt: string,
): Promise<ApplyResult> {
  if (await deps.deliveries.get(partnerId, delivery.webhookId)) return { status: 'duplicate', reason: 'same_webhook_id' };
  return applyPartnerEvent(deps, partnerId, delivery.event, { kind: 'new', delivery }, receivedAt);
}

/** The batch's answer: applied if any item was, else the most telling of the others. */
function summarize(results: readonly ApplyResult[]): ApplyResult {
  for (const status of ['applied', 'unmatched', 'ignored'] as const) if (results.some((r) => r.status === status)) return { status };
  return { status: 'duplicate' };
}

/** At most one write per secret an hour: skipped when the partner record read for this request is recent enough. */
async function noteSecretUse(deps: WebhookDeps, verified: Verified, at: string): Promise<void> {
  if (!verified.secretId) return;
  const notBefore = new Date(Date.parse(at) - SECRET_USE_PRECISION_MS).toISOString();
  const last = verified.partner.secretsLastUsed[verified.secretId];
  if (last && last >= notBefore) return;
  try {
    await deps.partners.markSecretUsed(verified.partner.id, verified.secretId, at, notBefore);
  } catch (error) {
    // The delivery is applied; a missed "last used" time is not worth failing it over.
    deps.logger.warn('could not record when a secret was last used', { error: String(error) });
  }
}

function auditedHeaders(partner: Partner, headers: WebhookRequest['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  const v = partner.webhook.verification;
  const signed = v.scheme === 'hmac-sha256' || v.scheme === 'token' ? v.header : undefined;
  const extra = [
    'header' in partner.webhook.deliveryId ? partner.webhook.deliveryId.header : undefined,
    v.scheme === 'hmac-sha256' ? v.timestampHeader : undefined,
  ];
  for (const name of [...AUDITED_HEADERS, ...extra]) {
    if (!name || name === signed) continue;
    const value = headers[name];
    if (value !== undefined) kept[name] = value.slice(0, 500);
  }
  return kept;
}
