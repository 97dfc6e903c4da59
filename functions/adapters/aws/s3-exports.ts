// Export files in S3 (the exports bucket, under exports/): written once by the worker, downloaded
// through a presigned link that lives five minutes; the bucket expires them after 7 days.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { exportBucket } from '../../config.js';
import type { ExportFiles } from '../../use-cases/ports/exports.js';
import { DOWNLOAD_URL_SECONDS } from './s3-certificates.js';

export class S3ExportFiles implements ExportFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer) {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'text/csv; charset=utf-8',
        ServerSideEncryption: 'AES256',
      }),
    );
  }

  async downloadUrl(key: string, fileName: string) {
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: 'text/csv; charset=utf-8',
        ResponseContentDisposition: `attachment; filename="${fileName.replace(/"/g, '')}"`,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
    return { url, expiresAt: new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() };
  }
}

export const s3ExportFiles = () => new S3ExportFiles(new S3Client({}), exportBucket());
