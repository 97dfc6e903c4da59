import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { certificateBucket } from '../../config.js';
import type { CertificateStore } from '../../use-cases/ports/services.js';

/** Download links live this long: long enough to click, short enough not to be shared. */
export const DOWNLOAD_URL_SECONDS = 300;

export class S3CertificateStore implements CertificateStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, pdf: Uint8Array) {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: pdf, ContentType: 'application/pdf', ServerSideEncryption: 'AES256' }),
    );
  }

  async downloadUrl(key: string, fileName: string) {
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: 'application/pdf',
        ResponseContentDisposition: `attachment; filename="${fileName}"`,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
    return { url, expiresAt: new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() };
  }
}

export const s3CertificateStore = () => new S3CertificateStore(new S3Client({}), certificateBucket());
