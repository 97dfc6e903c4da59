// CSV as spreadsheets open it: UTF-8 with a byte-order mark (Excel reads the encoding from it),
// CRLF line ends, every field quoted when it needs to be (csv-stringify), and every cell safe from
// formula injection: a value a spreadsheet would read as a formula (starting with =, +, -, @, a
// tab or a carriage return) gets a leading apostrophe, as OWASP's CSV Injection guidance says, so
// it shows as the text it is.
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's text, neutralized when a spreadsheet would run it. */
export function safeCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text =
    typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows as CSV text (each line ended), the byte-order mark first when it starts the file: a file written in pieces joins these. */
export function csvLines(rows: ReadonlyArray<readonly unknown[]>, options: { bom?: boolean } = {}): string {
  if (rows.length === 0) return options.bom ? '\ufeff' : '';
  return stringify(
    rows.map((row) => row.map(safeCell)),
    { bom: options.bom ?? false, record_delimiter: 'windows', quoted_match: /[\s\S]/ },
  );
}
