// Local mode's SES stand-in keeps the Mailer contract: a message is in the outbox whole, or it was
// definitely not sent (EmailNotSent) and no part of it is left behind.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmailNotSent } from '../../functions/use-cases/ports/services.js';
import { OutboxMailer } from '../../local/outbox-mailer.js';

const clock = { now: () => new Date('2026-05-01T12:00:00.000Z') };
const message = { to: 'student@test.com', subject: 'Congratulations!', text: 'plain', html: '<p>html</p>' };
const EML = '2026-05-01T12-00-00-000Z-student@test.com.eml';

describe('OutboxMailer', () => {
  it('writes one complete .eml file per message', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox');
    const { messageId } = await new OutboxMailer(dir, 'Baton <no-reply@baton.local>', clock).send(message);
    expect(readdirSync(dir)).toEqual([EML]);
    expect(readFileSync(join(dir, EML), 'utf8')).toContain(`Message-ID: <${messageId}>`);
  });

  it('reports a message it could not write as EmailNotSent, leaving no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    mkdirSync(join(dir, EML, 'in-the-way'), { recursive: true }); // the final name is taken by a non-empty directory
    const error = await new OutboxMailer(dir, 'Baton <no-reply@baton.local>', clock).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailNotSent);
    expect(error).toMatchObject({ name: 'OutboxWriteFailed' });
    expect(readdirSync(dir)).toEqual([EML]);
  });

  it('reports an outbox it cannot create as EmailNotSent', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'outbox-'));
    writeFileSync(join(parent, 'file'), '');
    const error = await new OutboxMailer(join(parent, 'file', 'outbox'), 'x@baton.local', clock).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailNotSent);
    expect(error).toMatchObject({ name: 'OutboxWriteFailed' });
  });
});
