// One Baton Lambda function with the house defaults: the handler file by id, esbuild bundling (ESM,
// minified, source maps), arm64 on the newest Node.js runtime, the shared log group, X-Ray
// tracing when the deploy turns it on, and a role that holds exactly what the function's access list says — nothing
// from AWS managed policies. BUNDLING and FUNCTION_DEFAULTS are exported so benchmarks measure the
// very bundles that are deployed.
import { resolve } from 'node:path';
import { Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IBucket as IExportBucket } from 'aws-cdk-lib/aws-s3';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';
import { UPLOAD_PREFIX_GRANTS, type Access, type FunctionId } from '../../functions/access.js';
import { requiredVariables, type EveryFunctionVariable, type RequiredVariable } from '../../functions/config.js';
import { ORGANIZATION_OBJECT_PREFIX } from '../../functions/adapters/aws/s3-organization-files.js';
import { FUNCTION_ASSETS } from '../../functions/assets.js';
import { CERTIFICATE_OBJECT_PREFIX } from '../../functions/domain/certificates.js';
import { acknowledgeNag } from '../nag.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The handler module of a function id (the route table's and the workflow's ids). */
export const handlerEntry = (handlerId: string) => resolve(REPO_ROOT, 'functions', 'handlers', `${handlerId}.ts`);

/** Some CommonJS dependencies call require() for Node built-ins; ESM has no require without this. */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);";

/** esbuild options of every Baton function (also used by the bundle-size and cold-start benchmarks). */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  // Stack traces map to file and line without shipping the sources in every bundle.
  sourcesContent: false,
  // The AWS SDK is bundled too: the versions we test are the versions that run, tree-shaken.
  externalModules: [],
  banner: ESM_REQUIRE_SHIM,
} as const satisfies BundlingOptions;

/** Runtime settings of every Baton function. */
export const FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(10),
  // Every function gets these (functions/config.ts lists them as set on every function).
  environment: {
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  } as const satisfies Record<EveryFunctionVariable, string>,
} as const;

/** Functions that get more memory than the default (PDF rendering is CPU-bound; Lambda CPU grows with memory). */
export const MEMORY_OVERRIDES: Readonly<Record<string, number>> = { 'workflow-issue-certificate': 1024 };
export const memoryOf = (handlerId: string): number => MEMORY_OVERRIDES[handlerId] ?? FUNCTION_DEFAULTS.memorySize;

/** What a function may touch: the route table's access kinds plus the workflow tasks' own. */
export type FunctionAccess = Access;

/** The resources access kinds refer to. The state machine is set once it exists (API functions come after it). */
export interface BatonResources {
  table: ITable;
  certificates: IBucket;
  partnerSecrets: ISecret;
  unsubscribeKey: ISecret;
  sender: { email: string; identityArns: string[]; configurationSetName: string; configurationSetArn: string };
  siteUrl: string;
  /** The KMS key (RSA_2048, SIGN_VERIFY) that signs the Open Badges credentials. */
  signingKey: IKey;
  /** The provider's name until an admin saves the organization settings. */
  organizationName: string;
  stateMachine?: IStateMachine;
  /** Outbound event delivery attempts, export runs, export files. */
  eventQueue: IQueue;
  exportQueue: IQueue;
  importQueue: IQueue;
  importStartsPerSecond: number;
  exportBucket: IExportBucket;
  /** Set once the user pool exists (the functions that list its admins come after it). */
  userPool?: IUserPool;
  /** Uploaded files (import reports, evidence) and Baton's own work files beside them. */
  uploadBucket: IExportBucket;
}

export interface BatonFunctionProps {
  handlerId: FunctionId;
  description: string;
  access: readonly FunctionAccess[];
  resources: BatonResources;
  /**
   * The log group every Baton function writes to (Powertools stamps each line with its function):
   * one per function would be a resource each, and a stack holds at most 500.
   */
  logGroup: ILogGroup;
  timeout?: Duration;
  memorySize?: number;
  /** Active X-Ray tracing (the `tracing` deploy setting). */
  tracing: boolean;
  /** Where failed asynchronous invocations go (scheduled functions). */
  deadLetterQueue?: IQueue;
}

export class BatonFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: BatonFunctionProps) {
    super(scope, id);
    const { resources } = props;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Baton ${props.handlerId}: its log group, ${props.tracing ? 'X-Ray, ' : ''}and ${props.access.join(', ') || 'nothing else'}`,
    });

    this.function = new NodejsFunction(this, 'Function', {
      ...FUNCTION_DEFAULTS,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      functionName: `${Stack.of(this).stackName}-${props.handlerId}`.slice(0, 64),
      description: props.description,
      entry: handlerEntry(props.handlerId),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      bundling: bundlingOf(props.handlerId),
      role: this.role,
      logGroup: props.logGroup,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      memorySize: props.memorySize ?? memoryOf(props.handlerId),
      environment: functionEnvironment(props.handlerId, props.access, resources),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
    });

    // Written to explicitly instead of AWSLambdaBasicExecutionRole, which allows every log group.
    props.logGroup.grantWrite(this.role);
    for (const statement of accessStatements(props.access, resources)) this.role.addToPrincipalPolicy(statement);

    const policy = this.role.node.findChild('DefaultPolicy');
    if (props.tracing)
      acknowledgeNag(
        policy,
        'IAM5[Resource::*]',
        'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) that active tracing adds: X-Ray has no resource-level permissions. Every other statement names its resources (checked by test/infra/least-privilege.ts on every synthesized stack).',
      );
    if (props.access.some((kind) => kind.startsWith('organization-files:'))) {
      const bucket = Stack.of(this).getLogicalId(resources.certificates.node.defaultChild as CfnElement);
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${bucket}.Arn>/${ORGANIZATION_OBJECT_PREFIX}*]`,
        "The organization's images are named by their content's hash when uploaded, so their keys are not known in advance; access is limited to the organization/ prefix and the one action the function needs.",
      );
    }
    if (props.access.some((kind) => kind === 'exports:write' || kind === 'exports:read')) {
      const bucket = Stack.of(this).getLogicalId(resources.exportBucket.node.defaultChild as CfnElement);
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${bucket}.Arn>/exports/*]`,
        'Export files are written per export, so their keys are not known in advance; access is limited to the exports/ prefix and the one action the function needs.',
      );
    }
    if (props.access.some((kind) => kind.startsWith('uploads:'))) {
      const bucket = Stack.of(this).getLogicalId(resources.uploadBucket.node.defaultChild as CfnElement);
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${bucket}.Arn>/*]`,
        'Uploads are keyed by the import or evidence they belong to, so their keys are not known in advance; the bucket holds uploads only, and access is limited to it and the actions the function needs.',
      );
    }
    const grantedPrefixes = new Set(
      UPLOAD_PREFIX_GRANTS.filter((g) => props.access.some((kind) => kind === g.access)).map((g) => g.prefix),
    );
    for (const prefix of grantedPrefixes) {
      const bucket = Stack.of(this).getLogicalId(resources.uploadBucket.node.defaultChild as CfnElement);
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${bucket}.Arn>/${prefix}*]`,
        `Import files are keyed by the import (and a dropped report by its partner and name), so their keys are not known in advance; access is limited to the ${prefix} prefix and the one action the function needs.`,
      );
    }
    if (props.access.some((kind) => kind.startsWith('certificates:'))) {
      const bucket = Stack.of(this).getLogicalId(resources.certificates.node.defaultChild as CfnElement);
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${bucket}.Arn>/${CERTIFICATE_OBJECT_PREFIX}*]`,
        'Certificate PDFs are created per enrollment, so their keys are not known in advance; access is limited to the certificates/ prefix and the one action the function needs.',
      );
    }
  }
}

/**
 * A function's bundling: the house options, plus the files it reads at run time (fonts, resvg's
 * WebAssembly) copied beside the bundle into assets/, where functions/assets.ts finds them.
 */
export function bundlingOf(handlerId: string): BundlingOptions {
  const assets = FUNCTION_ASSETS[handlerId];
  if (!assets) return BUNDLING;
  return {
    ...BUNDLING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        `mkdir -p "${outputDir}/assets"`,
        ...assets.map((asset) =>
          asset === 'resvg.wasm'
            ? `cp "${inputDir}/node_modules/@resvg/resvg-wasm/index_bg.wasm" "${outputDir}/assets/resvg.wasm"`
            : `cp -R "${inputDir}/functions/assets/${asset}" "${outputDir}/assets/"`,
        ),
      ],
    },
  };
}

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
// Transactions need the per-item action of each write they contain (no ConditionCheck items are used).
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * A function's environment: the variables every function gets, and exactly the ones its
 * configuration (functions/config.ts) requires for its id and access, each pointed at its
 * resource. A variable added to the configuration is a compile error here until it has a value.
 */
export function functionEnvironment(handlerId: FunctionId, access: readonly FunctionAccess[], r: BatonResources): Record<string, string> {
  const values: Record<RequiredVariable, () => string> = {
    TABLE_NAME: () => r.table.tableName,
    STATE_MACHINE_ARN: () => requireStateMachine(r).stateMachineArn,
    CERTIFICATE_BUCKET: () => r.certificates.bucketName,
    SENDER_EMAIL: () => r.sender.email,
    PARTNER_SECRETS_ARN: () => r.partnerSecrets.secretArn,
    SITE_URL: () => r.siteUrl,
    SIGNING_KEY_ID: () => r.signingKey.keyArn,
    ORGANIZATION_NAME: () => r.organizationName,
    SES_CONFIGURATION_SET: () => r.sender.configurationSetName,
    UNSUBSCRIBE_KEY_ARN: () => r.unsubscribeKey.secretArn,
    EVENT_QUEUE_URL: () => r.eventQueue.queueUrl,
    EXPORT_QUEUE_URL: () => r.exportQueue.queueUrl,
    EXPORT_BUCKET: () => r.exportBucket.bucketName,
    USER_POOL_ID: () => requireUserPool(r).userPoolId,
    UPLOAD_BUCKET: () => r.uploadBucket.bucketName,
    IMPORT_QUEUE_URL: () => r.importQueue.queueUrl,
    IMPORT_STARTS_PER_SECOND: () => String(r.importStartsPerSecond),
  };
  const env: Record<string, string> = { ...FUNCTION_DEFAULTS.environment };
  for (const name of requiredVariables(handlerId, access)) env[name] = values[name]();
  return env;
}

/** One IAM statement per access kind, each on named resources. */
export function accessStatements(access: readonly FunctionAccess[], r: BatonResources): PolicyStatement[] {
  const table = r.table.tableArn;
  const indexes = TABLE_SCHEMA.indexes.map((index) => `${table}/index/${index.indexName}`);
  const certificateObjects = r.certificates.arnForObjects(`${CERTIFICATE_OBJECT_PREFIX}*`);
  const organizationObjects = r.certificates.arnForObjects(`${ORGANIZATION_OBJECT_PREFIX}*`);
  return access.map((kind) => {
    switch (kind) {
      case 'table:read':
        return allow(TABLE_READ, [table, ...indexes]);
      case 'table:write':
        return allow(TABLE_WRITE, [table]);
      case 'workflow:start':
        return allow(['states:StartExecution'], [requireStateMachine(r).stateMachineArn]);
      case 'certificates:read':
        return allow(['s3:GetObject'], [certificateObjects]);
      case 'certificates:write':
        return allow(['s3:PutObject'], [certificateObjects]);
      case 'partner-secrets:read':
        return allow(['secretsmanager:GetSecretValue'], [r.partnerSecrets.secretArn]);
      case 'partner-secrets:write':
        return allow(['secretsmanager:PutSecretValue'], [r.partnerSecrets.secretArn]);
      case 'organization-files:read':
        return allow(['s3:GetObject'], [organizationObjects]);
      case 'organization-files:write':
        return allow(['s3:PutObject'], [organizationObjects]);
      case 'credentials:sign':
        return allow(['kms:Sign', 'kms:GetPublicKey'], [r.signingKey.keyArn]);
      case 'credentials:public-key':
        return allow(['kms:GetPublicKey'], [r.signingKey.keyArn]);
      case 'unsubscribe-key:read':
        return allow(['secretsmanager:GetSecretValue'], [r.unsubscribeKey.secretArn]);
      case 'events:enqueue':
        return allow(['sqs:SendMessage'], [r.eventQueue.queueArn]);
      case 'exports:enqueue':
        return allow(['sqs:SendMessage'], [r.exportQueue.queueArn]);
      case 'exports:write':
        // A multipart upload is PutObject's (create, upload parts, complete); lib-storage aborts one that fails.
        return allow(['s3:PutObject', 's3:AbortMultipartUpload'], [r.exportBucket.arnForObjects('exports/*')]);
      case 'exports:read':
        return allow(['s3:GetObject'], [r.exportBucket.arnForObjects('exports/*')]);
      case 'admins:list':
        return allow(['cognito-idp:ListUsersInGroup'], [requireUserPool(r).userPoolArn]);
      case 'imports:enqueue':
        return allow(['sqs:SendMessage'], [r.importQueue.queueArn]);
      case 'uploads:write':
        return allow(['s3:PutObject', 's3:DeleteObject'], [r.uploadBucket.arnForObjects('*')]);
      case 'uploads:read':
        return allow(['s3:GetObject'], [r.uploadBucket.arnForObjects('*')]);
      case 'import-files:read':
      case 'import-files:write':
      case 'drop-zone:read': {
        const grant = UPLOAD_PREFIX_GRANTS.find((g) => g.access === kind)!;
        return allow([grant.action], [r.uploadBucket.arnForObjects(`${grant.prefix}*`)]);
      }
      case 'email:send':
        // SendRawEmail only (the one call that takes List-Unsubscribe and Reply-To headers), as the
        // sender, with the configuration set every send names.
        return new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendRawEmail'],
          resources: [...r.sender.identityArns, r.sender.configurationSetArn],
          // The deployment's sender, or another address at its domain that the organization chose.
          conditions: {
            StringLike: { 'ses:FromAddress': [r.sender.email, `*@${r.sender.email.slice(r.sender.email.lastIndexOf('@') + 1)}`] },
          },
        });
    }
  });
}

const allow = (actions: string[], resources: string[]) => new PolicyStatement({ effect: Effect.ALLOW, actions, resources });

function requireUserPool(r: BatonResources): IUserPool {
  if (!r.userPool) throw new Error('admins:list needs the user pool: create functions that list admins after the auth construct');
  return r.userPool;
}

function requireStateMachine(r: BatonResources): IStateMachine {
  if (!r.stateMachine) throw new Error('workflow:start needs the state machine: create functions that start it after the workflow');
  return r.stateMachine;
}
