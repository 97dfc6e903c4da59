// Outbound events in local mode, as the "Not done until" states them: an endpoint on
// 127.0.0.1 receives every event of the seed scenario, each verifiable with the Standard Webhooks
// library; a receiver that fails twice gets the event on the third attempt with the same
// webhook-id, when the local clock reaches it; a crash between commit and send loses nothing.
import { readOutbox } from '../support/emails.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver on 127.0.0.1 that answers each request with the next status of `answers` (then 204). */
async function receiver(answers: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answers.shift() ?? 204);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

let baton: TestBaton;
/** A second admin: a disabled endpoint's email goes to every admin. */
const SECOND_ADMIN = 'second-admin@test.com';
beforeAll(async () => {
  baton = await startTestBaton({ outboundAllowLoopback: true, adminEmails: [ADMIN, SECOND_ADMIN] });
});
afterAll(() => baton?.stop());

const register = async (url: string, events: string[]) => {
  const response = await baton.api('POST', '/api/admin/event-endpoints', { as: ADMIN, body: { url, events, description: 'CRM' } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { endpointId: string; secret: string };
};
const ALL = [
  'enrollment.created',
  'step.started',
  'step.completed',
  'step.waived',
  'enrollment.completed',
  'enrollment.cancelled',
  'certificate.issued',
];

describe('outbound events', () => {
  it('delivers every event of the Medical Assistant flow to an endpoint on 127.0.0.1, each verifiable with Standard Webhooks', async () => {
    const hooks = await receiver();
    const { secret, endpointId } = await register(hooks.url, ALL);
    expect(secret).toMatch(/^whsec_/);
    const enrollment = await baton.enroll({
      studentEmail: 'events@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-EV', certiport: 'CP-EV', careersafe: 'CS-EV' },
    });
    for (const [partner, student, course] of [
      ['hsi', 'HSI-EV', 'bls-cpr-aed'],
      ['certiport', 'CP-EV', 'mos-word'],
      ['careersafe', 'CS-EV', 'osha-10-healthcare'],
    ] as const) {
      await baton.complete(partner, { studentId: student, courseId: course });
      await baton.drain();
    }
    await baton.runSchedules();
    const verifier = new Webhook(secret);
    const events = hooks.received.map((r) => ({ ...(verifier.verify(r.body, r.headers) as any), id: r.headers['webhook-id'] }));
    expect(events.map((e) => e.type)).toEqual([
      'enrollment.created',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'enrollment.completed',
      'certificate.issued',
    ]);
    expect(events.every((e) => e.data.enrollmentId === enrollment.id)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const certificate = events.at(-1)!;
    expect(certificate.data.verifyUrl).toBe(`${baton.url}/verify/${certificate.data.certificateId}`);
    // Each one is in the endpoint's delivery log, delivered on the first attempt.
    const log = await baton.api('GET', `/api/admin/event-endpoints/${endpointId}/deliveries?limit=100`, { as: ADMIN });
    expect(log.body.deliveries.map((d: any) => [d.status, d.attempts])).toEqual(events.map(() => ['delivered', 1]));
    await baton.api('DELETE', `/api/admin/event-endpoints/${endpointId}`, { as: ADMIN });
    await hooks.close();
  });

  it('retries a receiver that fails twice on the schedule, and the third attempt carries the same webhook-id', async () => {
    const hooks = await receiver([500, 302]);
    const { endpointId } = await register(hooks.url, ['enrollment.created']);
    await baton.enroll({ studentEmail: 'retry@example.org', programId: 'cna' });
    await baton.runSchedules();
    expect(hooks.received).toHaveLength(1);
    await baton.advanceClock(4_000); // not yet due (5 s)
    expect(hooks.received).toHaveLength(1);
    await baton.advanceClock(1_500);
    expect(hooks.received).toHaveLength(2); // answered 302: a redirect is a failure
    await baton.advanceClock(5 * 60_000);
    expect(hooks.received).toHaveLength(3);
    expect(new Set(hooks.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const log = (await baton.api('GET', `/api/admin/event-endpoints/${endpointId}/deliveries`, { as: ADMIN })).body.deliveries;
    expect(log[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(log[0].log.map((a: any) => a.status)).toEqual([500, 302, 204]);
    await baton.api('DELETE', `/api/admin/event-endpoints/${endpointId}`, { as: ADMIN });
    await hooks.close();
  });

  it('loses no event when the process dies between the commit and the send: the outbox is relayed by the next sweep', async () => {
    const hooks = await receiver();
    const { endpointId } = await register(hooks.url, ['enrollment.created']);
    // The enrollment commits; nothing relays it (as if the process had died): nothing is sent yet.
    await baton.enroll({ studentEmail: 'crash@example.org', programId: 'cna' });
    expect(hooks.received).toHaveLength(0);
    const waiting = (await baton.items()).filter((i) => i.gsi2pk === 'OUTBOX');
    expect(waiting.length).toBeGreaterThan(0);
    await baton.runSchedules();
    expect(hooks.received.map((r) => JSON.parse(r.body).type)).toEqual(['enrollment.created']);
    expect((await baton.items()).filter((i) => i.gsi2pk === 'OUTBOX')).toEqual([]);
    await baton.api('DELETE', `/api/admin/event-endpoints/${endpointId}`, { as: ADMIN });
    await hooks.close();
  });

  it('signs with both secrets during a rotation, replays with the same id, pings, and disables an endpoint that answers 410', async () => {
    const hooks = await receiver();
    const { endpointId, secret: first } = await register(hooks.url, ['enrollment.created']);
    const rotated = await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/rotate-secret`, { as: ADMIN });
    expect(rotated.status).toBe(200);
    const ping = await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/test`, { as: ADMIN });
    expect(ping.status).toBe(202);
    const [sent] = hooks.received;
    expect(sent!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [first, rotated.body.secret])
      expect((new Webhook(secret).verify(sent!.body, sent!.headers) as any).type).toBe('baton.test');
    const replay = await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/deliveries/${ping.body.deliveryId}/replay`, {
      as: ADMIN,
    });
    expect(replay.status).toBe(202);
    expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([ping.body.deliveryId, ping.body.deliveryId]);

    const gone = await receiver([410]);
    const second = await register(gone.url, ['enrollment.created']);
    // The admin who registered it has left (no longer in the admin group): the email must not rely on them.
    const registered = (await baton.ports.outbound.getEndpoint(second.endpointId))!;
    expect(await baton.ports.outbound.replaceEndpoint({ ...registered, createdBy: 'left@test.com' }, registered)).toBe(true);
    await baton.api('POST', `/api/admin/event-endpoints/${second.endpointId}/test`, { as: ADMIN });
    const listed = (await baton.api('GET', '/api/admin/event-endpoints', { as: ADMIN })).body.endpoints;
    expect(listed.find((e: any) => e.endpointId === second.endpointId)).toMatchObject({
      status: 'disabled',
      disabledReason: expect.stringContaining('410'),
    });
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    const told = (await readOutbox(baton.outboxDir)).filter(
      (m) => m.subject === `Baton disabled the event endpoint ${new URL(gone.url).host}`,
    );
    expect(told.map((m) => m.to).sort()).toEqual([ADMIN, SECOND_ADMIN]);
    for (const id of [endpointId, second.endpointId]) await baton.api('DELETE', `/api/admin/event-endpoints/${id}`, { as: ADMIN });
    await Promise.all([hooks.close(), gone.close()]);
  });

  it('gives up on a delivery after the eighth attempt, and disables an endpoint that fails for five days and emails every admin', async () => {
    const hooks = await receiver(Array(20).fill(503));
    const { endpointId } = await register(hooks.url, ['enrollment.created']);
    await baton.enroll({ studentEmail: 'down@example.org', programId: 'cna' });
    await baton.runSchedules();
    // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: each wait passed once, one attempt each.
    for (const wait of [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]) await baton.advanceClock(wait + 1_000);
    expect(hooks.received).toHaveLength(8);
    const [given] = (await baton.api('GET', `/api/admin/event-endpoints/${endpointId}/deliveries`, { as: ADMIN })).body.deliveries;
    expect(given).toMatchObject({ status: 'failed', attempts: 8 });
    await baton.advanceClock(36_000_000);
    expect(hooks.received).toHaveLength(8); // the schedule is used up
    let endpoint = (await baton.api('GET', '/api/admin/event-endpoints', { as: ADMIN })).body.endpoints.find(
      (e: any) => e.endpointId === endpointId,
    );
    expect(endpoint.status).toBe('enabled'); // failing for 1.6 days, not five

    await baton.advanceClock(4 * 24 * 3600_000);
    await baton.enroll({ studentEmail: 'still-down@example.org', programId: 'cna' });
    await baton.runSchedules();
    expect(hooks.received).toHaveLength(9);
    endpoint = (await baton.api('GET', '/api/admin/event-endpoints', { as: ADMIN })).body.endpoints.find(
      (e: any) => e.endpointId === endpointId,
    );
    expect(endpoint).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('five days') });
    // Read as a mail client reads it (however the composer encoded the body).
    const emails = await readOutbox(baton.outboxDir);
    const told = emails.filter((m) => m.subject === `Baton disabled the event endpoint ${new URL(hooks.url).host}`);
    expect(told.map((m) => m.to).sort()).toEqual([ADMIN, SECOND_ADMIN]);
    for (const { text } of told) expect(text).toContain(`${hooks.url} (CRM): every attempt failed for five days`);
    // Disabled: the next event is not sent to it.
    await baton.enroll({ studentEmail: 'after@example.org', programId: 'cna' });
    await baton.advanceClock(60_000);
    expect(hooks.received).toHaveLength(9);
    await baton.api('DELETE', `/api/admin/event-endpoints/${endpointId}`, { as: ADMIN });
    await hooks.close();
  });

  it('refuses endpoints that are not https (or loopback in local mode), unknown event types, and private addresses at send time', async () => {
    const before = JSON.stringify(await baton.items());
    for (const [url, events] of [
      ['http://example.org/hooks', ['enrollment.created']],
      ['ftp://127.0.0.1/hooks', ['enrollment.created']],
      ['http://10.0.0.5/hooks', ['enrollment.created']],
      ['https://example.org/hooks', ['enrollment.exploded']],
    ] as const) {
      const response = await baton.api('POST', '/api/admin/event-endpoints', { as: ADMIN, body: { url, events } });
      expect.soft([url, response.status]).toEqual([url, 400]);
    }
    expect(JSON.stringify(await baton.items())).toBe(before);
    // https to a name that resolves to a private address is refused when it is sent.
    const { endpointId } = await register('https://[::ffff:169.254.169.254]/latest', ['enrollment.created']);
    await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/test`, { as: ADMIN });
    const [delivery] = (await baton.api('GET', `/api/admin/event-endpoints/${endpointId}/deliveries`, { as: ADMIN })).body.deliveries;
    expect(delivery.log[0].error).toContain('linkLocal');
    await baton.api('DELETE', `/api/admin/event-endpoints/${endpointId}`, { as: ADMIN });
  });
});
