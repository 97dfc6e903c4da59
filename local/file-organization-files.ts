// Local stand-in for the organization's files in S3: files under <data dir>/organization.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrganizationFiles } from '../functions/use-cases/ports/organization.js';

const SAFE_NAME = /^[a-z]+-[0-9a-f]{64}\.(png|svg)$/;
const CONTENT_TYPES: Record<string, string> = { png: 'image/png', svg: 'image/svg+xml' };

export class FileOrganizationFiles implements OrganizationFiles {
  constructor(private readonly root: string) {}

  async put(file: string, bytes: Uint8Array) {
    if (!SAFE_NAME.test(file)) throw new Error(`not an organization file name: ${file}`);
    await mkdir(this.root, { recursive: true });
    await writeFile(join(this.root, file), bytes);
  }

  async get(file: string) {
    if (!SAFE_NAME.test(file)) return undefined;
    try {
      return { bytes: new Uint8Array(await readFile(join(this.root, file))), contentType: CONTENT_TYPES[file.split('.').pop()!]! };
    } catch {
      return undefined;
    }
  }
}
