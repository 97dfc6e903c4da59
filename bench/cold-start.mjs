// Child process for the cold-init benchmark: import one Lambda bundle and invoke its handler
// once, then report (on stdout) how long each part took since this process started.
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
const context = {
  functionName: 'bench-cold-start',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-cold-start',
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/bench-cold-start',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
};

const booted = performance.now();
const module = await import(pathToFileURL(bundle).href);
const imported = performance.now();
let outcome;
try {
  const result = await module.handler(JSON.parse(eventJson), context);
  outcome = result && typeof result === 'object' && 'statusCode' in result ? `HTTP ${result.statusCode}` : 'returned';
} catch (error) {
  outcome = `threw ${error?.name ?? 'error'}`;
}
const invoked = performance.now();
// CPU time is far less disturbed by other work on a shared machine than wall time.
const { user, system } = process.cpuUsage();
const cpu = (user + system) / 1000;
process.stdout.write(
  `\nBENCH_COLD ${JSON.stringify({ boot: booted, import: imported - booted, invoke: invoked - imported, total: invoked, cpu, outcome })}\n`,
);
process.exit(0);
