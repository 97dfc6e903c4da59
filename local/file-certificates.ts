// Local stand-in for the certificates S3 bucket: files under <data dir>/certificates, and
// "presigned" download URLs that the local server checks (HMAC over key and expiry), like S3.
// Expiry is on local mode's clock, so moving the clock expires the links, as time passing would.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { dirname, join, normalize } from 'node:path';
import type { ExportFiles } from '../functions/use-cases/ports/exports.js';
import type { CertificateStore, Clock } from '../functions/use-cases/ports/services.js';

const URL_SECONDS = 300;
export const LOCAL_DOWNLOAD_PATH = '/_local/certificates/';
/** Export files (CSV) are served the same way, under their own path. */
export const LOCAL_EXPORTS_PATH = '/_local/exports/';

export class FileCertificateStore implements CertificateStore {
  constructor(
    private readonly root: string,
    private readonly baseUrl: () => string,
    private readonly signingKey: Buffer,
    private readonly clock: Clock,
    private readonly downloadPath: string = LOCAL_DOWNLOAD_PATH,
  ) {}

  async put(key: string, pdf: Uint8Array | Buffer) {
    const file = this.fileFor(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, pdf);
  }

  async downloadUrl(key: string, fileName: string) {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + URL_SECONDS;
    const query = new URLSearchParams({ expires: String(expires), name: fileName, signature: this.sign(key, expires, fileName) });
    return {
      url: `${this.baseUrl()}${this.downloadPath}${key.split('/').map(encodeURIComponent).join('/')}?${query.toString()}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** Checks a download URL the way S3 checks a presigned one; returns the file or why not. */
  async open(key: string, params: URLSearchParams): Promise<{ pdf: Buffer; fileName: string } | { error: string; status: number }> {
    const expires = Number(params.get('expires'));
    const fileName = params.get('name') ?? 'certificate.pdf';
    const given = Buffer.from(params.get('signature') ?? '', 'hex');
    const expected = Buffer.from(this.sign(key, expires, fileName), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, error: 'signature does not match' };
    if (!Number.isFinite(expires) || expires < this.clock.now().getTime() / 1000)
      return { status: 403, error: 'this download link has expired' };
    try {
      return { pdf: await readFile(this.fileFor(key)), fileName };
    } catch {
      return { status: 404, error: 'no such certificate file' };
    }
  }

  protected sign(key: string, expires: number, fileName: string) {
    return createHmac('sha256', this.signingKey).update(`${key}\n${expires}\n${fileName}`).digest('hex');
  }

  protected fileFor(key: string) {
    const file = normalize(join(this.root, key));
    if (!file.startsWith(normalize(this.root))) throw new Error(`certificate key escapes the store: ${key}`);
    return file;
  }
}

/** Export files: the same store, with the slices read back and the file assembled beside its place, then renamed into it (S3's multipart upload, too, shows the object only once complete). */
export class FileExportFiles extends FileCertificateStore implements ExportFiles {
  constructor(root: string, baseUrl: () => string, signingKey: Buffer, clock: Clock) {
    super(root, baseUrl, signingKey, clock, LOCAL_EXPORTS_PATH);
  }

  async read(key: string): Promise<Buffer> {
    return readFile(this.fileFor(key));
  }

  async assemble(key: string, pieces: AsyncIterable<Buffer>) {
    const file = this.fileFor(key);
    const partial = `${file}.${randomUUID()}.partial`;
    await mkdir(dirname(file), { recursive: true });
    try {
      await pipeline(Readable.from(pieces), createWriteStream(partial));
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
  }
}
