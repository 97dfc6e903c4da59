// Outbound events: the endpoints admins register, the events waiting to be relayed to them, and
// each delivery with its attempts; the sender that makes one signed HTTP attempt; and the queue
// that runs an attempt (SQS on AWS; local mode runs it in-process).
import type { OutboundEventType } from '../../domain/outbound-events.js';
import type { Page } from './page.js';

export interface EndpointSecret {
  /** `whsec_<base64>`: shown once, when created or rotated. */
  secret: string;
  createdAt: string;
  /** A rotated-out secret signs until then (two signatures during the overlap). */
  expiresAt?: string;
}

export interface EventEndpoint {
  id: string;
  url: string;
  events: OutboundEventType[];
  description?: string;
  secrets: EndpointSecret[];
  createdAt: string;
  createdBy: string;
  status: 'enabled' | 'disabled';
  disabledAt?: string;
  disabledReason?: string;
  /** The first failed attempt since the last delivered one: five days of only failures disable the endpoint. */
  failingSince?: string;
  lastSuccessAt?: string;
}

export interface StoredEvent {
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
  /** The body every attempt sends, byte for byte (set when the event is relayed). */
  payload?: string;
}

export interface AttemptRecord {
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  outcome: 'delivered' | 'failed' | 'gone';
  /** Why an attempt without an answer failed (timeout, refused address…). */
  error?: string;
  durationMs: number;
  /** The start of the receiver's answer. */
  response?: string;
}

export interface EventDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  createdAt: string;
  /** pending: an attempt is due at nextAttemptAt; delivered; failed: every attempt of the schedule failed; endpoint_disabled. */
  status: 'pending' | 'delivered' | 'failed' | 'endpoint_disabled';
  attempts: number;
  nextAttemptAt?: string;
  /** The latest attempts, oldest first. */
  log: AttemptRecord[];
}

export interface DeliveryRef {
  endpointId: string;
  eventId: string;
}

export interface OutboundStore {
  putEndpoint(endpoint: EventEndpoint): Promise<void>;
  /** Replaces the endpoint as it was read (false: it changed or went meanwhile). */
  replaceEndpoint(endpoint: EventEndpoint, expected: EventEndpoint): Promise<boolean>;
  getEndpoint(endpointId: string): Promise<EventEndpoint | undefined>;
  listEndpoints(): Promise<EventEndpoint[]>;
  deleteEndpoint(endpointId: string): Promise<boolean>;

  /** Events not yet relayed to the endpoints, oldest first. */
  listOutbox(limit: number, cursor?: string): Promise<Page<StoredEvent>>;
  getEvent(eventId: string): Promise<StoredEvent | undefined>;
  /** Stores an event that is not part of an enrollment change (a test ping), already relayed. */
  putEvent(event: StoredEvent): Promise<void>;
  /** Creates the deliveries (an existing one is left as it is), then takes the event out of the outbox with its final payload. */
  relay(event: StoredEvent, payload: string, deliveries: EventDelivery[]): Promise<void>;

  getDelivery(ref: DeliveryRef): Promise<EventDelivery | undefined>;
  /** Replaces a delivery as it was read (false: another attempt changed it first). */
  replaceDelivery(delivery: EventDelivery, expected: EventDelivery): Promise<boolean>;
  /** Deliveries whose next attempt is due before `at`, soonest first. */
  listDue(at: string, limit: number): Promise<DeliveryRef[]>;
  /** An endpoint's deliveries, newest first. */
  listDeliveries(endpointId: string, limit: number, cursor?: string): Promise<Page<EventDelivery>>;
}

export interface SendResult {
  status?: number;
  error?: string;
  durationMs: number;
  response?: string;
}

export interface WebhookSender {
  /** Why a URL cannot be an endpoint's (checked at registration; the send checks the addresses again), or undefined. */
  refusedUrl(url: string): string | undefined;
  /** One POST, no redirects followed, refused before connecting when the URL's address is not a public one. */
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
}

export interface DeliveryQueue {
  /** Runs an attempt of each delivery (after `delaySeconds`, at most 900). */
  enqueue(refs: readonly DeliveryRef[], delaySeconds?: number): Promise<void>;
}

export type { OutboundEventType };
