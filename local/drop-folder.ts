// Local mode's drop zone: <dataDir>/drop/imports/<partnerId>/ stands in for the uploads bucket's
// imports/ prefix (where an SFTP server or a partner's script puts files on AWS). A scan moves each
// file that has stopped changing (the same size and modification time as at the previous scan)
// into the local bucket under the same key, then tells the same use case the bucket's notification
// tells on AWS. A file still being written waits for the next scan. Hidden files (.DS_Store) and
// `.part` files (uploads in progress) are left alone, as the use case ignores them on AWS.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DROP_ZONE_PREFIX, isHiddenOrPartial, type DroppedObject } from '../functions/domain/drop-zone.js';
import type { Logger } from '../functions/use-cases/logger.js';
import type { Uploads } from '../functions/use-cases/uploads.js';
import { localEtag } from './file-uploads.js';

export class DropFolder {
  /** Each file's size and modification time at the last scan, by key. */
  private readonly lastSeen = new Map<string, string>();
  private scanning: Promise<DroppedObject[]> = Promise.resolve([]);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** The folder that stands for the bucket: drop zone files are under its imports/. */
    readonly root: string,
    private readonly uploads: Uploads,
    /** The bucket's notification: resolves once the object's import is recorded, rejects if it could not be. */
    private readonly notify: (object: DroppedObject) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  /** The folder of each partner, made so a coordinator sees where to put files. */
  async prepare(partnerIds: readonly string[]): Promise<void> {
    for (const id of partnerIds) await mkdir(join(this.root, DROP_ZONE_PREFIX, id), { recursive: true });
  }

  /** Scans every `everySeconds` (0: only when scan() is called). */
  start(everySeconds: number): void {
    if (everySeconds <= 0) return;
    this.timer = setInterval(() => {
      this.scan().catch((error: unknown) => this.logger.error('drop zone scan failed', { error: String(error) }));
    }, everySeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a scan in progress, so nothing is picked up after this. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.scanning.catch(() => []);
  }

  /** One scan (after the one running, if any): answers the files it picked up. */
  scan(): Promise<DroppedObject[]> {
    this.scanning = this.scanning.catch(() => []).then(() => this.scanOnce());
    return this.scanning;
  }

  private async scanOnce(): Promise<DroppedObject[]> {
    const picked: DroppedObject[] = [];
    const present = new Set<string>();
    for (const file of await filesUnder(join(this.root, DROP_ZONE_PREFIX))) {
      const key = relative(this.root, file).split(sep).join('/');
      present.add(key);
      try {
        const object = await this.pickUp(file, key);
        if (object) picked.push(object);
      } catch (error) {
        // One file that cannot be read or imported now is left where it is; the others go on.
        this.logger.error('drop zone file not picked up; left in the folder', { key, error: String(error) });
      }
    }
    for (const key of this.lastSeen.keys()) if (!present.has(key)) this.lastSeen.delete(key);
    return picked;
  }

  /** The file as a new object in the bucket once it has stopped changing, its import recorded; else undefined. */
  private async pickUp(file: string, key: string): Promise<DroppedObject | undefined> {
    const { size, mtimeMs } = await stat(file);
    const mark = `${size}:${mtimeMs}`;
    if (this.lastSeen.get(key) !== mark) {
      this.lastSeen.set(key, mark);
      return undefined;
    }
    this.lastSeen.delete(key);
    const body = await readFile(file);
    await this.uploads.write(key, body, 'application/octet-stream');
    // Each pickup is a new object, as each PUT is a new version in the versioned bucket.
    const object: DroppedObject = { key, size: body.length, version: randomUUID(), etag: localEtag(body) };
    await this.notify(object);
    // Only now that its import is recorded: a file whose notification failed stays to be picked up again.
    await rm(file);
    return object;
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (isHiddenOrPartial(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}
