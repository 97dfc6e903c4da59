import { SESClient, SESServiceException, SendEmailCommand, type SESClientConfig } from '@aws-sdk/client-ses';
import { senderEmail } from '../../config.js';
import type { EmailMessage } from '../../domain/notifications.js';
import { EmailNotSent, type Mailer } from '../../use-cases/ports/services.js';

/**
 * SES SendEmail has no idempotency token, so a send is attempted once (the client is built with
 * maxAttempts 1: an SDK retry after a lost answer would be a second email). An error SES answers
 * as the caller's fault (MessageRejected, Throttling, AccountSendingPaused…) means SES refused the
 * message: EmailNotSent. Anything else (a timeout, a dropped connection, a 5xx) leaves the outcome
 * unknown and is passed on as it is.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage) {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          Source: fromHeader(message.fromName, message.fromAddress ?? this.from),
          Destination: { ToAddresses: [message.to] },
          ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
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

/** `"Name" <address>`, the name RFC 2047-encoded when it is not plain ASCII (SES accepts both). */
export function fromHeader(name: string | undefined, address: string): string {
  if (!name) return address;
  const quoted = /^[\x20-\x7e]*$/.test(name)
    ? `"${name.replace(/["\\]/g, '\\$&')}"`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
  return `${quoted} <${address}>`;
}

/** `config` lets tests put a fake HTTP handler under the real client; the single attempt is not negotiable. */
export const sesMailer = (config: SESClientConfig = {}) => new SesMailer(new SESClient({ ...config, maxAttempts: 1 }), senderEmail());
