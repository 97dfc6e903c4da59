// `npm run seed`: loads the five seed partners (those missing are created) and the shipped catalog
// (49 programs, 78 partner mappings): new programs are created, changed ones get a new version,
// unchanged ones are left alone.
//   npm run seed                    local mode's table (the running one, or DATA_DIR's on disk)
//   npm run seed -- --table NAME    a deployed table, with your AWS credentials and region
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { documentClient } from '../functions/adapters/dynamodb/client.js';
import { DynamoCatalogStore } from '../functions/adapters/dynamodb/catalog-store.js';
import { Table } from '../functions/adapters/dynamodb/table.js';
import { systemClock } from '../functions/wiring.js';
import { seedCatalog } from '../functions/use-cases/programs.js';
import { seedPartners } from '../functions/use-cases/partners.js';
import { DynamoPartnerStore } from '../functions/adapters/dynamodb/partner-store.js';
import { ensureTable, localClientConfig, startDynamoDbLocal } from './dynamodb-local.js';

const { values } = parseArgs({ options: { table: { type: 'string' } } });

async function seedInto(db: ReturnType<typeof documentClient>, tableName: string, where: string) {
  const table = new Table(db, tableName);
  const stores = { catalog: new DynamoCatalogStore(table), partners: new DynamoPartnerStore(table), clock: systemClock };
  const partners = await seedPartners(stores);
  const summary = await seedCatalog(stores);
  console.log(`Seeded ${where}: ${partners.partners} partners (${partners.created} created; existing ones are left as admins made them).`);
  console.log(
    `Seeded ${where}: ${summary.programs} programs, ${summary.mappings} partner mappings ` +
      `(${summary.created} created, ${summary.updated} new versions, ${summary.unchanged} unchanged).`,
  );
}

if (values.table) {
  await seedInto(documentClient(), values.table, `table ${values.table}`);
} else {
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const stateFile = join(dataDir, 'local-mode.json');
  const running = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number; dynamoDbEndpoint: string; tableName: string })
    : undefined;
  const alive = running && isAlive(running.pid);
  if (running && alive) {
    await seedInto(documentClient(localClientConfig(running.dynamoDbEndpoint)), running.tableName, 'the running local mode');
  } else {
    console.log('Starting DynamoDB Local on the data dir …');
    const dynamo = await startDynamoDbLocal({ dbPath: join(dataDir, 'dynamodb') });
    try {
      const config = localClientConfig(dynamo.endpoint);
      await ensureTable(config, 'baton');
      await seedInto(documentClient(config), 'baton', `local mode (${dataDir})`);
    } finally {
      await dynamo.stop();
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
