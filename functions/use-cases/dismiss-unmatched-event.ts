// An admin dismisses an unmatched partner event that will never match (e.g. a completion for a
// course the student is not enrolled in), with a reason. The delivery is settled as "ignored"
// (reason "dismissed", with who and why), leaves the inbox and the indexes enrollment creation
// and the reconciler read waiting events from, and expires like every settled delivery.
import { DomainError } from '../domain/errors.js';
import type { PartnerId } from '../domain/partners.js';
import type { Actor } from './enrollments.js';
import type { Logger } from './logger.js';
import type { Delivery, Dismissal } from '../domain/delivery.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { Clock } from './ports/services.js';
import { retrying } from './retry.js';

export interface DismissedEvent {
  partnerId: PartnerId;
  webhookId: string;
  outcome: Delivery['outcome'];
  reason: 'dismissed';
  dismissal: Dismissal;
}

export async function dismissUnmatchedEvent(
  deps: { deliveries: DeliveryStore; clock: Clock; logger: Logger },
  input: { partnerId: PartnerId; webhookId: string; reason: string },
  admin: Actor,
): Promise<DismissedEvent> {
  const { partnerId, webhookId } = input;
  const dismissal = { at: deps.clock.now().toISOString(), by: admin.email, reason: input.reason };
  if (
    await retrying(`dismissing ${partnerId} event ${webhookId}`, async () => ({
      done: await deps.deliveries.dismiss(partnerId, webhookId, dismissal),
    }))
  ) {
    deps.logger.info('unmatched event dismissed', { partnerId, webhookId, admin: admin.email });
    return { partnerId, webhookId, outcome: 'ignored', reason: 'dismissed', dismissal };
  }
  const delivery = await deps.deliveries.get(partnerId, webhookId);
  if (!delivery) throw new DomainError('EVENT_NOT_FOUND', `no ${partnerId} event with webhook-id ${webhookId}`);
  throw new DomainError('EVENT_ALREADY_SETTLED', `this event is no longer unmatched: it was ${settledAs(delivery)}`);
}

function settledAs(delivery: Delivery): string {
  if (delivery.dismissal) return `dismissed by ${delivery.dismissal.by}`;
  if (delivery.outcome === 'applied') return "applied to the student's step";
  return `settled as ${delivery.outcome}`;
}
