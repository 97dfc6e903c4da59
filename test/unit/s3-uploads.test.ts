// The uploads bucket's copy for the drop zone: CopyObject on the condition that the source is
// still the notified object (its ETag), and what S3 answers when it is not, or is gone.
import { CopyObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Uploads } from '../../functions/adapters/aws/s3-uploads.js';

/** An S3 client that answers every request with `answer` and keeps what it was sent. */
function s3(answer: () => unknown) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answer();
    },
  } as unknown as S3Client;
  return { uploads: new S3Uploads(client, 'uploads-bucket'), sent };
}

describe('S3Uploads.copy', () => {
  it('copies the URL-encoded source key if its ETag (quoted, as the header compares it) is still the given one', async () => {
    const { uploads, sent } = s3(() => ({}));
    expect(await uploads.copy('imports/certiport/Exam Results+1.csv', 'import-runs/uploads/id-1', { ifEtag: 'abc-2' })).toBe('copied');
    const [command] = sent as CopyObjectCommand[];
    expect(command).toBeInstanceOf(CopyObjectCommand);
    expect(command!.input).toMatchObject({
      Bucket: 'uploads-bucket',
      Key: 'import-runs/uploads/id-1',
      CopySource: 'uploads-bucket/imports/certiport/Exam%20Results%2B1.csv',
      CopySourceIfMatch: '"abc-2"',
    });
  });

  it('answers changed when S3 refuses the condition, missing when the source is gone, and throws anything else', async () => {
    const failing = (error: Error) =>
      s3(() => {
        throw error;
      }).uploads.copy('imports/certiport/a.csv', 'import-runs/uploads/id-1', { ifEtag: '"abc"' });
    expect(
      await failing(
        Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed' }),
      ),
    ).toBe('changed');
    expect(await failing(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }))).toBe('missing');
    await expect(failing(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))).rejects.toThrow(/Access Denied/);
  });
});
