import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { requireEnv } from '../../config.js';
import type { EmailMessage } from '../../domain/notifications.js';
import type { Mailer } from '../../use-cases/ports.js';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage) {
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: [message.to] },
        Message: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      }),
    );
    return { messageId: result.MessageId ?? 'unknown' };
  }
}

export const sesMailer = () => new SesMailer(new SESClient({}), requireEnv('SENDER_EMAIL'));
