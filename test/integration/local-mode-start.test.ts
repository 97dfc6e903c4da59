// `npm start` refuses to start with one line that says what is wrong: no Java, a workflow type AWS
// does not have, or a port already in use. And a start-up that fails for any reason stops what it
// had started: no DynamoDB Local (a Java process) is left running behind it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';
import { REPO_ROOT, startLocalBaton } from '../../local/baton.js';
import { ensureTable, localClientConfig } from '../../local/dynamodb-local.js';
import { partnerSecrets } from '../support/test-baton.js';

/** Runs `npm start`'s entry point with extra environment; these cases all end before serving. */
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-start-')), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

/** Processes whose command line (its arguments) passes the test. */
function processesWhose(test: (args: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0'))) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
/** `npm start` runs DynamoDB Local with -dbPath <DATA_DIR>/dynamodb. */
const processesUsing = (dataDir: string) => processesWhose((args) => args.some((arg) => arg.includes(dataDir)));
/** This test process's own children started with `-port <port>` (an in-process start's DynamoDB Local). */
const childrenListeningOn = (port: number) =>
  processesWhose((args) => args.some((arg, i) => arg === '-port' && args[i + 1] === String(port))).filter(
    (pid) =>
      Number(
        readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1],
      ) === process.pid,
  );

/** Whether something accepts TCP connections on this port of 127.0.0.1. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const blockers: Server[] = [];
/** Takes a free port of 127.0.0.1, as another program would. */
async function takePort(port = 0): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  return (blocker.address() as AddressInfo).port;
}
const leftovers: number[] = [];
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((b) => new Promise((resolve) => b.close(resolve))));
  // A failing run must not leave its Java behind either.
  for (const pid of leftovers.splice(0)) process.kill(pid, 'SIGKILL');
});

describe('local mode start-up', () => {
  it('says which JRE to install when java is missing', () => {
    const result = start({ PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Java 17 or newer is required to run DynamoDB Local');
    expect(result.stderr).toContain('apt-get install -y default-jre-headless');
  });

  it('refuses a workflow type the deploy does not have, before starting anything', () => {
    const result = start({ WORKFLOW_TYPE: 'SYNC' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('WORKFLOW_TYPE must be EXPRESS or STANDARD');
  });

  it('says which port is taken and how to pick another, and leaves no DynamoDB Local running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-start-'));
    const port = await takePort();

    const result = start({ PORT: String(port), DATA_DIR: dataDir });

    const javaLeft = processesUsing(dataDir);
    leftovers.push(...javaLeft);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toMatch(/PORT=\d+ npm start/);
    expect(javaLeft).toEqual([]);
  });
});

describe('a start-up that fails after it started DynamoDB Local', () => {
  /**
   * Starts Baton with a DynamoDB Local of its own; `beforeFirstRequest` runs before the first
   * request the repository sends. Answers why the start failed and that DynamoDB Local's port.
   */
  async function failedStart(options: { port?: number; beforeFirstRequest?: () => Promise<unknown>; decorate?: () => never }) {
    let repositoryClient: DynamoDBClient | undefined;
    const error = await startLocalBaton({
      dataDir: mkdtempSync(join(tmpdir(), 'baton-start-')),
      partnerSecrets: partnerSecrets(),
      ...(options.port ? { port: options.port } : {}),
      ...(options.decorate ? { decorate: options.decorate } : {}),
      instrument: {
        dynamoDbClient: (client) => {
          if (repositoryClient) return;
          repositoryClient = client;
          const before = options.beforeFirstRequest;
          if (before)
            client.middlewareStack.add((next) => async (args) => (await before(), next(args)), {
              step: 'initialize',
              name: 'beforeFirstRequest',
            });
        },
      },
    }).then(
      async (baton) => (await baton.stop(), new Error('Baton started')),
      (e: unknown) => e as Error,
    );
    const dynamoDbPort = Number((await repositoryClient!.config.endpoint!()).port);
    leftovers.push(...childrenListeningOn(dynamoDbPort));
    return { error, dynamoDbPort };
  }

  it('stops it when another program takes the port meanwhile, and says which port', { timeout: 90_000 }, async () => {
    // Free when Baton checks it, taken before Baton listens: what the early check cannot see.
    const port = await takePort();
    await new Promise((resolve) => blockers.pop()!.close(resolve));
    let taken: Promise<number> | undefined;

    const { error, dynamoDbPort } = await failedStart({ port, beforeFirstRequest: () => (taken ??= takePort(port)) });

    expect(error.message).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(await accepts(dynamoDbPort)).toBe(false);
  });

  it('stops it on any other failure too', { timeout: 90_000 }, async () => {
    const { error, dynamoDbPort } = await failedStart({
      decorate: () => {
        throw new Error('injected: wiring the ports failed');
      },
    });

    expect(error.message).toBe('injected: wiring the ports failed');
    expect(await accepts(dynamoDbPort)).toBe(false);
  });
});

describe('a data dir kept by an older Baton', () => {
  it('is refused with what to do, not read with indexes laid out differently', async () => {
    const config = localClientConfig(inject('dynamoDbEndpoint'));
    const tableName = `baton-old-${Date.now()}`;
    const client = new DynamoDBClient(config);
    const attributes = ['pk', 'sk', ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        // How Baton laid out its indexes before they projected only what their queries read.
        GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    client.destroy();
    await expect(ensureTable(config, tableName)).rejects.toThrow(/created by an older version of Baton .*delete the data dir/);
    // A table of today's layout is taken as it is.
    const current = `baton-new-${Date.now()}`;
    expect(await ensureTable(config, current)).toBe(true);
    expect(await ensureTable(config, current)).toBe(false);
  });
});
