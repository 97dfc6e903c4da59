// Certificates worth showing an employer, end to end in local mode: the organization's settings
// (an SVG logo rebuilt without what is unsafe, a signatory) on the certificate, the verification API and the issuer
// profile; the Open Badges 3.0 credential validated against 1EdTech's published schema and
// verified with jose against the published key (Baton signs without jose); revocation flipping the
// API, the timeline and the status list; expiry and its reminder emails, each sent once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { emailsTo, readOutbox } from '../support/emails.js';
import { dataUrl, LOGO_SVG, signaturePng } from '../support/images.js';
import { readCredential, revokedInStatusList, validateProfile, verifyJws } from '../support/open-badges.js';
import { saveProgram } from '../support/programs.js';

const DAY_MS = 24 * 3600 * 1000;
const STUDENT = 'zoe@example.org';

let baton: TestBaton;
let now = Date.parse('2026-03-02T15:00:00Z');
let enrollmentId: string;
let certificateId: string;

beforeAll(async () => {
  baton = await startTestBaton({ clock: { now: () => new Date(now) } });
  const saved = await baton.api('PUT', '/api/admin/settings', {
    as: ADMIN,
    body: {
      organizationName: 'Northwind Health Academy',
      logo: dataUrl('image/svg+xml', LOGO_SVG),
      websiteUrl: 'https://northwind.example.org',
      supportEmail: 'help@northwind.example.org',
      senderName: 'Northwind Certificates',
      replyTo: 'registrar@northwind.example.org',
      signatory: { name: 'Dr. Amara Okafor', title: 'Director of Training', signatureImage: dataUrl('image/png', signaturePng()) },
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  await saveProgram(baton, {
    id: 'bls-provider',
    name: 'BLS Provider',
    category: 'Healthcare',
    certificateValidityMonths: 24,
    steps: [
      { sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' },
      { sequence: 2, partnerId: 'careersafe', courseId: 'osha-10-healthcare', courseName: 'OSHA 10 Healthcare' },
    ],
  } as never);
  const enrollment = await baton.enroll({
    studentEmail: STUDENT,
    studentName: 'Zoë Ångström-Nguyễn',
    programId: 'bls-provider',
    partnerAccounts: { hsi: 'HSI-ZOE', careersafe: 'CS-ZOE' },
  });
  enrollmentId = enrollment.id;
  await baton.complete('hsi', { studentId: 'HSI-ZOE', courseId: 'bls-cpr-aed' });
  await baton.drain();
  await baton.complete('careersafe', { studentId: 'CS-ZOE', courseId: 'osha-10-healthcare' });
  const view = await baton.enrollment(enrollmentId);
  certificateId = view.certificate?.id;
  expect(certificateId, JSON.stringify(view.timeline)).toBeDefined();
}, 120_000);
afterAll(() => baton?.stop());

describe('the organization on the certificate', () => {
  it('verification names the issuing organization, every course with its partner and date, and the expiry', async () => {
    const { status, body } = await baton.api('GET', `/api/certificates/${certificateId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: certificateId,
      status: 'valid',
      studentName: 'Zoë Ångström-Nguyễn',
      organization: { name: 'Northwind Health Academy', url: 'https://northwind.example.org' },
      courses: [
        { partnerName: 'HSI', courseName: 'BLS, CPR, AED & First Aid', completedAt: expect.any(String) },
        { partnerName: 'CareerSafe', courseName: 'OSHA 10 Healthcare', completedAt: expect.any(String) },
      ],
      credentialUrl: `${baton.url}/api/certificates/${certificateId}/credential`,
    });
    // 24 months after completion, to the day.
    expect(body.expiresAt.slice(0, 10)).toBe('2028-03-02');
    expect(JSON.stringify(body)).not.toContain(STUDENT);
  });

  it('serves the sanitized logo (no script, handler or external reference) and its PNG rendition', async () => {
    const organization = (await baton.api('GET', '/api/organization')).body;
    expect(organization).toMatchObject({ name: 'Northwind Health Academy', supportEmail: 'help@northwind.example.org' });
    const logo = await fetch(organization.logoUrl);
    const svg = await logo.text();
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('content-security-policy')).toContain("default-src 'none'");
    // Rebuilt from the render tree: shapes and text as paths, nothing else.
    expect(svg).toContain('<path');
    for (const banned of ['<script', 'onload', 'tracker.example', 'href="http', '<text']) expect(svg).not.toContain(banned);
    const settings = (await baton.api('GET', '/api/admin/settings', { as: ADMIN })).body;
    expect(settings).toMatchObject({
      logo: { contentType: 'image/svg+xml', url: organization.logoUrl },
      signatory: { name: 'Dr. Amara Okafor', title: 'Director of Training', signatureImage: { contentType: 'image/png' } },
      version: 1,
      updatedBy: ADMIN,
    });
  });

  it('issues a PDF with the organization’s name and logo, every course and a QR code of the verification page', async () => {
    const view = await baton.enrollment(enrollmentId, STUDENT);
    const response = await fetch(view.certificate.pdfUrl, { headers: { authorization: `Bearer ${await baton.token(STUDENT)}` } });
    expect(response.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'baton-issued-'));
    const file = join(dir, 'certificate.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    for (const expected of [
      'NORTHWIND HEALTH ACADEMY',
      'Zoë Ångström-Nguyễn',
      'BLS Provider',
      'BLS, CPR, AED & First Aid',
      'OSHA 10 Healthcare',
    ])
      expect(text).toContain(expected);
    expect(text).toContain('CareerSafe');
    expect(text).toContain('Dr. Amara Okafor');
    // The logo's PNG rendition and the signature: two images (their alpha channels are listed as smasks).
    const rows = execFileSync('pdfimages', ['-list', file]).toString().trim().split('\n').slice(2);
    expect(rows.map((row) => row.trim().split(/\s+/)[2]).filter((type) => type === 'image')).toHaveLength(2);
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', file, join(dir, 'page')]);
    const page = decode(readFileSync(join(dir, 'page.png')));
    const rgba = new Uint8ClampedArray(page.width * page.height * 4);
    for (let i = 0; i < page.width * page.height; i++)
      for (let c = 0; c < 4; c++) rgba[i * 4 + c] = c < page.channels ? Number(page.data[i * page.channels + c]) : 255;
    expect(jsQR(rgba, page.width, page.height)?.data).toBe(`${baton.url}/verify/${certificateId}`);
  });

  it('the completion email comes from the organization, with its Reply-To and footer', async () => {
    // Read as a mail client does: the student also has a welcome email now (issue 13), and the one
    // MIME composer writes the From name unquoted where RFC 5322 allows it.
    const [email, ...others] = emailsTo(await readOutbox(baton.outboxDir), STUDENT, /^Congratulations!/);
    expect(others).toEqual([]);
    expect(email!.parsed.from?.value).toEqual([{ name: 'Northwind Certificates', address: 'no-reply@baton.local' }]);
    expect(email!.header('reply-to')).toBe('registrar@northwind.example.org');
    expect(email!.text).toContain('Northwind Health Academy');
    expect(email!.text).toContain('Questions? Write to help@northwind.example.org.');
    expect(email!.text).not.toContain('The Baton training team');
  });

  it('the welcome email, sent at enrollment, comes from the organization the same way (one brand for every email)', async () => {
    const [email, ...others] = emailsTo(await readOutbox(baton.outboxDir), STUDENT, /^Welcome to /);
    expect(others).toEqual([]);
    expect(email!.parsed.from?.value).toEqual([{ name: 'Northwind Certificates', address: 'no-reply@baton.local' }]);
    expect(email!.header('reply-to')).toBe('registrar@northwind.example.org');
    expect(email!.text).toContain('Questions? Write to help@northwind.example.org.');
    expect(email!.text).not.toContain('The Baton training team');
  });
});

describe('the Open Badges 3.0 credential', () => {
  it('is a compact JWS (text/plain) with an expiry whose payload passes 1EdTech’s AchievementCredential schema and verifies with jose against the published key', async () => {
    const { credential } = await readCredential(baton, certificateId, new Date(now));
    expect(credential.validUntil.slice(0, 10)).toBe('2028-03-02');
    expect(credential.issuer).toMatchObject({ id: `${baton.url}/api/issuer`, name: 'Northwind Health Academy' });
    expect(credential.credentialSubject.achievement.name).toBe('BLS Provider');
    expect(JSON.stringify(credential)).not.toContain(STUDENT);
    expect(await revokedInStatusList(baton, credential, new Date(now))).toBe(false);
  });

  it('names an issuer whose profile passes 1EdTech’s Profile schema', async () => {
    const profile = (await baton.api('GET', '/api/issuer')).body;
    expect(validateProfile(profile), JSON.stringify(validateProfile.errors)).toBe(true);
    expect(profile).toMatchObject({
      id: `${baton.url}/api/issuer`,
      name: 'Northwind Health Academy',
      url: 'https://northwind.example.org',
    });
  });

  it('refuses a credential whose payload was changed', async () => {
    const jws = await fetch(`${baton.url}/api/certificates/${certificateId}/credential`).then((r) => r.text());
    const [header, payload, signature] = jws.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.credentialSubject.identifier[0].identityHash = 'Someone Else';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(verifyJws(baton, tampered, new Date(now))).rejects.toThrow(/signature/);
  });

  it('a program without a validity issues a credential with no validUntil and no exp, which passes and verifies the same way', async () => {
    await saveProgram(baton, {
      id: 'first-aid-basics',
      name: 'First Aid Basics',
      category: 'Healthcare',
      steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' }],
    });
    const enrollment = await baton.enroll({
      studentEmail: 'noor@example.org',
      programId: 'first-aid-basics',
      partnerAccounts: { hsi: 'HSI-NOOR' },
    });
    await baton.complete('hsi', { studentId: 'HSI-NOOR', courseId: 'bls-cpr-aed' });
    const id = (await baton.enrollment(enrollment.id)).certificate?.id;
    expect(id).toBeDefined();
    expect((await baton.api('GET', `/api/certificates/${id}`)).body).not.toHaveProperty('expiresAt');
    // Read decades on: with no exp, jose has nothing to refuse it for.
    const { credential } = await readCredential(baton, id, new Date(now + 40 * 365 * DAY_MS));
    expect(credential).not.toHaveProperty('validUntil');
    expect(credential.credentialSubject.achievement.name).toBe('First Aid Basics');
    expect(await revokedInStatusList(baton, credential, new Date(now))).toBe(false);
  });
});

describe('revocation', () => {
  it('is refused without a reason and writes nothing', async () => {
    const before = await baton.items();
    const response = await baton.api('POST', `/api/admin/certificates/${certificateId}/revoke`, { as: ADMIN, body: {} });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('reason');
    expect(await baton.items()).toEqual(before);
  });

  it('flips the verification API, the status list, the timeline and the student’s view; a second revoke is a 409', async () => {
    now += DAY_MS;
    const revoked = await baton.api('POST', `/api/admin/certificates/${certificateId}/revoke`, {
      as: ADMIN,
      body: { reason: 'Issued in error: the OSHA course was taken by someone else' },
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: ADMIN, revokedReason: expect.stringContaining('Issued in error') });

    const verification = (await baton.api('GET', `/api/certificates/${certificateId}`)).body;
    expect(verification).toMatchObject({ status: 'revoked', revokedAt: new Date(now).toISOString() });
    expect(JSON.stringify(verification)).not.toContain('Issued in error');

    // Read again whole: still a valid, signed credential (revocation is its status, not a new signature).
    const { credential } = await readCredential(baton, certificateId, new Date(now));
    expect(await revokedInStatusList(baton, credential, new Date(now))).toBe(true);

    const student = (await baton.api('GET', '/api/me/enrollments', { as: STUDENT })).body.enrollments[0];
    expect(student.certificate).toMatchObject({ id: certificateId, status: 'revoked', revokedAt: new Date(now).toISOString() });
    expect(student.timeline.map((t: any) => t.detail)).toContain(`Certificate ${certificateId} revoked`);
    expect(JSON.stringify(student)).not.toContain('Issued in error');
    const admin = await baton.enrollment(enrollmentId);
    expect(admin.timeline.at(-1).detail).toContain('Issued in error');

    const again = await baton.api('POST', `/api/admin/certificates/${certificateId}/revoke`, { as: ADMIN, body: { reason: 'twice' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'CERTIFICATE_REVOKED']);
  });
});

describe('expiry and reminders', () => {
  let expiringId: string;

  beforeAll(async () => {
    const enrollment = await baton.enroll({
      studentEmail: 'sam@example.org',
      programId: 'bls-provider',
      partnerAccounts: { hsi: 'HSI-SAM', careersafe: 'CS-SAM' },
    });
    await baton.complete('hsi', { studentId: 'HSI-SAM', courseId: 'bls-cpr-aed' });
    await baton.drain();
    await baton.complete('careersafe', { studentId: 'CS-SAM', courseId: 'osha-10-healthcare' });
    expiringId = (await baton.enrollment(enrollment.id)).certificate.id;
  });

  const reminders = () => baton.outbox().filter((m) => m.includes('To: sam@example.org') && /expires in \d+ day/.test(m));

  it('lists the certificate among those expiring within the window, from the index', async () => {
    const far = (await baton.api('GET', '/api/admin/certificates?expiringWithinDays=30', { as: ADMIN })).body;
    expect(far.certificates.map((c: any) => c.id)).not.toContain(expiringId);
    const all = (await baton.api('GET', '/api/admin/certificates?expiringWithinDays=800', { as: ADMIN })).body;
    expect(all.certificates.map((c: any) => c.id)).toContain(expiringId);
    // The revoked one is no longer expiring: it is no longer valid.
    expect(all.certificates.map((c: any) => c.id)).not.toContain(certificateId);
    const bad = await baton.api('GET', '/api/admin/certificates?expiringWithinDays=0', { as: ADMIN });
    expect(bad.status).toBe(400);
  });

  it('sends the 60-day reminder once however often the sweep runs, then the 14-day one, then reaches expired on its date', async () => {
    const expiresAt = Date.parse((await baton.api('GET', `/api/certificates/${expiringId}`)).body.expiresAt);
    now = expiresAt - 61 * DAY_MS;
    await baton.runSchedules();
    expect(reminders()).toHaveLength(0);

    now = expiresAt - 59 * DAY_MS;
    await Promise.all([baton.runSchedules(), baton.remindExpiring(), baton.remindExpiring()]);
    await baton.runSchedules();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toContain('Subject: Your BLS Provider certificate expires in 59 days');
    // Like every email, from the organization.
    const [reminder] = emailsTo(await readOutbox(baton.outboxDir), 'sam@example.org', /expires in \d+ day/);
    expect(reminder!.parsed.from?.value).toEqual([{ name: 'Northwind Certificates', address: 'no-reply@baton.local' }]);
    expect(reminder!.header('reply-to')).toBe('registrar@northwind.example.org');

    now = expiresAt - 13 * DAY_MS;
    await Promise.all([baton.runSchedules(), baton.remindExpiring()]);
    await baton.runSchedules();
    expect(reminders()).toHaveLength(2);
    const listed = (await baton.api('GET', '/api/admin/certificates?expiringWithinDays=30', { as: ADMIN })).body.certificates.find(
      (c: any) => c.id === expiringId,
    );
    expect(listed.reminders.map((r: any) => [r.daysBefore, Boolean(r.sentAt)])).toEqual([
      [60, true],
      [14, true],
    ]);

    now = expiresAt - 1000;
    expect((await baton.api('GET', `/api/certificates/${expiringId}`)).body.status).toBe('valid');
    now = expiresAt;
    expect((await baton.api('GET', `/api/certificates/${expiringId}`)).body.status).toBe('expired');
    await baton.runSchedules();
    expect(reminders()).toHaveLength(2);
  });
});

describe('expiry reminders and suppression', () => {
  it('an expiry reminder is not sent to a suppressed (bounced) address; the expiring list says why', async () => {
    const email = 'bounced-cert@example.org';
    const enrollment = await baton.enroll({
      studentEmail: email,
      programId: 'bls-provider',
      partnerAccounts: { hsi: 'HSI-BNC', careersafe: 'CS-BNC' },
    });
    await baton.complete('hsi', { studentId: 'HSI-BNC', courseId: 'bls-cpr-aed' });
    await baton.drain();
    await baton.complete('careersafe', { studentId: 'CS-BNC', courseId: 'osha-10-healthcare' });
    const id = (await baton.enrollment(enrollment.id)).certificate.id;
    const bounce = await baton.api('POST', '/api/dev/mail-feedback', { body: { email } });
    expect(bounce.body).toEqual({ suppressed: [email], ignored: 0 });

    const expiresAt = Date.parse((await baton.api('GET', `/api/certificates/${id}`)).body.expiresAt);
    now = expiresAt - 59 * DAY_MS;
    const report = await baton.remindExpiring();
    await baton.runSchedules();
    expect(report.skipped).toBeGreaterThanOrEqual(1);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /expires in \d+ day/)).toEqual([]);
    const listed = (await baton.api('GET', '/api/admin/certificates?expiringWithinDays=60', { as: ADMIN })).body.certificates.find(
      (c: any) => c.id === id,
    );
    expect(listed.reminders).toEqual([expect.objectContaining({ daysBefore: 60, skipReason: 'suppressed' })]);
    expect(listed.reminders[0].sentAt).toBeUndefined();
  });
});

describe('partner credentials with their own expiry', () => {
  it('keeps the date a partner sends with a completion (an HSI card) on the step, and refuses an implausible one writing nothing', async () => {
    const enrollment = await baton.enroll({
      studentEmail: 'kai@example.org',
      programId: 'bls-provider',
      partnerAccounts: { hsi: 'HSI-KAI' },
    });
    const before = await baton.items();
    const bad = await baton.webhook(
      'hsi',
      JSON.stringify({ event: 'course.completed', student_id: 'HSI-KAI', course_id: 'bls-cpr-aed', credential_expires_at: 'next year' }),
    );
    expect([bad.status, bad.body.error.message]).toEqual([400, expect.stringContaining('credential_expires_at must be an ISO-8601 date')]);
    expect(await baton.items()).toEqual(before);
    const good = await baton.webhook(
      'hsi',
      JSON.stringify({ event: 'course.completed', student_id: 'HSI-KAI', course_id: 'bls-cpr-aed', credential_expires_at: '2028-05-31' }),
    );
    expect(good.body).toEqual({ status: 'applied' });
    const view = await baton.enrollment(enrollment.id, 'kai@example.org');
    expect(view.steps[0]).toMatchObject({ status: 'completed', credentialExpiresAt: '2028-05-31T00:00:00.000Z' });
  });

  it('records the date an admin enters when completing a step by hand', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'lee@example.org', programId: 'bls-provider' });
    const done = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/complete`, {
      as: ADMIN,
      body: { reason: 'HSI card checked at the front desk', credentialExpiresAt: '2027-11-30' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.steps[0]).toMatchObject({ status: 'completed', credentialExpiresAt: '2027-11-30T00:00:00.000Z' });
  });
});
