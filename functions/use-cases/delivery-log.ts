// A partner's delivery log: every delivery (newest first, filtered by outcome, paged), one
// delivery with its raw body and audited headers, and the replay of a stored delivery through the
// same path as a fresh one — after an admin fixed the mapping that could not read it. A replay
// never applies anything twice: an applied delivery stays applied (the answer is "duplicate"), a
// waiting one is looked at again, an ignored one is read again with the partner's configuration now.
import { DomainError } from '../domain/errors.js';
import type { Delivery, DeliveryOutcome } from '../domain/delivery.js';
import { prepareDeliveries } from '../domain/webhook-delivery.js';
import type { Partner } from '../domain/partners.js';
import { applyPartnerEvent, type ApplyDeps, type ApplyResult } from './apply-partner-event.js';
import type { Actor } from './enrollments.js';
import { getPartnerOrThrow, partnerIdOf } from './partners.js';
import type { DeliveryLogEntry } from './ports/deliveries.js';
import type { Page } from './ports/page.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock } from './ports/services.js';

type LogDeps = ApplyDeps & { partners: PartnerStore; clock: Clock };

export async function listDeliveries(
  deps: Pick<LogDeps, 'partners' | 'deliveries'>,
  partnerId: string,
  options: { outcome?: DeliveryOutcome; limit: number; cursor?: string },
): Promise<Page<DeliveryLogEntry>> {
  const partner = await getPartnerOrThrow(deps.partners, partnerId);
  return deps.deliveries.listForPartner(partner.id, options);
}

export async function readDelivery(deps: Pick<LogDeps, 'deliveries'>, partnerId: string, deliveryId: string): Promise<Delivery> {
  const delivery = await deps.deliveries.get(partnerIdOf(partnerId), deliveryId);
  if (!delivery)
    throw new DomainError(
      'DELIVERY_NOT_FOUND',
      `no ${partnerId} delivery ${deliveryId.slice(0, 200)} (settled deliveries are kept 30 days)`,
    );
  return delivery;
}

export interface ReplayResult extends ApplyResult {
  deliveryId: string;
  /** Further deliveries the replay read from the body (a batch whose items could not be read before). */
  items?: Array<{ deliveryId: string } & ApplyResult>;
}

export async function replayDelivery(deps: LogDeps, partnerId: string, deliveryId: string, admin: Actor): Promise<ReplayResult> {
  const partner = await getPartnerOrThrow(deps.partners, partnerId);
  const stored = await readDelivery(deps, partner.id, deliveryId);
  const at = deps.clock.now().toISOString();
  deps.logger.info('admin replays a delivery', {
    partnerId: partner.id,
    webhookId: deliveryId,
    admin: admin.email,
    outcome: stored.outcome,
  });
  if (stored.outcome === 'applied' || stored.outcome === 'duplicate') return { deliveryId, status: 'duplicate', reason: 'already_applied' };
  if (stored.outcome === 'unmatched') {
    if (stored.event.kind !== 'completion') return { deliveryId, status: 'unmatched', ...(stored.reason ? { reason: stored.reason } : {}) };
    const result = await applyPartnerEvent(
      deps,
      partner.id,
      stored.event,
      { kind: 'stored', partnerId: partner.id, webhookId: deliveryId },
      at,
    );
    return { deliveryId, ...result };
  }
  // Ignored: read it again, as the partner is configured now.
  const reread = readAgain(partner, stored, deps.clock.now());
  const replays = [...(stored.replays ?? []), { at, by: admin.email }];
  const base = {
    partnerId: partner.id,
    receivedAt: stored.receivedAt,
    headers: stored.headers,
    ...(stored.batch ? { batch: stored.batch } : {}),
    replays,
  };
  const items: Array<{ deliveryId: string } & ApplyResult> = [];
  let own: ApplyResult = { status: 'ignored', reason: 'replayed_as_items' };
  for (const delivery of reread) {
    const mine = delivery.webhookId === deliveryId;
    const record = { ...base, webhookId: delivery.webhookId, rawBody: delivery.rawBody, event: delivery.event };
    let result: ApplyResult;
    if (delivery.event.kind === 'completion') {
      const source = mine
        ? ({ kind: 'replayed', delivery: record, expectedOutcome: 'ignored' } as const)
        : ({ kind: 'new', delivery: { ...record, batch: delivery.batch ?? { id: deliveryId, index: 0 } } } as const);
      if (!mine && (await deps.deliveries.get(partner.id, delivery.webhookId))) result = { status: 'duplicate', reason: 'same_webhook_id' };
      else result = await applyPartnerEvent(deps, partner.id, delivery.event, source, at);
    } else {
      const reason = delivery.event.kind === 'unreadable' ? 'unreadable' : `event_type:${delivery.event.type}`;
      const ignored: Delivery = {
        ...record,
        outcome: 'ignored',
        reason,
        ...(delivery.event.kind === 'unreadable' ? { problem: delivery.event.problem } : {}),
      };
      const written = mine ? await deps.deliveries.replace(ignored, 'ignored') : await deps.deliveries.put(ignored);
      result = written ? { status: 'ignored', reason } : { status: 'duplicate', reason: 'same_webhook_id' };
    }
    if (mine) own = result;
    else items.push({ deliveryId: delivery.webhookId, ...result });
  }
  if (!reread.some((d) => d.webhookId === deliveryId)) {
    // The body now reads as other deliveries (a batch's items): the envelope stays, marked as replayed.
    await deps.deliveries.replace({ ...stored, replays, reason: 'replayed_as_items' }, 'ignored');
  }
  return { deliveryId, ...own, ...(items.length > 0 ? { items } : {}) };
}

/** The stored body read with the partner's configuration now; a batch item is read as the item it is. */
function readAgain(partner: Partner, stored: Delivery, now: Date) {
  const webhook = stored.batch
    ? {
        ...partner.webhook,
        deliveryId: { derive: 'sha256' as const },
        ...(partner.webhook.mapping ? { mapping: { ...partner.webhook.mapping, items: undefined } } : {}),
      }
    : partner.webhook;
  // A JWS body was verified on receipt: its payload is what is read.
  const verifiedBody = partner.webhook.verification.scheme === 'jwt' ? jwsPayload(stored.rawBody) : stored.rawBody;
  const read = prepareDeliveries({ webhook }, { headers: stored.headers, rawBody: stored.rawBody, verifiedBody }, { now });
  // A batch item keeps its own id: it is the delivery being replayed.
  return stored.batch && read.length === 1 ? [{ ...read[0]!, webhookId: stored.webhookId, rawBody: stored.rawBody }] : read;
}

function jwsPayload(jws: string): string {
  const payload = jws.trim().split('.')[1] ?? '';
  return Buffer.from(payload, 'base64url').toString('utf8');
}
