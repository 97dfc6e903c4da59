// The organization's images in the certificates bucket, under their own prefix (infra grants the
// settings function writes and the logo route reads on exactly that prefix).
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { certificateBucket } from '../../config.js';
import type { OrganizationFiles } from '../../use-cases/ports/organization.js';

export const ORGANIZATION_OBJECT_PREFIX = 'organization/';

export class S3OrganizationFiles implements OrganizationFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(file: string, bytes: Uint8Array, contentType: string) {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${ORGANIZATION_OBJECT_PREFIX}${file}`,
        Body: bytes,
        ContentType: contentType,
        ServerSideEncryption: 'AES256',
      }),
    );
  }

  async get(file: string) {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${ORGANIZATION_OBJECT_PREFIX}${file}` }));
      return { bytes: await result.Body!.transformToByteArray(), contentType: result.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

export const s3OrganizationFiles = () => new S3OrganizationFiles(new S3Client({}), certificateBucket());
