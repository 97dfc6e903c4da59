// Local stand-in for SES: every message is written to <data dir>/outbox/ as an .eml file that
// any mail client opens, composed exactly as the SES mailer composes what it sends
// (functions/adapters/mime.ts). The file appears whole or not at all (written aside, then
// renamed), so a failed write is a message definitely not sent, the way SES reports a refused one.
import { randomUUID } from 'node:crypto';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeMime, InvalidMessage, parseMailbox } from '../functions/adapters/mime.js';
import type { EmailMessage } from '../functions/domain/notifications.js';
import { EmailNotSent, type Clock, type Mailer } from '../functions/use-cases/ports/services.js';

export class OutboxMailer implements Mailer {
  constructor(
    private readonly directory: string,
    /** The deployment's sender address (a message may name the organization's). */
    private readonly from: string,
    private readonly clock: Clock,
  ) {}

  async send(message: EmailMessage) {
    const now = this.clock.now();
    let eml: Buffer;
    try {
      eml = await composeMime(message, parseMailbox(this.from), now);
    } catch (error) {
      if (error instanceof InvalidMessage) throw new EmailNotSent('InvalidMessage', error.message, { cause: error });
      throw error;
    }
    const messageId = /^Message-ID: <([^>]+)>/im.exec(eml.toString('latin1'))?.[1] ?? `${randomUUID()}@baton.local`;
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const safeTo = message.to.replace(/[^A-Za-z0-9@._-]/g, '_');
    const base = join(this.directory, `${stamp}-${safeTo}`);
    const partial = `${base}.${randomUUID()}.partial`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(partial, eml);
      await publish(partial, base);
    } catch (error) {
      throw new EmailNotSent('OutboxWriteFailed', error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      await rm(partial, { force: true }).catch(() => undefined);
    }
    return { messageId };
  }
}

/** Links the written file under the first free name (two messages to one student in one millisecond both stay). */
async function publish(partial: string, base: string): Promise<void> {
  for (let n = 1; n <= 100; n++) {
    try {
      return await link(partial, `${base}${n === 1 ? '' : `-${n}`}.eml`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`100 messages to one address in one millisecond: ${base}`);
}
