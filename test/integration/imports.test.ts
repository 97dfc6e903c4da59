// Report-file imports in local mode: a Certiport-style exam-result CSV with the partner's saved
// mapping completes the matching steps, first as a dry run (nothing written), then for real,
// through the webhook's own path; the same file again applies nothing; an XLSX export of the
// report does the same with its date cells and row numbers; hostile and broken files
// are refused naming the problem, with nothing applied; bulk enrollment enrolls as the API does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row, xlsxFile } from '../support/xlsx.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { itemsBesideImports, run, saveMapping, upload } from '../support/imports.js';
import { FIRST_AID_PLUS, saveProgram } from '../support/programs.js';
import { importFileKey } from '../../functions/use-cases/imports.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
  await saveMapping(baton, 'certiport', CERTIPORT_MAPPING);
});
afterAll(() => baton?.stop());

const CERTIPORT_MAPPING = {
  columns: {
    studentId: 'Candidate ID',
    email: 'Email',
    courseName: 'Exam',
    completedAt: 'Exam Date',
    status: 'Result',
    score: 'Score',
  },
  statusValues: { Pass: 'passed', Fail: 'ignore' },
  dateFormat: 'MM/DD/YYYY',
};

// What a testing-center admin's exam-result report looks like (semicolon-separated, with a BOM, a quoted field with a newline).
const certiportReport = (rows: string[]) =>
  `\uFEFFCandidate ID;First Name;Last Name;Email;Exam Group;Exam;Exam Date;Score;Result\r\n${rows.join('\r\n')}\r\n`;

const uploadCertiport = (fileName: string, file: Uint8Array) =>
  upload(baton, { kind: 'completions', partnerId: 'certiport', fileName }, file);

describe('completion report imports', () => {
  it('dry-runs a Certiport report (writing nothing), applies it, and applies nothing the second time', async () => {
    const ann = await baton.enroll({ studentEmail: 'ann@example.org', programId: 'web-dev' });
    const bob = await baton.enroll({ studentEmail: 'bob@example.org', programId: 'web-dev' });
    const report = certiportReport([
      'C-100;Ann;Adams;ann@example.org;"Spring\ncohort";IT Specialist: HTML and CSS;03/14/2026 10:02 AM;812;Pass',
      'C-101;Bob;Brown;bob@example.org;Spring;IT Specialist: HTML and CSS;03/14/2026;455;Fail',
      'C-102;Cy;Cole;cy@example.org;Spring;IT Specialist: HTML and CSS;03/15/2026;790;Pass',
      'C-103;Di;Dorn;"=HYPERLINK(""http://evil.example"")";Spring;IT Specialist: HTML and CSS;03/15/2026;790;Pass',
      'C-104;Ed;Eyre;ed@example.org;Spring;IT Specialist: HTML and CSS;13/45/2026;790;Pass',
    ]);
    const before = await itemsBesideImports(baton);
    const { importId, putStatus } = await upload(
      baton,
      { kind: 'completions', partnerId: 'certiport', fileName: 'exam-results.csv' },
      report,
    );
    expect(putStatus).toBe(200);

    const dry = (await run(baton, importId, true)).body;
    expect(dry).toMatchObject({ status: 'done', dryRun: true, rows: { total: 5, done: 5 } });
    expect(dry.outcomes).toEqual({ applied: 1, duplicate: 0, unmatched: 1, ignored: 1, invalid: 2 });
    expect(await itemsBesideImports(baton)).toEqual(before);
    const dryReport = await (await fetch(dry.resultUrl)).text();
    expect(dryReport).toContain('"2","applied"');
    // The formula a cell carried is text in Baton's report.
    expect(dryReport).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(dryReport).toMatch(/"7","invalid","Exam Date: ""13\/45\/2026"" is not a day of the calendar/);

    const real = (await run(baton, importId, false)).body;
    expect(real).toMatchObject({ status: 'done', dryRun: false, rows: { total: 5, done: 5 } });
    expect(real.outcomes).toEqual({ applied: 1, duplicate: 0, unmatched: 1, ignored: 1, invalid: 2 });
    const annAfter = await baton.enrollment(ann.id);
    expect(annAfter.status).toBe('completed');
    expect(annAfter.steps[0]).toMatchObject({ status: 'completed' });
    expect((await baton.enrollment(bob.id)).steps[0].status).not.toBe('completed');
    // The unknown candidate waits in the unmatched inbox, as a webhook's would.
    const inbox = (await baton.api('GET', '/api/admin/unmatched-events?partnerId=certiport', { as: ADMIN })).body;
    expect(JSON.stringify(inbox)).toContain('cy@example.org');
    // Ann's partner account is linked from the row, as a webhook naming it links it.
    const linked = await baton.ports.students.findIdByAccount('certiport', 'C-100');
    expect(linked).toBe(annAfter.studentId ?? linked);

    // The same file as a new import (re-uploaded), and the same import run again: nothing applies twice.
    const again = await upload(baton, { kind: 'completions', partnerId: 'certiport', fileName: 'exam-results.csv' }, report);
    const second = (await run(baton, again.importId, false)).body;
    expect(second.outcomes).toEqual({ applied: 0, duplicate: 2, unmatched: 0, ignored: 1, invalid: 2 });
    const rerun = (await run(baton, importId, false)).body;
    expect(rerun.outcomes).toMatchObject({ applied: 0, duplicate: 2 });
    expect(rerun.rows).toEqual({ total: 5, done: 5 });
  });

  it('reports a completion the file names twice (an export that overlaps itself) as a duplicate of its first line, in the dry run too', async () => {
    const fay = await baton.enroll({ studentEmail: 'fay@example.org', programId: 'web-dev' });
    const report = certiportReport([
      'C-300;Fay;Fox;fay@example.org;Spring;IT Specialist: HTML and CSS;04/02/2026 09:15 AM;801;Pass',
      'C-301;Gus;Gray;gus@example.org;Spring;IT Specialist: HTML and CSS;04/02/2026;640;Fail',
      'C-300;Fay;Fox;fay@example.org;Spring;IT Specialist: HTML and CSS;04/02/2026;801;PASS',
    ]);
    const { importId } = await upload(baton, { kind: 'completions', partnerId: 'certiport', fileName: 'april.csv' }, report);
    for (const dryRun of [true, false]) {
      const done = (await run(baton, importId, dryRun)).body;
      expect(done.outcomes).toEqual({ applied: 1, duplicate: 1, unmatched: 0, ignored: 1, invalid: 0 });
      expect(await (await fetch(done.resultUrl)).text()).toContain('"4","duplicate","the same completion as line 2"');
    }
    expect((await baton.enrollment(fay.id)).status).toBe('completed');
  });

  it('imports the same report exported as XLSX: date cells and text dates alike, lines as the sheet numbers its rows', async () => {
    const gil = await baton.enroll({ studentEmail: 'gil@example.org', programId: 'web-dev' });
    const hal = await baton.enroll({ studentEmail: 'hal@example.org', programId: 'web-dev' });
    const exam = 'IT Specialist: HTML and CSS';
    const workbook = xlsxFile({
      sheets: [
        {
          name: 'Exam Results',
          rows: [
            row(1, ['Candidate ID', 'Email', 'Exam', 'Exam Date', 'Score', 'Result']),
            // Row 2 left blank; row 3's date is a date cell (style 1: Excel's m/d/yy), row 4's is text in the mapping's format.
            row(3, ['C-200', 'gil@example.org', exam, [46095, 1], 850, 'Pass']),
            row(4, ['C-201', 'hal@example.org', exam, '03/15/2026', 700, 'Pass']),
            row(5, ['C-202', 'ivy@example.org', exam, [46095, 1], 400, 'Fail']),
          ].join(''),
        },
        { name: 'Summary', rows: row(1, ['Total']) + row(2, [3]) },
      ],
      cellFormats: [0, 14],
    });
    const before = await itemsBesideImports(baton);
    const { importId, putStatus } = await uploadCertiport('exam-results.xlsx', workbook);
    expect(putStatus).toBe(200);

    const dry = (await run(baton, importId, true)).body;
    expect(dry).toMatchObject({ status: 'done', rows: { total: 3, done: 3 } });
    expect(dry.outcomes).toMatchObject({ applied: 2, ignored: 1, invalid: 0 });
    expect(await itemsBesideImports(baton)).toEqual(before);

    const real = (await run(baton, importId, false)).body;
    expect(real.outcomes).toMatchObject({ applied: 2, ignored: 1, invalid: 0 });
    expect((await baton.enrollment(gil.id)).steps[0]).toMatchObject({ status: 'completed' });
    expect((await baton.enrollment(hal.id)).steps[0]).toMatchObject({ status: 'completed' });
    const report = await (await fetch(real.resultUrl)).text();
    expect(report).toContain('"3","applied"');
    expect(report).toContain('"5","ignored"');

    const again = await uploadCertiport('exam-results.xlsx', workbook);
    expect((await run(baton, again.importId, false)).body.outcomes).toMatchObject({ applied: 0, duplicate: 2 });
  });

  it('refuses a ZIP renamed .csv, a file that is not UTF-8, a file without the mapped columns, and a file over 50 MB, applying nothing', async () => {
    const before = await itemsBesideImports(baton);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    const latin1 = Buffer.from(certiportReport(['C-1;Zoë;Z;zoe@example.org;G;IT Specialist: HTML and CSS;03/14/2026;800;Pass']), 'latin1');
    const wrongColumns = 'Name,Mail,Test,When\nAnn,ann@example.org,HTML,2026-03-14\n';
    const problems: string[] = [];
    for (const [file, name] of [
      [zip, 'results.csv'],
      [latin1.subarray(1), 'latin1.csv'],
      [wrongColumns, 'other.csv'],
    ] as const) {
      const { importId } = await upload(baton, { kind: 'completions', partnerId: 'certiport', fileName: name }, file);
      const result = (await run(baton, importId, false)).body;
      expect(result.status).toBe('failed');
      expect(result.rows.done).toBe(0);
      problems.push(result.problem);
    }
    expect(problems[0]).toMatch(/ZIP archive/);
    expect(problems[1]).toMatch(/not UTF-8 text \(line 2/);
    expect(problems[2]).toMatch(/no column "Candidate ID", "Email", "Exam", "Exam Date", "Result", "Score"/);

    // 60 MB: local mode's slot refuses the body past 50 MB while reading it (nothing stored), so the run has no file.
    const big = Buffer.alloc(60 * 1024 * 1024, 0x41);
    const tooBig = await upload(baton, { kind: 'completions', partnerId: 'certiport', fileName: 'big.csv' }, big);
    expect(tooBig.putStatus === 400 || tooBig.putStatus === 0).toBe(true);
    const notUploaded = await baton.api('POST', `/api/admin/imports/${tooBig.importId}/run`, { as: ADMIN, body: { dryRun: false } });
    expect(notUploaded.status).toBe(409);
    // S3 cannot bound a presigned PUT's size: a 60 MB object that got there is refused by the run.
    await baton.ports.uploads.write(importFileKey(tooBig.importId), big, 'text/csv');
    const refused = (await run(baton, tooBig.importId, false)).body;
    expect(refused).toMatchObject({ status: 'failed', problem: expect.stringMatching(/60\.0 MB, over the 50 MB limit/) });

    expect(await itemsBesideImports(baton)).toEqual(before);
  });

  it('answers 400 naming the field for a bad request, and 404 for an unknown import', async () => {
    const noPartner = await baton.api('POST', '/api/admin/imports', { as: ADMIN, body: { kind: 'completions', fileName: 'a.csv' } });
    expect(noPartner.status).toBe(400);
    expect(noPartner.body.error.message).toMatch(/partnerId/);
    const badName = await baton.api('POST', '/api/admin/imports', {
      as: ADMIN,
      body: { kind: 'completions', partnerId: 'certiport', fileName: '../etc/passwd' },
    });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/fileName/);
    const unknown = await baton.api('GET', '/api/admin/imports/00000000-0000-0000-0000-000000000000', { as: ADMIN });
    expect(unknown.status).toBe(404);
    const list = (await baton.api('GET', '/api/admin/imports', { as: ADMIN })).body;
    expect(list.items.length).toBeGreaterThan(0);
    expect(Date.parse(list.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(list.items.at(-1).createdAt));
  });

  it('refuses a mapping that names no student or no course, naming the field', async () => {
    const current = (await baton.api('GET', '/api/admin/partners/hsi', { as: ADMIN })).body;
    const response = await baton.api('PUT', '/api/admin/partners/hsi', {
      as: ADMIN,
      body: { name: current.name, courses: current.courses, csv: { columns: { email: 'Email' } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/csv.columns: needs courseId or courseName/);
  });

  it('keeps the credential expiry a roster row gives (an HSI card) on the step, and refuses an implausible one', async () => {
    await saveMapping(baton, 'hsi', {
      columns: { studentId: 'HSI ID', email: 'Email', courseId: 'Course', completedAt: 'Completed', credentialExpiresAt: 'Card Expires' },
      dateFormat: 'MM/DD/YYYY',
    });
    await saveProgram(baton, FIRST_AID_PLUS);
    const kai = await baton.enroll({ studentEmail: 'kai@example.org', programId: FIRST_AID_PLUS.id, partnerAccounts: { hsi: 'HSI-KAI' } });
    const roster = [
      'HSI ID,Email,Course,Completed,Card Expires',
      'HSI-KAI,kai@example.org,bls-cpr-aed,03/14/2026,03/31/2028',
      'HSI-LEE,lee@example.org,bls-cpr-aed,03/14/2026,03/31/2150',
    ].join('\r\n');
    const { importId } = await upload(baton, { kind: 'completions', partnerId: 'hsi', fileName: 'hsi-roster.csv' }, roster);
    const done = (await run(baton, importId, false)).body;
    expect(done.outcomes).toMatchObject({ applied: 1, invalid: 1 });
    expect(await (await fetch(done.resultUrl)).text()).toMatch(
      /"3","invalid","Card Expires: ""03\/31\/2150"" is not between 2000-01-01 and 2100-01-01/,
    );
    const view = await baton.enrollment(kai.id, 'kai@example.org');
    expect(view.steps[0]).toMatchObject({ status: 'completed', credentialExpiresAt: '2028-03-31T00:00:00.000Z' });
  });
});

describe('bulk enrollment imports', () => {
  it('creates students as POST /api/enrollments does, reports the already active (409) and the invalid, and leaves welcomes to the sweep', async () => {
    await baton.enroll({ studentEmail: 'old@example.org', programId: 'web-dev' });
    const file = [
      'Email,Name,Program,hsi',
      'new1@example.org,New One,Web Dev,HSI-1',
      'new2@example.org,"Two, New",cybersecurity,',
      'old@example.org,Old,web-dev,',
      'not-an-email,X,web-dev,',
      'new3@example.org,Three,Basket Weaving,',
    ].join('\n');
    const { importId } = await upload(baton, { kind: 'enrollments', fileName: 'cohort.csv' }, file);
    const dry = (await run(baton, importId, true)).body;
    expect(dry.outcomes).toEqual({ created: 2, already_active: 1, invalid: 2 });
    expect(await baton.ports.students.findByEmail('new1@example.org')).toBeUndefined();

    const outboxBefore = baton.outbox().length;
    const real = (await run(baton, importId, false)).body;
    expect(real).toMatchObject({ status: 'done', rows: { total: 5, done: 5 } });
    expect(real.outcomes).toEqual({ created: 2, already_active: 1, invalid: 2 });
    const student = (await baton.ports.students.findByEmail('new1@example.org'))!;
    expect(student).toMatchObject({ name: 'New One', accounts: { hsi: 'HSI-1' } });
    const [enrollment] = await baton.ports.enrollments.listForStudent(student.id);
    expect(enrollment!.enrollment).toMatchObject({ programId: 'web-dev', status: 'active', createdBy: ADMIN });
    // No email inside a chunk: the sweep sends the welcomes the import did not (after their grace period).
    expect(baton.outbox().length).toBe(outboxBefore);
    await baton.advanceClock(3 * 60_000);
    const welcomes = baton.outbox().slice(outboxBefore);
    expect(welcomes.filter((m) => /new1@example\.org|new2@example\.org/.test(m))).toHaveLength(2);

    const report = await (await fetch(real.resultUrl)).text();
    expect(report).toMatch(/"4","already_active","old@example.org already has an active enrollment in Web Dev"/);
    expect(report).toMatch(/"6","invalid","program: ""Basket Weaving"" is not a program"/);
  });
});
