// The messages Baton sends. Pure text; the mailer adapter decides how it travels (SES or .eml).
import type { EmailBranding } from './organization.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The From display name (the organization's). */
  fromName?: string;
  /** The From address, when the organization set one (else the deployment's sender). */
  fromAddress?: string;
  replyTo?: string;
}

/** Sender and reply-to of a message from the organization. */
export const fromOrganization = (branding: EmailBranding | undefined): Pick<EmailMessage, 'fromName' | 'fromAddress' | 'replyTo'> =>
  branding
    ? {
        fromName: branding.fromName,
        ...(branding.fromAddress ? { fromAddress: branding.fromAddress } : {}),
        ...(branding.replyTo ? { replyTo: branding.replyTo } : {}),
      }
    : {};

/** The closing lines of every email: who it is from and how to reach them. */
export function emailFooter(branding: EmailBranding | undefined): { text: string[]; html: string } {
  const name = branding?.organizationName ?? 'The Baton training team';
  const contact = [branding?.supportEmail ? `Questions? ${branding.supportEmail}` : '', branding?.websiteUrl ?? ''].filter(Boolean);
  const htmlContact = [
    branding?.supportEmail
      ? `Questions? <a href="mailto:${escapeHtml(branding.supportEmail)}">${escapeHtml(branding.supportEmail)}</a>`
      : '',
    branding?.websiteUrl ? `<a href="${escapeHtml(branding.websiteUrl)}">${escapeHtml(branding.websiteUrl)}</a>` : '',
  ].filter(Boolean);
  return {
    text: [name, ...contact],
    html:
      `<p>${escapeHtml(name)}</p>` +
      (branding?.logoUrl ? `<p><img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(name)}" height="40"></p>` : '') +
      (htmlContact.length ? `<p style="color:#6b7280;font-size:13px">${htmlContact.join(' · ')}</p>` : ''),
  };
}

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function completionEmail(input: {
  studentName: string;
  studentEmail: string;
  programName: string;
  certificateId: string;
  verifyUrl: string;
  progressUrl: string;
  branding?: EmailBranding;
}): EmailMessage {
  const footer = emailFooter(input.branding);
  const text = [
    `Hi ${input.studentName},`,
    '',
    `Congratulations: you have completed every step of the ${input.programName} program.`,
    '',
    `Your certificate ID is ${input.certificateId}.`,
    `Anyone can verify it at ${input.verifyUrl}`,
    `Download the PDF from your progress page: ${input.progressUrl}`,
    '',
    'Well done,',
    ...footer.text,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1f2937">
<p>Hi ${escapeHtml(input.studentName)},</p>
<p>Congratulations: you have completed every step of the <strong>${escapeHtml(input.programName)}</strong> program.</p>
<p>Your certificate ID is <strong>${escapeHtml(input.certificateId)}</strong>.<br>
Anyone can verify it at <a href="${escapeHtml(input.verifyUrl)}">${escapeHtml(input.verifyUrl)}</a>.</p>
<p><a href="${escapeHtml(input.progressUrl)}">Download your certificate</a> from your progress page.</p>
<p>Well done,</p>
${footer.html}
</body></html>`;
  return {
    to: input.studentEmail,
    subject: `Congratulations! You completed ${input.programName}`,
    text,
    html,
    ...fromOrganization(input.branding),
  };
}
