// An export's file in pieces: each slice is stored as JSON lines (one built row each, with its
// number of step groups), and the file is assembled from them in order once every slice is
// written: the header (with as many step groups as the longest row of any slice has), then each
// slice's rows padded to that, as CSV. So no run rewrites what an earlier run wrote, and the
// header can name step columns that only the last slice showed were needed.
import { csvLines } from '../domain/csv.js';
import type { BuiltRow } from './export-build.js';
import { CERTIFICATE_EXPORT_COLUMNS, ENROLLMENT_COLUMNS, STEP_COLUMNS, enrollmentHeader } from './export-rows.js';
import type { ExportFiles, ExportKind, ExportPart } from './ports/exports.js';

export function encodePart(rows: readonly BuiltRow[]): Buffer {
  return Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
}

export function decodePart(body: Buffer): BuiltRow[] {
  return body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as BuiltRow);
}

/** A row built with `steps` step groups, given empty groups up to `maxSteps` (before the certificate columns). */
export function padSteps({ row, steps }: BuiltRow, maxSteps: number): unknown[] {
  if (steps === maxSteps) return row;
  const at = ENROLLMENT_COLUMNS.length + steps * STEP_COLUMNS.length;
  return [...row.slice(0, at), ...new Array<string>((maxSteps - steps) * STEP_COLUMNS.length).fill(''), ...row.slice(at)];
}

/** The file's pieces: its header, then each part's rows as CSV, read one part at a time. */
export async function* assembledCsv(kind: ExportKind, parts: readonly ExportPart[], read: ExportFiles['read']): AsyncGenerator<Buffer> {
  const maxSteps = Math.max(0, ...parts.map((p) => p.steps));
  const header = kind === 'enrollments' ? enrollmentHeader(maxSteps) : [...CERTIFICATE_EXPORT_COLUMNS];
  yield Buffer.from(csvLines([header], { bom: true }), 'utf8');
  for (const part of parts) {
    const rows = decodePart(await read(part.key));
    yield Buffer.from(csvLines(kind === 'enrollments' ? rows.map((r) => padSteps(r, maxSteps)) : rows.map((r) => r.row)), 'utf8');
  }
}
