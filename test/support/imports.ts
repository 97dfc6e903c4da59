// Helpers for import tests: the reader's refusal of a file, save a partner's column mapping,
// upload a file through the API's slot, run it and wait for the run to end.
import { readReportFile } from '../../functions/domain/report-reader.js';
import type { TestBaton } from './test-baton.js';
import { ADMIN } from './test-baton.js';

/** The message a report file is refused with (a file that is read fails the test). */
export function refusalOf(file: Uint8Array): string {
  try {
    readReportFile(file);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

const DEFINITION_FIELDS = ['name', 'contactEmail', 'supportUrl', 'launchUrlTemplate', 'instructions', 'courses', 'status', 'webhook'];

/** Saves `csv` on the partner, keeping the rest of its definition as it is. */
export async function saveMapping(baton: TestBaton, partnerId: string, csv: unknown) {
  const current = (await baton.api('GET', `/api/admin/partners/${partnerId}`, { as: ADMIN })).body;
  const definition = Object.fromEntries(DEFINITION_FIELDS.filter((f) => current[f] !== undefined).map((f) => [f, current[f]]));
  const saved = await baton.api('PUT', `/api/admin/partners/${partnerId}`, { as: ADMIN, body: { ...definition, csv } });
  if (saved.status !== 200 && saved.status !== 201) throw new Error(`saving the mapping: ${saved.status} ${JSON.stringify(saved.body)}`);
  return saved;
}

/** Creates an import and PUTs the file to its slot; answers the import id and the PUT's status. */
export async function upload(
  baton: TestBaton,
  input: { kind: 'completions' | 'enrollments'; partnerId?: string; fileName: string },
  body: Uint8Array | string,
) {
  const created = await baton.api('POST', '/api/admin/imports', { as: ADMIN, body: input });
  if (created.status !== 201) throw new Error(`creating the import: ${created.status} ${JSON.stringify(created.body)}`);
  const { importId, uploadUrl, uploadHeaders } = created.body as {
    importId: string;
    uploadUrl: string;
    uploadHeaders: Record<string, string>;
  };
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: uploadHeaders,
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  }).catch(() => undefined);
  return { importId, putStatus: put?.status ?? 0 };
}

/** Runs the import and answers it once the run has ended. */
export async function run(baton: TestBaton, importId: string, dryRun: boolean) {
  const started = await baton.api('POST', `/api/admin/imports/${importId}/run`, { as: ADMIN, body: { dryRun } });
  if (started.status !== 202) return started;
  await baton.drain();
  return baton.api('GET', `/api/admin/imports/${importId}`, { as: ADMIN });
}

/** Every item but the import's own records (its job, list entry and chunks). */
export async function itemsBesideImports(baton: TestBaton) {
  return (await baton.items()).filter((item) => !String(item.pk).startsWith('IMPORT'));
}
