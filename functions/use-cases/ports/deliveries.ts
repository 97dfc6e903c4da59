// Partner deliveries: deduplication, audit, and the unmatched inbox.
import type { Delivery, DeliveryOutcome, Dismissal, WaitingOwner } from '../../domain/delivery.js';
import type { PartnerId } from '../../domain/partners.js';
import type { Page } from './page.js';

/** A delivery as the inbox lists it: everything but the raw body, of which a preview. */
export type DeliverySummary = Omit<Delivery, 'rawBody' | 'headers'> & { bodyPreview: string; bodyBytes: number };

/** A delivery as the partner's delivery log lists it: no body (fetched on demand), its size. */
export type DeliveryLogEntry = Omit<Delivery, 'rawBody' | 'headers'> & { bodyBytes: number };

export interface DeliveryStore {
  get(partnerId: PartnerId, webhookId: string): Promise<Delivery | undefined>;
  /** Stores a delivery that changes nothing else; false if its id was already stored. */
  put(delivery: Delivery): Promise<boolean>;
  /**
   * Replaces a stored delivery that still has the outcome it was read with (an admin's replay);
   * false when it changed meanwhile.
   */
  replace(delivery: Delivery, expectedOutcome: DeliveryOutcome): Promise<boolean>;
  /** A partner's deliveries, newest first (settled ones for the 30 days they are kept), optionally of one outcome. */
  listForPartner(
    partnerId: PartnerId,
    options: { outcome?: DeliveryOutcome; limit: number; cursor?: string },
  ): Promise<Page<DeliveryLogEntry>>;
  /** The unmatched inbox, newest first. */
  listInbox(limit: number, cursor?: string): Promise<Page<DeliverySummary>>;
  /** Unmatched deliveries waiting for this owner, oldest first, one page at a time. */
  listWaiting(owner: WaitingOwner, limit: number, cursor?: string): Promise<Page<DeliverySummary>>;
  /** Unmatched deliveries received after this time, oldest first. */
  listUnmatchedSince(receivedAfter: string, limit: number, cursor?: string): Promise<Page<DeliverySummary>>;
  /** Settles a still-unmatched delivery without applying it (or files it under its student); false if it is no longer unmatched. */
  settleWaiting(
    partnerId: PartnerId,
    webhookId: string,
    outcome: DeliveryOutcome,
    reason: string,
    studentId: string | undefined,
    at: string,
  ): Promise<boolean>;
  /** An admin settles a still-unmatched delivery without applying it; false if it is no longer unmatched. */
  dismiss(partnerId: PartnerId, webhookId: string, dismissal: Dismissal): Promise<boolean>;

  /** How many deliveries wait in the unmatched inbox (a counter kept by every write that fills or empties it). */
  countUnmatched(): Promise<number>;
  /** Queues a student whose waiting events were more than one request re-applies; the reconciler works the queue. */
  queueReapply(studentId: string, at: string): Promise<void>;
  /** Queued students, longest waiting first. */
  listReapplyQueue(limit: number): Promise<Array<{ studentId: string; queuedAt: string }>>;
  /** Done with the student's waiting events as queued at `queuedAt` (a later queueing stays). */
  dequeueReapply(studentId: string, queuedAt: string): Promise<void>;
}
