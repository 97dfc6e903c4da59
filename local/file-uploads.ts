// Local stand-in for the uploads bucket: files under <data dir>/uploads, presigned PUT slots and
// download links that the local server checks the way S3 checks a presigned URL (an HMAC over
// the key, the expiry and what is signed), with the same rules as AWS: the slot expires, the
// Content-Type must be the signed one, and a body over the slot's size limit is refused while it
// is read (nothing is stored). Expiry is on local mode's clock.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { Clock } from '../functions/use-cases/ports/services.js';
import type { CopyOutcome, Uploads } from '../functions/use-cases/uploads.js';

/** The stand-in's ETag of a file: the MD5 of its content, as S3's is for a single PUT. */
export const localEtag = (body: Uint8Array) => createHash('md5').update(body).digest('hex');

export const LOCAL_UPLOADS_PATH = '/_local/uploads/';

type Refusal = { status: number; code: string; error: string };

export class FileUploads implements Uploads {
  constructor(
    private readonly root: string,
    private readonly baseUrl: () => string,
    private readonly signingKey: Buffer,
    private readonly clock: Clock,
  ) {}

  async createSlot(input: { key: string; contentType: string; maxBytes: number; expiresInSeconds: number; size?: number }) {
    this.fileFor(input.key);
    const expires = this.epoch() + input.expiresInSeconds;
    const max = input.size ?? input.maxBytes;
    const query = new URLSearchParams({
      expires: String(expires),
      max: String(max),
      type: input.contentType,
      signature: this.sign(['put', input.key, expires, max, input.contentType]),
    });
    return {
      url: this.urlFor(input.key, query),
      headers: { 'content-type': input.contentType },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** The local server's PUT: checks the slot, then stores the body unless it runs past the limit. */
  async receive(
    key: string,
    params: URLSearchParams,
    contentType: string | undefined,
    body: AsyncIterable<Buffer>,
  ): Promise<{ stored: number } | Refusal> {
    const expires = Number(params.get('expires'));
    const max = Number(params.get('max'));
    const type = params.get('type') ?? '';
    if (!this.verify(['put', key, expires, max, type], params))
      return { status: 403, code: 'SignatureDoesNotMatch', error: 'signature does not match' };
    if (!(expires >= this.epoch())) return { status: 403, code: 'AccessDenied', error: 'this upload link has expired' };
    if ((contentType ?? '') !== type)
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        error: `content-type must be ${type}, as signed (not ${contentType ?? 'none'})`,
      };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > max) return { status: 400, code: 'EntityTooLarge', error: `the file is over ${max} bytes` };
      chunks.push(chunk);
    }
    const file = this.fileFor(key);
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.part`;
    await writeFile(temporary, Buffer.concat(chunks));
    await rename(temporary, file);
    return { stored: size };
  }

  async head(key: string) {
    try {
      return { size: (await stat(this.fileFor(key))).size };
    } catch {
      return undefined;
    }
  }

  async read(key: string) {
    try {
      return new Uint8Array(await readFile(this.fileFor(key)));
    } catch {
      return undefined;
    }
  }

  async copy(from: string, to: string, condition: { ifEtag: string }): Promise<CopyOutcome> {
    const body = await this.read(from);
    if (!body) return 'missing';
    if (localEtag(body) !== condition.ifEtag) return 'changed';
    await this.write(to, body);
    return 'copied';
  }

  async write(key: string, body: Uint8Array) {
    const file = this.fileFor(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  async linkToRead(key: string, expiresInSeconds: number, fileName?: string) {
    const expires = this.epoch() + expiresInSeconds;
    const name = fileName ?? '';
    const query = new URLSearchParams({ expires: String(expires), name, signature: this.sign(['get', key, expires, name]) });
    return this.urlFor(key, query);
  }

  /** The local server's GET of a read link. */
  async open(key: string, params: URLSearchParams): Promise<{ body: Buffer; fileName: string } | Refusal> {
    const expires = Number(params.get('expires'));
    const name = params.get('name') ?? '';
    if (!this.verify(['get', key, expires, name], params))
      return { status: 403, code: 'SignatureDoesNotMatch', error: 'signature does not match' };
    if (!(expires >= this.epoch())) return { status: 403, code: 'AccessDenied', error: 'this download link has expired' };
    const body = await this.read(key);
    if (!body) return { status: 404, code: 'NoSuchKey', error: 'no such file' };
    return { body: Buffer.from(body), fileName: name || key.split('/').pop()! };
  }

  async delete(key: string) {
    await rm(this.fileFor(key), { force: true });
  }

  private epoch() {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  private urlFor(key: string, query: URLSearchParams) {
    return `${this.baseUrl()}${LOCAL_UPLOADS_PATH}${key.split('/').map(encodeURIComponent).join('/')}?${query.toString()}`;
  }

  private sign(parts: ReadonlyArray<string | number>) {
    return createHmac('sha256', this.signingKey).update(parts.join('\n')).digest('hex');
  }

  private verify(parts: ReadonlyArray<string | number>, params: URLSearchParams) {
    const given = Buffer.from(params.get('signature') ?? '', 'hex');
    const expected = Buffer.from(this.sign(parts), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private fileFor(key: string) {
    const root = normalize(this.root);
    const file = normalize(join(root, key));
    if (!file.startsWith(root + sep) || file.endsWith('.part')) throw new Error(`upload key escapes the store: ${key}`);
    return file;
  }
}
