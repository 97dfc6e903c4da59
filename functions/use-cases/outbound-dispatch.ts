// Delivering outbound events. The relay reads the outbox (events saved with their transitions),
// creates a delivery for every enabled endpoint subscribed to the event's type and takes the event
// out of the outbox; the sweep (scheduled) relays what is waiting and hands every delivery whose
// attempt is due to the queue; an attempt signs the event's body (Standard Webhooks: one signature
// per current secret) and records the answer, then schedules the next attempt on Svix's schedule.
// A crash anywhere loses nothing: an event stays in the outbox until relayed, a delivery stays in
// the due index until it is delivered or its schedule is used up.
import { Webhook } from 'standardwebhooks';
import { verifyUrl } from '../domain/certificates.js';
import { foldEmail } from '../domain/email.js';
import { DISABLE_AFTER_MS, outcomeOf, retryDelay } from '../domain/outbound-events.js';
import type { Logger } from './logger.js';
import type {
  DeliveryQueue,
  DeliveryRef,
  EventDelivery,
  EventEndpoint,
  OutboundStore,
  StoredEvent,
  WebhookSender,
} from './ports/outbound.js';
import type { AdminDirectory, Clock, Mailer, Settings } from './ports/services.js';
import { retrying } from './retry.js';

/** An attempt holds its delivery this long (out of the due index): a run that dies mid-send is retried after it. */
const LEASE_MS = 60_000;
/** Attempts kept in a delivery's log. */
const LOG_LENGTH = 20;
/** SQS delays a message at most this long; a longer wait is left to the sweep's due index. */
const MAX_QUEUE_DELAY_S = 900;

export interface DispatchDeps {
  outbound: OutboundStore;
  deliveryQueue: DeliveryQueue;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

/** The body every attempt of an event sends: `{type, timestamp, data}`, a certificate's verification link added. */
export function eventPayload(event: StoredEvent, siteUrl: string): string {
  const certificateId = event.data.certificateId;
  const data = typeof certificateId === 'string' ? { ...event.data, verifyUrl: verifyUrl(siteUrl, certificateId) } : event.data;
  return JSON.stringify({ type: event.type, timestamp: event.at, data });
}

export const newDelivery = (endpointId: string, event: Pick<StoredEvent, 'id' | 'type'>, now: string): EventDelivery => ({
  endpointId,
  eventId: event.id,
  eventType: event.type,
  createdAt: now,
  status: 'pending',
  attempts: 0,
  nextAttemptAt: now,
  log: [],
});

/** Relays every event waiting in the outbox (while `timeLeft` says so); returns how many. */
export async function relayOutbox(deps: DispatchDeps, timeLeft: () => boolean = () => true): Promise<number> {
  let relayed = 0;
  let endpoints: EventEndpoint[] | undefined;
  let cursor: string | undefined;
  do {
    const page = await deps.outbound.listOutbox(25, cursor);
    for (const event of page.items) {
      endpoints ??= await deps.outbound.listEndpoints();
      const now = deps.clock.now().toISOString();
      const subscribed = endpoints.filter((e) => e.status === 'enabled' && (e.events as string[]).includes(event.type));
      const deliveries = subscribed.map((e) => newDelivery(e.id, event, now));
      await deps.outbound.relay(event, event.payload ?? eventPayload(event, deps.settings.siteUrl), deliveries);
      if (deliveries.length > 0)
        await deps.deliveryQueue.enqueue(deliveries.map((d) => ({ endpointId: d.endpointId, eventId: d.eventId })));
      relayed++;
    }
    cursor = page.next;
  } while (cursor && timeLeft());
  return relayed;
}

/** The scheduled sweep: relay the outbox, then queue every attempt that is due. */
export async function sweepOutbound(deps: DispatchDeps, timeLeft: () => boolean = () => true) {
  const relayed = await relayOutbox(deps, timeLeft);
  let queued = 0;
  while (timeLeft()) {
    const due = await deps.outbound.listDue(deps.clock.now().toISOString(), 50);
    if (due.length === 0) break;
    await deps.deliveryQueue.enqueue(due);
    queued += due.length;
    if (due.length < 50) break;
  }
  return { relayed, queued };
}

export interface AttemptDeps extends DispatchDeps {
  webhookSender: WebhookSender;
  mailer: Mailer;
  admins: AdminDirectory;
}

export type AttemptResult = 'delivered' | 'failed' | 'retry_scheduled' | 'endpoint_disabled' | 'not_due' | 'not_pending';

/** One attempt of one delivery, if it is due (a redelivered message or a second sweep finds it taken). */
export async function attemptDelivery(deps: AttemptDeps, ref: DeliveryRef): Promise<AttemptResult> {
  const delivery = await deps.outbound.getDelivery(ref);
  if (!delivery || delivery.status !== 'pending') return 'not_pending';
  const now = deps.clock.now();
  if (delivery.nextAttemptAt && Date.parse(delivery.nextAttemptAt) > now.getTime()) return 'not_due';
  const at = now.toISOString();
  const [endpoint, event] = await Promise.all([deps.outbound.getEndpoint(ref.endpointId), deps.outbound.getEvent(ref.eventId)]);
  if (!endpoint || endpoint.status === 'disabled' || !event?.payload) {
    await deps.outbound.replaceDelivery({ ...delivery, status: 'endpoint_disabled', nextAttemptAt: undefined }, delivery);
    return 'endpoint_disabled';
  }
  // Claim the attempt: an attempt that dies after this is retried once the lease is over.
  const leased: EventDelivery = {
    ...delivery,
    attempts: delivery.attempts + 1,
    nextAttemptAt: new Date(now.getTime() + LEASE_MS).toISOString(),
  };
  if (!(await deps.outbound.replaceDelivery(leased, delivery))) return 'not_pending';

  // Signed on the real time: receivers check the timestamp against their own clocks.
  const signedAt = new Date();
  const current = endpoint.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());
  const signature = current.map((s) => new Webhook(s.secret).sign(event.id, signedAt, event.payload!)).join(' ');
  const headers = {
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
    'webhook-signature': signature,
  };
  const result = await deps.webhookSender.send(endpoint.url, headers, event.payload);
  const outcome = result.error !== undefined && result.status === undefined ? 'failed' : outcomeOf(result.status);
  const record = {
    at,
    ...(result.status !== undefined ? { status: result.status } : {}),
    outcome,
    ...(result.error ? { error: result.error } : {}),
    durationMs: result.durationMs,
    ...(result.response ? { response: result.response } : {}),
  };
  const log = [...leased.log, record].slice(-LOG_LENGTH);
  const delay = outcome === 'failed' ? retryDelay(leased.attempts) : undefined;
  const next: EventDelivery =
    outcome === 'delivered'
      ? { ...leased, status: 'delivered', nextAttemptAt: undefined, log }
      : outcome === 'gone'
        ? { ...leased, status: 'endpoint_disabled', nextAttemptAt: undefined, log }
        : delay === undefined
          ? { ...leased, status: 'failed', nextAttemptAt: undefined, log }
          : { ...leased, nextAttemptAt: new Date(now.getTime() + delay).toISOString(), log };
  await deps.outbound.replaceDelivery(next, leased);
  deps.logger.info('event delivery attempt', {
    endpointId: ref.endpointId,
    webhookId: ref.eventId,
    attempt: leased.attempts,
    outcome,
    status: result.status,
  });
  await updateHealth(deps, endpoint.id, outcome, at);
  if (next.status === 'pending' && delay !== undefined && delay / 1000 <= MAX_QUEUE_DELAY_S)
    await deps.deliveryQueue.enqueue([ref], delay / 1000);
  if (outcome === 'delivered') return 'delivered';
  if (outcome === 'gone') return 'endpoint_disabled';
  return next.status === 'pending' ? 'retry_scheduled' : 'failed';
}

/** An endpoint's health after an attempt: a success clears its failing streak; 410 or five days of failures disable it. */
async function updateHealth(deps: AttemptDeps, endpointId: string, outcome: 'delivered' | 'failed' | 'gone', at: string) {
  const disabled = await retrying(`endpoint ${endpointId}`, async () => {
    const endpoint = await deps.outbound.getEndpoint(endpointId);
    if (!endpoint || endpoint.status === 'disabled') return { done: undefined };
    let next: EventEndpoint;
    if (outcome === 'delivered') {
      const { failingSince: _cleared, ...rest } = endpoint;
      next = { ...rest, lastSuccessAt: at };
    } else {
      const failingSince = endpoint.failingSince ?? at;
      const reason =
        outcome === 'gone'
          ? 'the receiver answered 410 Gone'
          : Date.parse(at) - Date.parse(failingSince) >= DISABLE_AFTER_MS
            ? `every attempt failed for five days (since ${failingSince})`
            : undefined;
      next = reason
        ? { ...endpoint, failingSince, status: 'disabled', disabledAt: at, disabledReason: reason }
        : { ...endpoint, failingSince };
    }
    if (!(await deps.outbound.replaceEndpoint(next, endpoint))) return { again: 'endpoint changed' };
    return { done: next.status === 'disabled' ? next : undefined };
  });
  if (disabled) await tellAdmins(deps, disabled);
}

async function tellAdmins(deps: AttemptDeps, endpoint: EventEndpoint) {
  const page = `${deps.settings.siteUrl}/admin/event-endpoints`;
  const text = [
    `Baton has disabled the event endpoint ${endpoint.url}${endpoint.description ? ` (${endpoint.description})` : ''}: ${endpoint.disabledReason}.`,
    '',
    `Nothing more is sent to it until an admin enables it again. Its delivery log and the events it missed are at ${page}`,
  ].join('\n');
  const message = {
    subject: `Baton disabled the event endpoint ${new URL(endpoint.url).host}`,
    text,
    html: `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n\n/g, '</p><p>')}</p>`,
  };
  // Every admin of today, not the one who registered the endpoint (they may have left): one email each.
  try {
    const admins = [...new Set((await deps.admins.adminEmails()).map(foldEmail))];
    if (admins.length === 0) deps.logger.error('no admin to email about a disabled endpoint', { endpointId: endpoint.id });
    const sent = await Promise.allSettled(admins.map((to) => deps.mailer.send({ to, ...message })));
    for (const [i, outcome] of sent.entries())
      if (outcome.status === 'rejected')
        deps.logger.error('could not email an admin about a disabled endpoint', {
          endpointId: endpoint.id,
          admin: admins[i],
          error: String(outcome.reason),
        });
  } catch (error) {
    // The endpoint is disabled either way; the log and the admin page say so.
    deps.logger.error('could not list the admins to email about a disabled endpoint', { endpointId: endpoint.id, error: String(error) });
  }
  deps.logger.warn('event endpoint disabled', { endpointId: endpoint.id, reason: endpoint.disabledReason });
}
