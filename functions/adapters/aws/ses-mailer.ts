import { SESClient, SESServiceException, SendRawEmailCommand, type SESClientConfig } from '@aws-sdk/client-ses';
import { senderEmail, sesConfigurationSet } from '../../config.js';
import type { EmailMessage } from '../../domain/notifications.js';
import { EmailNotSent, type Mailer } from '../../use-cases/ports/services.js';
import { composeMime, InvalidMessage, parseMailbox, type Mailbox } from '../mime.js';

/**
 * SES SendRawEmail (the one SES call that takes any header: Reply-To and RFC 8058's
 * List-Unsubscribe and List-Unsubscribe-Post) with the message composed exactly as local mode's
 * outbox composes it. SES has no idempotency token, so a send is attempted once (the client is
 * built with maxAttempts 1: an SDK retry after a lost answer would be a second email). An error SES
 * answers as the caller's fault (MessageRejected, Throttling, AccountSendingPaused…) means SES
 * refused the message: EmailNotSent. Anything else (a timeout, a dropped connection, a 5xx) leaves
 * the outcome unknown and is passed on as it is. Every send names the configuration set whose
 * event destination reports bounces and complaints.
 */
export class SesMailer implements Mailer {
  private readonly sender: Mailbox;

  constructor(
    private readonly client: SESClient,
    from: string,
    private readonly configurationSet?: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {
    this.sender = parseMailbox(from);
  }

  async send(message: EmailMessage) {
    let raw: Buffer;
    try {
      raw = await composeMime(message, this.sender, this.clock.now());
    } catch (error) {
      if (error instanceof InvalidMessage) throw new EmailNotSent('InvalidMessage', error.message, { cause: error });
      throw error;
    }
    try {
      const result = await this.client.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
      return { messageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      if (error instanceof SESServiceException && error.$fault === 'client')
        throw new EmailNotSent(error.name, error.message, { cause: error });
      throw error;
    }
  }
}

/** `config` lets tests put a fake HTTP handler under the real client; the single attempt is not negotiable. */
export const sesMailer = (config: SESClientConfig = {}) =>
  new SesMailer(new SESClient({ ...config, maxAttempts: 1 }), senderEmail(), sesConfigurationSet());
