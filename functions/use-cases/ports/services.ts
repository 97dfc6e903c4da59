// The services use cases reach besides the table: the clock, the workflow, certificate files,
// email, partner secrets and settings.
import type { JWTVerifyGetKey } from 'jose';
import type { EmailMessage } from '../../domain/notifications.js';
import type { PartnerId } from '../../domain/partners.js';

export interface Clock {
  now(): Date;
}

export interface WorkflowStarter {
  /**
   * Starts the advancement workflow for one enrollment. `trigger` names the transition that
   * caused it, in the execution name. A Standard workflow runs a name once; Express (the default
   * deploy) runs every start, so callers rely on the tasks being idempotent, never on the name.
   */
  start(enrollmentId: string, trigger: string): Promise<void>;
}

export interface CertificateStore {
  put(key: string, pdf: Uint8Array): Promise<void>;
  /** A short-lived URL the owner's browser can download the PDF from. */
  downloadUrl(key: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
}

/**
 * Sends one email, once: an adapter never retries a send whose outcome it cannot know.
 * It throws `EmailNotSent` only when the message was definitely not sent (the provider refused
 * it, or it never left this process), so sending again cannot duplicate it. Any other error
 * means the outcome is unknown: the provider may have accepted the message before the answer
 * was lost (a timeout, a dropped connection, a 5xx), and a second send could be a second email.
 */
/** Who the admins are now (Cognito's admin groups on AWS; the demo admins locally). */
export interface AdminDirectory {
  /** The email address of every admin who may sign in. */
  adminEmails(): Promise<string[]>;
}

export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/**
 * Thrown by a Mailer when the message was definitely not sent. Its name is the provider's reason
 * (`MessageRejected`, `Throttling`…), which is what the state machine records for admins.
 */
export class EmailNotSent extends Error {
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = reason;
  }
}

/** One webhook secret of a partner: its id (shown to admins), its value (never shown after creation). */
export interface PartnerSecret {
  id: string;
  value: string;
  createdAt?: string;
}
/** SES's reasons for refusing a message that mean "not now": it was not sent, so sending later is safe. */
const THROTTLED = new Set(['Throttling', 'MaxSendingRateExceeded']);
export const isThrottled = (error: EmailNotSent) => THROTTLED.has(error.name);

export interface PartnerSecrets {
  /** The partner's active webhook secret values (several during a rotation). */
  secretsFor(partnerId: PartnerId): Promise<string[]>;
  /** The same, with their ids (which one verified a delivery is recorded as its last use). */
  activeSecrets(partnerId: PartnerId): Promise<PartnerSecret[]>;
  /** The partner's secrets as stored now (admins: read fresh, never from a cache). */
  listSecrets(partnerId: PartnerId): Promise<PartnerSecret[]>;
  /** Adds a secret; it verifies deliveries from then on (on AWS, within the webhook function's cache window). */
  addSecret(partnerId: PartnerId, secret: PartnerSecret): Promise<void>;
  /** Removes a secret; false when the partner has no secret with this id. */
  retireSecret(partnerId: PartnerId, secretId: string): Promise<boolean>;
}

/** Partners' published JSON Web Key Sets (jwt scheme), fetched and cached per URL. */
export interface KeySets {
  forUrl(url: string): JWTVerifyGetKey;
}

/** The key that signs one-click unsubscribe links (functions/domain/unsubscribe.ts). */
export interface UnsubscribeKeys {
  key(): Promise<Uint8Array>;
}

export interface Settings {
  /** Public URL of the site, for verification links and emails; no trailing slash (config.ts trims it). */
  siteUrl: string;
  /** The provider's name set at deploy time, used until an admin saves the organization settings. */
  organizationName?: string;
  /** The deployment's sender address (the settings function checks the organization's against its domain). */
  senderEmail?: string;
}
