// Exports through the API: an enrollment export of the seed flow opens as a spreadsheet expects
// (BOM, CRLF, one row per student per program, every formula-like cell neutralized), parsed back
// with a real CSV parser; a certificate export by issue date; a viewer may export; bad requests 400.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
let completedId: string;

beforeAll(async () => {
  baton = await startTestBaton();
  const done = await baton.enroll({
    studentEmail: 'ada@example.org',
    studentName: '=HYPERLINK("http://evil.example","click")',
    programId: 'medical-assistant',
    partnerAccounts: { hsi: 'HSI-ADA', certiport: 'CP-ADA', careersafe: 'CS-ADA' },
  });
  completedId = done.id;
  await baton.complete('hsi', { studentId: 'HSI-ADA', courseId: 'bls-cpr-aed', score: 92 });
  await baton.drain();
  await baton.complete('certiport', { studentId: 'CP-ADA', courseId: 'mos-word' });
  await baton.drain();
  await baton.complete('careersafe', { studentId: 'CS-ADA', courseId: 'osha-10-healthcare' });
  await baton.drain();
  await baton.enroll({ studentEmail: 'ben@example.org', studentName: 'Ben, "the second"', programId: 'cna' });
});
afterAll(() => baton?.stop());

async function exportOf(body: unknown, as = ADMIN) {
  const started = await baton.api('POST', '/api/admin/exports', { as, body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await baton.drain();
  const job = await baton.api('GET', `/api/admin/exports/${started.body.exportId}`, { as });
  expect(job.body).toMatchObject({ status: 'completed' });
  const file = await fetch(job.body.downloadUrl);
  expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return { job: job.body, bytes: Buffer.from(await file.arrayBuffer()) };
}

describe('exports', () => {
  it('exports the enrollments of the seed flow as a CSV a spreadsheet opens correctly', async () => {
    const { job, bytes } = await exportOf({ kind: 'enrollments', filters: {} });
    expect(job.rows).toBe(2);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n').length).toBeGreaterThanOrEqual(3);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const rows: Array<Record<string, string>> = parse(text, { columns: true, bom: true });
    const ada = rows.find((r) => r.enrollment_id === completedId)!;
    expect(ada).toMatchObject({
      student_email: 'ada@example.org',
      student_name: `'=HYPERLINK("http://evil.example","click")`,
      program_id: 'medical-assistant',
      cip_code: '51.0801',
      onet_code: '31-9092.00',
      status: 'completed',
      step1_partner: 'hsi',
      step1_course: 'bls-cpr-aed',
      step1_result: 'completed',
      step1_score: '92',
      step1_partner_reference: 'HSI-ADA',
      step3_partner: 'careersafe',
      recognized_credential: 'not determined',
    });
    expect(ada.completion_date).not.toBe('');
    expect(ada.certificate_verification_url).toBe(`${baton.url}/verify/${ada.certificate_id}`);
    const ben = rows.find((r) => r.student_email === 'ben@example.org')!;
    expect(ben.student_name).toBe('Ben, "the second"');
    // CNA has two steps: its third step group is empty, and its certificate columns stay in their place.
    expect([ben.step1_partner, ben.step2_partner, ben.step3_partner, ben.step3_course, ben.certificate_id]).toEqual([
      'hsi',
      'certiport',
      '',
      '',
      '',
    ]);
  });

  it('exports with the list filters, and certificates issued in a date range; a viewer may export', async () => {
    const { job } = await exportOf({ kind: 'enrollments', filters: { status: 'active' } }, 'viewer@test.com');
    expect(job.rows).toBe(1);
    const today = baton.clock.now().toISOString().slice(0, 10);
    const { job: certificates, bytes } = await exportOf({ kind: 'certificates', filters: { issuedFrom: today, issuedTo: today } });
    expect(certificates.rows).toBe(1);
    const [row]: Array<Record<string, string>> = parse(bytes.toString('utf8'), { columns: true, bom: true });
    expect(row).toMatchObject({ student_email: 'ada@example.org', status: 'valid', program_id: 'medical-assistant' });
    const none = await exportOf({ kind: 'certificates', filters: { issuedFrom: '2020-01-01', issuedTo: '2020-12-31' } });
    expect(none.job.rows).toBe(0);
  });

  it('answers a bad export request with a 400 naming what is wrong, and writes nothing', async () => {
    const before = JSON.stringify(await baton.items());
    for (const [body, named] of [
      [{ kind: 'students' }, 'kind'],
      [{ kind: 'enrollments', filters: { status: 'finished' } }, 'status'],
      [{ kind: 'enrollments', filters: { colour: 'red' } }, 'colour'],
      [{ kind: 'enrollments', filters: { partnerId: 'acme' } }, 'partnerId: must be the id of a partner'],
      [{ kind: 'certificates', filters: { issuedFrom: '2026-02-01' } }, 'issuedTo'],
      [{ kind: 'certificates', filters: { issuedFrom: '2026-02-01', issuedTo: '2026-01-01' } }, 'issuedFrom'],
    ] as const) {
      const response = await baton.api('POST', '/api/admin/exports', { as: ADMIN, body });
      expect.soft([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect.soft(response.body.error?.message, JSON.stringify(body)).toContain(named);
    }
    expect(JSON.stringify(await baton.items())).toBe(before);
    expect((await baton.api('GET', '/api/admin/exports/00000000-0000-4000-8000-000000000000', { as: ADMIN })).status).toBe(404);
    expect((await baton.api('POST', '/api/admin/exports', { as: 'student@test.com', body: { kind: 'enrollments' } })).status).toBe(403);
  });
});
