// A CSV report file's bytes → its header and rows, or a problem that names what is wrong (and
// the line, when it is one line), through csv-parse: UTF-8 with or without a byte-order mark, the
// delimiter (comma, semicolon or tab) detected from the header line, quoted fields with embedded
// newlines. A file that is not CSV text is told apart by its content: a PDF, other binary, or
// text that is not UTF-8. (report-reader.ts sends workbooks to the XLSX reader before this.)
import { parse } from 'csv-parse/sync';
import { detectDelimiter } from './delimiter.js';
import { checkTable, fileProblem, MAX_IMPORT_ROWS, type ReportTable } from './report-table.js';

/** imports.ts signs its upload slots with this limit (from here, which keeps the XLSX reader out of the API's bundles). */
export { MAX_IMPORT_BYTES } from './report-table.js';

/** A cell longer than this is not a report's: the file is refused rather than stored. */
const MAX_RECORD_BYTES = 64 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b);
const PDF = [0x25, 0x50, 0x44, 0x46];
const BOM = [0xef, 0xbb, 0xbf];

export function readCsvFile(bytes: Uint8Array): ReportTable {
  if (startsWith(bytes, PDF)) throw fileProblem('the file is a PDF, not CSV: export the report as CSV');
  const body = startsWith(bytes, BOM) ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul >= 0) throw fileProblem(`the file is binary, not CSV text (a NUL byte on line ${lineAt(body, nul)}): export the report as CSV`);
  const text = decodeUtf8(body);
  if (text.trim() === '') throw fileProblem('the file is empty');
  const delimiter = detectDelimiter(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      relax_quotes: false,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: MAX_RECORD_BYTES,
      info: true,
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const { message, lines } = error as { message?: string; lines?: number };
    throw fileProblem(`the file is not valid CSV${lines ? ` at line ${lines}` : ''}: ${csvReason(message ?? '')}`);
  }
  const [first, ...data] = records;
  // csv-parse counts the line a record ends on; a quoted field may span lines.
  const startLine = (record: string[], end: number) => end - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  return checkTable({
    format: 'csv',
    header: first!.record.map((name) => name.trim()),
    headerLine: startLine(first!.record, first!.info.lines),
    rows: data.map(({ record, info }) => ({ line: startLine(record, info.lines), cells: record })),
    delimiter,
  });
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    throw fileProblem(
      `the file is not UTF-8 text (line ${lineAt(bytes, at)} has a byte that is not): save it as "CSV UTF-8" (Excel: File → Save As → CSV UTF-8)`,
    );
  }
}

/** Offset of the first byte of an invalid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return i;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** csv-parse's message without its own code prefix and option names. */
function csvReason(message: string): string {
  if (/Invalid Record Length/i.test(message)) return 'a row has a different number of columns than the header';
  if (/Quote Not Closed/i.test(message)) return 'a quoted field is never closed';
  if (/Invalid Closing Quote|Invalid Opening Quote/i.test(message)) return 'a quote inside a field is not doubled ("")';
  if (/Max Record Size/i.test(message)) return 'a row is over 64 KiB';
  return message.replace(/^CsvError: /, '').slice(0, 200);
}
