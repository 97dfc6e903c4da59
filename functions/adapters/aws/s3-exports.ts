// Export files in S3 (the exports bucket, under exports/): each slice an object the worker writes
// once, the file assembled from them by a multipart upload (lib-storage streams the pieces as parts,
// so the file is never whole in memory and exists only once complete), downloaded through a
// presigned link that lives five minutes; the bucket expires all of them after 7 days.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { exportBucket } from '../../config.js';
import type { ExportFiles } from '../../use-cases/ports/exports.js';
import { DOWNLOAD_URL_SECONDS } from './s3-certificates.js';

const CSV = 'text/csv; charset=utf-8';

export class S3ExportFiles implements ExportFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer) {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/jsonl', ServerSideEncryption: 'AES256' }),
    );
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!object.Body) throw new Error(`export object ${key} has no body`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async assemble(key: string, pieces: AsyncIterable<Buffer>) {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(pieces), ContentType: CSV, ServerSideEncryption: 'AES256' },
    }).done();
  }

  async downloadUrl(key: string, fileName: string) {
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: CSV,
        ResponseContentDisposition: `attachment; filename="${fileName.replace(/"/g, '')}"`,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
    return { url, expiresAt: new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() };
  }
}

export const s3ExportFiles = () => new S3ExportFiles(new S3Client({}), exportBucket());
