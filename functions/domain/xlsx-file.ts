// An XLSX workbook's first worksheet as a report table. The workbook's parts are inflated
// through ExpansionBudget (limits counted as the bytes come out) and read as XML streams by
// saxes, so a 100,000-row sheet is never held as one string and a bomb stops early. What is read:
// the first visible worksheet in the workbook's tab order, shared and inline strings, numbers
// (dates, times and percentages by their format: xlsx-cells.ts), booleans (TRUE/FALSE), formula
// results as last saved; rows and cells at their r references, empty rows skipped.
import { checkTable, columnLetters, fileProblem, MAX_IMPORT_ROWS, tooManyRows, type ReportTable } from './report-table.js';
import { numberText } from './xlsx-cells.js';
import { readXml, sharedStrings, styleKinds, workbookParts, WORKBOOK, type Archive } from './xlsx-parts.js';
import { ExpansionBudget, zipEntries, type ZipLimits } from './zip-archive.js';

const XLSX_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 150 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 200,
};
/** Columns a value may be in (A to ALL); a report's are far fewer, and each row's cells are an array this wide. */
const MAX_COLUMNS = 1000;
/** Excel's own limit for one cell's text. */
const MAX_CELL_CHARS = 32_767;

/** "AB12" → 27 (its column, from 0); undefined when it is no cell reference. */
function columnOf(reference: string): number | undefined {
  let column = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20; // lower case
    if (code < 97 || code > 122) break;
    column = column * 26 + (code - 96);
  }
  return i === 0 ? undefined : column - 1;
}

export interface XlsxOptions {
  /** Stop after this many data rows (the site's preview); the whole sheet otherwise. */
  rows?: number;
}

/** An XLSX workbook's first worksheet → its header (the first row with a value) and data rows. */
export function readXlsxFile(bytes: Uint8Array, options: XlsxOptions = {}): ReportTable {
  const entries = zipEntries(bytes, XLSX_LIMITS);
  if (!entries.has(WORKBOOK)) throw fileProblem('the file is a ZIP archive but not an Excel workbook (it has no xl/workbook.xml)');
  const archive: Archive = { bytes, entries, budget: new ExpansionBudget(XLSX_LIMITS) };
  const parts = workbookParts(archive);
  const strings = sharedStrings(archive, parts.strings);
  const kinds = styleKinds(archive, parts.styles);
  const wanted = options.rows ?? Infinity;

  const table: ReportTable = { format: 'xlsx', header: [], headerLine: 0, rows: [], sheet: parts.sheet };
  let line = 0;
  let cells: string[] = [];
  let column = -1;
  let cell = { reference: '', type: '', style: 0 };
  let value = '';
  let capture: 'v' | 't' | undefined;
  let inInline = false;
  const cellText = (): string => {
    if (cell.type === 's') {
      const text = strings[Number(value)];
      if (text === undefined) throw fileProblem(`cell ${cell.reference} refers to shared string ${value}, which the workbook lacks`);
      return text;
    }
    if (cell.type === 'b') return value === '1' ? 'TRUE' : 'FALSE';
    if (cell.type === 'inlineStr' || cell.type === 'str' || cell.type === 'e' || cell.type === 'd') return value;
    return numberText(value, kinds[cell.style] ?? 'number', parts.date1904);
  };
  const endRow = () => {
    if (table.rows.length >= wanted) return; // a preview's piece of XML may hold more rows than it wants
    if (!cells.some((text) => text.trim() !== '')) return; // some() skips the holes of a sparse row
    if (table.headerLine === 0) {
      const width = cells.findLastIndex((text) => text?.trim()) + 1;
      table.header = Array.from({ length: width }, (_, i) => (cells[i] ?? '').trim());
      table.headerLine = line;
      return;
    }
    const width = table.header.length;
    const beyond = cells.findIndex((text, i) => i >= width && text?.trim());
    if (beyond >= 0)
      throw fileProblem(
        `cell ${columnLetters(beyond)}${line} has a value, but its column has no name in the header row (row ${table.headerLine}): name it or clear it`,
      );
    table.rows.push({ line, cells: Array.from({ length: width }, (_, i) => cells[i] ?? '') });
    if (table.rows.length > MAX_IMPORT_ROWS) throw tooManyRows(table);
  };

  readXml(
    archive,
    parts.sheetPath,
    {
      open(name, attributes) {
        if (name === 'row') {
          line = attributes.r ? Number(attributes.r) : line + 1;
          cells = [];
          column = -1;
        } else if (name === 'c') {
          column = (attributes.r ? columnOf(attributes.r) : undefined) ?? column + 1;
          cell = {
            reference: attributes.r ?? `${columnLetters(column)}${line}`,
            type: attributes.t ?? 'n',
            style: Number(attributes.s ?? 0),
          };
          value = '';
        } else if (name === 'v' && !inInline) {
          capture = 'v';
        } else if (name === 'is') {
          inInline = true;
        } else if (name === 't' && inInline) {
          capture = 't';
        }
      },
      close(name) {
        if (name === 'v' || name === 't') capture = undefined;
        else if (name === 'is') inInline = false;
        else if (name === 'c' && value !== '') {
          const text = cellText();
          if (text.length > MAX_CELL_CHARS)
            throw fileProblem(`cell ${cell.reference} is over ${MAX_CELL_CHARS.toLocaleString('en-US')} characters`);
          if (column >= MAX_COLUMNS && text.trim() !== '')
            throw fileProblem(`cell ${cell.reference} is past column ${columnLetters(MAX_COLUMNS - 1)}, the last one read`);
          cells[column] = text;
        } else if (name === 'row') endRow();
      },
      text(text) {
        if (capture) value += text;
      },
    },
    { done: () => table.rows.length >= wanted, maxBytes: XLSX_LIMITS.maxEntryBytes },
  );
  if (table.headerLine === 0) throw fileProblem(`the first worksheet ("${parts.sheet}") is empty`);
  return options.rows === undefined ? checkTable(table) : table;
}
