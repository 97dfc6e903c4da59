// The one way an EmailMessage becomes an RFC 5322 message: nodemailer's MailComposer (headers
// encoded and folded, RFC 2047 for names outside ASCII, base64/quoted-printable bodies, no header
// a value could inject). Local mode writes these bytes as the .eml file; the SES mailer sends the
// same bytes with SendRawEmail, so what the outbox shows is what SES is given.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { isEmailAddress } from '../domain/email.js';
import { oneLine } from '../domain/email-layout.js';
import type { EmailMessage } from '../domain/notifications.js';

export interface Mailbox {
  name: string;
  address: string;
}

/** Parses "Name <address>" or a bare address (the mailers' configured senders). */
export function parseMailbox(value: string): Mailbox {
  const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(value);
  return match ? { name: match[1]!.replace(/^"|"$/g, ''), address: match[2]! } : { name: '', address: value.trim() };
}

/** Thrown for a message no provider should be given (an address that is not one): nothing was sent. */
export class InvalidMessage extends Error {
  override readonly name = 'InvalidMessage';
}

export async function composeMime(message: EmailMessage, sender: Mailbox, date: Date): Promise<Buffer> {
  const from = { name: oneLine(message.fromName ?? sender.name), address: message.fromAddress ?? sender.address };
  for (const [field, address] of [
    ['to', message.to],
    ['from', from.address],
    ['replyTo', message.replyTo],
  ] as const) {
    if (address !== undefined && !isEmailAddress(address)) throw new InvalidMessage(`${field} is not an email address`);
  }
  const unsubscribe = message.unsubscribeUrl;
  if (unsubscribe !== undefined && !/^https?:\/\/[^\s<>]+$/.test(unsubscribe)) throw new InvalidMessage('unsubscribeUrl is not a URL');
  const composer = new MailComposer({
    from,
    to: message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: oneLine(message.subject),
    text: message.text,
    html: message.html,
    date,
    headers: unsubscribe
      ? {
          // RFC 8058: an HTTPS URI for a one-click POST, and the header that says a POST is one click.
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {},
  });
  return composer.compile().build();
}
