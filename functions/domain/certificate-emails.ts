// The reminder a student gets before a certificate expires (60 and 14 days before, by default).
import { emailFooter, escapeHtml, fromOrganization, type EmailMessage } from './notifications.js';
import type { EmailBranding } from './organization.js';

const longDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

export function expiryReminderEmail(input: {
  studentName: string;
  studentEmail: string;
  programName: string;
  certificateId: string;
  expiresAt: string;
  daysLeft: number;
  verifyUrl: string;
  progressUrl: string;
  renewalProgramName?: string;
  branding?: EmailBranding;
}): EmailMessage {
  const footer = emailFooter(input.branding);
  const when = `${longDate(input.expiresAt)} (in ${input.daysLeft} day${input.daysLeft === 1 ? '' : 's'})`;
  const renew = input.renewalProgramName
    ? `To stay certified, complete ${input.renewalProgramName} before then: ask your program coordinator to enroll you.`
    : 'To stay certified, ask your program coordinator how to renew it before then.';
  const contact = input.branding?.supportEmail ? ` (${input.branding.supportEmail})` : '';
  const text = [
    `Hi ${input.studentName},`,
    '',
    `Your ${input.programName} certificate ${input.certificateId} expires on ${when}.`,
    `${renew}${contact}`,
    '',
    `Its verification page: ${input.verifyUrl}`,
    `Your certificates: ${input.progressUrl}`,
    '',
    ...footer.text,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1f2937">
<p>Hi ${escapeHtml(input.studentName)},</p>
<p>Your <strong>${escapeHtml(input.programName)}</strong> certificate ${escapeHtml(input.certificateId)} expires on <strong>${escapeHtml(when)}</strong>.</p>
<p>${escapeHtml(renew + contact)}</p>
<p><a href="${escapeHtml(input.verifyUrl)}">Its verification page</a> · <a href="${escapeHtml(input.progressUrl)}">Your certificates</a></p>
${footer.html}
</body></html>`;
  return {
    to: input.studentEmail,
    subject: `Your ${input.programName} certificate expires in ${input.daysLeft} day${input.daysLeft === 1 ? '' : 's'}`,
    text,
    html,
    ...fromOrganization(input.branding),
  };
}
