// Unsubscribe tokens are capabilities: no log line and no stored item carries one, whatever the
// link is used for (a GET of the page, the one-click POST, a tampered or foreign token). The whole
// file logs at DEBUG, captured; what logs may carry is a fingerprint.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenFingerprint, unsubscribeToken } from '../../functions/domain/unsubscribe.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';
import { emailsTo, readOutbox } from '../support/emails.js';

const silencedLevel = vi.hoisted(() => {
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  return level;
});
const captured: string[] = [];
const restoreOutput: Array<() => void> = [];
let baton: TestBaton;

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on the same stream, never called detached
    const write = stream.write;
    stream.write = (chunk: unknown) => captured.push(String(chunk)) > 0;
    restoreOutput.push(() => (stream.write = write));
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on console, never called detached
    const original = console[level];
    console[level] = (...args: unknown[]) => void captured.push(args.map(String).join(' '));
    restoreOutput.push(() => (console[level] = original));
  }
  baton = await startTestBaton();
});
afterAll(async () => {
  await baton?.stop();
  for (const restore of restoreOutput) restore();
  if (silencedLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = silencedLevel;
});

describe('unsubscribe tokens', () => {
  it('appear in no log line and no stored item, only their fingerprint does', async () => {
    const email = 'tokens@example.org';
    await baton.enroll({ studentEmail: email, programId: 'cdl' });
    await baton.advanceClock(3 * 24 * 3600 * 1000);
    const urls = emailsTo(await readOutbox(baton.outboxDir), email).map((e) => e.header('list-unsubscribe')!.slice(1, -1));
    expect(urls).toHaveLength(2); // the welcome and the first reminder
    const token = new URL(urls[0]!).searchParams.get('token')!;
    const foreign = unsubscribeToken(Buffer.from('not-baton-key-'.repeat(3)), 'someone-else');
    const at = token.length - 10; // a character of the MAC that carries only data bits
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;

    expect((await baton.api('GET', `/api/unsubscribe?token=${token}`)).status).toBe(200);
    for (const bad of [tampered, foreign])
      expect((await baton.api('POST', `/api/unsubscribe?token=${bad}`, { body: 'List-Unsubscribe=One-Click' })).status).toBe(400);
    expect((await baton.api('POST', `/api/unsubscribe?token=${token}`, { body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    const logs = captured.join('');
    const stored = JSON.stringify(await baton.items());
    const secrets = [token, tampered, foreign, token.split('.')[1]!, tampered.split('.')[1]!];
    expect(secrets.filter((value) => logs.includes(value) || stored.includes(value))).toEqual([]);
    // The capture works, and what the logs say about the token is its fingerprint.
    expect(logs).toContain(tokenFingerprint(token));
    expect(logs).toContain(tokenFingerprint(tampered));
  });
});
