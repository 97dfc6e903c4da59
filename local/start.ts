// `npm start`: the whole product on this machine, no AWS account. PORT (default 3000), DATA_DIR
// (default .data/) and WORKFLOW_TYPE (EXPRESS, the default deploy's, or STANDARD) come from the
// environment.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'baton-local';
// Lambda runs Node 22+; the SDK's notice about Node 20 support is not actionable here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const { DEMO_ADMIN, DEMO_STUDENT, DEMO_VIEWER, startLocalBaton } = await import('./baton.js');

const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const workflowType = process.env.WORKFLOW_TYPE ?? 'EXPRESS';
if (workflowType !== 'EXPRESS' && workflowType !== 'STANDARD') {
  console.error(`WORKFLOW_TYPE must be EXPRESS or STANDARD (like -c workflowType=… on deploy), not "${workflowType}"`);
  process.exit(1);
}
const step = (message: string) => process.stdout.write(`  ${message}\n`);

console.log('\nBaton local mode');
step(`data dir ${dataDir}`);
step(`workflow type ${workflowType}`);
step('starting DynamoDB Local (Java) …');
let baton: Awaited<ReturnType<typeof startLocalBaton>>;
try {
  baton = await startLocalBaton({
    dataDir,
    port,
    persist: true,
    workflowType,
    reconcileEverySeconds: 30,
    reconcileGraceSeconds: 60,
    remindEverySeconds: 3600,
    sweepEverySeconds: 60,
    // Outbound events are relayed and due attempts sent every second (the schedule on AWS is a minute; its queue sends at once).
    dispatchEverySeconds: 1,
    // The drop folder (an SFTP drop on AWS) is looked at every 5 seconds; a file is taken once its size holds still.
    dropZoneEverySeconds: 5,
  });
} catch (error) {
  // startLocalBaton has stopped whatever it started (DynamoDB Local included) before rejecting.
  console.error(`\nBaton could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const stateFile = join(dataDir, 'local-mode.json');
writeFileSync(
  stateFile,
  JSON.stringify({ pid: process.pid, url: baton.url, dynamoDbEndpoint: baton.dynamoDbEndpoint, tableName: baton.tableName }, null, 2),
);
if (baton.seeded) step(`loaded the catalog: ${baton.seeded.programs} programs, ${baton.seeded.mappings} partner mappings`);

const webhookSecrets = Object.entries(baton.secrets)
  .map(([partner, secrets]) => `    ${partner.padEnd(11)} ${(secrets ?? []).join('  ')}`)
  .join('\n');
console.log(`
Baton is running at ${baton.url}

  Site            ${baton.url}/
  API             ${baton.url}/api/health
  Emails          ${baton.outboxDir}/*.eml
  Certificates    ${baton.certificatesDir}
  Drop zone       ${join(baton.dropDir, 'imports')}/<partner>/ (a completion report put there is imported with the partner's saved mapping)

Demo accounts (sign in on the site, or get a token: POST /api/dev/token, content-type application/json, {"email": …}):
    student     ${DEMO_STUDENT.email} (${DEMO_STUDENT.name})
    admin       ${DEMO_ADMIN.email}
    viewer      ${DEMO_VIEWER.email} (read-only staff)

Partner webhook secrets (POST ${baton.url}/api/webhooks/partners/<partner>):
${webhookSecrets}

Outbound events: endpoints on 127.0.0.1 receive them only with OUTBOUND_ALLOW_LOOPBACK=1 (now ${process.env.OUTBOUND_ALLOW_LOOPBACK === '1' ? 'on' : 'off'}).

Try the Medical Assistant flow: see README.md → "Walk through the flow by hand".
Press Ctrl+C to stop.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Baton …');
  await baton.stop();
  rmSync(stateFile, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
