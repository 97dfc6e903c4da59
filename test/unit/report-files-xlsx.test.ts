// Reading XLSX report files: real workbooks zipped in the test (test/support/xlsx.ts), read as the
// import reads them: the first visible sheet, string, number, boolean and date cells, sparse rows
// at their references, and the refusals (archive bombs stopped while inflating, over the row
// limit, an old .xls or an encrypted workbook, a ZIP that is no workbook).
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readReportFile } from '../../functions/domain/report-reader.js';
import { refusalOf as problem } from '../support/imports.js';
import { readXlsxFile } from '../../functions/domain/xlsx-file.js';
import { ExpansionBudget, zipEntries } from '../../functions/domain/zip-archive.js';
import { row, xlsxFile } from '../support/xlsx.js';

/** Exam dates as Excel stores them: days since 1899-12-30. */
const MARCH_14_2026 = 46095;

describe('readReportFile: XLSX', () => {
  it('reads shared and inline strings, numbers, booleans and a date cell, sparse cells in their columns, at their row numbers', () => {
    const file = xlsxFile({
      sheets: [
        {
          name: 'Results',
          rows: [
            `<row r="1">${['Candidate ID', 'Exam Date', 'Score', 'Passed', 'Note'].map((_, i) => `<c r="${'ABCDE'[i]}1" t="s"><v>${i}</v></c>`).join('')}</row>`,
            // Row 2 is empty (a styled blank cell): skipped, and the next keeps its own number.
            '<row r="2"><c r="A2" s="1"/></row>',
            `<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" s="1"><v>${MARCH_14_2026}</v></c><c r="C3"><v>81.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="inlineStr"><is><r><t>re</t></r><r><t>took</t></r></is></c></row>`,
            // No B5, no D5: C5 stays in column C.
            '<row r="5"><c r="A5" t="s"><v>6</v></c><c r="C5"><v>90</v></c><c r="E5" t="e"><v>#N/A</v></c></row>',
            '<row r="9"><c r="A9" s="1"/><c r="B9" t="inlineStr"><is><t> </t></is></c></row>',
          ].join(''),
        },
      ],
      sharedStrings: ['Candidate ID', 'Exam Date', 'Score', 'Passed', 'Note', 'C-1', 'C-2'],
      cellFormats: [0, 14],
    });
    expect(readReportFile(file)).toEqual({
      format: 'xlsx',
      sheet: 'Results',
      header: ['Candidate ID', 'Exam Date', 'Score', 'Passed', 'Note'],
      headerLine: 1,
      rows: [
        { line: 3, cells: ['C-1', '2026-03-14', '81.5', 'TRUE', 'retook'] },
        { line: 5, cells: ['C-2', '', '90', '', '#N/A'] },
      ],
    });
  });

  it('shows numbers by their format: custom dates, a date with a time, a time, a percentage, the 1904 date system', () => {
    const formats = { cellFormats: [0, 164, 165, 20, 9], numberFormats: { 164: 'dd/mm/yyyy;@', 165: '[$-409]yyyy-mm-dd hh:mm' } };
    const header = row(1, ['Day', 'At', 'Time', 'Share', 'Plain']);
    const cells = row(2, [
      [MARCH_14_2026, 1],
      [MARCH_14_2026 + 0.4375, 2],
      [0.75, 3],
      [0.855, 4],
      [1234567.25, 0],
    ]);
    const read = (date1904: boolean) =>
      readReportFile(xlsxFile({ sheets: [{ name: 'S', rows: header + cells }], date1904, ...formats })).rows[0]!.cells;
    expect(read(false)).toEqual(['2026-03-14', '2026-03-14 10:30:00', '18:00:00', '85.5%', '1234567.25']);
    expect(read(true)[0]).toBe('2030-03-15');
  });

  it('reads the first visible worksheet in tab order, not the others', () => {
    const file = xlsxFile({
      sheets: [
        { name: 'Notes', rows: row(1, ['Hidden']) + row(2, ['x']), hidden: true },
        { name: 'Results', rows: row(1, ['Email']) + row(2, ['a@example.org']) },
        { name: 'Other', rows: row(1, ['Something else']) + row(2, ['y']) },
      ],
    });
    const table = readReportFile(file);
    expect([table.sheet, table.header, table.rows]).toEqual(['Results', ['Email'], [{ line: 2, cells: ['a@example.org'] }]]);
  });

  it('takes the first row with a value as the header, and names what is wrong with it by row and column letter', () => {
    const withTitleGap = xlsxFile({ sheets: [{ name: 'S', rows: row(3, ['Email', 'Name']) + row(4, ['a@example.org', 'Ann']) }] });
    expect(readReportFile(withTitleGap)).toMatchObject({ headerLine: 3, rows: [{ line: 4, cells: ['a@example.org', 'Ann'] }] });
    const sheet = (rows: string) => xlsxFile({ sheets: [{ name: 'S', rows }] });
    expect(problem(sheet(row(1, ['Email', undefined, 'Name']) + row(2, ['a', 'b', 'c'])))).toBe(
      'the header row (row 1) has an empty column name (column B)',
    );
    expect(problem(sheet(row(1, ['Email']) + row(2, ['a', 'note'])))).toMatch(
      /^cell B2 has a value, but its column has no name in the header row \(row 1\)/,
    );
    expect(problem(sheet(row(1, ['Email'])))).toBe('the worksheet has a header row and no data rows');
    expect(problem(sheet(''))).toBe('the first worksheet ("S") is empty');
    expect(problem(sheet(`${row(1, ['Email'])}<row r="2"><c r="ALM2"><v>1</v></c></row>`))).toBe(
      'cell ALM2 is past column ALL, the last one read',
    );
    expect(problem(sheet(`${row(1, ['Email'])}<row r="2"><c r="A2" t="s"><v>7</v></c></row>`))).toMatch(
      /cell A2 refers to shared string 7/,
    );
  });

  it('refuses over 100,000 data rows, and stops there', () => {
    const rows = Array.from({ length: 100_002 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`).join('');
    expect(problem(xlsxFile({ sheets: [{ name: 'S', rows: row(1, ['n']) + rows }] }))).toBe(
      'the worksheet has over 100,000 rows: split it',
    );
  });

  it('stops a preview after the rows it wants', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i + 2, [`s${i}`])).join('');
    const table = readXlsxFile(xlsxFile({ sheets: [{ name: 'S', rows: row(1, ['Student']) + rows }] }), { rows: 5 });
    expect(table.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it('refuses an archive bomb (small compressed, huge expanded) whatever size it declares', () => {
    const bomb = xlsxFile({ sheets: [{ name: 'S', rows: '' }] });
    const sheet = bombXml(64);
    const file = declaringSmallSizes(zipSync({ ...unzipParts(bomb), 'xl/worksheets/sheet1.xml': sheet }));
    expect(file.length).toBeLessThan(200 * 1024);
    expect(problem(file)).toBe("the workbook's xl/worksheets/sheet1.xml expands over 200 times its compressed size: an archive bomb?");
  });

  it('stops inflating an entry within its limits, handing on no byte past them', () => {
    const archive = zipSync({ 'big.xml': new Uint8Array(20 * 1024 * 1024) });
    const entry = zipEntries(archive, { maxEntries: 10 }).get('big.xml')!;
    const limits = { maxEntries: 10, maxEntryBytes: 2 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024, maxRatio: 1e9 };
    let handed = 0;
    expect(() => new ExpansionBudget(limits).inflate(archive, entry, (piece) => void (handed += piece.length))).toThrow(
      "the workbook's big.xml expands past 2 MB: an archive bomb?",
    );
    expect(handed).toBeLessThanOrEqual(2 * 1024 * 1024);
    // A part kept in memory (the shared strings) is read with a lower limit of its own.
    expect(() => new ExpansionBudget(limits).inflate(archive, entry, () => {}, 1024 * 1024)).toThrow('expands past 1 MB');
    const total = new ExpansionBudget({ ...limits, maxEntryBytes: 50 * 1024 * 1024, maxTotalBytes: 3 * 1024 * 1024 });
    expect(() => total.inflate(archive, entry, () => {})).toThrow('the workbook expands past 3 MB: an archive bomb?');
    expect(() => zipEntries(archive, { maxEntries: 0 })).toThrow('the workbook has 1 parts, over the 0 limit');
  });

  it('refuses an old .xls, an encrypted workbook, a ZIP that is no workbook, a DOCTYPE and a damaged file, saying what to do', () => {
    const ole2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    expect(problem(Uint8Array.from([...ole2, ...new Uint8Array(504)]))).toMatch(/Excel 97–2003 workbook \(\.xls\).*save it as \.xlsx/);
    const encrypted = Uint8Array.from([...ole2, ...new Uint8Array(64), ...[...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(problem(encrypted)).toMatch(/protected with a password.*remove the password/);
    expect(problem(zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet') }))).toMatch(
      /ZIP archive but not an Excel workbook/,
    );
    const doctype = zipSync({
      ...unzipParts(xlsxFile({ sheets: [{ name: 'S', rows: '' }] })),
      'xl/workbook.xml': strToU8('<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>'),
    });
    expect(problem(doctype)).toMatch(/xl\/workbook.xml declares a DOCTYPE/);
    const good = xlsxFile({ sheets: [{ name: 'S', rows: row(1, ['a']) + row(2, ['b']) }] });
    expect(problem(good.subarray(0, good.length - 30))).toMatch(/^the file is a damaged ZIP archive/);
    const torn = good.slice();
    const sheetAt = zipEntries(good, { maxEntries: 100 }).get('xl/worksheets/sheet1.xml')!.localHeaderOffset;
    torn.fill(0xff, sheetAt + 60, sheetAt + 90); // inside the sheet's deflated data
    expect(problem(torn)).toMatch(/^the workbook is damaged \(.* does not inflate|is not valid XML/);
  });
});

/** A worksheet that is megabytes of blanks: deflate shrinks it over 1,000 times. */
function bombXml(megabytes: number): Uint8Array {
  const [open, close] = [strToU8('<worksheet><sheetData>'), strToU8('</sheetData></worksheet>')];
  const xml = new Uint8Array(open.length + megabytes * 1024 * 1024 + close.length).fill(0x20);
  xml.set(open, 0);
  xml.set(close, xml.length - close.length);
  return xml;
}

function unzipParts(archive: Uint8Array): Record<string, Uint8Array> {
  const entries = zipEntries(archive, { maxEntries: 100 });
  const limits = { maxEntries: 100, maxEntryBytes: 1e9, maxTotalBytes: 1e9, maxRatio: 1e9 };
  return Object.fromEntries(
    [...entries.values()].map((entry) => {
      const pieces: Uint8Array[] = [];
      new ExpansionBudget(limits).inflate(archive, entry, (piece) => void pieces.push(piece));
      return [entry.name, concat(pieces)];
    }),
  );
}

/** The archive with every entry declaring 1,000 bytes expanded, in its local header and its directory entry. */
function declaringSmallSizes(archive: Uint8Array): Uint8Array {
  const copy = archive.slice();
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 4 <= copy.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint32(at + 22, 1000, true);
    if (signature === 0x02014b50) view.setUint32(at + 24, 1000, true);
  }
  return copy;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}
