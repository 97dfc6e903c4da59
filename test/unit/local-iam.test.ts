// Local mode's IAM emulation: each function may make only the calls its declared access grants.
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureTable, localClientConfig } from '../../local/dynamodb-local.js';
import { AccessDeniedException, enforceDynamoDbAccess, enforcePortAccess, runAs } from '../../local/iam.js';
import type { Ports } from '../../functions/wiring.js';

const table = `iam-${randomUUID()}`;
const config = localClientConfig(inject('dynamoDbEndpoint'));
const client = new DynamoDBClient(config);
enforceDynamoDbAccess(client);
const item = { pk: { S: 'X' }, sk: { S: 'Y' } };

beforeAll(() => ensureTable(config, table));

describe('DynamoDB calls', () => {
  it('lets a function read with table:read and refuses its writes', async () => {
    await runAs('reader', ['table:read'], async () => {
      await expect(client.send(new GetItemCommand({ TableName: table, Key: item }))).resolves.toBeDefined();
      await expect(client.send(new PutItemCommand({ TableName: table, Item: item }))).rejects.toThrow(AccessDeniedException);
      await expect(
        client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: item } }] })),
      ).rejects.toThrow(/dynamodb:PutItem \(needs table:write/);
    });
  });

  it('grants no function a Scan, whatever it declares', async () => {
    await runAs('writer', ['table:read', 'table:write'], async () => {
      await expect(client.send(new PutItemCommand({ TableName: table, Item: item }))).resolves.toBeDefined();
      await expect(client.send(new ScanCommand({ TableName: table }))).rejects.toThrow(/dynamodb:Scan \(needs nothing grants it/);
    });
  });

  it('checks nothing outside a function (the operator seeding, the tests themselves)', async () => {
    await expect(client.send(new ScanCommand({ TableName: table }))).resolves.toBeDefined();
  });
});

describe('other ports', () => {
  const started: string[] = [];
  const ports = enforcePortAccess({ workflow: { start: async (id: string) => void started.push(id) } } as unknown as Ports);

  it('starts a workflow only for a function with workflow:start', async () => {
    await expect(runAs('no-start', ['table:read'], () => ports.workflow.start('e-1', 't'))).rejects.toThrow(/states:StartExecution/);
    await runAs('starter', ['workflow:start'], () => ports.workflow.start('e-2', 't'));
    expect(started).toEqual(['e-2']);
  });

  it('lets the import worker copy a dropped report from imports/ to import-runs/, and nothing of the bucket else', async () => {
    const calls: string[] = [];
    const uploads = enforcePortAccess({
      uploads: {
        copy: async (from: string, to: string) => void calls.push(`${from} → ${to}`),
        read: async (key: string) => void calls.push(key),
        write: async (key: string) => void calls.push(key),
      },
    } as unknown as Ports).uploads;
    const access = ['drop-zone:read', 'import-files:read', 'import-files:write'] as const;
    await runAs('import-worker', access, async () => {
      await uploads.copy('imports/hsi/a.csv', 'import-runs/uploads/i-1', { ifEtag: 'e' });
      await uploads.read('import-runs/work/i-1/1/0.json');
      await expect(uploads.write('imports/hsi/b.csv', new Uint8Array(), 'text/csv')).rejects.toThrow(/s3:PutObject \(needs uploads:write/);
      await expect(uploads.read('evidence/e-1')).rejects.toThrow(/s3:GetObject \(needs uploads:read/);
      await expect(uploads.copy('imports/hsi/a.csv', 'evidence/e-1', { ifEtag: 'e' })).rejects.toThrow(/s3:PutObject/);
    });
    expect(calls).toEqual(['imports/hsi/a.csv → import-runs/uploads/i-1', 'import-runs/work/i-1/1/0.json']);
  });
});
