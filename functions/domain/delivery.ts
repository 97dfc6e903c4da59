// A partner's webhook delivery as Baton keeps it: for deduplication (one delivery id applies once),
// for audit, and, while it matches no one, in the admin's unmatched inbox.
import type { PartnerEvent } from './partner-events.js';
import type { PartnerId } from './partners.js';

export type DeliveryOutcome = 'applied' | 'duplicate' | 'unmatched' | 'ignored';

export interface Delivery {
  partnerId: PartnerId;
  webhookId: string;
  receivedAt: string;
  outcome: DeliveryOutcome;
  /** Why: e.g. "unknown_student", "no_step", "already_completed", "requires_passed", "unreadable". */
  reason?: string;
  /** For an unreadable delivery: what could not be read, in words (the mapping to fix before a replay). */
  problem?: string;
  /** An item of a batched delivery: the batch's own delivery id and the item's position in it. */
  batch?: { id: string; index: number };
  /** Admin replays of this delivery (after fixing the mapping): when and who. */
  replays?: Array<{ at: string; by: string }>;
  rawBody: string;
  headers: Record<string, string>;
  event: PartnerEvent | { kind: 'unreadable'; problem: string };
  studentId?: string;
  appliedTo?: Array<{ enrollmentId: string; stepIndex: number }>;
  resolvedAt?: string;
  /** An admin settled this unmatched event without applying it (outcome ignored, reason dismissed). */
  dismissal?: Dismissal;
}

export interface Dismissal {
  at: string;
  by: string;
  reason: string;
}

/** Who an unmatched event waits for: its student once known, else the partner account it names, else its email. */
export type WaitingOwner = { partnerId: PartnerId; externalId: string } | { email: string } | { studentId: string };
