// The production stack, synthesized once: every resource the deploy issue lists, with the
// properties it names, checked on the template CloudFormation would receive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionOf, TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';
import { DEPLOYED_ROUTES, ROUTES } from '../../functions/http/routes.js';
import { STATE_MACHINE_FILE, TABLE_NAME_SUBSTITUTION, WORKFLOW_TASK_HANDLERS } from '../../functions/workflow/definition.js';
import { loadDefinition } from '../../local/workflow-runner.js';
import { DROP_ZONE_PREFIX, IMPORT_RUNS_PREFIX } from '../../functions/domain/drop-zone.js';
import { importFileKey } from '../../functions/use-cases/imports.js';
import { REPO_ROOT, type FunctionAccess } from '../../infra/constructs/baton-function.js';
import { FUNCTION_IDS, accessOf, type FunctionId } from '../../functions/access.js';
import { EVERY_FUNCTION_VARIABLES, requiredVariables } from '../../functions/config.js';
import { broadStatements, rolesWithManagedPolicies, unjustifiedWildcards } from './least-privilege.js';
import { acknowledgments, removeSynthesized, resourcesOf, synthesize, type Synthesized } from './synth.js';
import { dependencyCycle, fn, functionId, functionRoleId, grantsOf, list, render, roleStatements } from './template.js';

afterAll(removeSynthesized);

const PROD = {
  stage: 'prod',
  senderEmail: 'certificates@baton.example.org',
  domainName: 'baton.example.org',
  siteDomain: 'learn.example.org',
  siteCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  alarmEmail: 'ops@example.org',
};

/** Every function the stack deploys, with what it may touch. */
const FUNCTIONS: Record<string, readonly FunctionAccess[]> = Object.fromEntries(FUNCTION_IDS.map((id) => [id, accessOf(id)]));

let s: Synthesized;
const only = (type: string) => {
  const found = resourcesOf(s, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const nestedStack = (path: string) => {
  const found = s.nested.find((n) => n.path === path);
  if (!found) throw new Error(`no nested stack ${path} (there are: ${s.nested.map((n) => n.path).join(', ')})`);
  return found;
};
beforeAll(() => {
  s = synthesize(PROD);
});
/** The credential signing key (the alarm topic has a key of its own). */
const signingKey = () => {
  const found = resourcesOf(s, 'AWS::KMS::Key').filter(([, r]) => r.Properties?.KeySpec === 'RSA_2048');
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('data', () => {
  it('is one on-demand table with the key design’s keys, GSIs projecting what their queries read, and TTL attribute', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    });
    expect(table.Properties!.GlobalSecondaryIndexes).toEqual(
      TABLE_SCHEMA.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(index),
      })),
    );
  });

  it('has point-in-time recovery, deletion protection and RETAIN in prod', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties!.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties!.DeletionProtectionEnabled).toBe(true);
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });
});

describe('functions', () => {
  it('deploys one function per deployed route, workflow task, the reconciler and the token trigger — nothing else', () => {
    const names = resourcesOf(s, 'AWS::Lambda::Function')
      .map(([, r]) => r.Properties?.FunctionName as string | undefined)
      .filter((n) => n?.startsWith(`${s.stack.stackName}-`))
      .sort();
    expect(names).toEqual(
      Object.keys(FUNCTIONS)
        .map((id) => `${s.stack.stackName}-${id}`)
        .sort(),
    );
  });

  it('runs each on the newest Node.js runtime aws-cdk-lib offers, on arm64, untraced by default, logging to the one log group', () => {
    const newest = Object.values(Runtime)
      .filter((r): r is Runtime => r instanceof Runtime && /^nodejs\d+\.x$/.test(r.name))
      .sort((a, b) => parseInt(b.name.slice(6)) - parseInt(a.name.slice(6)))[0]!.name;
    for (const id of Object.keys(FUNCTIONS)) {
      const props = fn(s, id).Properties!;
      expect({ id, runtime: props.Runtime, arch: props.Architectures, tracing: props.TracingConfig, handler: props.Handler }).toEqual({
        id,
        runtime: newest,
        arch: ['arm64'],
        tracing: undefined,
        handler: 'index.handler',
      });
      const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
      expect(s.json.Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 180 },
        DeletionPolicy: 'Retain',
      });
      expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('gives each function exactly the actions and resources its access list names, and no managed policy', () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [machineId] = only('AWS::StepFunctions::StateMachine');
    const secretId = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('PartnerWebhookSecrets'))![0];
    const unsubscribeKeyId = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('UnsubscribeSigningKey'))![0];
    const [configurationSetId] = only('AWS::SES::ConfigurationSet');
    const [userPoolId] = only('AWS::Cognito::UserPool');
    const certificates = resourcesOf(s, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Certificates'))![0];
    const exportFiles = resourcesOf(s, 'AWS::S3::Bucket').find(([id]) => id.startsWith('OffRequestExportFiles'))![0];
    const uploads = resourcesOf(s, 'AWS::S3::Bucket').find(([id]) => id.startsWith('OffRequestUploads'))![0];
    const queue = (prefix: string) => `<${resourcesOf(s, 'AWS::SQS::Queue').find(([id]) => id.startsWith(prefix))![0]}.Arn>`;
    const table = `<${tableId}.Arn>`;
    const [keyId] = signingKey();
    const expected: Record<FunctionAccess, Record<string, string[]>> = {
      'organization-files:read': { 's3:GetObject': [`<${certificates}.Arn>/organization/*`] },
      'organization-files:write': { 's3:PutObject': [`<${certificates}.Arn>/organization/*`] },
      'credentials:sign': { 'kms:Sign': [`<${keyId}.Arn>`], 'kms:GetPublicKey': [`<${keyId}.Arn>`] },
      'credentials:public-key': { 'kms:GetPublicKey': [`<${keyId}.Arn>`] },
      'table:read': {
        'dynamodb:GetItem': [table, ...TABLE_SCHEMA.indexes.map((index) => `${table}/index/${index.indexName}`)],
        'dynamodb:Query': [table, ...TABLE_SCHEMA.indexes.map((index) => `${table}/index/${index.indexName}`)],
      },
      'table:write': { 'dynamodb:PutItem': [table], 'dynamodb:UpdateItem': [table], 'dynamodb:DeleteItem': [table] },
      'workflow:start': { 'states:StartExecution': [`<${machineId}>`] },
      'certificates:read': { 's3:GetObject': [`<${certificates}.Arn>/certificates/*`] },
      'certificates:write': { 's3:PutObject': [`<${certificates}.Arn>/certificates/*`] },
      'partner-secrets:read': { 'secretsmanager:GetSecretValue': [`<${secretId}>`] },
      'partner-secrets:write': { 'secretsmanager:PutSecretValue': [`<${secretId}>`] },
      'unsubscribe-key:read': { 'secretsmanager:GetSecretValue': [`<${unsubscribeKeyId}>`] },
      'events:enqueue': { 'sqs:SendMessage': [queue('OffRequestEventDeliveries')] },
      'exports:enqueue': { 'sqs:SendMessage': [queue('OffRequestExports')] },
      'imports:enqueue': { 'sqs:SendMessage': [queue('OffRequestImports')] },
      'exports:write': {
        's3:PutObject': [`<${exportFiles}.Arn>/exports/*`],
        's3:AbortMultipartUpload': [`<${exportFiles}.Arn>/exports/*`],
      },
      'admins:list': { 'cognito-idp:ListUsersInGroup': [`<${userPoolId}.Arn>`] },
      'exports:read': { 's3:GetObject': [`<${exportFiles}.Arn>/exports/*`] },
      'uploads:write': { 's3:PutObject': [`<${uploads}.Arn>/*`], 's3:DeleteObject': [`<${uploads}.Arn>/*`] },
      'uploads:read': { 's3:GetObject': [`<${uploads}.Arn>/*`] },
      'import-files:read': { 's3:GetObject': [`<${uploads}.Arn>/import-runs/*`] },
      'import-files:write': { 's3:PutObject': [`<${uploads}.Arn>/import-runs/*`] },
      'drop-zone:read': { 's3:GetObject': [`<${uploads}.Arn>/imports/*`] },
      'email:send': {
        'ses:SendRawEmail': [
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/baton.example.org',
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/certificates@baton.example.org',
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSetId}>`,
        ],
      },
    };
    for (const [id, access] of Object.entries(FUNCTIONS)) {
      const logGroup = `<${fn(s, id).Properties!.LoggingConfig.LogGroup.Ref}.Arn>`;
      const want = new Map<string, string[]>([
        ['logs:CreateLogStream', [logGroup]],
        ['logs:PutLogEvents', [logGroup]],
      ]);
      const add = (action: string, resources: string[]) => want.set(action, [...(want.get(action) ?? []), ...resources].sort());
      for (const kind of access) for (const [action, resources] of Object.entries(expected[kind])) add(action, resources);
      // Scheduled functions send their failed asynchronous invocations to the scheduled-failures queue.
      if (['reconcile', 'certificate-reminders', 'reminder-sweep', 'mail-feedback', 'sweep-events'].includes(id))
        add('sqs:SendMessage', [queue('ScheduledFailures')]);
      // A queue's consumer reads and deletes its messages (the event source mapping's grant), on that queue only.
      const consumed = {
        'send-events': 'OffRequestEventDeliveries',
        'run-export': 'OffRequestExports',
        'import-worker': 'OffRequestImports',
      }[id];
      if (consumed)
        for (const action of [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ])
          add(action, [queue(consumed)]);
      const roleId = functionRoleId(s, id);
      expect([id, Object.fromEntries(grantsOf(roleStatements(s, roleId)))]).toEqual([id, Object.fromEntries(want)]);
      expect([id, s.json.Resources[roleId]!.Properties!.ManagedPolicyArns]).toEqual([id, undefined]);
    }
  });

  it('sends email only as the configured sender address or another address at its domain (the organization’s choice)', () => {
    const statement = roleStatements(s, functionRoleId(s, 'workflow-send-completion-email')).find((st) =>
      list(st.Action).includes('ses:SendRawEmail'),
    )!;
    expect(statement.Condition).toEqual({ StringLike: { 'ses:FromAddress': [PROD.senderEmail, '*@baton.example.org'] } });
  });

  it('signs credentials with an RSA 2048 sign/verify KMS key, retained in prod', () => {
    const [id, key] = signingKey();
    expect(key.Properties).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    expect(key.DeletionPolicy).toBe('Retain');
    expect(env('workflow-issue-certificate').SIGNING_KEY_ID).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(env('issuer-jwks').SIGNING_KEY_ID).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
  });

  it('runs the expiry reminders on a schedule, like the reconciler', () => {
    const schedules = resourcesOf(s, 'AWS::Scheduler::Schedule').map(([, r]) => r.Properties!);
    const reminders = schedules.find((p) => String(p.Description).includes('expiry reminders'))!;
    expect(reminders.ScheduleExpression).toBe('rate(6 hours)');
    expect(JSON.stringify(reminders.Target.Arn)).toContain(functionId(s, 'certificate-reminders'));
  });

  const env = (id: string) => fn(s, id).Properties!.Environment.Variables as Record<string, unknown>;

  it('gives every function exactly the variables its configuration requires (functions/config.ts), and the every-function ones', () => {
    for (const id of FUNCTION_IDS) {
      expect([id, Object.keys(env(id)).sort()]).toEqual([id, [...EVERY_FUNCTION_VARIABLES, ...requiredVariables(id)].sort()]);
    }
  });

  it('points each variable at the resource its access names', () => {
    const lookup = (id: FunctionId, name: string) => env(id)[name];
    const [tableId] = only('AWS::DynamoDB::Table');
    const secret = (prefix: string) => resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith(prefix))![0];
    const secretId = secret('PartnerWebhookSecrets');
    const [stateMachineId] = only('AWS::StepFunctions::StateMachine');
    const [configurationSetId] = only('AWS::SES::ConfigurationSet');
    expect(lookup('reminder-sweep', 'UNSUBSCRIBE_KEY_ARN')).toEqual({ Ref: secret('UnsubscribeSigningKey') });
    expect(lookup('reminder-sweep', 'SES_CONFIGURATION_SET')).toEqual({ Ref: configurationSetId });
    expect(lookup('partner-webhook', 'TABLE_NAME')).toEqual({ Ref: tableId });
    expect(lookup('partner-webhook', 'PARTNER_SECRETS_ARN')).toEqual({ Ref: secretId });
    expect(lookup('partner-webhook', 'STATE_MACHINE_ARN')).toEqual({ Ref: stateMachineId });
    expect(lookup('workflow-send-completion-email', 'SENDER_EMAIL')).toBe(PROD.senderEmail);
    expect(lookup('download-certificate', 'CERTIFICATE_BUCKET')).toMatchObject({ Ref: expect.stringMatching(/^Certificates/) });
    expect(lookup('get-enrollment', 'SITE_URL')).toBe(`https://${PROD.siteDomain}`);
    expect(lookup('get-enrollment', 'POWERTOOLS_LOG_LEVEL')).toBe('INFO');
  });
});

describe('API', () => {
  const routeResources = () =>
    resourcesOf(s, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties as { RouteKey: string; AuthorizationType: string; AuthorizerId?: unknown; Target: unknown },
    );

  it('is an HTTP API whose routes are exactly the deployed entries of the route table', () => {
    expect(only('AWS::ApiGatewayV2::Api')[1].Properties!.ProtocolType).toBe('HTTP');
    expect(
      routeResources()
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual(DEPLOYED_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has no /api/dev/* route (the local-only token endpoint is never deployed)', () => {
    expect(ROUTES.some((r) => 'localOnly' in r && r.localOnly && r.path.startsWith('/api/dev/'))).toBe(true);
    expect(routeResources().filter((r) => r.RouteKey.includes('/api/dev/'))).toEqual([]);
  });

  it('puts the Cognito JWT authorizer on every user, staff and admin route, and none on public and partner routes', () => {
    const [authorizerId, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    const [poolId] = only('AWS::Cognito::UserPool');
    const [clientId] = only('AWS::Cognito::UserPoolClient');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: clientId }] },
    });
    expect(render(authorizer.Properties!.JwtConfiguration.Issuer)).toBe(`https://cognito-idp.<AWS::Region>.amazonaws.com/<${poolId}>`);
    const byKey = new Map(routeResources().map((r) => [r.RouteKey, r]));
    for (const route of DEPLOYED_ROUTES) {
      const deployed = byKey.get(`${route.method} ${route.path}`)!;
      const signedIn = route.auth === 'user' || route.auth === 'staff' || route.auth === 'admin';
      expect([route.id, deployed.AuthorizationType, deployed.AuthorizerId]).toEqual(
        signedIn ? [route.id, 'JWT', { Ref: authorizerId }] : [route.id, 'NONE', undefined],
      );
    }
    expect(DEPLOYED_ROUTES.filter((r) => r.auth === 'partner').map((r) => r.id)).toEqual(['partner-webhook']);
  });

  it('sends each route to its own function', () => {
    const integrations = Object.fromEntries(resourcesOf(s, 'AWS::ApiGatewayV2::Integration'));
    for (const route of DEPLOYED_ROUTES) {
      const deployed = routeResources().find((r) => r.RouteKey === `${route.method} ${route.path}`)!;
      const integrationId = render(deployed.Target).replace(/^integrations\/<|>$/g, '');
      expect([route.id, integrations[integrationId]!.Properties!.IntegrationUri]).toEqual([
        route.id,
        { 'Fn::GetAtt': [functionId(s, route.id), 'Arn'] },
      ]);
      expect(integrations[integrationId]!.Properties!.PayloadFormatVersion).toBe('2.0');
    }
  });

  it('throttles every route with the route table’s rate and burst, and logs every request as JSON', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage.Properties!.RouteSettings).toEqual(
      Object.fromEntries(
        DEPLOYED_ROUTES.map((r) => [
          `${r.method} ${r.path}`,
          { ThrottlingRateLimit: r.throttle.rate, ThrottlingBurstLimit: r.throttle.burst },
        ]),
      ),
    );
    const format = JSON.parse(stage.Properties!.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(render(stage.Properties!.AccessLogSettings.DestinationArn)).toMatch(/^<ApiAccessLogs[A-F0-9]+\.Arn>$/);
  });

  it('creates the routes before the stage that names them in its route settings', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    const routes = Object.values(nestedStack('baton-prod/Api/Routes').json.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(DEPLOYED_ROUTES.length);
    // The routes live in their nested stack: the stage waits for that whole stack.
    const routesStackId = resourcesOf(s, 'AWS::CloudFormation::Stack').find(([id]) => id.startsWith('ApiRoutes'))![0];
    expect(stage.DependsOn).toContain(routesStackId);
  });
});

describe('workflow', () => {
  it('is an EXPRESS state machine logging failed executions with their data, untraced (the defaults)', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: false },
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: true },
    });
    const logGroup = render(machine.Properties!.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn);
    expect(render(s.json.Resources[logGroup.replace(/^<|\.Arn>$/g, '')]!.Properties!.LogGroupName)).toBe(
      '/aws/vendedlogs/states/baton-prod-advance-enrollment-split(-, split(/, <AWS::StackId>)[2])[0]',
    );
  });

  it('deploys the ASL file unchanged: its DefinitionString, substituted, is what local mode runs', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    expect(machine.Properties!.DefinitionString).toBe(readFileSync(join(REPO_ROOT, STATE_MACHINE_FILE), 'utf8'));
    // Resolve the substitutions the way CloudFormation will, with stand-in ARNs, and compare with local mode's loading.
    const substitutions = machine.Properties!.DefinitionSubstitutions as Record<string, unknown>;
    const resolved = Object.fromEntries(Object.entries(substitutions).map(([name, value]) => [name, `resolved:${render(value)}`]));
    const deployed = JSON.parse(
      machine.Properties!.DefinitionString.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_: string, name: string) => resolved[name]),
    );
    expect(deployed).toEqual(loadDefinition(REPO_ROOT, resolved));
  });

  it('substitutes each task’s function ARN and the table name', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    const [tableId] = only('AWS::DynamoDB::Table');
    expect(machine.Properties!.DefinitionSubstitutions).toEqual({
      ...Object.fromEntries(
        Object.entries(WORKFLOW_TASK_HANDLERS).map(([name, id]) => [name, { 'Fn::GetAtt': [functionId(s, id), 'Arn'] }]),
      ),
      [TABLE_NAME_SUBSTITUTION]: { Ref: tableId },
    });
  });

  it('may invoke exactly its three task functions and update the table (for RecordFailure)', () => {
    const [, machine] = only('AWS::StepFunctions::StateMachine');
    const [tableId] = only('AWS::DynamoDB::Table');
    const grants = grantsOf(roleStatements(s, machine.Properties!.RoleArn['Fn::GetAtt'][0]));
    expect(grants.get('lambda:InvokeFunction')).toEqual(
      Object.values(WORKFLOW_TASK_HANDLERS)
        .map((id) => `<${functionId(s, id)}.Arn>`)
        .sort(),
    );
    expect(grants.get('dynamodb:UpdateItem')).toEqual([`<${tableId}.Arn>`]);
    expect([...grants.keys()].filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort()).toEqual([
      'dynamodb:UpdateItem',
      'lambda:InvokeFunction',
    ]);
  });
});

describe('buckets', () => {
  const bucket = (prefix: string) => resourcesOf(s, 'AWS::S3::Bucket').find(([id]) => id.startsWith(prefix))!;
  const policyOf = (bucketId: string) =>
    resourcesOf(s, 'AWS::S3::BucketPolicy').find(([, p]) => render(p.Properties!.Bucket) === `<${bucketId}>`)![1].Properties!.PolicyDocument
      .Statement as any[];

  it.each(['Certificates', 'SiteBucket', 'AccessLogs'])(
    '%s blocks public access, is encrypted and refuses anything but TLS 1.2+',
    (prefix) => {
      const [id, b] = bucket(prefix);
      expect(b.Properties!.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties!.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      const denies = policyOf(id).filter((st) => st.Effect === 'Deny');
      expect(denies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }),
          expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Principal: { AWS: '*' } }),
        ]),
      );
    },
  );

  it('keeps certificate PDFs versioned, access-logged and retained in prod', () => {
    const [, b] = bucket('Certificates');
    expect(b.Properties!.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties!.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'certificates-bucket/' });
    expect(b.DeletionPolicy).toBe('Retain');
  });

  it('sends the uploads bucket’s new objects under imports/ (the drop zone) to the imports queue, and nothing else', () => {
    const [uploadsId, uploads] = bucket('OffRequestUploads');
    const [importsId] = resourcesOf(s, 'AWS::SQS::Queue').find(([id]) => id.startsWith('OffRequestImports'))!;
    const notifications = resourcesOf(s, 'Custom::S3BucketNotifications');
    expect(notifications.map(([, n]) => render(n.Properties!.BucketName))).toEqual([`<${uploadsId}>`]);
    expect(notifications[0]![1].Properties!.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: DROP_ZONE_PREFIX }] } },
          QueueArn: { 'Fn::GetAtt': [importsId, 'Arn'] },
        },
      ],
    });
    // Baton's own import files are outside the filter: they would start imports of themselves.
    expect(importFileKey('0'.repeat(36)).startsWith(DROP_ZONE_PREFIX)).toBe(false);
    expect(IMPORT_RUNS_PREFIX.startsWith(DROP_ZONE_PREFIX)).toBe(false);
    // Both kept 30 days.
    const rules = uploads.Properties!.LifecycleConfiguration.Rules as any[];
    for (const prefix of [DROP_ZONE_PREFIX, IMPORT_RUNS_PREFIX])
      expect(rules).toContainEqual(expect.objectContaining({ Prefix: prefix, ExpirationInDays: 30, Status: 'Enabled' }));
  });

  it('lets S3 send to the imports queue from the uploads bucket of this account only, SendMessage only, on SQS-managed encryption', () => {
    const [uploadsId] = bucket('OffRequestUploads');
    const [importsId, imports] = resourcesOf(s, 'AWS::SQS::Queue').find(([id]) => id.startsWith('OffRequestImports'))!;
    expect(imports.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(imports.Properties!.KmsMasterKeyId).toBeUndefined();
    const fromServices = resourcesOf(s, 'AWS::SQS::QueuePolicy')
      .flatMap(([, p]) =>
        (p.Properties!.PolicyDocument.Statement as any[]).map((st) => ({ st, queues: list(p.Properties!.Queues).map(render) })),
      )
      .filter(({ st }) => st.Effect === 'Allow' && st.Principal?.Service);
    expect(fromServices.filter(({ st }) => st.Principal.Service === 's3.amazonaws.com')).toEqual([
      {
        queues: [`<${importsId}>`],
        st: {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [importsId, 'Arn'] },
          Condition: {
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [uploadsId, 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        },
      },
    ]);
  });

  it('sets the notification with CDK’s deploy-time function, allowed PutBucketNotification on the uploads bucket only', () => {
    const [uploadsId] = bucket('OffRequestUploads');
    const [roleId, role] = resourcesOf(s, 'AWS::IAM::Role').find(([id]) => id.startsWith('BucketNotificationsHandler'))!;
    expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
    const policies = resourcesOf(s, 'AWS::IAM::Policy').filter(([, p]) => list(p.Properties!.Roles).map(render).includes(`<${roleId}>`));
    expect(policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 's3:PutBucketNotification', Resource: { 'Fn::GetAtt': [uploadsId, 'Arn'] } },
    ]);
  });
});

describe('site', () => {
  const distribution = () => only('AWS::CloudFront::Distribution')[1].Properties!.DistributionConfig;

  it('serves the private site bucket through Origin Access Control only', () => {
    const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties!.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const [siteBucketId] = resourcesOf(s, 'AWS::S3::Bucket').find(([id]) => id.startsWith('SiteBucket'))!;
    const s3Origin = distribution().Origins.find((o: any) => o.S3OriginConfig);
    expect(render(s3Origin.DomainName)).toBe(`<${siteBucketId}.RegionalDomainName>`);
    expect(render(s3Origin.OriginAccessControlId)).toBe(`<${oacId}.Id>`);
    const read = resourcesOf(s, 'AWS::S3::BucketPolicy')
      .find(([, p]) => render(p.Properties!.Bucket) === `<${siteBucketId}>`)![1]
      .Properties!.PolicyDocument.Statement.find((st: any) => st.Effect === 'Allow');
    expect(read).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(render(read.Condition.StringEquals['AWS:SourceArn'])).toContain(`distribution/<${only('AWS::CloudFront::Distribution')[0]}>`);
  });

  it('answers on the custom domain with TLS 1.2+ (SNI), HTTP/2 and 3, index.html at the root', () => {
    expect(distribution()).toMatchObject({
      Aliases: [PROD.siteDomain],
      ViewerCertificate: {
        AcmCertificateArn: PROD.siteCertificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
      HttpVersion: 'http2and3',
      DefaultRootObject: 'index.html',
      Logging: { Prefix: 'cloudfront/' },
    });
  });

  it('never serves content over plain HTTP: the site redirects to HTTPS, the API is HTTPS-only', () => {
    const config = distribution();
    const behaviors = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    expect(behaviors.map((b: any) => b.ViewerProtocolPolicy)).toEqual(['redirect-to-https', 'https-only']);
    expect(config.Origins.filter((o: any) => o.CustomOriginConfig).map((o: any) => o.CustomOriginConfig)).toEqual([
      { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 30 },
    ]);
  });

  it('routes /api/* to the HTTP API uncached, with every viewer header but Host (Authorization included)', () => {
    const config = distribution();
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId);
    expect(render(origin.DomainName)).toBe(`<${only('AWS::ApiGatewayV2::Api')[0]}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
    expect(config.CacheBehaviors).toHaveLength(1);
  });

  it('serves client-side routes with a viewer-request function on the site only, not error pages that would hide API errors', () => {
    const config = distribution();
    const [functionId_, cfFunction] = only('AWS::CloudFront::Function');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId_, 'FunctionARN'] } },
    ]);
    expect(config.CacheBehaviors[0].FunctionAssociations).toBeUndefined();
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(cfFunction.Properties!.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(cfFunction.Properties!.FunctionCode).toBe(readFileSync(join(REPO_ROOT, 'infra/cloudfront/spa-rewrite.js'), 'utf8'));
  });

  it('adds security headers to every response: HSTS, CSP, no framing, no sniffing, strict referrer', () => {
    const [policyId, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const config = distribution();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const headers = policy.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    const csp = render(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(
      /connect-src 'self' https:\/\/baton-prod-.*\.auth\.<AWS::Region>\.amazoncognito\.com https:\/\/cognito-idp\.<AWS::Region>\.amazonaws\.com/,
    );
  });

  it('deploys the site with a generated config.json in the shape the site reads', () => {
    const [, deployment] = resourcesOf(s, 'Custom::CDKBucketDeployment').find(([, r]) => r.Properties!.Prune === true)!;
    const index = (deployment.Properties!.SourceMarkers as Array<Record<string, unknown>>).findIndex((m) => Object.keys(m).length > 0);
    const assetHash = (deployment.Properties!.SourceObjectKeys[index] as string).replace(/\.zip$/, '');
    let text = readFileSync(join(s.assembly.directory, `asset.${assetHash}`, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(deployment.Properties!.SourceMarkers[index]))
      text = text.replaceAll(marker, render(value));
    const [poolId] = only('AWS::Cognito::UserPool');
    const [clientId] = only('AWS::Cognito::UserPoolClient');
    const [domainId] = only('AWS::Cognito::UserPoolDomain');
    expect(JSON.parse(text)).toEqual({
      mode: 'aws',
      apiBaseUrl: '',
      region: '<AWS::Region>',
      auth: {
        authority: `<${poolId}.ProviderURL>`,
        clientId: `<${clientId}>`,
        domain: `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com`,
        redirectPath: '/auth/callback',
        postLogoutPath: '/',
      },
    });
    // Revalidated on every request, so a new config or index.html is seen at once.
    expect(deployment.Properties!.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
  });
});

describe('sign-in', () => {
  it('is a user pool with email sign-in, a strong password policy, optional TOTP MFA, on the Essentials plan by default', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'ESSENTIALS',
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.Properties!.UserPoolAddOns).toBeUndefined();
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('adds the email to access tokens with the V2_0 pre-token trigger', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties!.LambdaConfig).toEqual({
      PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [functionId(s, 'pre-token-generation'), 'Arn'] }, LambdaVersion: 'V2_0' },
    });
  });

  it('has the admin, super_admin and viewer groups the API checks', () => {
    expect(
      resourcesOf(s, 'AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties!.GroupName)
        .sort(),
    ).toEqual(['admin', 'super_admin', 'viewer']);
  });

  it('runs the outbound events sweep every minute, and the sender, the export worker and the import worker off their queues', () => {
    const schedule = resourcesOf(s, 'AWS::Scheduler::Schedule').find(([id]) => id.startsWith('SweepEvents'))![1];
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      Target: { Arn: { 'Fn::GetAtt': [functionId(s, 'sweep-events'), 'Arn'] } },
    });
    const mappings = resourcesOf(s, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties!);
    const queueOf = (prefix: string) => resourcesOf(s, 'AWS::SQS::Queue').find(([id]) => id.startsWith(prefix))!;
    expect(mappings.find((m) => m.FunctionName.Ref === functionId(s, 'send-events'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueOf('OffRequestEventDeliveries')[0], 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mappings.find((m) => m.FunctionName.Ref === functionId(s, 'run-export'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueOf('OffRequestExports')[0], 'Arn'] },
      BatchSize: 1,
    });
    // At most two import steps at once (SQS's least maxConcurrency), each paced at half the starts limit.
    expect(mappings.find((m) => m.FunctionName.Ref === functionId(s, 'import-worker'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueOf('OffRequestImports')[0], 'Arn'] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    // Each work queue gives up on a message after a few receives, into its own dead-letter queue.
    expect(queueOf('OffRequestEventDeliveries')[1].Properties!.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    expect(queueOf('OffRequestExports')[1].Properties!.RedrivePolicy).toMatchObject({ maxReceiveCount: 2 });
  });

  it('has a public app client (no secret) for the site: authorization code flow, callbacks on the site', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`https://${PROD.siteDomain}/auth/callback`],
      LogoutURLs: [`https://${PROD.siteDomain}/`],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(client.Properties!.AllowedOAuthFlows).not.toContain('implicit');
  });

  it('has a managed login domain unique to the deployment', () => {
    const [, domain] = only('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties!.ManagedLoginVersion).toBe(2);
    expect(render(domain.Properties!.Domain)).toBe('baton-prod-split(-, split(/, <AWS::StackId>)[2])[0]');
    only('AWS::Cognito::ManagedLoginBranding');
  });
});

describe('secrets, email, schedule', () => {
  it('keeps the partner webhook secrets in one Secrets Manager secret, starting empty ({}: every webhook is refused)', () => {
    const [secretId, secret] = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('PartnerWebhookSecrets'))!;
    expect(secret.Properties!.SecretString).toBe('{}');
    expect(fn(s, 'partner-webhook').Properties!.Environment.Variables.PARTNER_SECRETS_ARN).toEqual({ Ref: secretId });
  });

  it('creates the SES domain identity when a domain is given, with its DKIM records as outputs', () => {
    const [, identity] = only('AWS::SES::EmailIdentity');
    expect(identity.Properties!.EmailIdentity).toBe(PROD.domainName);
    expect(Object.keys(s.json.Outputs).filter((k) => k.startsWith('SenderDkimRecord'))).toHaveLength(3);
  });

  it.each([
    ['reconcile', 'rate(5 minutes)'],
    ['reminder-sweep', 'rate(15 minutes)'],
    ['certificate-reminders', 'rate(6 hours)'],
    ['sweep-events', 'rate(1 minute)'],
  ])('runs %s on its schedule (%s), with a dead-letter queue for missed runs', (id, rate) => {
    const [, schedule] = resourcesOf(s, 'AWS::Scheduler::Schedule').find(
      ([, r]) => r.Properties!.Target.Arn['Fn::GetAtt'][0] === functionId(s, id),
    )!;
    const [queueId] = resourcesOf(s, 'AWS::SQS::Queue').find(([id]) => id.startsWith('ScheduledFailures'))!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: rate,
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [functionId(s, id), 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    const grants = grantsOf(roleStatements(s, schedule.Properties!.Target.RoleArn['Fn::GetAtt'][0]));
    expect(Object.fromEntries(grants)).toEqual({
      'lambda:InvokeFunction': [`<${functionId(s, id)}.Arn>`],
      'sqs:SendMessage': [`<${queueId}.Arn>`],
    });
  });

  it('reports bounces and complaints through the configuration set to the mail-feedback function (TLS-only topic by default)', () => {
    const [configurationSetId, configurationSet] = only('AWS::SES::ConfigurationSet');
    expect(configurationSet.Properties!.SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });
    const [, destination] = only('AWS::SES::ConfigurationSetEventDestination');
    const topicId = destination.Properties!.EventDestination.SnsDestination.TopicARN.Ref as string;
    expect(destination.Properties).toMatchObject({
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'] },
    });
    expect(s.json.Resources[topicId]!.Properties!.KmsMasterKeyId).toBeUndefined();
    expect(acknowledgments(s.app).find((a) => a.id === 'AwsSolutions::AwsSolutions-SNS2' && a.path.includes('/Email/'))).toBeDefined();
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [functionId(s, 'mail-feedback'), 'Arn'] },
    });
  });

  it("sends Cognito's emails through SES as the sender, with the configuration set", () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    const [configurationSetId] = only('AWS::SES::ConfigurationSet');
    expect(pool.Properties!.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: `Baton <${PROD.senderEmail}>`,
      ConfigurationSet: { Ref: configurationSetId },
    });
    expect(render(pool.Properties!.EmailConfiguration.SourceArn)).toBe(
      `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/${PROD.domainName}`,
    );
  });

  it('gives the nudge route the time a batch of reminders needs (29 s, inside the gateway 30 s)', () => {
    expect(fn(s, 'send-reminders').Properties!.Timeout).toBe(29);
    expect(fn(s, 'get-pipeline').Properties!.Timeout).toBe(10);
  });
});

describe('operations', () => {
  const monitoring = () => nestedStack('baton-prod/Monitoring');

  it("keeps every template within CloudFormation's 500 resources, the API routes and the alarms in nested stacks of their own", () => {
    const counts = [s.json, ...s.nested.map((n) => n.json)].map((t) => Object.keys(t.Resources).length);
    for (const count of counts) expect(count).toBeLessThanOrEqual(500);
    expect(s.nested.map((n) => n.path).sort()).toEqual(['baton-prod/Api/Routes', 'baton-prod/Monitoring']);
    expect(Object.values(monitoring().json.Resources).map((r) => r.Type)).toContain('AWS::CloudWatch::Alarm');
    expect(resourcesOf(s, 'AWS::CloudWatch::Alarm').every(([id]) => id in monitoring().json.Resources)).toBe(true);
  });

  const alarms = () => resourcesOf(s, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const alarmOn = (namespace: string, metricName: string) =>
    alarms().filter((a) => a.Namespace === namespace && a.MetricName === metricName);

  it('alarms on API 5xx, every function’s errors and throttles, failed and timed-out executions, and the dead-letter queue', () => {
    expect(alarmOn('AWS/ApiGateway', '5xx')).toHaveLength(1);
    // Every function's errors and throttles: Lambda's totals over the account (grouped per function: stages.test.ts).
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarmOn('AWS/Lambda', metric)).toEqual([expect.objectContaining({ Statistic: 'Sum', Period: 300 })]);
      expect(alarmOn('AWS/Lambda', metric)[0]!.Dimensions).toBeUndefined();
    }
    expect(alarmOn('AWS/States', 'ExecutionsFailed')).toHaveLength(1);
    expect(alarmOn('AWS/States', 'ExecutionsTimedOut')).toHaveLength(1);
    // The scheduled runs' dead letters, the event deliveries', the exports' and the imports'.
    expect(alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    const tableThrottles = alarms().find((a) => a.AlarmName === 'baton-prod-table-throttles')!;
    expect(tableThrottles.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName)).toEqual([
      'ReadThrottleEvents',
      'WriteThrottleEvents',
    ]);
  });

  it('notifies the alarm topic (TLS only, unencrypted at rest by default, emailed to the operator) from every alarm', () => {
    const [topicId, topic] = resourcesOf(s, 'AWS::SNS::Topic').find(([id]) => id.startsWith('AlarmTopic'))!;
    expect(topic.Properties!.KmsMasterKeyId).toBeUndefined();
    expect(
      acknowledgments(s.app)
        .filter((a) => a.id === 'AwsSolutions::AwsSolutions-SNS2')
        .map((a) => a.path),
    ).toContain('baton-prod/Monitoring/AlarmTopic/Resource');
    for (const alarm of alarms()) expect([alarm.AlarmName, alarm.AlarmActions]).toEqual([alarm.AlarmName, [{ Ref: topicId }]]);
    monitoring().template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: PROD.alarmEmail,
      TopicArn: { Ref: topicId },
    });
  });

  it('has a pipeline dashboard: API, webhook outcomes, workflow, functions, table, dead letters, within 50 metrics', () => {
    const [, dashboard] = only('AWS::CloudWatch::Dashboard');
    const body = render(dashboard.Properties!.DashboardBody);
    for (const title of [
      'API requests and errors',
      'Webhook outcomes (all partners)',
      'Workflow executions',
      'Function errors',
      'DynamoDB capacity consumed',
      'Dead-letter queue (reconciler)',
    ]) {
      expect(body).toContain(title);
    }
    // One metric per outcome (no partner dimension: functions/custom-metrics.ts), every function by one search.
    for (const outcome of ['applied', 'duplicate', 'unmatched', 'ignored'])
      expect(body).toContain(`["Baton","Webhook_${outcome}","service","baton",{"label":"${outcome}","stat":"Sum"}]`);
    expect(body).toContain(`SEARCH('{AWS/Lambda,FunctionName} MetricName=\\"Errors\\" FunctionName=baton-prod', 'Sum', 300)`);
    const widgets = JSON.parse(body.replace(/<[^>]+>/g, 'x')).widgets as Array<{ properties: { metrics?: unknown[][] } }>;
    const metrics = widgets.flatMap((w) => w.properties.metrics ?? []).filter((m) => typeof m[0] === 'string');
    expect(metrics.length).toBeLessThanOrEqual(50);
  });

  it('outputs the site URL, API URL, user pool id and the partner webhook URL (on the site domain, with the partner id to fill in)', () => {
    const outputs = Object.fromEntries(Object.entries(s.json.Outputs).map(([k, o]) => [k, render(o.Value)]));
    expect(outputs.SiteUrl).toBe(`https://${PROD.siteDomain}`);
    expect(outputs.ApiUrl).toMatch(/^https:\/\/<Api[A-F0-9]+>\.execute-api\.<AWS::Region>\.<AWS::URLSuffix>$/);
    expect(outputs.UserPoolId).toMatch(/^<AuthUsers[A-F0-9]+>$/);
    const webhookUrls = Object.entries(outputs).filter(([k]) => k.startsWith('PartnerWebhookUrl'));
    expect(webhookUrls).toEqual([['PartnerWebhookUrl', `${outputs.SiteUrl}/api/webhooks/partners/{partnerId}`]]);
  });
});

describe('least privilege (every policy in the template)', () => {
  it('has no wildcard resource where a specific ARN is possible', () => {
    expect(unjustifiedWildcards(s)).toEqual([]);
  });

  it('allows no "*" or "service:*" action, NotAction or NotResource', () => {
    expect(broadStatements(s)).toEqual([]);
  });

  it('attaches no AWS managed policy to any role', () => {
    expect(rolesWithManagedPolicies(s)).toEqual([]);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('passes: the synth above would have thrown on any unacknowledged error', () => {
    // What passing means is shown in stages.test.ts, where a non-compliant bucket fails the synth.
    expect(s.assembly.stacks.map((st) => st.stackName)).toEqual(['baton-prod']);
  });

  it('scopes every acknowledgment to one resource, with a written reason, and IAM ones to one finding', () => {
    const acks = acknowledgments(s.app).filter((a) => a.id.includes('AwsSolutions'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect([ack.path, ack.id, ack.onStack, ack.resources]).toEqual([ack.path, ack.id, false, 1]);
      expect([ack.id, ack.reason.length >= 40]).toEqual([ack.id, true]);
      if (/IAM[45]/.test(ack.id)) expect(ack.id).toMatch(/\[(Resource|Action|Policy)::.+\]$/);
    }
  });
});

it('has no circular dependency between resources (CloudFormation would reject it at deploy time; synth does not check)', () => {
  expect(dependencyCycle(s)).toBeUndefined();
});

it('keeps data retention and prod-only protections consistent: nothing in prod is deleted with the stack', () => {
  const retained = [
    'AWS::DynamoDB::Table',
    'AWS::Cognito::UserPool',
    'AWS::SecretsManager::Secret',
    'AWS::Logs::LogGroup',
    'AWS::S3::Bucket',
  ];
  for (const type of retained) {
    for (const [id, r] of resourcesOf(s, type)) expect([id, r.DeletionPolicy]).toEqual([id, 'Retain']);
  }
  expect(resourcesOf(s, 'Custom::S3AutoDeleteObjects')).toEqual([]);
  s.template.resourceCountIs(
    'AWS::Lambda::Function',
    Object.keys(FUNCTIONS).length + 2 /* CDK's deploy-time handlers: the site's BucketDeployment, the uploads bucket's notification */,
  );
  s.template.hasResourceProperties('AWS::Lambda::Function', Match.objectLike({ FunctionName: 'baton-prod-partner-webhook' }));
});
