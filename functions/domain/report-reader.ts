// A report file's bytes → its table, the format told by content, not by name: an XLSX workbook
// (a ZIP with xl/workbook.xml: xlsx-file.ts), else CSV (report-file.ts). An old .xls or a
// password-protected workbook is refused saying how to save it instead; so is a ZIP that is no
// workbook, and a file over the 50 MB limit.
import { readCsvFile } from './report-file.js';
import { fileProblem, MAX_IMPORT_BYTES, type ReportTable } from './report-table.js';
import { readXlsxFile } from './xlsx-file.js';

const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE2 compound file: an Excel 97–2003 .xls, or an .xlsx saved with a password (encrypted inside one). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A report file, CSV or XLSX by its content. */
export function readReportFile(bytes: Uint8Array): ReportTable {
  if (bytes.length > MAX_IMPORT_BYTES)
    throw fileProblem(`the file is ${megabytes(bytes.length)}, over the ${megabytes(MAX_IMPORT_BYTES)} limit`);
  if (startsWith(bytes, ZIP)) return readXlsxFile(bytes);
  if (startsWith(bytes, OLE2))
    throw fileProblem(
      isEncryptedWorkbook(bytes)
        ? 'the workbook is protected with a password (encrypted): remove the password, save it as .xlsx or "CSV UTF-8", and upload that'
        : 'the file is an Excel 97–2003 workbook (.xls), which Baton does not read: save it as .xlsx (Excel Workbook) or "CSV UTF-8"',
    );
  return readCsvFile(bytes);
}

/** An encrypted OOXML file keeps the workbook in a stream named EncryptedPackage (UTF-16 in the compound file's directory). */
function isEncryptedWorkbook(bytes: Uint8Array): boolean {
  const name = Uint8Array.from([...'EncryptedPackage'].flatMap((char) => [char.charCodeAt(0), 0]));
  for (let at = bytes.indexOf(name[0]!); at >= 0; at = bytes.indexOf(name[0]!, at + 1))
    if (name.every((b, i) => bytes[at + i] === b)) return true;
  return false;
}
