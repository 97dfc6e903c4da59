// The services use cases reach besides the table: the clock, the workflow, certificate files,
// email, partner secrets and settings.
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

/** SES's reasons for refusing a message that mean "not now": it was not sent, so sending later is safe. */
const THROTTLED = new Set(['Throttling', 'MaxSendingRateExceeded']);
export const isThrottled = (error: EmailNotSent) => THROTTLED.has(error.name);

export interface PartnerSecrets {
  /** The partner's current webhook secrets (several during a rotation), `whsec_…` form. */
  secretsFor(partnerId: PartnerId): Promise<string[]>;
}

/** The key that signs one-click unsubscribe links (functions/domain/unsubscribe.ts). */
export interface UnsubscribeKeys {
  key(): Promise<Uint8Array>;
}

export interface Settings {
  /** Public URL of the site, for verification links and emails; no trailing slash (config.ts trims it). */
  siteUrl: string;
}
