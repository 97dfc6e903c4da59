// Reading report files and their rows: the CSV parser's detection (BOM, delimiter, quoted
// newlines), XLSX workbooks (tests in report-files-xlsx.test.ts), the refusals that name the
// problem and the line, the mapping's row rules, and the start pacer.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readReportFile } from '../../functions/domain/report-reader.js';
import { refusalOf as problem } from '../support/imports.js';
import { foldRow, parseDate, readCompletionRow, readEnrollmentRow, type CsvMapping } from '../../functions/domain/import-mapping.js';
import { validatePartnerDefinition } from '../../functions/domain/partner-definition.js';
import { importDeliveryId } from '../../functions/use-cases/import-rows.js';
import { IMPORT_WORKER_CONCURRENCY, pacedWorkflow, startsPerStep } from '../../functions/use-cases/paced-workflow.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readReportFile: CSV', () => {
  it('detects comma, semicolon and tab, strips a BOM, and keeps quoted newlines in their row', () => {
    for (const [delimiter, text] of [
      [',', 'a,b\n1,"x\ny"\n2,z\n'],
      [';', '\uFEFFa;b\r\n1;"x\ny"\r\n2;z\r\n'],
      ['\t', 'a\tb\n1\t"x\ny"\n2\tz\n'],
    ] as const) {
      const table = readReportFile(bytes(text));
      expect(table.delimiter).toBe(delimiter);
      expect(table.header).toEqual(['a', 'b']);
      expect(table.rows).toEqual([
        { line: 2, cells: ['1', 'x\ny'] },
        { line: 4, cells: ['2', 'z'] },
      ]);
    }
  });

  it('refuses what is not CSV text by its content, naming the problem', () => {
    expect(problem(zipSync({ 'report.csv': strToU8('a,b\n1,2\n') }))).toMatch(/a ZIP archive but not an Excel workbook/);
    expect(problem(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toMatch(/a damaged ZIP archive \(no central directory\)/);
    expect(problem(bytes('%PDF-1.7\n'))).toMatch(/a PDF/);
    expect(problem(Uint8Array.from([0x61, 0x0a, 0x62, 0x00]))).toMatch(/binary.*line 2/);
    expect(problem(Uint8Array.from([...bytes('name\nok\nZo'), 0xeb, ...bytes('\n')]))).toMatch(/not UTF-8 text \(line 3/);
    expect(problem(bytes(''))).toMatch(/empty/);
    expect(problem(bytes('a,b\n'))).toMatch(/no data rows/);
    expect(problem(bytes('a,b\n1,2\n3,4,5\n'))).toMatch(/at line 3: a row has a different number of columns/);
    expect(problem(bytes('a,b\n1,"open\n'))).toMatch(/quoted field is never closed/);
    expect(problem(bytes('a,,c\n1,2,3\n'))).toMatch(/empty column name \(column 2\)/);
    expect(problem(bytes('Email,email\n1,2\n'))).toMatch(/names the column "email" twice/);
  });

  it('refuses over 100,000 rows', () => {
    expect(problem(bytes(`a\n${'1\n'.repeat(100_001)}`))).toMatch(/over 100,000 rows/);
  });
});

const MAPPING: CsvMapping = {
  columns: { studentId: 'Candidate ID', email: 'Email', courseName: 'Exam', completedAt: 'Exam Date', status: 'Result', score: 'Score' },
  statusValues: { pass: 'passed', fail: 'ignore', completed: 'completed' },
  dateFormat: 'MM/DD/YYYY',
};
const COURSES = [{ courseId: 'mos-word', name: 'Microsoft Office Specialist: Word' }];
const NOW = new Date('2026-06-01T00:00:00Z');
const header = ['Candidate ID', 'Email', 'Exam', 'Exam Date', 'Result', 'Score'];
const row = (...cells: string[]) => foldRow(header, cells);

describe('completion rows', () => {
  it('reads a row by the mapping: course by name, status by its value map, the date in its format', () => {
    expect(
      readCompletionRow(
        row('C-1', 'Ann@Example.org', 'microsoft office specialist: word', '3/14/2026', ' PASS ', '812'),
        MAPPING,
        COURSES,
        NOW,
      ),
    ).toEqual({
      ok: true,
      value: {
        externalId: 'C-1',
        email: 'ann@example.org',
        courseId: 'mos-word',
        result: 'passed',
        occurredAt: '2026-03-14T00:00:00.000Z',
        score: 812,
      },
    });
  });

  it('says why a row is ignored or invalid, naming the column', () => {
    const verdict = (...cells: string[]) => readCompletionRow(row(...cells), MAPPING, COURSES, NOW);
    expect(verdict('C-1', '', 'mos-word', '3/14/2026', 'Fail', '')).toEqual({
      ok: false,
      outcome: 'ignored',
      reason: 'Result: "Fail" is ignored',
    });
    expect(verdict('C-1', '', 'mos-word', '3/14/2026', 'Absent', '')).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/^Result: "Absent"/),
    });
    expect(verdict('', '', 'mos-word', '3/14/2026', 'Pass', '')).toMatchObject({ reason: 'no student: Candidate ID and Email empty' });
    expect(verdict('C-1', 'x@', 'mos-word', '3/14/2026', 'Pass', '')).toMatchObject({ reason: 'Email: "x@" is not an email address' });
    expect(verdict('C-1', '', 'Excel', '3/14/2026', 'Pass', '')).toMatchObject({
      reason: `Exam: "Excel" is not one of the partner's courses`,
    });
    expect(verdict('C-1', '', 'mos-word', '14.03.2026', 'Pass', '')).toMatchObject({
      reason: 'Exam Date: "14.03.2026" is not a date as MM/DD/YYYY',
    });
    expect(verdict('C-1', '', 'mos-word', '2/30/2026', 'Pass', '')).toMatchObject({
      reason: expect.stringMatching(/not a day of the calendar/),
    });
    expect(verdict('C-1', '', 'mos-word', '3/14/2026', 'Pass', 'lots')).toMatchObject({ reason: 'Score: "lots" is not a score' });
  });

  it("reads a credential's expiry in the mapping's date format: in the future is fine, past 2100 or not a day is invalid", () => {
    const mapping: CsvMapping = {
      columns: { studentId: 'HSI ID', courseId: 'Course', credentialExpiresAt: 'Card Expires' },
      dateFormat: 'DD/MM/YYYY',
    };
    const read = (expiry: string) =>
      readCompletionRow(foldRow(['HSI ID', 'Course', 'Card Expires'], ['H-1', 'mos-word', expiry]), mapping, COURSES, NOW);
    expect(read('31/05/2028')).toMatchObject({ ok: true, value: { credentialExpiresAt: '2028-05-31T00:00:00.000Z' } });
    expect(read('')).toEqual({ ok: true, value: { externalId: 'H-1', courseId: 'mos-word', result: 'completed' } });
    expect(read('31/05/2150')).toMatchObject({
      outcome: 'invalid',
      reason: 'Card Expires: "31/05/2150" is not between 2000-01-01 and 2100-01-01',
    });
    expect(read('31/02/2028')).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/^Card Expires: .*not a day of the calendar/),
    });
  });

  it('gives the same delivery id to the same completion in any report, and another to another day', () => {
    const a = { externalId: 'C-1', courseId: 'mos-word', result: 'passed' as const, occurredAt: '2026-03-14T00:00:00.000Z' };
    expect(importDeliveryId('certiport', a)).toBe(importDeliveryId('certiport', { ...a, score: 900 }));
    expect(importDeliveryId('certiport', a)).not.toBe(importDeliveryId('certiport', { ...a, occurredAt: '2026-03-15T00:00:00.000Z' }));
    expect(importDeliveryId('certiport', a)).not.toBe(importDeliveryId('hsi', a));
  });

  it('reads the date formats, refusing the future and before 2000', () => {
    expect(parseDate('14/03/2026', 'DD/MM/YYYY', NOW)).toEqual({ iso: '2026-03-14T00:00:00.000Z' });
    // A year first cannot be misread: an XLSX date cell (YYYY-MM-DD) reads under any format.
    expect(parseDate('2026-03-04', 'DD/MM/YYYY', NOW)).toEqual({ iso: '2026-03-04T00:00:00.000Z' });
    expect(parseDate('2026-03-04 09:30:00', 'MM/DD/YYYY', NOW)).toEqual({ iso: '2026-03-04T00:00:00.000Z' });
    expect(parseDate('2026-03-14T10:00:00Z', 'YYYY-MM-DD', NOW)).toEqual({ iso: '2026-03-14T00:00:00.000Z' });
    expect(parseDate('2027-01-01', 'YYYY-MM-DD', NOW)).toHaveProperty('error');
    expect(parseDate('1999-12-31', 'YYYY-MM-DD', NOW)).toHaveProperty('error');
  });
});

describe('enrollment rows', () => {
  it('reads email, name, program and the partner account columns', () => {
    const cells = foldRow(['Email', 'Name', 'Program', 'hsi', 'jri'], ['A@Example.org', 'Ann', 'CNA', 'H-1', '']);
    expect(readEnrollmentRow(cells, ['hsi', 'jri'])).toEqual({
      ok: true,
      value: { email: 'a@example.org', name: 'Ann', program: 'CNA', partnerAccounts: { hsi: 'H-1' } },
    });
    expect(readEnrollmentRow(foldRow(['Email', 'Program'], ['nope', 'CNA']), [])).toMatchObject({
      ok: false,
      reason: 'email: "nope" is not an email address',
    });
    expect(readEnrollmentRow(foldRow(['Email', 'Program', 'hsi'], ['a@example.org', 'CNA', 'has space']), ['hsi'])).toMatchObject({
      reason: 'hsi: must be printable characters without spaces',
    });
  });
});

describe("the partner's csv mapping", () => {
  const base = { name: 'Certiport' };
  it('is saved with the definition, value keys compared without case', () => {
    const saved = validatePartnerDefinition({ ...base, csv: { ...MAPPING, statusValues: { Pass: 'passed', Fail: 'ignore' } } });
    expect(saved.csv).toEqual({ ...MAPPING, statusValues: { pass: 'passed', fail: 'ignore' } });
  });
  it('must name the student and the course, and map the status values of a status column', () => {
    expect(() => validatePartnerDefinition({ ...base, csv: { columns: { courseId: 'Course' } } })).toThrow(/needs studentId or email/);
    expect(() => validatePartnerDefinition({ ...base, csv: { columns: { email: 'Email' } } })).toThrow(/needs courseId or courseName/);
    expect(() => validatePartnerDefinition({ ...base, csv: { columns: { email: 'E', courseId: 'C', status: 'S' } } })).toThrow(
      /statusValues: is required/,
    );
    expect(() => validatePartnerDefinition({ ...base, csv: { columns: { email: 'E', courseId: 'C' }, dateFormat: 'D.M.Y' } })).toThrow(
      /csv.dateFormat/,
    );
  });
});

describe('pacedWorkflow', () => {
  it('spaces starts 1/rate apart, the first one too', async () => {
    let clock = 0;
    const at: number[] = [];
    const paced = pacedWorkflow(
      { start: async () => void at.push(clock) },
      4,
      async (ms) => void (clock += ms),
      () => clock,
    );
    for (let i = 0; i < 5; i++) await paced.start('e', 't');
    expect(at).toEqual([251, 502, 753, 1004, 1255]);
  });

  it('keeps the spacing when a chunk’s rows start at once (each waiter wakes on the clock and looks again)', async () => {
    // Timers as the event loop runs them: every sleeper wakes when the clock reaches its time, earliest first.
    let clock = 0;
    const sleepers: Array<{ at: number; wake: () => void }> = [];
    const started: number[] = [];
    const paced = pacedWorkflow(
      { start: async () => void started.push(clock) },
      4,
      (ms) => new Promise<void>((wake) => sleepers.push({ at: clock + ms, wake })),
      () => clock,
    );
    let done = false;
    const all = Promise.all(Array.from({ length: 6 }, () => paced.start('e', 't'))).then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      sleepers.sort((x, y) => x.at - y.at);
      const first = sleepers.shift();
      if (!first) continue;
      clock = Math.max(clock, first.at);
      first.wake();
    }
    await all;
    expect(started).toHaveLength(6);
    for (let i = 1; i < started.length; i++) expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(251);
  });

  it('keeps the steps running at once (IMPORT_WORKER_CONCURRENCY of them) within the limit together, each at its share', async () => {
    let clock = 0;
    const started: number[] = [];
    const steps = Array.from({ length: IMPORT_WORKER_CONCURRENCY }, () =>
      pacedWorkflow(
        { start: async () => void started.push(clock) },
        startsPerStep(10),
        async (ms) => void (clock += ms),
        () => clock,
      ),
    );
    // The steps take turns on one virtual clock, each starting as soon as its pacing lets it.
    for (let i = 0; i < 20; i++) for (const step of steps) await step.start('e', 't');
    expect(started).toHaveLength(20 * IMPORT_WORKER_CONCURRENCY);
    const mostInOneSecond = Math.max(...started.map((t) => started.filter((u) => u >= t && u < t + 1000).length));
    expect(mostInOneSecond).toBe(10);
  });
});
