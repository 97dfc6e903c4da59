// Uploads in S3 (the private uploads bucket): presigned PUTs whose Content-Type (and, when the
// client gave it, Content-Length) are signed, so the browser cannot store another type or size
// under the key; reads and short-lived download links for the functions that use the files.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { uploadBucket } from '../../config.js';
import type { CopyOutcome, Uploads } from '../../use-cases/uploads.js';

const missing = (error: unknown) =>
  error instanceof NoSuchKey || error instanceof NotFound || (error as { name?: string }).name === 'NotFound';

export class S3Uploads implements Uploads {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async createSlot(input: { key: string; contentType: string; maxBytes: number; expiresInSeconds: number; size?: number }) {
    if (input.size !== undefined && input.size > input.maxBytes) throw new Error(`upload of ${input.size} bytes is over ${input.maxBytes}`);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ServerSideEncryption: 'AES256',
      ...(input.size !== undefined ? { ContentLength: input.size } : {}),
    });
    const signed = new Set(['content-type', 'x-amz-server-side-encryption', ...(input.size !== undefined ? ['content-length'] : [])]);
    const url = await getSignedUrl(this.client, command, { expiresIn: input.expiresInSeconds, signableHeaders: signed });
    return {
      url,
      headers: { 'content-type': input.contentType, 'x-amz-server-side-encryption': 'AES256' },
      expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000).toISOString(),
    };
  }

  async head(key: string) {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string) {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async copy(from: string, to: string, condition: { ifEtag: string }): Promise<CopyOutcome> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
          // Notifications give the ETag unquoted; the header compares the quoted form.
          CopySourceIfMatch: condition.ifEtag.startsWith('"') ? condition.ifEtag : `"${condition.ifEtag}"`,
          ServerSideEncryption: 'AES256',
        }),
      );
      return 'copied';
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed') return 'changed';
      if (missing(error)) return 'missing';
      throw error;
    }
  }

  async write(key: string, body: Uint8Array, contentType: string) {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'AES256' }),
    );
  }

  async linkToRead(key: string, expiresInSeconds: number, fileName?: string) {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName.replace(/["\\\r\n]/g, '')}"` } : {}),
      }),
      { expiresIn: expiresInSeconds },
    );
  }

  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

export const s3Uploads = () => new S3Uploads(new S3Client({}), uploadBucket());
