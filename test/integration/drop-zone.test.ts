// The drop zone in local mode: a report put in <dataDir>/drop/imports/<partnerId>/ is moved into
// the local bucket under the same key and imported for real with the partner's saved mapping,
// listed with source "drop"; a file still being written waits; the bucket's notification
// delivered twice makes one import; whatever cannot be imported is a failed import naming why.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf } from '../../functions/access.js';
import { dropImportId } from '../../functions/domain/drop-zone.js';
import { create as importWorker } from '../../functions/handlers/import-worker.js';
import { localEtag } from '../../local/file-uploads.js';
import { runAs } from '../../local/iam.js';
import type { ImportQueue } from '../../functions/use-cases/ports/imports.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { saveMapping } from '../support/imports.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
  await saveMapping(baton, 'certiport', {
    columns: { email: 'Email', courseName: 'Exam', completedAt: 'Exam Date', status: 'Result' },
    statusValues: { Pass: 'passed', Fail: 'ignore' },
    dateFormat: 'MM/DD/YYYY',
  });
});
afterAll(() => baton?.stop());

const report = (email: string) => `Email,Exam,Exam Date,Result\r\n${email},IT Specialist: HTML and CSS,03/14/2026,Pass\r\n`;

/** Puts a file in the drop folder and scans until it is picked up (a file is taken at the second look, once its size held). */
async function drop(path: string, body: string) {
  const file = join(baton.dropDir, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, body);
  expect(await baton.scanDropZone()).toEqual([]);
  const [picked] = await baton.scanDropZone();
  await baton.drain();
  return picked!;
}

const importOf = async (key: string, version: string) =>
  (await baton.api('GET', '/api/admin/imports', { as: ADMIN })).body.items.filter(
    (item: { importId: string }) => item.importId === dropImportId({ key, version }),
  );

describe('the drop zone', () => {
  it('makes a folder per partner at start', () => {
    expect(existsSync(join(baton.dropDir, 'imports', 'certiport'))).toBe(true);
    expect(existsSync(join(baton.dropDir, 'imports', 'hsi'))).toBe(true);
  });

  it('keeps the names of Baton’s former folders under imports/ from partners', async () => {
    const reserved = await baton.api('PUT', '/api/admin/partners/uploads', { as: ADMIN, body: { name: 'Uploads', courses: [] } });
    expect([reserved.status, reserved.body.error.message]).toEqual([400, expect.stringContaining('"uploads" is reserved')]);
  });

  it('imports a report dropped in a partner’s folder with its saved mapping, for real, and the same file again applies nothing', async () => {
    const ann = await baton.enroll({ studentEmail: 'ann.drop@example.org', programId: 'web-dev' });
    const picked = await drop('imports/certiport/exam results.csv', report('ann.drop@example.org'));
    expect(picked.key).toBe('imports/certiport/exam results.csv');
    // Moved into the bucket's stand-in, under the same key.
    expect(existsSync(join(baton.dropDir, 'imports', 'certiport', 'exam results.csv'))).toBe(false);
    expect(await baton.ports.uploads.head(picked.key)).toEqual({ size: report('ann.drop@example.org').length });

    const [listed] = await importOf(picked.key, picked.version);
    expect(listed).toMatchObject({
      kind: 'completions',
      partnerId: 'certiport',
      fileName: 'exam results.csv',
      source: 'drop',
      createdBy: 'drop zone',
      status: 'done',
      dryRun: false,
      rows: { total: 1, done: 1 },
      outcomes: { applied: 1, duplicate: 0 },
    });
    expect(listed.resultUrl).toEqual(expect.any(String));
    const after = await baton.enrollment(ann.id);
    expect(after.steps[0]).toMatchObject({ status: 'completed' });

    const again = await drop('imports/certiport/exam results.csv', report('ann.drop@example.org'));
    expect(again.version).not.toBe(picked.version);
    const [second] = await importOf(again.key, again.version);
    expect(second).toMatchObject({ status: 'done', outcomes: { applied: 0, duplicate: 1 } });
  });

  it('waits for a file still being written', async () => {
    const file = join(baton.dropDir, 'imports', 'certiport', 'growing.csv');
    await writeFile(file, 'Email,Exam,Exam Date,Result\r\n');
    expect(await baton.scanDropZone()).toEqual([]);
    await appendFile(file, 'cy.drop@example.org,IT Specialist: HTML and CSS,03/14/2026,Pass\r\n');
    expect(await baton.scanDropZone()).toEqual([]);
    const [picked] = await baton.scanDropZone();
    expect(picked).toMatchObject({ key: 'imports/certiport/growing.csv' });
    await baton.drain();
    const [listed] = await importOf(picked!.key, picked!.version);
    // The whole file was read: the row is there (an unknown student, so unmatched).
    expect(listed).toMatchObject({ status: 'done', rows: { total: 1, done: 1 }, outcomes: { unmatched: 1 } });
  });

  it('makes one import of a notification S3 delivers twice, and runs it once', async () => {
    const ben = await baton.enroll({ studentEmail: 'ben.drop@example.org', programId: 'web-dev' });
    const key = 'imports/certiport/Exam Results (March).csv';
    await baton.ports.uploads.write(key, Buffer.from(report('ben.drop@example.org')), 'text/csv');
    const notification = s3Notification(key, 'v-3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', report('ben.drop@example.org'));
    const worker = importWorker(baton.ports, () => 20);
    const deliver = () => runAs('import-worker', accessOf('import-worker'), () => worker(sqsEvent(notification)));
    await Promise.all([deliver(), deliver()]);
    await baton.drain();
    await deliver();
    await baton.drain();

    const importId = dropImportId({ key, version: 'v-3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' });
    const listed = (await baton.api('GET', '/api/admin/imports', { as: ADMIN })).body.items.filter(
      (item: { fileName: string }) => item.fileName === 'Exam Results (March).csv',
    );
    expect(listed.map((item: { importId: string }) => item.importId)).toEqual([importId]);
    expect(listed[0]).toMatchObject({ status: 'done', source: 'drop', outcomes: { applied: 1, duplicate: 0 } });
    expect((await baton.ports.imports.get(importId))!.run).toBe(1);
    expect((await baton.enrollment(ben.id)).steps[0].status).toBe('completed');
  });

  it('reads the version a notification tells of: one replaced before it was read fails naming why, the newer one is applied', async () => {
    const cy = await baton.enroll({ studentEmail: 'cy.twice@example.org', programId: 'web-dev' });
    const key = 'imports/certiport/results.csv';
    const first = report('nobody.first@example.org');
    const second = report('cy.twice@example.org');
    await baton.ports.uploads.write(key, Buffer.from(first), 'text/csv');
    const firstNotification = s3Notification(key, 'v-first', first);
    // The partner uploads the same name again before the first notification is processed.
    await baton.ports.uploads.write(key, Buffer.from(second), 'text/csv');
    const secondNotification = s3Notification(key, 'v-second', second);
    const worker = importWorker(baton.ports, () => 20);
    await runAs('import-worker', accessOf('import-worker'), () => worker(sqsEvent(firstNotification)));
    await runAs('import-worker', accessOf('import-worker'), () => worker(sqsEvent(secondNotification)));
    await baton.drain();

    const [replaced] = await importOf(key, 'v-first');
    expect(replaced).toMatchObject({ status: 'failed', source: 'drop', rows: { done: 0 } });
    expect(replaced.problem).toMatch(/replaced by a newer upload of the same name before it was read; that upload is imported on its own/);
    const [newer] = await importOf(key, 'v-second');
    expect(newer).toMatchObject({ status: 'done', rows: { total: 1, done: 1 }, outcomes: { applied: 1, unmatched: 0 } });
    expect((await baton.enrollment(cy.id)).steps[0].status).toBe('completed');
    // The run read its own copy, which a later upload of the name does not change.
    const importId = dropImportId({ key, version: 'v-second' });
    expect((await baton.ports.imports.get(importId))!.fileKey).toBe(`import-runs/uploads/${importId}`);
  });

  it('queues the first step again when a delivery marked the import running but failed to queue it', async () => {
    const dee = await baton.enroll({ studentEmail: 'dee.drop@example.org', programId: 'web-dev' });
    const key = 'imports/certiport/queue hiccup.csv';
    const body = report('dee.drop@example.org');
    await baton.ports.uploads.write(key, Buffer.from(body), 'text/csv');
    let failures = 1;
    const importQueue: ImportQueue = {
      enqueue: async (message) => {
        if (failures-- > 0) throw new Error('SQS is unavailable');
        return baton.ports.importQueue.enqueue(message);
      },
    };
    const worker = importWorker({ ...baton.ports, importQueue }, () => 20);
    const deliver = () => runAs('import-worker', accessOf('import-worker'), () => worker(sqsEvent(s3Notification(key, 'v-1', body))));
    await expect(deliver()).rejects.toThrow(/SQS is unavailable/);
    const importId = dropImportId({ key, version: 'v-1' });
    expect(await baton.ports.imports.get(importId)).toMatchObject({ status: 'running', chunks: 0 });

    await deliver(); // SQS's redelivery of the notification
    await baton.drain();
    expect(await baton.ports.imports.get(importId)).toMatchObject({ status: 'done', run: 1, outcomes: { applied: 1 } });
    expect((await baton.enrollment(dee.id)).steps[0].status).toBe('completed');
  });

  it('records a dropped file whose name breaks the upload route’s rule as a failed import, its name cleaned', async () => {
    const key = `imports/certiport/results\u0007${'x'.repeat(240)}.csv`;
    const body = report('x@example.org');
    await baton.ports.uploads.write(key, Buffer.from(body), 'text/csv');
    const worker = importWorker(baton.ports, () => 20);
    await runAs('import-worker', accessOf('import-worker'), () => worker(sqsEvent(s3Notification(key, 'v-1', body))));
    const [listed] = await importOf(key, 'v-1');
    expect(listed).toMatchObject({ status: 'failed', source: 'drop', fileName: `results?${'x'.repeat(71)}…` });
    expect(listed.problem).toMatch(/at most 200 characters, no path, no control characters/);
  });

  it('records what cannot be imported as a failed import naming why: an unknown partner, no mapping, a misplaced file, over 50 MB', async () => {
    const unknown = await drop('imports/acme-learning/results.csv', report('x@example.org'));
    const noMapping = await drop('imports/hsi/roster.csv', report('x@example.org'));
    const misplaced = await drop('imports/results.csv', report('x@example.org'));
    const nested = await drop('imports/certiport/2026/march.csv', report('x@example.org'));
    const big = await drop('imports/certiport/big.csv', 'A'.repeat(50 * 1024 * 1024 + 1));
    const problems = [];
    for (const picked of [unknown, noMapping, misplaced, nested, big]) {
      const [listed] = await importOf(picked.key, picked.version);
      expect(listed).toMatchObject({ status: 'failed', source: 'drop', rows: { done: 0 } });
      problems.push(listed.problem);
    }
    expect(problems[0]).toMatch(/no partner "acme-learning"/);
    expect(problems[1]).toMatch(/HSI.* has no saved column mapping/);
    expect(problems[2]).toMatch(/"imports\/results.csv" is not of the form imports\/<partnerId>\/<file>/);
    expect(problems[3]).toMatch(/"imports\/certiport\/2026\/march.csv" is not of the form/);
    expect(problems[4]).toMatch(/50\.0 MB, over the 50 MB limit/);
  });
});

/** What S3 puts on the queue for a PUT of `body` (its keys URL-encoded, spaces as +). */
function s3Notification(key: string, versionId: string, body: string) {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: '2026-03-15T06:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'drop-zone',
          bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
          object: {
            key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
            size: body.length,
            eTag: localEtag(Buffer.from(body)),
            versionId,
            sequencer: '0055AED6DCD90281E5',
          },
        },
      },
    ],
  });
}

const sqsEvent = (body: string) => ({ Records: [{ messageId: 'm-1', body }] }) as unknown as SQSEvent;
