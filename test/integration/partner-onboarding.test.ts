// Onboarding a partner that is not one of the seed five, through the admin API alone, in local
// mode: a Thinkific-style school (hex HMAC-SHA256 of the body, its own JSON shape read through
// JSON Pointers) completes a step end to end; the mapping that cannot read a delivery is fixed and
// the delivery replayed; batches and xAPI arrays apply item by item; the test console writes
// nothing; the delivery log filters and pages; a disabled partner is refused before anything runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHmac, signWebhook, xapiBody } from '../../local/partner-webhook-client.js';
import { createSecret, post, putPartner } from '../support/partners.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { saveProgram } from '../support/programs.js';

let baton: TestBaton;
let secret: string;

/** Thinkific's enrollment webhook, as its public payload examples show it (ids are numbers). */
const enrollmentCompleted = (o: { id: string; userId: number; email: string; courseId: number; action?: string }) =>
  JSON.stringify({
    id: o.id,
    resource: 'enrollment',
    action: o.action ?? 'completed',
    tenant_id: '59',
    created_at: new Date().toISOString(),
    payload: {
      completed_at: new Date(Date.now() - 60_000).toISOString(),
      course: { id: o.courseId, name: 'Forklift Safety' },
      course_id: o.courseId,
      percentage_completed: '1.0',
      user: { email: o.email, first_name: 'Ana', id: o.userId, last_name: 'Silva' },
    },
  });

const THINKIFIC = {
  name: 'Acme Academy (Thinkific)',
  contactEmail: 'help@acme-academy.example',
  launchUrlTemplate: 'https://acme-academy.example/courses/{courseId}',
  instructions: 'Sign in to Acme Academy with your program email.',
  courses: [{ courseId: '68', name: 'Forklift Safety', hours: 4 }],
  webhook: {
    verification: { scheme: 'hmac-sha256', header: 'X-Thinkific-Hmac-Sha256', encoding: 'hex' },
    deliveryId: { pointer: '/id' },
    format: 'mapped',
    mapping: {
      eventType: '/action',
      eventTypes: { completed: 'completed' },
      studentId: '/payload/user/id',
      email: '/payload/user/email',
      courseId: '/payload/course_id',
      occurredAt: '/payload/completed_at',
    },
  },
};
const signed = (body: string, key = secret) =>
  signHmac({
    secret: key,
    body,
    header: 'X-Thinkific-Hmac-Sha256',
    encoding: 'hex',
    headers: { 'x-thinkific-topic': 'enrollment.completed' },
  });
const steps = async (id: string) => (await baton.enrollment(id)).steps.map((s: any) => s.status);

beforeAll(async () => {
  baton = await startTestBaton();
  const created = await baton.api('PUT', '/api/admin/partners/acme-academy', { as: ADMIN, body: THINKIFIC });
  expect(created.status).toBe(201);
  // Thinkific signs with the school's API key: an admin supplies it instead of generating one.
  secret = (await createSecret(baton, 'acme-academy', 'thinkific-api-key-0123456789abcdef')).secret;
  await saveProgram(baton, {
    id: 'forklift-operator',
    name: 'Forklift Operator',
    category: 'Technical/Trade',
    steps: [
      { sequence: 1, partnerId: 'acme-academy', courseId: '68', courseName: 'Forklift Safety' },
      { sequence: 2, partnerId: 'careersafe', courseId: 'osha-10-general-industry', courseName: 'OSHA 10' },
    ],
  });
});
afterAll(() => baton?.stop());

describe('a partner created through the API', () => {
  it('completes a step end to end: HMAC-hex signature, mapped body, account linked by email, the workflow advancing', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'ana.silva@example.org', programId: 'forklift-operator' });
    expect(enrollment.steps[0]).toMatchObject({
      partnerName: 'Acme Academy (Thinkific)',
      launchUrl: 'https://acme-academy.example/courses/68',
      instructions: 'Sign in to Acme Academy with your program email.',
    });

    const response = await post(
      baton,
      'acme-academy',
      signed(enrollmentCompleted({ id: 'evt-1001', userId: 94, email: 'ana.silva@example.org', courseId: 68 })),
    );

    expect(response).toEqual({ status: 200, body: { status: 'applied' } });
    expect(await steps(enrollment.id)).toEqual(['completed', 'in_progress']);
    const view = await baton.enrollment(enrollment.id);
    expect(view.steps[0].resolution).toMatchObject({ source: 'partner', webhookId: 'evt-1001', result: 'completed' });
    // The numeric Thinkific user id was linked, so a later event without the email matches too.
    const log = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries', { as: ADMIN });
    expect(log.body.deliveries[0]).toMatchObject({ webhookId: 'evt-1001', outcome: 'applied', studentId: enrollment.studentId });
    expect(log.body.deliveries[0]).not.toHaveProperty('rawBody');
    // Resent (Thinkific retries with the same id): a duplicate.
    const again = await post(
      baton,
      'acme-academy',
      signed(enrollmentCompleted({ id: 'evt-1001', userId: 94, email: 'ana.silva@example.org', courseId: 68 })),
    );
    expect(again.body).toEqual({ status: 'duplicate' });
  });

  it('answers 400 naming the field for a bad configuration, and writes nothing', async () => {
    const before = await baton.items();
    const bad = async (webhook: unknown, expected: string) => {
      const response = await baton.api('PUT', '/api/admin/partners/broken', { as: ADMIN, body: { name: 'Broken', webhook } });
      expect.soft([response.status, response.body.error?.message]).toEqual([400, expect.stringContaining(expected)]);
    };
    await bad(
      { verification: { scheme: 'hmac-sha256', header: 'X Sig', encoding: 'hex' }, format: 'baton' },
      'webhook.verification.header',
    );
    await bad(
      { verification: { scheme: 'hmac-sha256', header: 'X-Sig', encoding: 'hex', signedContent: 'timestamp.body' }, format: 'baton' },
      'timestampHeader',
    );
    await bad({ verification: { scheme: 'jwt', jwksUrl: 'http://169.254.169.254/keys' }, format: 'baton' }, 'webhook.verification.jwksUrl');
    await bad({ verification: { scheme: 'token', header: 'X-Token' }, format: 'mapped' }, 'webhook.mapping');
    await bad(
      {
        verification: { scheme: 'token', header: 'X-Token' },
        format: 'mapped',
        mapping: { eventType: 'action', eventTypes: { done: 'completed' }, courseId: '/c', email: '/e' },
      },
      'webhook.mapping.eventType',
    );
    await bad({ verification: { scheme: 'md5' }, format: 'baton' }, 'webhook.verification');
    const id = await baton.api('PUT', '/api/admin/partners/Not_A_Slug', { as: ADMIN, body: { name: 'x' } });
    expect([id.status, id.body.error.message]).toEqual([400, expect.stringContaining('partnerId must be')]);
    // The site's page for adding a partner is /admin/partners/new: no partner may take that id.
    const reserved = await baton.api('PUT', '/api/admin/partners/new', { as: ADMIN, body: { name: 'New' } });
    expect([reserved.status, reserved.body.error.message]).toEqual([400, expect.stringContaining('"new" is reserved')]);
    expect(await baton.items()).toEqual(before);
  });

  it('stores what the mapping cannot read with the reason, answers ignored, and applies it when replayed after the fix', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'bo.chen@example.org', programId: 'forklift-operator' });
    // This school nests the course differently: the mapping finds no course id.
    const body = JSON.stringify({
      id: 'evt-2001',
      resource: 'enrollment',
      action: 'completed',
      payload: { user: { id: 95, email: 'bo.chen@example.org' }, course: { id: 68 } },
    });
    expect((await post(baton, 'acme-academy', signed(body))).body).toEqual({ status: 'ignored' });
    const ignored = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries?outcome=ignored', { as: ADMIN });
    expect(ignored.body.deliveries).toEqual([
      expect.objectContaining({
        webhookId: 'evt-2001',
        outcome: 'ignored',
        reason: 'unreadable',
        problem: 'courseId (/payload/course_id) is missing from the body',
      }),
    ]);
    const stored = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries/evt-2001', { as: ADMIN });
    expect(stored.body.rawBody).toBe(body);

    const fixed = {
      ...THINKIFIC,
      webhook: { ...THINKIFIC.webhook, mapping: { ...THINKIFIC.webhook.mapping, courseId: '/payload/course/id' } },
    };
    expect((await baton.api('PUT', '/api/admin/partners/acme-academy', { as: ADMIN, body: fixed })).status).toBe(200);
    const replayed = await baton.api('POST', '/api/admin/partners/acme-academy/deliveries/evt-2001/replay', { as: ADMIN });

    expect(replayed.body).toMatchObject({ deliveryId: 'evt-2001', status: 'applied' });
    expect(await steps(enrollment.id)).toEqual(['completed', 'in_progress']);
    // A duplicate stays a duplicate: replaying again changes nothing.
    await baton.drain();
    const before = await baton.items();
    expect((await baton.api('POST', '/api/admin/partners/acme-academy/deliveries/evt-2001/replay', { as: ADMIN })).body).toMatchObject({
      status: 'duplicate',
    });
    expect(await baton.items()).toEqual(before);
    const changes = (await baton.api('GET', '/api/admin/partners/acme-academy', { as: ADMIN })).body.changes;
    expect(changes[0]).toMatchObject({ by: ADMIN, changes: ['webhook'] });
    await baton.api('PUT', '/api/admin/partners/acme-academy', { as: ADMIN, body: THINKIFIC });
  });

  it('answers ignored, and stores, an event type the mapping does not list', async () => {
    const response = await post(
      baton,
      'acme-academy',
      signed(enrollmentCompleted({ id: 'evt-3001', userId: 94, email: 'ana.silva@example.org', courseId: 68, action: 'progress' })),
    );
    expect(response.body).toEqual({ status: 'ignored' });
    const stored = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries/evt-3001', { as: ADMIN });
    expect(stored.body).toMatchObject({ outcome: 'ignored', reason: 'event_type:progress' });
  });

  it('lists secrets by id, creation and last use, never their values', async () => {
    const partner = await baton.api('GET', '/api/admin/partners/acme-academy', { as: ADMIN });
    expect(partner.body.secrets).toEqual([
      { secretId: expect.stringMatching(/^sec_/), createdAt: expect.any(String), lastUsedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(partner.body)).not.toContain(secret);
    const list = await baton.api('GET', '/api/admin/partners', { as: ADMIN });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.partners.find((p: any) => p.id === 'acme-academy').lastDelivery).toMatchObject({ outcome: expect.any(String) });
    expect(list.body.partners.map((p: any) => p.id)).toEqual(
      expect.arrayContaining(['hsi', 'certiport', 'careersafe', 'jri', 'milady', 'acme-academy']),
    );
  });
});

describe('batches', () => {
  it('applies each item of a mapped batch on its own, each deduplicated by its own id', async () => {
    await putPartner(baton, 'docebo-like', {
      name: 'Batching LMS',
      webhook: {
        verification: { scheme: 'hmac-sha256', header: 'X-Sig', encoding: 'base64' },
        deliveryId: { pointer: '/event_id' },
        format: 'mapped',
        mapping: {
          items: '/payloads',
          eventType: '/event',
          eventTypes: { 'course.enrollment.completed': 'completed' },
          email: '/user_email',
          courseId: '/course_code',
        },
      },
    });
    const key = (await createSecret(baton, 'docebo-like')).secret;
    await saveProgram(baton, {
      id: 'batch-program',
      name: 'Batch Program',
      category: 'Specialized',
      steps: [{ sequence: 1, partnerId: 'docebo-like', courseId: 'B-1' }],
    });
    const a = await baton.enroll({ studentEmail: 'batch-a@example.org', programId: 'batch-program' });
    const b = await baton.enroll({ studentEmail: 'batch-b@example.org', programId: 'batch-program' });
    const item = (id: string, email: string) => ({
      event_id: id,
      event: 'course.enrollment.completed',
      user_email: email,
      course_code: 'B-1',
    });
    const batch = (items: unknown[]) =>
      signHmac({ secret: key, body: JSON.stringify({ payloads: items }), header: 'X-Sig', encoding: 'base64' });

    const first = await post(
      baton,
      'docebo-like',
      batch([item('b-1', 'batch-a@example.org'), { event_id: 'b-2', event: 'course.enrollment.completed', course_code: 'B-1' }]),
    );
    expect(first.body).toEqual({
      status: 'applied',
      items: [
        { deliveryId: 'b-1', status: 'applied' },
        { deliveryId: 'b-2', status: 'ignored' },
      ],
    });
    // The partner resends the batch with a new item: the first is a duplicate, the new one applies.
    const second = await post(baton, 'docebo-like', batch([item('b-1', 'batch-a@example.org'), item('b-3', 'batch-b@example.org')]));
    expect(second.body.items).toEqual([
      { deliveryId: 'b-1', status: 'duplicate' },
      { deliveryId: 'b-3', status: 'applied' },
    ]);
    expect(await steps(a.id)).toEqual(['completed']);
    expect(await steps(b.id)).toEqual(['completed']);
  });

  it('applies an array of xAPI statements (LRS forwarding), each deduplicated by its statement id', async () => {
    await putPartner(baton, 'lrs-forwarder', { name: 'LRS', webhook: { verification: { scheme: 'standard-webhooks' }, format: 'xapi' } });
    const key = (await createSecret(baton, 'lrs-forwarder')).secret;
    await saveProgram(baton, {
      id: 'xapi-program',
      name: 'xAPI Program',
      category: 'Specialized',
      steps: [{ sequence: 1, partnerId: 'lrs-forwarder', courseId: 'safety-101' }],
    });
    const enrollment = await baton.enroll({
      studentEmail: 'lrs@example.org',
      programId: 'xapi-program',
      partnerAccounts: { 'lrs-forwarder': 'LRS-7' },
    });
    const statement = (id: string, verb: 'completed' | 'passed' | 'experienced') => ({
      ...JSON.parse(
        xapiBody({ event: verb === 'passed' ? 'course.passed' : 'course.completed', studentId: 'LRS-7', courseId: 'safety-101' }),
      ),
      ...(verb === 'experienced' ? { verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } } : {}),
      id,
    });
    const send = (statements: unknown[]) => post(baton, 'lrs-forwarder', signWebhook({ secret: key, body: JSON.stringify(statements) }));

    const response = await send([
      statement('8f1e0f4a-0000-4000-8000-000000000001', 'experienced'),
      statement('8f1e0f4a-0000-4000-8000-000000000002', 'completed'),
    ]);
    expect(response.body.items).toEqual([
      { deliveryId: '8f1e0f4a-0000-4000-8000-000000000001', status: 'ignored' },
      { deliveryId: '8f1e0f4a-0000-4000-8000-000000000002', status: 'applied' },
    ]);
    expect(await steps(enrollment.id)).toEqual(['completed']);
    const resent = await send([statement('8f1e0f4a-0000-4000-8000-000000000002', 'completed')]);
    expect(resent.body).toEqual({
      status: 'duplicate',
      items: [{ deliveryId: '8f1e0f4a-0000-4000-8000-000000000002', status: 'duplicate' }],
    });
  });
});

describe('the test console and the delivery log', () => {
  it('verifies and reads a pasted delivery, says which student and step it would complete, and writes nothing', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'cy.diaz@example.org', programId: 'forklift-operator' });
    const request = signed(enrollmentCompleted({ id: 'evt-4001', userId: 97, email: 'cy.diaz@example.org', courseId: 68 }));
    const before = await baton.items();

    const tested = await baton.api('POST', '/api/admin/partners/acme-academy/webhook-test', { as: ADMIN, body: request });
    const forged = await baton.api('POST', '/api/admin/partners/acme-academy/webhook-test', {
      as: ADMIN,
      body: signed(request.body, 'not-the-key-0123456789abcdef'),
    });

    expect(tested.body).toEqual({
      verified: true,
      events: [
        {
          deliveryId: 'evt-4001',
          result: 'completed',
          studentId: '97',
          email: 'cy.diaz@example.org',
          courseId: '68',
          occurredAt: expect.any(String),
          match: {
            outcome: 'applied',
            studentId: enrollment.studentId,
            steps: [
              { enrollmentId: enrollment.id, programName: 'Forklift Operator', stepIndex: 0, sequence: 1, courseName: 'Forklift Safety' },
            ],
          },
        },
      ],
    });
    expect(forged.body).toEqual({
      verified: false,
      problem: "no x-thinkific-hmac-sha256 signature matches this partner's secret",
      events: [],
    });
    expect(await baton.items()).toEqual(before);
  });

  it('filters the log by outcome and pages through it', async () => {
    for (let i = 0; i < 5; i++) {
      await post(
        baton,
        'acme-academy',
        signed(enrollmentCompleted({ id: `evt-page-${i}`, userId: 500 + i, email: `nobody${i}@example.org`, courseId: 68 })),
      );
    }
    const first = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries?outcome=unmatched&limit=3', { as: ADMIN });
    expect(first.body.deliveries.map((d: any) => d.webhookId)).toEqual(['evt-page-4', 'evt-page-3', 'evt-page-2']);
    const rest = await baton.api('GET', `/api/admin/partners/acme-academy/deliveries?outcome=unmatched&limit=3&cursor=${first.body.next}`, {
      as: ADMIN,
    });
    expect(rest.body.deliveries.map((d: any) => d.webhookId)).toEqual(['evt-page-1', 'evt-page-0']);
    const all = await baton.api('GET', '/api/admin/partners/acme-academy/deliveries?limit=100', { as: ADMIN });
    expect(new Set(all.body.deliveries.map((d: any) => d.outcome))).toEqual(new Set(['applied', 'ignored', 'unmatched']));
  });
});

describe('disabled and unknown partners', () => {
  it('refuses a disabled partner’s webhook with 404 and writes nothing; programs cannot name it', async () => {
    await putPartner(baton, 'paused', {
      name: 'Paused LMS',
      status: 'disabled',
      webhook: { verification: { scheme: 'token', header: 'X-Token' }, format: 'baton' },
    });
    const before = await baton.items();
    const response = await post(baton, 'paused', {
      headers: { 'content-type': 'application/json', 'x-token': 'whatever-value-0123456789' },
      body: '{}',
    });
    expect([response.status, response.body.error.message]).toEqual([404, 'partner "paused" is disabled']);
    expect(await baton.items()).toEqual(before);

    const program = (partnerId: string) =>
      baton.api('PUT', '/api/admin/programs/uses-paused', {
        as: ADMIN,
        body: { name: 'Uses paused', category: 'Specialized', steps: [{ sequence: 1, partnerId, courseId: 'x' }] },
      });
    expect([(await program('paused')).status, (await program('paused')).body.error.message]).toEqual([
      400,
      expect.stringContaining('is disabled'),
    ]);
    expect([(await program('never-added')).status, (await program('never-added')).body.error.code]).toEqual([400, 'UNKNOWN_PARTNER']);
  });
});
