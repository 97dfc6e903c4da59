// Outbound events ↔ items: each event (its own item, in the sparse OUTBOX index until it has been
// relayed to the endpoints), each endpoint (one partition lists them all), and each delivery of an
// event to an endpoint (in the endpoint's partition, newest first; in the due index while an
// attempt is due). Events and deliveries expire after 30 days.
import { monotonicFactory } from 'ulid';
import type { OutboundEvent } from '../../domain/outbound-events.js';
import type { EventDelivery, EventEndpoint, StoredEvent } from '../../use-cases/ports/outbound.js';
import { ENTITY, pick, type Item } from './item.js';
import { outboundKeys } from './keys.js';

export { outboundKeys };

export const OUTBOUND_RETENTION_DAYS = 30;
const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + OUTBOUND_RETENTION_DAYS * 86_400;

/** A new event's id: `msg_` and a ULID of when it happened (sortable, unique; in order within a process), the `webhook-id` of every delivery of it. */
const ulid = monotonicFactory();
export const newEventId = (at: string) => `msg_${ulid(Date.parse(at))}`;

export const EVENT_FIELDS = ['id', 'type', 'at', 'data', 'payload'] as const;
export const ENDPOINT_FIELDS = [
  'id',
  'url',
  'events',
  'description',
  'secrets',
  'createdAt',
  'createdBy',
  'status',
  'disabledAt',
  'disabledReason',
  'failingSince',
  'lastSuccessAt',
] as const;
export const DELIVERY_FIELDS = ['endpointId', 'eventId', 'eventType', 'createdAt', 'status', 'attempts', 'nextAttemptAt', 'log'] as const;

/** A new event, waiting in the outbox. */
export function eventItem(event: OutboundEvent, id = newEventId(event.at)): Item {
  return {
    ...outboundKeys.event(id),
    ...outboundKeys.outbox(id),
    [ENTITY]: 'outboundEvent',
    id,
    type: event.type,
    at: event.at,
    data: event.data,
    expiresAt: expiresAt(event.at),
  };
}

export const toStoredEvent = (item: Item): StoredEvent => pick(item, EVENT_FIELDS) as unknown as StoredEvent;

export function endpointItem(endpoint: EventEndpoint): Item {
  return { ...outboundKeys.endpoint(endpoint.id), [ENTITY]: 'eventEndpoint', ...pick(endpoint, ENDPOINT_FIELDS) };
}

export const toEndpoint = (item: Item): EventEndpoint => pick(item, ENDPOINT_FIELDS) as unknown as EventEndpoint;

export function deliveryItem(delivery: EventDelivery): Item {
  return {
    ...outboundKeys.delivery(delivery.endpointId, delivery.eventId),
    ...(delivery.status === 'pending' && delivery.nextAttemptAt
      ? outboundKeys.due(delivery.nextAttemptAt, delivery.endpointId, delivery.eventId)
      : {}),
    [ENTITY]: 'eventDelivery',
    ...pick(delivery, DELIVERY_FIELDS),
    expiresAt: expiresAt(delivery.createdAt),
  };
}

export const toDelivery = (item: Item): EventDelivery => pick(item, DELIVERY_FIELDS) as unknown as EventDelivery;
