// The drop zone: a partner (or its SFTP server) puts a completion report under
// `imports/<partnerId>/<file>` in the uploads bucket, and Baton imports it with the partner's saved
// mapping. Baton's own import files live under `import-runs/`, so the bucket's notification (one
// prefix per filter) fires for partners' files only.
import { cleanedFileName, FILE_NAME_RULE, isFileName } from './file-name.js';
import { uuidShapedHash } from './hashed-id.js';
import { isPartnerId, PARTNER_ID_RULE } from './partners.js';
import { DROP_ZONE_PREFIX } from './upload-prefixes.js';

export { DROP_ZONE_PREFIX, IMPORT_RUNS_PREFIX } from './upload-prefixes.js';

/** Who created a dropped file's import, as the import list shows it. */
export const DROP_ZONE_ACTOR = 'drop zone';
/**
 * Where Baton kept its own import files before they moved to `import-runs/`: objects written there
 * (an upload slot opened before the move) are Baton's, not a partner's, and no partner takes these ids.
 */
export const RESERVED_DROP_FOLDERS: readonly string[] = ['uploads', 'work', 'results'];

/** An object that arrived in the bucket, as its notification tells it. */
export interface DroppedObject {
  key: string;
  size: number;
  /** What tells this object apart from an earlier one under the same key: its version id (or the event's sequencer). */
  version: string;
  /** The object's ETag: the import reads this object only if the key still holds it. */
  etag: string;
}

export type DropKey =
  | { kind: 'file'; partnerId: string; fileName: string }
  /** A folder marker (an SFTP mkdir, the console's "Create folder"), or Baton's own file: not a partner's report. */
  | { kind: 'not-a-report'; why: string }
  | { kind: 'refused'; fileName: string; partnerId?: string; problem: string };

/**
 * A hidden file (.DS_Store) or one still being uploaded under a temporary name (WinSCP's
 * `.filepart`, `.part`), which the client renames when done: the renamed file is the report.
 */
export const isHiddenOrPartial = (fileName: string) => fileName.startsWith('.') || /\.(file)?part$/i.test(fileName);

export function readDropKey(key: string): DropKey {
  const fileName = key.slice(key.lastIndexOf('/') + 1);
  if (key.endsWith('/')) return { kind: 'not-a-report', why: 'a folder marker' };
  if (isHiddenOrPartial(fileName)) return { kind: 'not-a-report', why: 'a hidden file, or one still being uploaded' };
  const parts = key.split('/');
  if (parts[0] === DROP_ZONE_PREFIX.slice(0, -1) && RESERVED_DROP_FOLDERS.includes(parts[1] ?? ''))
    return { kind: 'not-a-report', why: 'a file of Baton’s own, from before import-runs/' };
  if (!isFileName(fileName))
    return {
      kind: 'refused',
      fileName: cleanedFileName(fileName),
      problem: `the file's name breaks the rule for names: ${FILE_NAME_RULE}`,
    };
  if (parts[0] !== DROP_ZONE_PREFIX.slice(0, -1) || parts.length !== 3 || !parts[1])
    return { kind: 'refused', fileName, problem: `"${key.slice(0, 200)}" is not of the form imports/<partnerId>/<file>` };
  const partnerId = parts[1];
  const folder = partnerId.slice(0, 50);
  if (!isPartnerId(partnerId))
    return { kind: 'refused', fileName, problem: `the folder "${folder}" is not a partner id (${PARTNER_ID_RULE})` };
  return { kind: 'file', partnerId, fileName };
}

/**
 * The import id of a dropped object: the same object (key and version) always gives the same id,
 * so a notification delivered twice finds its import already made; a file dropped again is a new
 * version, hence a new import. Shaped like a UUID, as every import id is.
 */
export function dropImportId(object: Pick<DroppedObject, 'key' | 'version'>): string {
  return uuidShapedHash(`${object.key}\n${object.version}`);
}
