// What admins do with event endpoints: register one (its secret is shown once), list and delete
// them, rotate a secret (the old one keeps signing for a day beside the new one), enable one that
// was disabled, send a test ping, read an endpoint's delivery log and replay a delivery.
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError, validationError } from '../domain/errors.js';
import { OUTBOUND_EVENT_TYPES, ROTATION_OVERLAP_MS, TEST_EVENT_TYPE, type OutboundEventType } from '../domain/outbound-events.js';
import type { Actor } from './enrollments.js';
import { eventPayload, newDelivery, type DispatchDeps } from './outbound-dispatch.js';
import type { EventDelivery, EventEndpoint } from './ports/outbound.js';
import type { Page } from './ports/page.js';
import { retrying } from './retry.js';

/** Endpoints one deployment may have (every relay reads them all). */
export const MAX_ENDPOINTS = 50;

/** An endpoint as the API shows it: never its secrets. */
export type EndpointView = Omit<EventEndpoint, 'secrets'> & { endpointId: string; secretRotation?: { previousExpiresAt: string } };

export function toEndpointView(endpoint: EventEndpoint, now: Date): EndpointView {
  const { secrets, ...rest } = endpoint;
  const previous = secrets.find((s) => s.expiresAt && Date.parse(s.expiresAt) > now.getTime());
  return { endpointId: endpoint.id, ...rest, ...(previous ? { secretRotation: { previousExpiresAt: previous.expiresAt! } } : {}) };
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export interface EndpointDeps extends DispatchDeps {
  /** Why a URL cannot be an endpoint (the sender's rule, checked again at every send). */
  refusedUrl: (url: string) => string | undefined;
}

export async function registerEndpoint(
  deps: EndpointDeps,
  input: { url: string; events: string[]; description?: string },
  admin: Actor,
): Promise<EndpointView & { secret: string }> {
  const refused = deps.refusedUrl(input.url);
  if (refused) throw validationError(`url: ${refused}`);
  const unknown = input.events.filter((e) => !(OUTBOUND_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0)
    throw validationError(
      `events: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an event type; the types are ${OUTBOUND_EVENT_TYPES.join(', ')}`,
    );
  if ((await deps.outbound.listEndpoints()).length >= MAX_ENDPOINTS)
    throw validationError(`a deployment has at most ${MAX_ENDPOINTS} endpoints; delete one first`);
  const now = deps.clock.now();
  const secret = newSecret();
  const endpoint: EventEndpoint = {
    id: `ep_${randomUUID().replace(/-/g, '')}`,
    url: input.url,
    events: [...new Set(input.events)] as OutboundEventType[],
    ...(input.description ? { description: input.description } : {}),
    secrets: [{ secret, createdAt: now.toISOString() }],
    createdAt: now.toISOString(),
    createdBy: admin.email,
    status: 'enabled',
  };
  await deps.outbound.putEndpoint(endpoint);
  return { ...toEndpointView(endpoint, now), secret };
}

export async function listEndpoints(deps: EndpointDeps): Promise<EndpointView[]> {
  const now = deps.clock.now();
  return (await deps.outbound.listEndpoints()).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((e) => toEndpointView(e, now));
}

/** The endpoint, or the same 404 for an id that cannot be one and one that does not exist. */
async function endpointOf(deps: EndpointDeps, endpointId: string): Promise<EventEndpoint> {
  const endpoint = /^ep_[0-9a-f]{32}$/.test(endpointId) ? await deps.outbound.getEndpoint(endpointId) : undefined;
  if (!endpoint) throw new DomainError('ENDPOINT_NOT_FOUND', `no event endpoint ${endpointId.slice(0, 40)}`);
  return endpoint;
}

export async function deleteEndpoint(deps: EndpointDeps, endpointId: string): Promise<{ endpointId: string; deleted: true }> {
  await endpointOf(deps, endpointId);
  if (!(await deps.outbound.deleteEndpoint(endpointId))) throw new DomainError('ENDPOINT_NOT_FOUND', `no event endpoint ${endpointId}`);
  return { endpointId, deleted: true };
}

/** Changes an endpoint as read, again on a conflict. */
async function changeEndpoint(deps: EndpointDeps, endpointId: string, change: (e: EventEndpoint) => EventEndpoint): Promise<EventEndpoint> {
  return retrying<EventEndpoint>(`endpoint ${endpointId}`, async () => {
    const endpoint = await endpointOf(deps, endpointId);
    const next = change(endpoint);
    return (await deps.outbound.replaceEndpoint(next, endpoint)) ? { done: next } : { again: 'endpoint changed' };
  });
}

/** A new secret; the previous one keeps signing (a second signature) for a day, so the receiver can switch without losing an event. */
export async function rotateSecret(deps: EndpointDeps, endpointId: string): Promise<EndpointView & { secret: string }> {
  const now = deps.clock.now();
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const endpoint = await changeEndpoint(deps, endpointId, (e) => ({
    ...e,
    secrets: [
      // Only the newest previous secret overlaps; anything older stops signing now.
      ...e.secrets.filter((s) => !s.expiresAt).map((s) => ({ ...s, expiresAt })),
      { secret, createdAt: now.toISOString() },
    ],
  }));
  return { ...toEndpointView(endpoint, now), secret };
}

export async function enableEndpoint(deps: EndpointDeps, endpointId: string): Promise<EndpointView> {
  const endpoint = await changeEndpoint(deps, endpointId, ({ disabledAt: _a, disabledReason: _r, failingSince: _f, ...e }) => ({
    ...e,
    status: 'enabled',
  }));
  return toEndpointView(endpoint, deps.clock.now());
}

/** A `baton.test` event to this endpoint only, attempted now (the delivery log shows the answer). */
export async function sendTestPing(deps: EndpointDeps, endpointId: string, admin: Actor): Promise<{ deliveryId: string; eventId: string }> {
  const endpoint = await endpointOf(deps, endpointId);
  const at = deps.clock.now().toISOString();
  const id = `msg_test_${randomUUID().replace(/-/g, '')}`;
  const event = { id, type: TEST_EVENT_TYPE, at, data: { endpointId: endpoint.id, requestedBy: admin.email } };
  const payload = eventPayload(event, deps.settings.siteUrl);
  await deps.outbound.putEvent({ ...event, payload });
  await deps.outbound.relay({ ...event, payload }, payload, [newDelivery(endpoint.id, event, at)]);
  await deps.deliveryQueue.enqueue([{ endpointId: endpoint.id, eventId: id }]);
  return { deliveryId: id, eventId: id };
}

export async function listDeliveries(deps: EndpointDeps, endpointId: string, limit: number, cursor?: string): Promise<Page<EventDelivery>> {
  await endpointOf(deps, endpointId);
  return deps.outbound.listDeliveries(endpointId, limit, cursor);
}

/** Sends a delivery again, with the same `webhook-id`: its schedule starts over, now. */
export async function replayDelivery(
  deps: EndpointDeps,
  endpointId: string,
  deliveryId: string,
): Promise<{ deliveryId: string; status: 'pending' }> {
  await endpointOf(deps, endpointId);
  const ref = { endpointId, eventId: deliveryId };
  await retrying(`delivery ${deliveryId}`, async () => {
    const delivery = /^msg_[0-9A-Za-z_]{1,60}$/.test(deliveryId) ? await deps.outbound.getDelivery(ref) : undefined;
    if (!delivery) throw new DomainError('DELIVERY_NOT_FOUND', `endpoint ${endpointId} has no delivery ${deliveryId.slice(0, 60)}`);
    if (!(await deps.outbound.getEvent(deliveryId))?.payload)
      throw new DomainError('DELIVERY_NOT_FOUND', `the event of delivery ${deliveryId} has expired (events are kept 30 days)`);
    const now = deps.clock.now().toISOString();
    const replayed: EventDelivery = { ...delivery, status: 'pending', attempts: 0, nextAttemptAt: now };
    return (await deps.outbound.replaceDelivery(replayed, delivery)) ? { done: undefined } : { again: 'delivery changed' };
  });
  await deps.deliveryQueue.enqueue([ref]);
  return { deliveryId, status: 'pending' };
}
