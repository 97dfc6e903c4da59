// Evidence from the student, against local mode (DynamoDB Local, the workflow, the uploads
// stand-in): submit on the step in progress, the admin's queue (oldest first, by partner),
// approve completes the step through the one save path and the enrollment advances; reject shows
// the reason and lets the student try again; the partner's switch; files checked by content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveProgram } from '../support/programs.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
let now = Date.parse('2026-11-02T09:00:00Z');
beforeAll(async () => {
  baton = await startTestBaton({ clock: { now: () => new Date(now) } });
});
afterAll(() => baton?.stop());

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const HTML_AS_PDF = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');

const submit = (studentEmail: string, enrollmentId: string, body: Record<string, unknown>) =>
  baton.api('POST', `/api/enrollments/${enrollmentId}/evidence`, { as: studentEmail, body });
const card = (extra: Record<string, unknown> = {}) => ({ sequence: 1, reference: 'HSI-CARD-4471', completedAt: '2026-10-30', ...extra });
const queue = async (query = 'status=pending') => (await baton.api('GET', `/api/admin/evidence?${query}`, { as: ADMIN })).body;
const approve = (evidenceId: string, note?: string) =>
  baton.api('POST', `/api/admin/evidence/${evidenceId}/approve`, { as: ADMIN, body: note ? { note } : {} });
const reject = (evidenceId: string, reason: string) =>
  baton.api('POST', `/api/admin/evidence/${evidenceId}/reject`, { as: ADMIN, body: { reason } });
const studentView = async (email: string, id: string) => (await baton.api('GET', `/api/enrollments/${id}`, { as: email })).body;
const tick = () => (now += 60_000);

describe('submitting, approving and rejecting', () => {
  it('approved evidence completes the step (source evidence, reviewer, note, expiry) and the enrollment advances', async () => {
    const email = 'proof@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const submitted = await submit(email, enrollment.id, card({ expiresAt: '2028-10-30' }));
    expect(submitted.status).toBe(201);
    const { evidenceId } = submitted.body;
    expect(submitted.body).toEqual({ evidenceId: expect.any(String) });

    const pending = await queue('status=pending&partnerId=hsi');
    expect(pending.evidence.find((e: any) => e.id === evidenceId)).toMatchObject({
      enrollmentId: enrollment.id,
      sequence: 1,
      partnerId: 'hsi',
      studentEmail: email,
      reference: 'HSI-CARD-4471',
      status: 'pending',
    });
    tick();
    const approved = await approve(evidenceId, 'Card checked on the Otis portal');
    expect(approved.status).toBe(200);
    expect(approved.body.evidence).toMatchObject({ id: evidenceId, status: 'approved', review: { by: ADMIN } });
    await baton.drain();

    const after = await baton.enrollment(enrollment.id);
    expect(after.steps.map((s: any) => s.status)).toEqual(['completed', 'in_progress', 'pending']);
    expect(after.steps[0].resolution).toEqual({
      source: 'evidence',
      evidenceId,
      reference: 'HSI-CARD-4471',
      occurredAt: '2026-10-30T00:00:00.000Z',
      by: ADMIN,
      note: 'Card checked on the Otis portal',
      credentialExpiresAt: '2028-10-30T00:00:00.000Z',
    });
    expect(after.steps[0].credentialExpiresAt).toBe('2028-10-30T00:00:00.000Z');
    const types = after.timeline.map((t: any) => t.type);
    expect(types).toEqual(expect.arrayContaining(['evidence_submitted', 'evidence_approved', 'step_completed']));
    expect(after.timeline.find((t: any) => t.type === 'step_completed').detail).toContain(
      "on the student's proof (reference HSI-CARD-4471)",
    );

    // The student sees the expiry and the approval, not the reviewer's note.
    const mine = await studentView(email, enrollment.id);
    expect(mine.steps[0].credentialExpiresAt).toBe('2028-10-30T00:00:00.000Z');
    expect(mine.steps[0].evidence[0]).toMatchObject({ status: 'approved' });
    expect(mine.steps[0].evidence[0].review.note).toBeUndefined();
    expect(mine.steps[0].resolution).toMatchObject({ source: 'evidence', by: ADMIN });
    expect(mine.steps[0].resolution.note).toBeUndefined();
    expect(JSON.stringify(mine.timeline)).not.toContain('Otis portal');

    expect((await queue('status=pending&partnerId=hsi')).evidence.some((e: any) => e.id === evidenceId)).toBe(false);
    expect((await queue('status=approved&partnerId=hsi')).evidence.some((e: any) => e.id === evidenceId)).toBe(true);
  });

  it("approving the last step's evidence completes the enrollment and issues its certificate", async () => {
    const email = 'last-step@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    const { evidenceId } = (await submit(email, enrollment.id, card({ reference: 'JRI-CERT-9' }))).body;
    expect((await approve(evidenceId)).status).toBe(200);
    await baton.drain();
    const after = await baton.enrollment(enrollment.id);
    expect(after.status).toBe('completed');
    expect(after.certificate.id).toBeDefined();
  });

  it('rejected evidence shows the student the reason; they submit again and the history is kept', async () => {
    const email = 'retry-proof@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const first = (await submit(email, enrollment.id, card({ reference: 'BLURRY' }))).body.evidenceId;
    const again = await submit(email, enrollment.id, card());
    expect([again.status, again.body.error.code]).toEqual([409, 'EVIDENCE_PENDING']);
    tick();
    const rejected = await reject(first, 'The card number is not legible');
    expect(rejected.status).toBe(200);
    const mine = await studentView(email, enrollment.id);
    expect(mine.steps[0].status).toBe('in_progress');
    expect(mine.steps[0].evidence[0]).toMatchObject({ status: 'rejected', review: { reason: 'The card number is not legible' } });
    expect(mine.timeline.find((t: any) => t.type === 'evidence_rejected').detail).toContain('The card number is not legible');

    tick();
    const second = await submit(email, enrollment.id, card());
    expect(second.status).toBe(201);
    const history = (await studentView(email, enrollment.id)).steps[0].evidence;
    expect(history.map((e: any) => [e.id, e.status])).toEqual([
      [first, 'rejected'],
      [second.body.evidenceId, 'pending'],
    ]);
    expect((await reject(first, 'again')).body.error.code).toBe('EVIDENCE_REVIEWED');
  });

  it('the queue is oldest first, across partners or filtered by one', async () => {
    const a = await baton.enroll({ studentEmail: 'queue-a@example.org', programId: 'cdl' });
    tick();
    const b = await baton.enroll({ studentEmail: 'queue-b@example.org', programId: 'medical-assistant' });
    const older = (await submit('queue-a@example.org', a.id, card())).body.evidenceId;
    tick();
    const newer = (await submit('queue-b@example.org', b.id, card())).body.evidenceId;
    const all = (await queue()).evidence.map((e: any) => e.id);
    expect(all.indexOf(older)).toBeLessThan(all.indexOf(newer));
    const times = (await queue()).evidence.map((e: any) => e.submittedAt);
    expect(times).toEqual([...times].sort());
    const jri = (await queue('status=pending&partnerId=jri')).evidence;
    expect(jri.every((e: any) => e.partnerId === 'jri')).toBe(true);
    expect(jri.map((e: any) => e.id)).toContain(older);
    expect(jri.map((e: any) => e.id)).not.toContain(newer);
    const unknown = await baton.api('GET', '/api/admin/evidence?partnerId=nobody', { as: ADMIN });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, expect.stringContaining('partnerId')]);
  });
});

describe('what is refused', () => {
  it('answers 400 naming each wrong field, and writes nothing', async () => {
    const email = 'bad-input@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const before = await baton.items();
    const bad = async (body: Record<string, unknown>, field: string) => {
      const response = await submit(email, enrollment.id, body);
      expect.soft([response.status, response.body.error?.message]).toEqual([400, expect.stringContaining(field)]);
    };
    await bad(card({ reference: '' }), 'reference');
    await bad(card({ completedAt: 'last tuesday' }), 'completedAt');
    await bad(card({ completedAt: '2027-01-01' }), 'completedAt: must not be in the future');
    await bad(card({ expiresAt: '2026-01-01' }), 'expiresAt: must be after completedAt');
    await bad(card({ file: { contentType: 'text/html', size: 100 } }), 'file.contentType');
    await bad(card({ file: { contentType: 'application/pdf', size: 60 * 1024 * 1024 } }), 'file.size');
    await bad(card({ status: 'approved' }), 'status');
    expect(await baton.items()).toEqual(before);
  });

  it('only the enrollment’s student may submit, and only for a step in progress', async () => {
    const email = 'owner@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    await baton.enroll({ studentEmail: 'someone-else@example.org', programId: 'cna' });
    const before = await baton.items();
    const other = await submit('someone-else@example.org', enrollment.id, card());
    expect(other.status).toBe(404);
    const notStarted = await submit(email, enrollment.id, card({ sequence: 2 }));
    expect([notStarted.status, notStarted.body.error.code]).toEqual([409, 'STEP_NOT_STARTED']);
    const noStep = await submit(email, enrollment.id, card({ sequence: 9 }));
    expect(noStep.status).toBe(404);
    expect(await baton.items()).toEqual(before);
  });

  it('evidence for a step completed meanwhile, or a cancelled enrollment, is a 409 and stays pending', async () => {
    const email = 'overtaken@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const { evidenceId } = (await submit(email, enrollment.id, card())).body;
    await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/complete`, { as: ADMIN, body: { reason: 'Partner phoned' } });
    const late = await approve(evidenceId);
    expect([late.status, late.body.error.code]).toEqual([409, 'STEP_ALREADY_DONE']);
    expect((await queue('status=pending&partnerId=hsi')).evidence.some((e: any) => e.id === evidenceId)).toBe(true);

    const cancelledEmail = 'cancelled-proof@example.org';
    const cancelled = await baton.enroll({ studentEmail: cancelledEmail, programId: 'medical-assistant' });
    const cancelledEvidence = (await submit(cancelledEmail, cancelled.id, card())).body.evidenceId;
    await baton.api('POST', `/api/admin/enrollments/${cancelled.id}/cancel`, { as: ADMIN, body: { reason: 'Left the program' } });
    const onCancelled = await approve(cancelledEvidence);
    expect([onCancelled.status, onCancelled.body.error.code]).toEqual([409, 'ENROLLMENT_NOT_ACTIVE']);
    expect((await baton.enrollment(cancelled.id)).steps[0].evidence[0].status).toBe('pending');
    // Settled by rejecting it.
    expect((await reject(cancelledEvidence, 'Enrollment was cancelled')).status).toBe(200);
  });

  it('two admins approving at once: one wins, the other gets 409', async () => {
    const email = 'race@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const { evidenceId } = (await submit(email, enrollment.id, card())).body;
    const answers = await Promise.all([approve(evidenceId, 'first'), approve(evidenceId, 'second')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('EVIDENCE_REVIEWED');
    await baton.drain();
    const after = await baton.enrollment(enrollment.id);
    expect(after.steps[0].status).toBe('completed');
    expect(after.timeline.filter((t: any) => t.type === 'evidence_approved')).toHaveLength(1);
  });

  it('a partner that turns evidence off: the form is not offered and the route answers 409', async () => {
    const created = await baton.api('PUT', '/api/admin/partners/no-proof', {
      as: ADMIN,
      body: { name: 'No Proof Academy', courses: [{ courseId: 'np-1', name: 'Reliable Course' }], studentEvidence: false },
    });
    expect(created.status).toBe(201);
    await saveProgram(baton, {
      id: 'no-proof-program',
      name: 'No Proof Program',
      category: 'Specialized',
      steps: [{ sequence: 1, partnerId: 'no-proof', courseId: 'np-1', courseName: 'Reliable Course' }],
    });
    const email = 'no-proof@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'no-proof-program' });
    expect((await studentView(email, enrollment.id)).steps[0].acceptsEvidence).toBe(false);
    const before = await baton.items();
    const refused = await submit(email, enrollment.id, card());
    expect([refused.status, refused.body.error.code]).toEqual([409, 'EVIDENCE_NOT_ACCEPTED']);
    expect(await baton.items()).toEqual(before);
    const hsi = await baton.enroll({ studentEmail: 'yes-proof@example.org', programId: 'cdl' });
    expect((await studentView('yes-proof@example.org', hsi.id)).steps[0].acceptsEvidence).toBe(true);
  });
});

describe('files', () => {
  const withFile = async (email: string, bytes: Buffer, contentType = 'application/pdf') => {
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant' });
    const submitted = await submit(email, enrollment.id, card({ file: { contentType, size: bytes.length } }));
    expect(submitted.status).toBe(201);
    return { enrollment, ...(submitted.body as { evidenceId: string; uploadUrl: string; uploadHeaders: Record<string, string> }) };
  };
  const confirm = (email: string, enrollmentId: string, evidenceId: string) =>
    baton.api('POST', `/api/enrollments/${enrollmentId}/evidence/${evidenceId}/file`, { as: email });

  it('a real PDF is uploaded, checked, and shown to admins through a short-lived link', async () => {
    const email = 'pdf@example.org';
    const { enrollment, evidenceId, uploadUrl, uploadHeaders } = await withFile(email, PDF);
    expect((await fetch(uploadUrl, { method: 'PUT', headers: uploadHeaders, body: PDF })).status).toBe(200);
    const confirmed = await confirm(email, enrollment.id, evidenceId);
    expect(confirmed.body).toEqual({ evidenceId, status: 'pending' });
    const entry = (await queue('status=pending&partnerId=hsi')).evidence.find((e: any) => e.id === evidenceId);
    expect(entry.file).toMatchObject({ contentType: 'application/pdf', size: PDF.length, status: 'received' });
    const link = await fetch(entry.fileUrl);
    expect(link.status).toBe(200);
    expect(Buffer.from(await link.arrayBuffer())).toEqual(PDF);
    expect(link.headers.get('content-disposition')).toMatch(/^attachment/);
    // The link expires within minutes.
    now += 6 * 60_000;
    expect((await fetch(entry.fileUrl)).status).toBe(403);
    expect((await approve(evidenceId)).status).toBe(200);
  });

  it('a "PDF" that is really HTML is refused: the evidence is rejected with the reason, never queued, nothing applied', async () => {
    const email = 'html-pdf@example.org';
    const { enrollment, evidenceId, uploadUrl, uploadHeaders } = await withFile(email, HTML_AS_PDF);
    expect((await fetch(uploadUrl, { method: 'PUT', headers: uploadHeaders, body: HTML_AS_PDF })).status).toBe(200);
    const confirmed = await confirm(email, enrollment.id, evidenceId);
    expect(confirmed.status).toBe(415);
    expect(confirmed.body.error.message).toContain('not a PDF: it looks like a web page');
    const mine = await studentView(email, enrollment.id);
    expect(mine.steps[0].status).toBe('in_progress');
    expect(mine.steps[0].evidence[0]).toMatchObject({
      status: 'rejected',
      file: { status: 'refused' },
      review: { by: 'Baton', reason: expect.stringContaining('looks like a web page') },
    });
    expect((await queue('status=pending&partnerId=hsi')).evidence.some((e: any) => e.id === evidenceId)).toBe(false);
    const refused = (await queue('status=rejected&partnerId=hsi')).evidence.find((e: any) => e.id === evidenceId);
    expect(refused.fileUrl).toBeUndefined();
    expect((await approve(evidenceId)).body.error.code).toBe('EVIDENCE_REVIEWED');
    // The student may try again.
    expect((await submit(email, enrollment.id, card())).status).toBe(201);
  });

  it('a PNG declared as a PDF, and a file of another size than declared, are refused too', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const email = 'png-as-pdf@example.org';
    const declaredPdf = await withFile(email, png);
    await fetch(declaredPdf.uploadUrl, { method: 'PUT', headers: declaredPdf.uploadHeaders, body: png });
    const answer = await confirm(email, declaredPdf.enrollment.id, declaredPdf.evidenceId);
    expect([answer.status, answer.body.error.message]).toEqual([415, expect.stringContaining('a PNG image, not a PDF')]);

    const sized = await withFile('sized@example.org', PDF);
    const longer = await fetch(sized.uploadUrl, { method: 'PUT', headers: sized.uploadHeaders, body: Buffer.concat([PDF, PDF]) }).catch(
      () => undefined,
    );
    expect(longer === undefined || longer.status >= 400).toBe(true);
    expect(await baton.ports.uploads.head(`evidence/${sized.evidenceId}`)).toBeUndefined();
  });

  it('a file that never arrives: confirming is a 409, admins see it awaiting its file and cannot approve it', async () => {
    const email = 'no-file@example.org';
    const { enrollment, evidenceId } = await withFile(email, PDF);
    const before = await baton.items();
    const early = await confirm(email, enrollment.id, evidenceId);
    expect([early.status, early.body.error.code]).toEqual([409, 'EVIDENCE_FILE_MISSING']);
    expect(await baton.items()).toEqual(before);
    const entry = (await queue('status=pending&partnerId=hsi')).evidence.find((e: any) => e.id === evidenceId);
    expect(entry.file.status).toBe('awaiting_upload');
    expect((await approve(evidenceId)).body.error.code).toBe('EVIDENCE_FILE_MISSING');
    expect((await reject(evidenceId, 'No file arrived; please upload it again')).status).toBe(200);
  });
});
