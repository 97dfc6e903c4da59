// The messages Baton sends. Pure text; the mailer adapter decides how it travels (SES or .eml).
// Every message is built with email-layout.ts (one greeting, one signature, values that cannot
// break out of their place); student-emails.ts has the welcome email and the reminders.
import { defaultBrand, type Brand } from './brand.js';
import { oneLine, render } from './email-layout.js';

export interface EmailMessage {
  to: string;
  /** One line (templates pass data through oneLine; the mailer encodes it). */
  subject: string;
  text: string;
  html: string;
  /** The sender's display name (the brand's); the mailer's configured name otherwise. */
  fromName?: string;
  /** The From address; the mailer's configured (verified) sender otherwise. */
  fromAddress?: string;
  /** Where replies go (the student's coordinator). */
  replyTo?: string;
  /**
   * One-click unsubscribe (RFC 8058): the URL goes in List-Unsubscribe, with
   * List-Unsubscribe-Post: List-Unsubscribe=One-Click, so a POST to it unsubscribes.
   */
  unsubscribeUrl?: string;
}

export function completionEmail(input: {
  studentName: string;
  studentEmail: string;
  programName: string;
  certificateId: string;
  verifyUrl: string;
  progressUrl: string;
  brand?: Brand;
  coordinator?: string;
}): EmailMessage {
  const brand = input.brand ?? defaultBrand(new URL(input.progressUrl).origin);
  const program = oneLine(input.programName);
  const replyTo = brand.replyTo ?? input.coordinator;
  return {
    to: input.studentEmail,
    subject: `Congratulations! You completed ${program}`,
    ...render({
      brand,
      name: input.studentName,
      blocks: [
        { kind: 'paragraph', text: `Congratulations: you have completed every step of the ${program} program.` },
        { kind: 'paragraph', text: `Your certificate ID is ${input.certificateId}. Anyone can verify it at ${input.verifyUrl}` },
        { kind: 'button', label: 'Download your certificate', url: input.progressUrl },
        { kind: 'paragraph', text: 'Well done!' },
      ],
    }),
    fromName: oneLine(brand.senderName),
    ...(brand.senderAddress ? { fromAddress: brand.senderAddress } : {}),
    ...(replyTo ? { replyTo } : {}),
  };
}
