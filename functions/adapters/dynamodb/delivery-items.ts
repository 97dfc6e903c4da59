// Delivery ↔ items. An unmatched delivery is in the inbox index and waits under its owner (its
// student once known, else the partner account it names, else its email); a settled one leaves
// both and expires after the retention window. The raw body is kept in two parts, its start
// (which indexes project: the inbox shows it) and the rest (which none does), so a 256 KiB body is
// written once, to the table, and no part of it twice.
import type { Delivery, DeliveryOutcome } from '../../domain/delivery.js';
import type { PartnerId } from '../../domain/partners.js';
import type { DeliveryLogEntry, DeliverySummary } from '../../use-cases/ports/deliveries.js';
import type { SaveExtras } from '../../use-cases/ports/enrollments.js';
import { counterShard, indexKeys, keys } from './keys.js';
import { ENTITY, pick, type Item } from './item.js';

/** Settled deliveries are kept this long: the dedupe window (≥ 7 days) plus audit time. */
export const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;
/** How much of the raw body the inbox shows without reading the delivery itself. */
export const BODY_PREVIEW_CHARS = 600;

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** What the indexes that list deliveries project (everything the inbox and re-application read). */
export const DELIVERY_SUMMARY_FIELDS = [
  'partnerId',
  'webhookId',
  'receivedAt',
  'outcome',
  'reason',
  'problem',
  'batch',
  'event',
  'studentId',
  'appliedTo',
  'resolvedAt',
  'dismissal',
  'bodyPreview',
  'bodyBytes',
] as const satisfies ReadonlyArray<keyof DeliverySummary>;

/** What the delivery log (gsi3) projects: the summary without the body's preview (the log fetches a body when asked). */
export const DELIVERY_LOG_FIELDS = [
  ...DELIVERY_SUMMARY_FIELDS.filter((f) => f !== 'bodyPreview'),
  'replays',
] as const satisfies ReadonlyArray<keyof DeliveryLogEntry>;

export function deliveryItem(delivery: Delivery): Item {
  const unmatched = delivery.outcome === 'unmatched';
  const { rawBody, ...fields } = delivery;
  const rest = rawBody.slice(BODY_PREVIEW_CHARS);
  return {
    ...keys.delivery(delivery.partnerId, delivery.webhookId),
    ...(unmatched ? waitingOwnerIndex(delivery) : {}),
    ...(unmatched ? indexKeys.unmatchedInbox(delivery.receivedAt, delivery.partnerId, delivery.webhookId) : {}),
    ...indexKeys.partnerDelivery(delivery.partnerId, delivery.receivedAt, delivery.webhookId),
    [ENTITY]: 'delivery',
    ...fields,
    bodyPreview: rawBody.slice(0, BODY_PREVIEW_CHARS),
    ...(rest ? { bodyRest: rest } : {}),
    bodyBytes: Buffer.byteLength(rawBody, 'utf8'),
    // Unmatched deliveries stay until an admin resolves them; settled ones expire after the window.
    ...(unmatched ? {} : { expiresAt: epochSeconds(delivery.receivedAt) + DELIVERY_RETENTION_SECONDS }),
  };
}

function waitingOwnerIndex(delivery: Delivery) {
  const { receivedAt, webhookId, event } = delivery;
  if (delivery.studentId) return indexKeys.unmatchedForStudent(delivery.studentId, receivedAt, webhookId);
  if (event.kind !== 'completion') return {};
  if (event.externalId) return indexKeys.unmatchedForAccount(delivery.partnerId, event.externalId, receivedAt, webhookId);
  if (event.email) return indexKeys.unmatchedForEmail(event.email, receivedAt, webhookId);
  return {};
}

/**
 * An unmatched delivery that names a partner account waits under that account; if it also names
 * an email, this second item waits under the email, so enrolling the student by email alone (the
 * account unknown to Baton) finds it too. Deleted when the delivery is settled.
 */
export function unmatchedEmailPointerItem(delivery: Delivery): Item | undefined {
  const event = delivery.event.kind === 'completion' ? delivery.event : undefined;
  if (delivery.outcome !== 'unmatched' || delivery.studentId || !event?.externalId || !event.email) return undefined;
  const { partnerId, webhookId, receivedAt, outcome } = delivery;
  return {
    ...keys.unmatchedEmailPointer(partnerId, webhookId),
    ...indexKeys.unmatchedForEmail(event.email, receivedAt, webhookId),
    [ENTITY]: 'unmatchedEmailPointer',
    partnerId,
    webhookId,
    receivedAt,
    outcome,
    event,
  };
}

/**
 * Settles a delivery that is still unmatched (the condition): its outcome, out of the inbox and
 * owner indexes, and expiring after the retention window like every settled delivery.
 */
export function settleUpdate(
  partnerId: PartnerId,
  webhookId: string,
  settle: { outcome: DeliveryOutcome; reason?: string; at: string; also?: Record<string, unknown> },
) {
  const fields: Record<string, unknown> = {
    outcome: settle.outcome,
    ...(settle.reason ? { reason: settle.reason } : {}),
    resolvedAt: settle.at,
    expiresAt: epochSeconds(settle.at) + DELIVERY_RETENTION_SECONDS,
    ...settle.also,
  };
  const names = Object.keys(fields);
  return {
    Key: keys.delivery(partnerId, webhookId),
    UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')} REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk`,
    ConditionExpression: '#outcome = :unmatched',
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
    ExpressionAttributeValues: { ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])), ':unmatched': 'unmatched' },
  };
}

/** A waiting delivery applied to the steps it completed. */
export function appliedWaitingUpdate(applied: NonNullable<SaveExtras['appliedWaiting']>) {
  const { partnerId, webhookId, studentId, appliedTo, at } = applied;
  return settleUpdate(partnerId, webhookId, { outcome: 'applied', at, also: { studentId, appliedTo } });
}

export function toDelivery(item: Item): Delivery {
  const fields = DELIVERY_SUMMARY_FIELDS.filter((f) => f !== 'bodyPreview' && f !== 'bodyBytes');
  const rawBody = `${(item.bodyPreview as string | undefined) ?? ''}${(item.bodyRest as string | undefined) ?? ''}`;
  return { ...pick(item, [...fields, 'headers', 'replays']), rawBody } as unknown as Delivery;
}

export function toDeliveryLogEntry(item: Item): DeliveryLogEntry {
  return pick(item, DELIVERY_LOG_FIELDS) as unknown as DeliveryLogEntry;
}

export function toDeliverySummary(item: Item): DeliverySummary {
  return pick(item, DELIVERY_SUMMARY_FIELDS) as unknown as DeliverySummary;
}

/** The inbox counter moved by one, in the write that puts a delivery in the inbox (+1) or takes it out (-1). */
export function unmatchedCounterUpdate(tableName: string, webhookId: string, by: 1 | -1) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.unmatchedCounter(counterShard(webhookId)),
      UpdateExpression: 'ADD #count :by',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':by': by },
    },
  };
}
