// What a report file reads to, CSV or XLSX alike: its header and data rows, with the limits of one
// import and the header rules both readers apply (no empty column name, no name twice).
import type { Delimiter } from './delimiter.js';
import { validationError } from './errors.js';

/** The limits of one import (the issue's: 100,000 rows, 50 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;

export interface ReportTable {
  format: 'csv' | 'xlsx';
  header: string[];
  /** The header's line in the file (CSV) or its row number in the worksheet (XLSX). */
  headerLine: number;
  /** The data rows, each with its line (CSV) or row number (XLSX), as a coordinator finds it. */
  rows: Array<{ line: number; cells: string[] }>;
  /** CSV's delimiter, as detected. */
  delimiter?: Delimiter;
  /** XLSX: the worksheet read (the first). */
  sheet?: string;
}

/** A file Baton will not read; the message names the problem (and the line). */
export const fileProblem = (message: string) => validationError(message);

/** "line 3" in a CSV file, "row 3" in a worksheet. */
export const lineName = (table: Pick<ReportTable, 'format'>, line: number) => `${table.format === 'csv' ? 'line' : 'row'} ${line}`;

/** A worksheet's column letters: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The header and row rules every report file meets, whatever its format. */
export function checkTable(table: ReportTable): ReportTable {
  const where = `the header row (${lineName(table, table.headerLine)})`;
  const column = (i: number) => (table.format === 'csv' ? `column ${i + 1}` : `column ${columnLetters(i)}`);
  const blank = table.header.findIndex((name) => name === '');
  if (blank >= 0) throw fileProblem(`${where} has an empty column name (${column(blank)})`);
  const { header } = table;
  const twice = header.find((name, i) => header.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== i);
  if (twice) throw fileProblem(`${where} names the column "${twice.slice(0, 60)}" twice`);
  const what = table.format === 'csv' ? 'the file' : 'the worksheet';
  if (table.rows.length === 0) throw fileProblem(`${what} has a header row and no data rows`);
  if (table.rows.length > MAX_IMPORT_ROWS) throw tooManyRows(table);
  return table;
}

export const tooManyRows = (table: Pick<ReportTable, 'format'>) =>
  fileProblem(
    `${table.format === 'csv' ? 'the file' : 'the worksheet'} has over ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows: split it`,
  );
