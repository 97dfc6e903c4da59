// The messages Baton sends. Pure text; the mailer adapter decides how it travels (SES or .eml).

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function completionEmail(input: {
  studentName: string;
  studentEmail: string;
  programName: string;
  certificateId: string;
  verifyUrl: string;
  progressUrl: string;
}): EmailMessage {
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
    'The Baton training team',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1f2937">
<p>Hi ${escapeHtml(input.studentName)},</p>
<p>Congratulations: you have completed every step of the <strong>${escapeHtml(input.programName)}</strong> program.</p>
<p>Your certificate ID is <strong>${escapeHtml(input.certificateId)}</strong>.<br>
Anyone can verify it at <a href="${escapeHtml(input.verifyUrl)}">${escapeHtml(input.verifyUrl)}</a>.</p>
<p><a href="${escapeHtml(input.progressUrl)}">Download your certificate</a> from your progress page.</p>
<p>Well done,<br>The Baton training team</p>
</body></html>`;
  return {
    to: input.studentEmail,
    subject: `Congratulations! You completed ${input.programName}`,
    text,
    html,
  };
}
