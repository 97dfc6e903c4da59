// An export's file assembled from its slices: the header names as many step groups as the longest
// row of any slice, every row is padded to them before the certificate columns, the slices come
// in their order, and the cells stay safe from formula injection.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { assembledCsv, decodePart, encodePart, padSteps } from '../../functions/use-cases/export-parts.js';
import {
  CERTIFICATE_COLUMNS,
  CERTIFICATE_EXPORT_COLUMNS,
  ENROLLMENT_COLUMNS,
  STEP_COLUMNS,
} from '../../functions/use-cases/export-rows.js';
import type { BuiltRow } from '../../functions/use-cases/export-build.js';

const row = (name: string, steps: number): BuiltRow => ({
  row: [
    ...ENROLLMENT_COLUMNS.map((c) => (c === 'student_name' ? name : c)),
    ...Array.from({ length: steps }, (_, i) => STEP_COLUMNS.map((c) => `s${i + 1}-${c}`)).flat(),
    ...CERTIFICATE_COLUMNS.map((c) => `${name}-${c}`),
  ],
  steps,
});

async function assemble(kind: 'enrollments' | 'certificates', slices: BuiltRow[][]) {
  const objects = new Map(slices.map((rows, i) => [`part-${i}`, encodePart(rows)]));
  const parts = slices.map((rows, i) => ({ key: `part-${i}`, rows: rows.length, steps: Math.max(0, ...rows.map((r) => r.steps)) }));
  const pieces: Buffer[] = [];
  for await (const piece of assembledCsv(kind, parts, async (key) => objects.get(key)!)) pieces.push(piece);
  return Buffer.concat(pieces);
}

describe('export slices', () => {
  it('reads back the rows a slice was written with', () => {
    const rows = [row('Ada\nLovelace, "the first"', 2), row('=1+1', 0)];
    expect(decodePart(encodePart(rows))).toEqual(rows);
    expect(decodePart(encodePart([]))).toEqual([]);
  });

  it('pads a row with empty step groups before its certificate columns', () => {
    const padded = padSteps(row('Ben', 1), 3);
    expect(padded).toHaveLength(ENROLLMENT_COLUMNS.length + 3 * STEP_COLUMNS.length + CERTIFICATE_COLUMNS.length);
    expect(padded.slice(ENROLLMENT_COLUMNS.length + STEP_COLUMNS.length, -CERTIFICATE_COLUMNS.length).every((c) => c === '')).toBe(true);
    expect(padded.slice(-CERTIFICATE_COLUMNS.length)).toEqual(CERTIFICATE_COLUMNS.map((c) => `Ben-${c}`));
    expect(padSteps(row('Cy', 3), 3)).toEqual(row('Cy', 3).row);
  });

  it('assembles the slices in order under a header with the most steps any slice has', async () => {
    // The longest row is in the last slice: the earlier slices' rows get its columns too.
    const bytes = await assemble('enrollments', [[row('Ada', 1), row('Ben', 2)], [], [row('=HYPERLINK("x")', 3)]]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).not.toContain('\ufeff');
    const rows: Array<Record<string, string>> = parse(bytes, { columns: true, bom: true });
    expect(rows.map((r) => r.student_name)).toEqual(['Ada', 'Ben', `'=HYPERLINK("x")`]);
    expect(rows.map((r) => [r.step1_partner, r.step2_partner, r.step3_partner])).toEqual([
      ['s1-partner', '', ''],
      ['s1-partner', 's2-partner', ''],
      ['s1-partner', 's2-partner', 's3-partner'],
    ]);
    expect(rows.map((r) => r.certificate_id)).toEqual(['Ada-certificate_id', 'Ben-certificate_id', `'=HYPERLINK("x")-certificate_id`]);
  });

  it('writes the header alone when no slice has a row, and certificate rows as built', async () => {
    const empty = await assemble('enrollments', [[]]);
    expect(parse(empty, { bom: true })).toEqual([[...ENROLLMENT_COLUMNS, ...CERTIFICATE_COLUMNS]]);
    const certificate = { row: CERTIFICATE_EXPORT_COLUMNS.map((c) => c.toUpperCase()), steps: 0 };
    const certificates = await assemble('certificates', [[certificate], [certificate]]);
    expect(parse(certificates, { bom: true })).toEqual([[...CERTIFICATE_EXPORT_COLUMNS], certificate.row, certificate.row]);
  });
});
