// What every email Baton sends has in common: one greeting ("Hi <name>,"), one signature, one
// footer, HTML and plain text built from the same parts, and values from data (a student's name, a
// course name) that can never break out of where they are put: HTML-escaped in the HTML part, and
// on one line in the plain-text part and in headers (a name with "\r\n" cannot add a line or a header).
import type { Brand } from './brand.js';

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Line breaks and other control characters (C0, DEL, C1, the Unicode line and paragraph separators) as single spaces. */
export function oneLine(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

/** A piece of an email: a paragraph, a list of items, or a link shown as a button. */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'items'; items: Array<{ title: string; lines: string[]; link?: { label: string; url: string } }> }
  | { kind: 'button'; label: string; url: string };

export interface Layout {
  brand: Brand;
  /** Who the email greets (the student's name). */
  name: string;
  blocks: Block[];
  /** Footer lines (why the student gets this email, how to stop it). */
  footer?: Array<{ text: string; link?: { label: string; url: string } }>;
}

/** The plain-text and HTML bodies of an email. Every value from data is passed through oneLine / escapeHtml here. */
export function render(layout: Layout): { text: string; html: string } {
  const { brand } = layout;
  const greeting = `Hi ${oneLine(layout.name)},`;
  const signature = `The ${oneLine(brand.organizationName)} team`;
  const text: string[] = [greeting, ''];
  const html: string[] = [`<p>${escapeHtml(greeting)}</p>`];
  for (const block of layout.blocks) {
    if (block.kind === 'paragraph') {
      text.push(oneLine(block.text), '');
      html.push(`<p>${escapeHtml(oneLine(block.text))}</p>`);
    } else if (block.kind === 'button') {
      text.push(`${oneLine(block.label)}: ${block.url}`, '');
      html.push(
        `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(oneLine(block.label))}</a></p>`,
      );
    } else {
      const items = block.items.map((item) => {
        text.push(`* ${oneLine(item.title)}`, ...item.lines.map((line) => `  ${oneLine(line)}`));
        if (item.link) text.push(`  ${oneLine(item.link.label)}: ${item.link.url}`);
        text.push('');
        const lines = item.lines.map((line) => `<br>${escapeHtml(oneLine(line))}`).join('');
        const link = item.link ? `<br><a href="${escapeHtml(item.link.url)}">${escapeHtml(oneLine(item.link.label))}</a>` : '';
        return `<li style="margin-bottom:12px"><strong>${escapeHtml(oneLine(item.title))}</strong>${lines}${link}</li>`;
      });
      html.push(`<ul style="padding-left:20px">${items.join('')}</ul>`);
    }
  }
  text.push(signature);
  html.push(`<p>${escapeHtml(signature)}</p>`);
  const footer = [...(layout.footer ?? [])];
  if (brand.supportEmail) footer.push({ text: `Questions? Write to ${brand.supportEmail}.` });
  if (brand.websiteUrl) footer.push({ text: oneLine(brand.organizationName), link: { label: brand.websiteUrl, url: brand.websiteUrl } });
  if (footer.length > 0) {
    text.push('', '--');
    for (const line of footer) text.push(line.link ? `${oneLine(line.text)} ${line.link.label}: ${line.link.url}` : oneLine(line.text));
    html.push(
      `<hr style="border:none;border-top:1px solid #e5e7eb"><p style="font-size:12px;color:#6b7280">${footer
        .map(
          (line) =>
            escapeHtml(oneLine(line.text)) +
            (line.link ? ` <a href="${escapeHtml(line.link.url)}">${escapeHtml(line.link.label)}</a>` : ''),
        )
        .join('<br>')}</p>`,
    );
  }
  return {
    text: text.join('\n'),
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2937;line-height:1.5;max-width:600px">\n${html.join('\n')}\n</body></html>`,
  };
}
