// Configuration: every environment variable a Baton function reads, in one table. Infra imports
// the names and who needs them from here to set each function's environment, the adapters read
// them through the accessors below, and a Lambda checks at cold start (checkConfiguration, called
// by the production wiring in functions/wiring.ts) that everything its function needs is present
// and well-formed, so a missing or wrong variable fails the init with its name, not a request.
import { accessOf, type Access, type FunctionId } from './access.js';
import { isEmailAddress } from './domain/email.js';

/**
 * Where a variable's value comes from:
 * - `infra`: infra sets it on every function that needs it (and on no other); required there.
 * - `infra-all`: infra sets it on every function; optional to the code (a default applies).
 * - `lambda`: the Lambda runtime sets it.
 * - `outside-aws`: never set on AWS; local runs and benchmarks may set it.
 */
export type VariableSource = 'infra' | 'infra-all' | 'lambda' | 'outside-aws';

/** Which functions use a variable: those whose declared access includes one of these kinds, these functions, or all. */
export type UsedBy =
  | { readonly access: readonly Access[]; readonly functions?: readonly FunctionId[] }
  | { readonly functions: readonly FunctionId[] }
  | 'all';

export interface Variable {
  /** What it is (also the documentation's sentence). */
  description: string;
  source: VariableSource;
  usedBy: UsedBy;
  /** What is wrong with a value that is set, or undefined when it is well-formed. */
  check?: (value: string) => string | undefined;
  /** Its value is never printed in an error. */
  secret?: boolean;
}

const httpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an https:// or http:// URL';
  } catch {
    return 'must be an https:// or http:// URL';
  }
};
const matches = (pattern: RegExp, what: string) => (value: string) => (pattern.test(value) ? undefined : `must be ${what}`);
const oneOf = (values: readonly string[]) => (value: string) =>
  values.includes(value.toUpperCase()) ? undefined : `must be one of ${values.join(', ')}`;

/** The functions that build links to the site: enrollment views (certificate and verification links), certificates, emails. */
const SITE_LINK_FUNCTIONS = [
  'create-enrollment',
  'get-enrollment',
  'list-my-enrollments',
  'complete-step',
  'waive-step',
  'skip-step',
  'retry-workflow',
  'mark-email-sent',
  'cancel-enrollment',
  'reopen-step',
  'unlink-partner-account',
  'move-partner-account',
  'reapply-partner-event',
  'verify-certificate',
  'workflow-issue-certificate',
  'workflow-send-completion-email',
  'get-settings',
  'save-settings',
  'get-organization',
  'issuer-profile',
  'issuer-jwks',
  'issuer-key',
  'issuer-status-list',
  'get-credential',
  'list-certificates',
  'revoke-certificate',
  'certificate-reminders',
  'reminder-sweep',
  'send-reminders',
  // Outbound events carry certificate verification links; the disabled-endpoint email links the admin page.
  'sweep-events',
  'send-events',
  'test-event-endpoint',
  'run-export',
  // The import result report links each row's enrollment.
  'import-worker',
] as const satisfies readonly FunctionId[];

/** The functions that read the organization's settings (and so its default name). */
const ORGANIZATION_FUNCTIONS = [
  'get-settings',
  'save-settings',
  'get-organization',
  'issuer-profile',
  'workflow-issue-certificate',
  'workflow-send-completion-email',
  'certificate-reminders',
  'create-enrollment',
  'reminder-sweep',
  'send-reminders',
] as const satisfies readonly FunctionId[];

/** Every environment variable Baton's functions read or are given. */
export const VARIABLES = {
  TABLE_NAME: {
    description: 'The DynamoDB table (all data).',
    source: 'infra',
    usedBy: { access: ['table:read', 'table:write'] },
    check: matches(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
  },
  STATE_MACHINE_ARN: {
    description: 'The advancement workflow the function starts executions of.',
    source: 'infra',
    usedBy: { access: ['workflow:start'] },
    check: matches(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/, 'a Step Functions state machine ARN'),
  },
  CERTIFICATE_BUCKET: {
    description: 'The S3 bucket of certificate PDFs.',
    source: 'infra',
    usedBy: { access: ['certificates:read', 'certificates:write', 'organization-files:read', 'organization-files:write'] },
    check: matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  },
  SENDER_EMAIL: {
    description:
      'The From address of emails (verified in SES); the organization may send from another address at its domain. The settings function checks that rule.',
    source: 'infra',
    usedBy: { access: ['email:send'], functions: ['save-settings'] },
    check: (value) => (isEmailAddress(value) ? undefined : 'must be an email address'),
  },
  SES_CONFIGURATION_SET: {
    description:
      'The SES configuration set every send names: its event destination reports bounces and complaints (which suppress the address).',
    source: 'infra',
    usedBy: { access: ['email:send'] },
    check: matches(/^[A-Za-z0-9_-]{1,64}$/, 'an SES configuration set name (1-64 of A-Z a-z 0-9 _ -)'),
  },
  UNSUBSCRIBE_KEY_ARN: {
    description: 'The Secrets Manager secret holding the key that signs one-click unsubscribe links (generated at deploy).',
    source: 'infra',
    usedBy: { access: ['unsubscribe-key:read'] },
    check: matches(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, 'a Secrets Manager secret ARN'),
  },
  PARTNER_SECRETS_ARN: {
    description: "The Secrets Manager secret holding the partners' webhook signing secrets.",
    source: 'infra',
    usedBy: { access: ['partner-secrets:read', 'partner-secrets:write'] },
    check: matches(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, 'a Secrets Manager secret ARN'),
  },
  SITE_URL: {
    description: 'The public URL of the site, for verification and download links and emails (trailing slashes are dropped).',
    source: 'infra',
    usedBy: { functions: SITE_LINK_FUNCTIONS },
    check: httpUrl,
  },
  SIGNING_KEY_ID: {
    description: 'The KMS key (RSA_2048, SIGN_VERIFY) that signs the Open Badges credentials; its ARN.',
    source: 'infra',
    usedBy: { access: ['credentials:sign', 'credentials:public-key'] },
    check: matches(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, 'a KMS key ARN'),
  },
  ORGANIZATION_NAME: {
    description: "The training provider's name until an admin saves the organization settings (-c organizationName=…, default Baton).",
    source: 'infra',
    usedBy: { functions: ORGANIZATION_FUNCTIONS },
    check: (value) => (value.trim().length > 0 && value.length <= 120 ? undefined : 'must be 1-120 characters'),
  },
  EVENT_QUEUE_URL: {
    description: 'The SQS queue of outbound event delivery attempts.',
    source: 'infra',
    usedBy: { access: ['events:enqueue'] },
    check: httpUrl,
  },
  EXPORT_QUEUE_URL: {
    description: 'The SQS queue of export runs.',
    source: 'infra',
    usedBy: { access: ['exports:enqueue'] },
    check: httpUrl,
  },
  USER_POOL_ID: {
    description: "The Cognito user pool, whose admin groups' members are emailed when an event endpoint is disabled.",
    source: 'infra',
    usedBy: { access: ['admins:list'] },
    check: matches(/^[\w-]+_[0-9a-zA-Z]+$/, 'a Cognito user pool id (region_id)'),
  },
  EXPORT_BUCKET: {
    description: 'The S3 bucket of export files (CSV), each downloaded through a short-lived link.',
    source: 'infra',
    usedBy: { access: ['exports:write', 'exports:read'] },
    check: matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  },
  IMPORT_QUEUE_URL: {
    description: 'The SQS queue of import steps (read the file, each chunk of rows, the result report).',
    source: 'infra',
    usedBy: { access: ['imports:enqueue'] },
    check: httpUrl,
  },
  IMPORT_STARTS_PER_SECOND: {
    description:
      "How many advancement workflow starts per second all imports together may make (-c importStartsPerSecond=…, default 20): a share of the account's StartExecution quota; each of the import steps running at once paces at its share.",
    source: 'infra',
    usedBy: { functions: ['import-worker'] },
    check: (value) => (/^\d{1,4}$/.test(value) && Number(value) >= 1 ? undefined : 'must be a whole number from 1 to 9999'),
  },
  UPLOAD_BUCKET: {
    description: 'The private S3 bucket of uploaded files (import reports, evidence), each PUT through a short-lived presigned slot.',
    source: 'infra',
    usedBy: { access: ['uploads:write', 'uploads:read', 'import-files:read', 'import-files:write', 'drop-zone:read'] },
    check: matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  },
  NODE_OPTIONS: {
    description: "Node.js options: --enable-source-maps, so stack traces name Baton's files and lines.",
    source: 'infra-all',
    usedBy: 'all',
  },
  POWERTOOLS_LOG_LEVEL: {
    description: 'The log level (infra: INFO; tests: SILENT).',
    source: 'infra-all',
    usedBy: 'all',
    check: oneOf(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']),
  },
  AWS_LAMBDA_FUNCTION_NAME: {
    description: 'Set by Lambda: when present, the production wiring checks the configuration at cold start.',
    source: 'lambda',
    usedBy: 'all',
  },
  DYNAMODB_ENDPOINT: {
    description: 'Outside AWS only: another DynamoDB endpoint (DynamoDB Local).',
    source: 'outside-aws',
    usedBy: { access: ['table:read', 'table:write'] },
    check: httpUrl,
  },
  PARTNER_WEBHOOK_SECRETS: {
    description:
      'Outside AWS only: the partners\' webhook secrets as JSON ({"hsi": "whsec_…" | ["whsec_…", …], …}), used when PARTNER_SECRETS_ARN is not set.',
    source: 'outside-aws',
    usedBy: { access: ['partner-secrets:read', 'partner-secrets:write'] },
    secret: true,
  },
  UNSUBSCRIBE_KEY: {
    description:
      'Outside AWS only: the key that signs unsubscribe links (at least 32 characters), used when UNSUBSCRIBE_KEY_ARN is not set.',
    source: 'outside-aws',
    usedBy: { access: ['unsubscribe-key:read'] },
    check: (value) => (value.length >= 32 ? undefined : 'must be at least 32 characters'),
    secret: true,
  },
  POWERTOOLS_METRICS_DISABLED: {
    description: 'Outside AWS only: "true" stops the metrics output (local mode, tests, benchmarks).',
    source: 'outside-aws',
    usedBy: 'all',
    check: oneOf(['TRUE', 'FALSE']),
  },
  OUTBOUND_ALLOW_LOOPBACK: {
    description:
      'Outside AWS only: "1" lets event endpoints be http:// or https:// on a loopback address (127.0.0.1, [::1]), to try events on one machine.',
    source: 'outside-aws',
    usedBy: { functions: ['create-event-endpoint', 'send-events'] },
    check: oneOf(['0', '1']),
  },
  POWERTOOLS_SERVICE_NAME: {
    description: 'Outside AWS only: the service name in logs and metrics (default baton; local mode: baton-local).',
    source: 'outside-aws',
    usedBy: 'all',
  },
} as const satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;
/** The variables infra sets on the functions that need them: required there. */
export type RequiredVariable = { [K in VariableName]: (typeof VARIABLES)[K]['source'] extends 'infra' ? K : never }[VariableName];
/** The variables infra sets on every function. */
export type EveryFunctionVariable = { [K in VariableName]: (typeof VARIABLES)[K]['source'] extends 'infra-all' ? K : never }[VariableName];

const NAMES = Object.keys(VARIABLES) as VariableName[];
const spec = (name: VariableName): Variable => VARIABLES[name];

function uses(usedBy: UsedBy, functionId: FunctionId, access: readonly Access[]): boolean {
  if (usedBy === 'all') return true;
  if ('access' in usedBy) return usedBy.access.some((kind) => access.includes(kind)) || (usedBy.functions?.includes(functionId) ?? false);
  return usedBy.functions.includes(functionId);
}

/** The variables a function uses (by its declared access, or by name), in the table's order. */
export function variablesOf(functionId: FunctionId, access: readonly Access[] = accessOf(functionId)): VariableName[] {
  return NAMES.filter((name) => uses(spec(name).usedBy, functionId, access));
}

/** What a function needs set: the `infra` variables it uses. Infra sets exactly these (plus the every-function ones). */
export function requiredVariables(functionId: FunctionId, access: readonly Access[] = accessOf(functionId)): RequiredVariable[] {
  return variablesOf(functionId, access).filter((name): name is RequiredVariable => spec(name).source === 'infra');
}

/** The variables infra sets on every function. */
export const EVERY_FUNCTION_VARIABLES = NAMES.filter((name): name is EveryFunctionVariable => spec(name).source === 'infra-all');

/** A configuration problem; the message names every variable concerned. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** What is wrong with one variable, or undefined. */
function problem(name: VariableName, env: NodeJS.ProcessEnv, required: boolean): string | undefined {
  const value = env[name];
  if (!isSet(value)) return required ? `Missing environment variable ${name}` : undefined;
  const wrong = spec(name).check?.(value);
  if (!wrong) return undefined;
  return spec(name).secret
    ? `Environment variable ${name} ${wrong}`
    : `Environment variable ${name} ${wrong} (it is ${JSON.stringify(value)})`;
}

/**
 * Checks that everything a function needs is present and well-formed, and that the optional
 * variables it uses are well-formed when set. Throws one ConfigurationError naming each variable
 * that is missing or wrong.
 */
export function checkConfiguration(functionId: FunctionId, env: NodeJS.ProcessEnv = process.env): void {
  const required = new Set<VariableName>(requiredVariables(functionId));
  const problems = variablesOf(functionId)
    .map((name) => problem(name, env, required.has(name)))
    .filter((p) => p !== undefined);
  if (problems.length > 0) throw new ConfigurationError(`${functionId} is not configured: ${problems.join('; ')}`);
}

/** True inside Lambda (the runtime sets AWS_LAMBDA_FUNCTION_NAME). */
export const inLambda = (env: NodeJS.ProcessEnv = process.env): boolean => isSet(env.AWS_LAMBDA_FUNCTION_NAME);

function read(name: VariableName, env: NodeJS.ProcessEnv, required: true): string;
function read(name: VariableName, env: NodeJS.ProcessEnv, required: false): string | undefined;
function read(name: VariableName, env: NodeJS.ProcessEnv, required: boolean): string | undefined {
  const wrong = problem(name, env, required);
  if (wrong) throw new ConfigurationError(wrong);
  return isSet(env[name]) ? env[name] : undefined;
}

// The accessors the adapters use: each checks the value it returns, so even a run that skipped
// checkConfiguration (outside Lambda) fails with the variable's name, never deep inside an SDK.

export const tableName = (env: NodeJS.ProcessEnv = process.env): string => read('TABLE_NAME', env, true);
export const dynamoDbEndpoint = (env: NodeJS.ProcessEnv = process.env): string | undefined => read('DYNAMODB_ENDPOINT', env, false);
export const stateMachineArn = (env: NodeJS.ProcessEnv = process.env): string => read('STATE_MACHINE_ARN', env, true);
export const certificateBucket = (env: NodeJS.ProcessEnv = process.env): string => read('CERTIFICATE_BUCKET', env, true);
export const senderEmail = (env: NodeJS.ProcessEnv = process.env): string => read('SENDER_EMAIL', env, true);
/** Optional here: outside AWS there is no configuration set (Lambda's check requires it). */
export const sesConfigurationSet = (env: NodeJS.ProcessEnv = process.env): string | undefined => read('SES_CONFIGURATION_SET', env, false);
/** Optional here: outside AWS, UNSUBSCRIBE_KEY may stand in for the secret (Lambda's check requires it). */
export const unsubscribeKeyArn = (env: NodeJS.ProcessEnv = process.env): string | undefined => read('UNSUBSCRIBE_KEY_ARN', env, false);
export const unsubscribeKey = (env: NodeJS.ProcessEnv = process.env): string | undefined => read('UNSUBSCRIBE_KEY', env, false);
/** Optional here: outside AWS, PARTNER_WEBHOOK_SECRETS may stand in for the secret (Lambda's check requires it). */
export const partnerSecretsArn = (env: NodeJS.ProcessEnv = process.env): string | undefined => read('PARTNER_SECRETS_ARN', env, false);
export const partnerWebhookSecrets = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  read('PARTNER_WEBHOOK_SECRETS', env, false);
/** The public site URL without trailing slashes, so every link built from it is well-formed. */
export const siteUrl = (env: NodeJS.ProcessEnv = process.env): string => read('SITE_URL', env, true).replace(/\/+$/, '');

export const signingKeyId = (env: NodeJS.ProcessEnv = process.env): string => read('SIGNING_KEY_ID', env, true);
export const organizationName = (env: NodeJS.ProcessEnv = process.env): string => read('ORGANIZATION_NAME', env, true);
export const userPoolId = (env: NodeJS.ProcessEnv = process.env): string => read('USER_POOL_ID', env, true);
export const eventQueueUrl = (env: NodeJS.ProcessEnv = process.env): string => read('EVENT_QUEUE_URL', env, true);
export const exportQueueUrl = (env: NodeJS.ProcessEnv = process.env): string => read('EXPORT_QUEUE_URL', env, true);
export const exportBucket = (env: NodeJS.ProcessEnv = process.env): string => read('EXPORT_BUCKET', env, true);
export const importQueueUrl = (env: NodeJS.ProcessEnv = process.env): string => read('IMPORT_QUEUE_URL', env, true);
export const importStartsPerSecond = (env: NodeJS.ProcessEnv = process.env): number => Number(read('IMPORT_STARTS_PER_SECOND', env, true));
export const uploadBucket = (env: NodeJS.ProcessEnv = process.env): string => read('UPLOAD_BUCKET', env, true);
/** Never on AWS (infra does not set it): endpoints there are https:// to public addresses only. */
export const outboundAllowLoopback = (env: NodeJS.ProcessEnv = process.env): boolean => read('OUTBOUND_ALLOW_LOOPBACK', env, false) === '1';

/** The settings port from the environment. */
export const envSettings = () => ({ siteUrl: siteUrl() });
/** The settings port of functions that also need the organization's default name. */
export const envOrganizationSettings = () => ({ siteUrl: siteUrl(), organizationName: organizationName() });
/** The settings function also checks the organization's sender against the deployment's. */
export const envSettingsWithSender = () => ({ ...envOrganizationSettings(), senderEmail: senderEmail() });
