// The parts of an XLSX workbook the reader needs besides its sheet: the workbook (its sheets in
// tab order, its date system), its relationships (which part each sheet is), the shared strings
// and the cell styles' number formats; and readXml, which streams any part through saxes as
// ExpansionBudget inflates it.
import { SaxesParser } from 'saxes';
import { fileProblem } from './report-table.js';
import { numberKind, type NumberKind } from './xlsx-cells.js';
import type { ExpansionBudget, ZipEntry } from './zip-archive.js';

/** A part other than the sheet is kept in memory as read (the shared strings): a lower limit keeps it inside a 512 MB function. */
const MAX_HELD_PART_BYTES = 64 * 1024 * 1024;
export const WORKBOOK = 'xl/workbook.xml';

type Attributes = Record<string, string>;
interface XmlHandlers {
  open?: (name: string, attributes: Attributes) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

/**
 * Reads one part's XML, up to `maxBytes` expanded; `done` (checked after each piece) ends it early.
 * Names come without their prefix.
 */
export function readXml(
  archive: Archive,
  name: string,
  handlers: XmlHandlers,
  { done = () => false, maxBytes = MAX_HELD_PART_BYTES }: { done?: () => boolean; maxBytes?: number } = {},
): void {
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
  archive.budget.inflate(
    archive.bytes,
    entry,
    (piece) => {
      parser.write(decoder.decode(piece, { stream: true }));
      return done();
    },
    maxBytes,
  );
  if (!done()) parser.write(decoder.decode()).close();
}

export interface Archive {
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
export function workbookParts(archive: Archive) {
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

export function sharedStrings(archive: Archive, path: string | undefined): string[] {
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
export function styleKinds(archive: Archive, path: string | undefined): NumberKind[] {
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
