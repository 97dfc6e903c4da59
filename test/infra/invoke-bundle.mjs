// Child process of the production-wiring test: runs one Lambda bundle the way the Lambda runtime
// does, in two phases: the init (importing the bundle, which builds its production wiring), then
// one invocation with the event given. Prints one line, `BATON_INVOKE {"phase", "value" | "error"}`,
// whatever happens; the function's own logs go to stdout and stderr around it.
import { pathToFileURL } from 'node:url';

const [bundle, eventJson, timeoutSeconds] = process.argv.slice(2);
// The function's own timeout, counted from the start (as Lambda does); 60 s when not given.
const deadline = Date.now() + (Number(timeoutSeconds) || 60) * 1000;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'baton-test';
const context = {
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'production-wiring-test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};

const report = (result) => process.stdout.write(`\nBATON_INVOKE ${JSON.stringify(result)}\n`);
const describe = (error) => ({ name: error?.name ?? 'Error', message: error?.message ?? String(error) });

let module;
try {
  module = await import(pathToFileURL(bundle).href);
} catch (error) {
  report({ phase: 'init', error: describe(error) });
  process.exit(0);
}
try {
  report({ phase: 'invoke', value: await module.handler(JSON.parse(eventJson), context) });
} catch (error) {
  report({ phase: 'invoke', error: describe(error) });
}
// Idle keep-alive sockets of the SDK clients would keep the process up.
process.exit(0);
