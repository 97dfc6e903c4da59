// Reading the outbox as a mail client would: every .eml parsed by mailparser, newest last.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface OutboxEmail {
  file: string;
  raw: string;
  parsed: ParsedMail;
  to: string;
  subject: string;
  text: string;
  /** The raw value of a header (lower-case name), as written. */
  header(name: string): string | undefined;
}

export async function readOutbox(outboxDir: string): Promise<OutboxEmail[]> {
  let files: string[];
  try {
    files = readdirSync(outboxDir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  } catch {
    return [];
  }
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(join(outboxDir, file), 'utf8');
      const parsed = await simpleParser(raw);
      const headerLines = parsed.headerLines;
      return {
        file,
        raw,
        parsed,
        to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.address ?? '',
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        header: (name: string) => {
          const line = headerLines.find((h) => h.key === name)?.line;
          return line?.slice(line.indexOf(':') + 1).trim();
        },
      };
    }),
  );
}

/** The emails to one address whose subject matches. */
export const emailsTo = (emails: readonly OutboxEmail[], to: string, subject?: RegExp) =>
  emails.filter((e) => e.to === to && (!subject || subject.test(e.subject)));
