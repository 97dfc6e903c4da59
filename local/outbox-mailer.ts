// Local stand-in for SES: every message is written to <data dir>/outbox/ as an .eml file that
// any mail client opens. The file appears whole or not at all (written aside, then renamed), so a
// failed write is a message definitely not sent, the way SES reports a refused one.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage } from '../functions/domain/notifications.js';
import { fromHeader } from '../functions/adapters/aws/ses-mailer.js';
import { EmailNotSent, type Clock, type Mailer } from '../functions/use-cases/ports/services.js';

export class OutboxMailer implements Mailer {
  constructor(
    private readonly directory: string,
    /** The deployment's sender address (a message may name the organization's). */
    private readonly from: string,
    private readonly clock: Clock,
  ) {}

  async send(message: EmailMessage) {
    const messageId = `${randomUUID()}@baton.local`;
    const now = this.clock.now();
    const boundary = `baton-${randomUUID()}`;
    const eml = [
      `From: ${fromHeader(message.fromName, message.fromAddress ?? this.from)}`,
      ...(message.replyTo ? [`Reply-To: ${message.replyTo}`] : []),
      `To: ${message.to}`,
      `Subject: ${encodeHeader(message.subject)}`,
      `Date: ${now.toUTCString()}`,
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      wrap(Buffer.from(message.text, 'utf8').toString('base64')),
      `--${boundary}`,
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      wrap(Buffer.from(message.html, 'utf8').toString('base64')),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const safeTo = message.to.replace(/[^A-Za-z0-9@._-]/g, '_');
    const file = join(this.directory, `${stamp}-${safeTo}.eml`);
    const partial = `${file}.${randomUUID()}.partial`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(partial, eml);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw new EmailNotSent('OutboxWriteFailed', error instanceof Error ? error.message : String(error), { cause: error });
    }
    return { messageId };
  }
}

const encodeHeader = (value: string) =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
const wrap = (base64: string) => base64.replace(/.{1,76}/g, '$&\r\n').trimEnd();
