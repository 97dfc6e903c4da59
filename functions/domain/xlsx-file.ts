// An XLSX workbook's first worksheet as a report table. The workbook's parts are inflated
// through ExpansionBudget (limits counted as the bytes come out) and read as XML streams by
// saxes, so a 100,000-row sheet is never held as one string and a bomb stops early. What is read:
// the first visible worksheet in the workbook's tab order, shared and inline strings, numbers
// (dates, times and percentages by their format: xlsx-cells.ts), booleans (TRUE/FALSE), formula
// results as last saved; rows and cells at their r references, empty rows skipped.
import { SaxesParser } from 'saxes';
import { ExpansionBudget, zipEntries, type ZipEntry, type ZipLimits } from './zip-archive.js';
import { numberKind, numberText, type NumberKind } from './xlsx-cells.js';
import { checkTable, columnLetters, fileProblem, MAX_IMPORT_ROWS, tooManyRows, type ReportTable } from './report-table.js';

export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 150 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 200,
};
/** Columns a value may be in (A to ALL); a report's are far fewer, and each row's cells are an array this wide. */
export const MAX_COLUMNS = 1000;
/** Excel's own limit for one cell's text. */
const MAX_CELL_CHARS = 32_767;
const WORKBOOK = 'xl/workbook.xml';

/** A ZIP archive with an Excel workbook part: the XLSX reader's, not a ZIP refused as such. */
export const isWorkbook = (entries: ReadonlyMap<string, ZipEntry>) => entries.has(WORKBOOK);

type Attributes = Record<string, string>;
interface XmlHandlers {
  open?: (name: string, attributes: Attributes) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

/** Reads one part's XML; `done` (checked after each piece) ends it early. Names come without their prefix. */
function readXml(archive: Archive, name: string, handlers: XmlHandlers, done: () => boolean = () => false): void {
  const entry = archive.entries.get(name);
  if (!entry) throw fileProblem(`the workbook has no ${name}: open it in Excel and save it again`);
  const parser = new SaxesParser({ position: false });
  const local = (tag: string) => tag.slice(tag.indexOf(':') + 1);
  // Excel never writes a DOCTYPE; refusing one keeps entity tricks out (saxes expands none anyway).
  parser.on('doctype', () => {
    throw fileProblem(`the workbook's ${name} declares a DOCTYPE, which Excel never writes: refused`);
  });
  const { open, close, text } = handlers;
  if (open) parser.on('opentag', (tag) => open(local(tag.name), tag.attributes as Attributes));
  if (close) parser.on('closetag', (tag) => close(local(tag.name)));
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  parser.on('error', (error) => {
    throw fileProblem(`the workbook's ${name} is not valid XML (${error.message.slice(0, 160)}): open it in Excel and save it again`);
  });
  const decoder = new TextDecoder();
  archive.budget.inflate(archive.bytes, entry, (piece) => {
    parser.write(decoder.decode(piece, { stream: true }));
    return done();
  });
  if (!done()) parser.write(decoder.decode()).close();
}

interface Archive {
  bytes: Uint8Array;
  entries: Map<string, ZipEntry>;
  budget: ExpansionBudget;
}

const attribute = (attributes: Attributes, name: string) =>
  attributes[name] ?? Object.entries(attributes).find(([key]) => key.endsWith(`:${name}`))?.[1];

/** A relationship target, relative to xl/ unless absolute. */
function partPath(target: string): string {
  const parts: string[] = [];
  for (const segment of (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/'))
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  return parts.join('/');
}

/** The workbook's first visible worksheet (its name and part), its date system, and its shared strings and styles parts. */
function workbookParts(archive: Archive) {
  const sheets: Array<{ name: string; id: string }> = [];
  let date1904 = false;
  readXml(archive, WORKBOOK, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name === 'sheet' && !/hidden/i.test(attributes.state ?? ''))
        sheets.push({ name: attributes.name ?? '', id: attribute(attributes, 'id') ?? '' });
    },
  });
  const targets = new Map<string, { type: string; path: string }>();
  readXml(archive, 'xl/_rels/workbook.xml.rels', {
    open(name, attributes) {
      if (name === 'Relationship' && attributes.Id && attributes.Target)
        targets.set(attributes.Id, { type: attributes.Type ?? '', path: partPath(attributes.Target) });
    },
  });
  const ofType = (type: string) => [...targets.values()].find((t) => t.type.endsWith(`/${type}`))?.path;
  const first = sheets.find((sheet) => targets.get(sheet.id)?.type.endsWith('/worksheet'));
  if (!first) throw fileProblem('the workbook has no visible worksheet');
  return {
    sheet: first.name,
    sheetPath: targets.get(first.id)!.path,
    date1904,
    strings: ofType('sharedStrings'),
    styles: ofType('styles'),
  };
}

function sharedStrings(archive: Archive, path: string | undefined): string[] {
  const strings: string[] = [];
  if (!path || !archive.entries.has(path)) return strings;
  let current = '';
  let inText = false;
  let phonetic = 0; // Japanese readings (<rPh>) are not the cell's text
  readXml(archive, path, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 't') inText = phonetic === 0;
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 'si') strings.push(current);
      else if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
    },
    text(text) {
      if (inText) current += text;
    },
  });
  return strings;
}

/** Each cell style's number kind, by its index (a cell's s attribute). */
function styleKinds(archive: Archive, path: string | undefined): NumberKind[] {
  if (!path || !archive.entries.has(path)) return [];
  const formats = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellStyles = false;
  readXml(archive, path, {
    open(name, attributes) {
      if (name === 'numFmt') formats.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellStyles = true;
      else if (name === 'xf' && inCellStyles) formatIds.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellStyles = false;
    },
  });
  return formatIds.map((id) => numberKind(id, formats));
}

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
  if (!isWorkbook(entries)) throw fileProblem('the file is a ZIP archive but not an Excel workbook (it has no xl/workbook.xml)');
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
    () => table.rows.length >= wanted,
  );
  if (table.headerLine === 0) throw fileProblem(`the first worksheet ("${parts.sheet}") is empty`);
  return options.rows === undefined ? checkTable(table) : table;
}
