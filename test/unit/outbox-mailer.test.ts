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

  it('keeps two messages to one address in the same millisecond, each in its own file, and no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    mkdirSync(join(dir, EML, 'in-the-way'), { recursive: true }); // the first name is taken
    const mailer = new OutboxMailer(dir, 'Baton <no-reply@baton.local>', clock);
    await mailer.send(message);
    await mailer.send({ ...message, subject: 'Second' });
    expect(readdirSync(dir).sort()).toEqual([EML, EML.replace('.eml', '-2.eml'), EML.replace('.eml', '-3.eml')].sort());
    expect(readFileSync(join(dir, EML.replace('.eml', '-3.eml')), 'utf8')).toContain('Subject: Second');
  });

  it('reports an outbox it cannot create as EmailNotSent', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'outbox-'));
    writeFileSync(join(parent, 'file'), '');
    const error = await new OutboxMailer(join(parent, 'file', 'outbox'), 'x@baton.local', clock).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailNotSent);
    expect(error).toMatchObject({ name: 'OutboxWriteFailed' });
  });
});
