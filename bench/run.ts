// Entry point of `npm run bench`: set the handlers' log level to the deployed one and route their
// lines to the log meter before any of their modules load (Powertools reads these at import), then run.
import { captureFunctionLogs } from './log-meter.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO'; // FUNCTION_DEFAULTS' level (infra/constructs/baton-function.ts)
captureFunctionLogs();
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The bill and the budgets count the synthesized template.
process.env.CDK_DISABLE_VERSION_CHECK ??= '1';

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
export {};
