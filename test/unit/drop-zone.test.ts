// The drop zone's pure parts: what S3 puts on the imports queue (keys URL-encoded, spaces as +),
// what a key says (the partner, the file, or why it is no report), and the import id an object gets.
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { droppedObjectsOf } from '../../functions/adapters/aws/s3-events.js';
import { dropImportId, readDropKey } from '../../functions/domain/drop-zone.js';
import { importMessageOf } from '../../functions/adapters/aws/sqs-queues.js';
import { DynamoImportStore } from '../../functions/adapters/dynamodb/import-store.js';
import type { Table, TransactOutcome } from '../../functions/adapters/dynamodb/table.js';
import { importDroppedFile, type DropZoneDeps } from '../../functions/use-cases/drop-zone.js';
import type { ImportJob } from '../../functions/use-cases/ports/imports.js';
import { WriteContention } from '../../functions/use-cases/retry.js';
import { create as importWorker } from '../../functions/handlers/import-worker.js';

// An S3 event notification as SQS receives it (the shape of the S3 user guide's example), for a
// file an SFTP client uploaded as "imports/certiport/Exam Results+March (1).csv".
const PUT_NOTIFICATION = `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1","eventTime":"2026-03-15T06:00:12.345Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AROAEXAMPLE:transfer-certiport"},"requestParameters":{"sourceIPAddress":"10.0.0.12"},"responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},"s3":{"s3SchemaVersion":"1.0","configurationId":"ZGI1NDY2NDEtNDc0Mi00","bucket":{"name":"baton-prod-offrequestuploads-1a2b3c","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::baton-prod-offrequestuploads-1a2b3c"},"object":{"key":"imports/certiport/Exam+Results%2BMarch+%281%29.csv","size":1024,"eTag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko","sequencer":"0055AED6DCD90281E5"}}}]}`;

describe('S3 notifications on the imports queue', () => {
  it('reads the created object: its key decoded (+ is a space, %2B a plus), size and version id', () => {
    expect(droppedObjectsOf(PUT_NOTIFICATION)).toEqual([
      {
        key: 'imports/certiport/Exam Results+March (1).csv',
        size: 1024,
        version: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ]);
  });

  it('answers nothing to do for the test event S3 sends when the notification is set, and for a removal', () => {
    const test =
      '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-03-15T06:00:00.000Z","Bucket":"uploads","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}';
    expect(droppedObjectsOf(test)).toEqual([]);
    expect(droppedObjectsOf(PUT_NOTIFICATION.replace('ObjectCreated:Put', 'ObjectRemoved:Delete'))).toEqual([]);
  });

  it('uses the sequencer where there is no version id (an unversioned bucket)', () => {
    const unversioned = PUT_NOTIFICATION.replace('"versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko",', '');
    expect(droppedObjectsOf(unversioned)![0]!.version).toBe('0055AED6DCD90281E5');
  });

  it('tells an S3 notification from an import step, and neither from anything else', () => {
    const step = '{"importId":"0b4c9a1e-0000-4000-8000-000000000000","run":1,"step":"prepare"}';
    expect(droppedObjectsOf(step)).toBeUndefined();
    expect(importMessageOf(PUT_NOTIFICATION)).toBeUndefined();
    expect(droppedObjectsOf('not json')).toBeUndefined();
    expect(droppedObjectsOf('{"Records":[{"eventSource":"aws:sqs"}]}')).toBeUndefined();
  });
});

describe('the import worker, given a message it cannot read', () => {
  // Nothing is looked up for such a message: ports it never reaches.
  const worker = importWorker({} as Parameters<typeof importWorker>[0], () => 20);
  const event = (body: string) => ({ Records: [{ messageId: 'm-1', body }] }) as unknown as SQSEvent;

  it('throws (so SQS receives it again, then dead-letters it) for a body that is neither an import step nor an S3 notification', async () => {
    await expect(worker(event('not json'))).rejects.toThrow(/m-1 is neither an import step nor an S3 notification/);
    await expect(worker(event('{"Records":[{"eventSource":"aws:sqs"}]}'))).rejects.toThrow(/neither/);
  });

  it('throws for a created object with no key or no ETag, rather than skip it', async () => {
    const noKey = PUT_NOTIFICATION.replace('"key":"imports/certiport/Exam+Results%2BMarch+%281%29.csv",', '');
    const noEtag = PUT_NOTIFICATION.replace('"eTag":"d41d8cd98f00b204e9800998ecf8427e",', '');
    expect(noKey).not.toBe(PUT_NOTIFICATION);
    expect(noEtag).not.toBe(PUT_NOTIFICATION);
    await expect(worker(event(noKey))).rejects.toThrow(/without its object's key or ETag/);
    await expect(worker(event(noEtag))).rejects.toThrow(/without its object's key or ETag/);
  });
});

describe('a drop zone key', () => {
  it('names the partner and the file', () => {
    expect(readDropKey('imports/certiport/exam results.csv')).toEqual({
      kind: 'file',
      partnerId: 'certiport',
      fileName: 'exam results.csv',
    });
  });

  it('refuses a file outside a partner folder, in a subfolder, or in a folder that is no partner id, saying why', () => {
    expect(readDropKey('imports/results.csv')).toMatchObject({ kind: 'refused', problem: expect.stringMatching(/not of the form/) });
    expect(readDropKey('imports/certiport/2026/march.csv')).toMatchObject({ kind: 'refused', fileName: 'march.csv' });
    expect(readDropKey('imports/Certiport Exams/march.csv')).toMatchObject({
      kind: 'refused',
      problem: expect.stringMatching(/"Certiport Exams" is not a partner id/),
    });
  });

  it('refuses a name the upload route would refuse (over 200 characters, control characters), listed cleaned and cut short', () => {
    const long = `${'r'.repeat(250)}.csv`;
    const refusedLong = readDropKey(`imports/certiport/${long}`);
    expect(refusedLong).toMatchObject({ kind: 'refused', problem: expect.stringMatching(/at most 200 characters.*no control characters/) });
    expect(refusedLong.kind === 'refused' && refusedLong.fileName).toBe(`${'r'.repeat(79)}…`);
    expect(readDropKey('imports/certiport/march\r\n.csv')).toMatchObject({ kind: 'refused', fileName: 'march??.csv' });
    expect(readDropKey(`imports/certiport/${'r'.repeat(196)}.csv`)).toMatchObject({ kind: 'file' });
  });

  it('is no report when it is a folder marker, a hidden or half-uploaded file, or Baton’s own file from before import-runs/', () => {
    expect(readDropKey('imports/certiport/')).toMatchObject({ kind: 'not-a-report' });
    expect(readDropKey('imports/certiport/.DS_Store')).toMatchObject({ kind: 'not-a-report' });
    expect(readDropKey('imports/certiport/results.csv.filepart')).toMatchObject({ kind: 'not-a-report' });
    expect(readDropKey('imports/uploads/0b4c9a1e-0000-4000-8000-000000000000')).toMatchObject({ kind: 'not-a-report' });
    expect(readDropKey('imports/work/0b4c9a1e-0000-4000-8000-000000000000/1/0.json')).toMatchObject({ kind: 'not-a-report' });
  });
});

describe('a dropped object’s import id', () => {
  it('is the same for the same object, another for another version or key, and shaped like an import id', () => {
    const id = dropImportId({ key: 'imports/certiport/a.csv', version: 'v1' });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(dropImportId({ key: 'imports/certiport/a.csv', version: 'v1' })).toBe(id);
    expect(dropImportId({ key: 'imports/certiport/a.csv', version: 'v2' })).not.toBe(id);
    expect(dropImportId({ key: 'imports/certiport/b.csv', version: 'v1' })).not.toBe(id);
  });
});

describe('creating a dropped file’s import while another delivery creates it', () => {
  const job = { id: 'j-1', createdAt: '2026-03-15T06:00:00.000Z' } as ImportJob;
  const storeAnswering = (outcome: TransactOutcome<string>) =>
    new DynamoImportStore({ name: 'baton', transact: async () => outcome } as unknown as Table);

  it('answers false only when the import exists already, and throws WriteContention for a collision', async () => {
    expect(await storeAnswering({ ok: false, failed: ['job'] }).create(job)).toBe(false);
    await expect(storeAnswering({ ok: false, contention: true }).create(job)).rejects.toBeInstanceOf(WriteContention);
    await expect(storeAnswering({ ok: false, failed: ['entry'] }).create(job)).rejects.toThrow(/entry write was refused/);
  });

  it('decides again after a collision: the import the other delivery made is found made', async () => {
    const answers: Array<() => boolean> = [
      () => {
        throw new WriteContention('creating import');
      },
      () => false,
    ];
    const deps = {
      imports: { get: async () => undefined, create: async () => answers.shift()!() },
      partners: { get: async () => undefined },
      clock: { now: () => new Date('2026-03-15T06:00:00.000Z') },
    } as unknown as DropZoneDeps;
    const object = { key: 'imports/acme/results.csv', size: 10, version: 'v1', etag: 'e1' };
    expect(await importDroppedFile(deps, object)).toBe('redelivered');
    expect(answers).toEqual([]);
  });
});
