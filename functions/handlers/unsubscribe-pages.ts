// The small HTML pages of the unsubscribe link, served by the API (the link must work in any mail
// client's browser, without the site's JavaScript). No inline style or script: the site's CSP
// allows neither, so the look comes from /unsubscribe.css, a static file of the site.
import { escapeHtml } from '../domain/email-layout.js';
import type { HttpResult } from '../http/handler.js';

const page = (status: number, title: string, body: string): HttpResult => ({
  status,
  raw: {
    contentType: 'text/html; charset=utf-8',
    text: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/unsubscribe.css"></head>
<body><main class="card"><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>`,
  },
  headers: { 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' },
});

const progressLink = '<a href="/student/progress">your progress page</a>';

/** GET: asks, with a button; never unsubscribes by itself (link scanners follow GETs). */
export function confirmPage(token: string, maskedEmail: string): HttpResult {
  return page(
    200,
    'Stop reminder emails?',
    `<p>We email <strong>${escapeHtml(maskedEmail)}</strong> when a training step stays open. Unsubscribing stops these reminders only: your welcome, completion and certificate emails still come.</p>
<form method="post" action="/api/unsubscribe?token=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe from reminders</button></form>
<p class="note">Changed your mind later? Turn reminders back on from ${progressLink}.</p>`,
  );
}

export function alreadyOffPage(maskedEmail: string): HttpResult {
  return page(
    200,
    'You are unsubscribed',
    `<p>No reminder emails go to <strong>${escapeHtml(maskedEmail)}</strong>. You can turn them back on from ${progressLink}.</p>`,
  );
}

/** After the button's POST. */
export function unsubscribedPage(maskedEmail: string): HttpResult {
  return page(
    200,
    'You are unsubscribed from reminders',
    `<p>We will not send reminder emails to <strong>${escapeHtml(maskedEmail)}</strong> any more. Your welcome, completion and certificate emails still come.</p>
<p class="note">Changed your mind? Turn reminders back on from ${progressLink}.</p>`,
  );
}

export function invalidLinkPage(status: number, message: string): HttpResult {
  return page(status, 'This link does not work', `<p>${escapeHtml(message.charAt(0).toUpperCase() + message.slice(1))}.</p>`);
}

/** Whether the caller is a browser wanting a page (a form's POST) rather than a mail provider's one-click POST. */
export const wantsHtml = (headers: Record<string, string>) => (headers.accept ?? '').includes('text/html');
