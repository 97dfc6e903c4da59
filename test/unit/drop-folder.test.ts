// Local mode's drop folder, scanned by hand: a file is deleted only once its import is recorded,
// one that cannot be picked up stays without keeping the others back, and stop() waits for the
// scan in progress.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DroppedObject } from '../../functions/domain/drop-zone.js';
import type { Logger } from '../../functions/use-cases/logger.js';
import type { Uploads } from '../../functions/use-cases/uploads.js';
import { DropFolder } from '../../local/drop-folder.js';
import { localEtag } from '../../local/file-uploads.js';

let root: string;
const written = new Map<string, Uint8Array>();
const errors: Array<Record<string, unknown>> = [];
const uploads = { write: async (key: string, body: Uint8Array) => void written.set(key, body) } as unknown as Uploads;
const logger = {
  info() {},
  debug() {},
  warn() {},
  appendKeys() {},
  error: (_m: string, extra: Record<string, unknown>) => errors.push(extra),
} as Logger;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drop-folder-'));
  await mkdir(join(root, 'imports', 'certiport'), { recursive: true });
  written.clear();
  errors.length = 0;
});
afterEach(() => rm(root, { recursive: true, force: true }));

const put = (name: string, body: string) => writeFile(join(root, 'imports', 'certiport', name), body);
const present = (name: string) => existsSync(join(root, 'imports', 'certiport', name));

describe('the local drop folder', () => {
  it('tells of each file with its content’s ETag while the file is still there, and deletes it after', async () => {
    const seen: Array<{ object: DroppedObject; stillThere: boolean }> = [];
    const folder = new DropFolder(root, uploads, async (object) => void seen.push({ object, stillThere: present('a.csv') }), logger);
    await put('a.csv', 'Email\r\na@example.org\r\n');
    expect(await folder.scan()).toEqual([]);
    const [picked] = await folder.scan();
    expect(picked).toMatchObject({ key: 'imports/certiport/a.csv', etag: localEtag(Buffer.from('Email\r\na@example.org\r\n')) });
    expect(seen).toEqual([{ object: picked, stillThere: true }]);
    expect(present('a.csv')).toBe(false);
  });

  it('leaves a file whose import could not be recorded, logs it, and picks up the others', async () => {
    const folder = new DropFolder(
      root,
      uploads,
      async (object) => {
        if (object.key.endsWith('a.csv')) throw new Error('its notification was dead-lettered');
      },
      logger,
    );
    await put('a.csv', 'one');
    await put('b.csv', 'two');
    await folder.scan();
    const picked = await folder.scan();
    expect(picked.map((object) => object.key)).toEqual(['imports/certiport/b.csv']);
    expect([present('a.csv'), present('b.csv')]).toEqual([true, false]);
    expect(errors).toEqual([{ key: 'imports/certiport/a.csv', error: 'Error: its notification was dead-lettered' }]);
  });

  it('waits on stop for the scan in progress', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const folder = new DropFolder(root, uploads, () => held, logger);
    await put('a.csv', 'one');
    await folder.scan();
    const scanning = folder.scan();
    let stopped = false;
    const stopping = folder.stop().then(() => (stopped = true));
    await new Promise(setImmediate);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await scanning).map((object) => object.key)).toEqual(['imports/certiport/a.csv']);
  });
});
