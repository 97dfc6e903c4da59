// Everything one deployed Baton is, in one stack: data, certificates, email, partner secrets, the
// workflow, the functions, the API (from the route table), sign-in, the site, the reconciler's
// schedule, and the alarms and dashboard.
import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OTHER_FUNCTION_ACCESS, WORKFLOW_TASK_ACCESS, type FunctionId } from '../functions/access.js';
import { DEPLOYED_ROUTES, type Route } from '../functions/http/routes.js';
import { IMPORT_WORKER_CONCURRENCY } from '../functions/use-cases/paced-workflow.js';
import { WORKFLOW_TASK_HANDLERS, type WorkflowTaskSubstitution } from '../functions/workflow/definition.js';
import type { BatonConfig } from './config.js';
import { BatonHttpApi } from './constructs/api.js';
import { AUTH_CALLBACK_PATH, AUTH_LOGOUT_PATH, BatonAuth, authDomainPrefix, authDomainUrl } from './constructs/auth.js';
import { BatonFunction, type BatonResources, type FunctionAccess } from './constructs/baton-function.js';
import { accessLogBucket, privateBucket } from './constructs/buckets.js';
import { BatonTable } from './constructs/data.js';
import { EmailSender } from './constructs/email.js';
import { BatonMonitoring } from './constructs/monitoring.js';
import { WebhookRateLimit } from './constructs/webhook-rate-limit.js';
import { EverySchedule, ReconcileSchedule, REMIND_EVERY, SWEEP_EVERY } from './constructs/schedules.js';
import { IMPORT_WORKER_TIMEOUT, OffRequestWork, RUN_EXPORT_TIMEOUT, SEND_EVENTS_TIMEOUT } from './constructs/outbound.js';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BatonSite } from './constructs/site.js';
import { AdvancementWorkflow } from './constructs/workflow.js';
import { acknowledgeNag } from './nag.js';

/** Inside the task states' 30-second TimeoutSeconds, so Step Functions sees the function's own error. */
const TASK_TIMEOUT = Duration.seconds(25);

export interface BatonStackProps extends StackProps {
  config: BatonConfig;
}

export class BatonStack extends Stack {
  /** Every function, by handler id. */
  readonly functions: Record<string, BatonFunction> = {};

  constructor(scope: Construct, id: string, props: BatonStackProps) {
    super(scope, id, { description: `Baton (${props.config.stage}): multi-partner training programs`, ...props });
    const { config } = props;
    const retain = config.stage === 'prod';
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = retain ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_WEEK;

    const accessLogs = accessLogBucket(this, 'AccessLogs', { retain, expireDays: retain ? 365 : 30 });
    const { table } = new BatonTable(this, 'Data', { retain });
    const certificates = privateBucket(this, 'Certificates', {
      retain,
      accessLogs,
      logPrefix: 'certificates-bucket',
      noncurrentVersionDays: 90,
    });
    const sender = new EmailSender(this, 'Email', {
      senderEmail: config.senderEmail,
      ...(config.domainName ? { domainName: config.domainName } : {}),
      encryptTopic: config.topicEncryption,
      removalPolicy,
    });

    // Signs one-click unsubscribe links: generated here, never in code or config (about $0.40 a month).
    const unsubscribeKey = new Secret(this, 'UnsubscribeSigningKey', {
      description: 'Baton: the key that signs one-click unsubscribe links (generated; do not share)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    acknowledgeNag(
      unsubscribeKey.node.defaultChild!,
      'SMG4',
      'Rotating the key would break the unsubscribe links in every email already sent (RFC 8058 links must keep working); the key never leaves Secrets Manager and the functions that sign or check links.',
    );

    // Starts as "{}" (every webhook gets 401); operators put the real secrets in (docs/deploy.md).
    // CloudFormation never rewrites the value while this template value stays the same.
    const partnerSecrets = new Secret(this, 'PartnerWebhookSecrets', {
      description: 'Baton partner webhook secrets: {"<partnerId>": [{"id", "secret", "createdAt"}]} (admins manage them in the site)',
      secretStringValue: SecretValue.unsafePlainText('{}'),
      removalPolicy,
    });
    acknowledgeNag(
      partnerSecrets.node.defaultChild!,
      'SMG4',
      'Webhook secrets are shared with partner platforms, so rotation is a coordinated change: the secret holds a list during a rotation (old and new both verify) and the function picks it up within 5 minutes. Automatic rotation cannot inform partners.',
    );

    const deadLetterQueue = new Queue(this, 'ScheduledFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(
      deadLetterQueue.node.defaultChild!,
      'SQS3',
      'This queue is itself the dead-letter queue of the reconciler schedule and function; it has an alarm on its depth.',
    );

    const api = new BatonHttpApi(this, 'Api', { logRetention, removalPolicy });
    const domainPrefix = authDomainPrefix(config.stage, config.authDomainPrefix);
    const rateLimit = config.partnerWebhookRateLimit
      ? new WebhookRateLimit(this, 'WebhookRateLimit', { requestsPer5Minutes: config.partnerWebhookRateLimit })
      : undefined;
    const site = new BatonSite(this, 'Site', {
      ...(rateLimit ? { webAclArn: rateLimit.webAcl.attrArn } : {}),
      retain,
      accessLogs,
      api: api.api,
      authDomainUrl: authDomainUrl(domainPrefix),
      ...(config.siteDomain ? { customDomain: { name: config.siteDomain, certificateArn: config.siteCertificateArn! } } : {}),
      logRetention,
      removalPolicy,
    });

    // Signs the Open Badges credentials; the private key never leaves KMS ($1 a month, plus $0.03 per 10,000 signatures).
    const signingKey = new Key(this, 'CredentialSigningKey', {
      description: 'Baton: signs Open Badges 3.0 credentials and status lists (RS256)',
      keySpec: KeySpec.RSA_2048,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(retain ? {} : { pendingWindow: Duration.days(7) }),
    });
    acknowledgeNag(
      signingKey.node.defaultChild!,
      'KMS5',
      'An asymmetric signing key cannot be rotated automatically by KMS; issued credentials name this key, so a rotation publishes the new key beside the old one (docs/operations.md).',
    );

    const work = new OffRequestWork(this, 'OffRequest', { retain, accessLogs, removalPolicy, siteUrl: site.url });
    const resources: BatonResources = {
      table,
      certificates,
      partnerSecrets,
      unsubscribeKey,
      sender: {
        email: sender.email,
        identityArns: sender.identityArns,
        configurationSetName: sender.configurationSet.configurationSetName,
        configurationSetArn: sender.configurationSetArn,
      },
      siteUrl: site.url,
      signingKey,
      organizationName: config.organizationName,
      eventQueue: work.eventQueue,
      exportQueue: work.exportQueue,
      exportBucket: work.exportBucket,
      uploadBucket: work.uploadBucket,
      importQueue: work.importQueue,
      importStartsPerSecond: config.importStartsPerSecond,
    };
    // Every function's logs in one group (each line names its function): a group each would be 70 resources.
    const functionLogs = new LogGroup(this, 'FunctionLogs', { retention: logRetention, removalPolicy });
    const fn = (
      handlerId: FunctionId,
      description: string,
      access: readonly FunctionAccess[],
      extra: Partial<ConstructorParameters<typeof BatonFunction>[2]> = {},
    ) =>
      (this.functions[handlerId] = new BatonFunction(this, `Fn-${handlerId}`, {
        handlerId,
        description,
        access,
        resources,
        logGroup: functionLogs,
        tracing: config.tracing,
        ...extra,
      }));

    const preToken = fn(
      'pre-token-generation',
      'Cognito trigger: adds the verified email to access tokens',
      OTHER_FUNCTION_ACCESS['pre-token-generation'],
    );
    const auth = new BatonAuth(this, 'Auth', {
      retain,
      threatProtection: config.threatProtection,
      siteUrl: site.url,
      domainPrefix,
      preTokenGeneration: preToken.function,
      email:
        config.cognitoEmail === 'ses'
          ? {
              fromEmail: config.senderEmail,
              configurationSetName: sender.configurationSet.configurationSetName,
              ...(config.domainName ? { sesVerifiedDomain: config.domainName } : {}),
            }
          : undefined,
    });

    resources.userPool = auth.userPool;

    const tasks = Object.fromEntries(
      (Object.entries(WORKFLOW_TASK_HANDLERS) as Array<[WorkflowTaskSubstitution, FunctionId]>).map(([substitution, handlerId]) => [
        substitution,
        fn(handlerId, `Workflow task (${substitution})`, WORKFLOW_TASK_ACCESS[substitution], { timeout: TASK_TIMEOUT }).function,
      ]),
    ) as Record<WorkflowTaskSubstitution, BatonFunction['function']>;
    const workflow = new AdvancementWorkflow(this, 'Workflow', {
      type: config.workflowType,
      table,
      tasks,
      logLevel: config.workflowLogLevel,
      tracing: config.tracing,
      logRetention,
      removalPolicy,
    });
    resources.stateMachine = workflow.stateMachine;

    for (const route of DEPLOYED_ROUTES) {
      const timeout = route.timeoutSeconds ? { timeout: Duration.seconds(route.timeoutSeconds) } : {};
      fn(route.id as FunctionId, `${route.method} ${route.path}: ${route.summary}`, route.access, timeout);
    }
    const authorizer = new HttpUserPoolAuthorizer('CognitoAccessToken', auth.userPool, { userPoolClients: [auth.client] });
    api.addRoutes(DEPLOYED_ROUTES, (route: Route) => this.functions[route.id]!.function, authorizer);

    const reconciler = fn(
      'reconcile',
      'Scheduled: restarts advances that no workflow execution finished',
      OTHER_FUNCTION_ACCESS.reconcile,
      {
        timeout: Duration.seconds(60),
        deadLetterQueue,
      },
    );
    new ReconcileSchedule(this, 'Reconcile', { reconciler: reconciler.function, deadLetterQueue });
    const reminders = fn(
      'certificate-reminders',
      'Scheduled: emails students whose certificates expire in 60 and 14 days (each at most once)',
      OTHER_FUNCTION_ACCESS['certificate-reminders'],
      { timeout: Duration.seconds(60), deadLetterQueue },
    );
    new EverySchedule(this, 'ExpiryReminders', {
      target: reminders.function,
      deadLetterQueue,
      every: REMIND_EVERY,
      description: 'Baton certificate expiry reminders: email students 60 and 14 days before a certificate expires',
    });

    const reminderSweep = fn(
      'reminder-sweep',
      'Scheduled: reminders, due dates, welcome emails a request did not send',
      OTHER_FUNCTION_ACCESS['reminder-sweep'],
      {
        timeout: Duration.minutes(5),
        deadLetterQueue,
      },
    );
    new EverySchedule(this, 'Reminders', {
      target: reminderSweep.function,
      deadLetterQueue,
      every: SWEEP_EVERY,
      description: 'Baton reminder sweep: reminders, due dates, welcome emails a request did not send',
    });
    const feedback = fn('mail-feedback', 'SES bounces and complaints: suppresses the address', OTHER_FUNCTION_ACCESS['mail-feedback'], {
      deadLetterQueue,
    });
    sender.subscribe(feedback.function, deadLetterQueue);

    // Outbound events: the sweep relays the outbox and queues due attempts every minute; the sender runs each attempt off the queue.
    const sweep = fn(
      'sweep-events',
      'Scheduled: relays outbound events and queues the delivery attempts that are due',
      OTHER_FUNCTION_ACCESS['sweep-events'],
      {
        timeout: Duration.seconds(60),
        deadLetterQueue,
      },
    );
    new EverySchedule(this, 'SweepEvents', {
      target: sweep.function,
      deadLetterQueue,
      every: Duration.minutes(1),
      description: 'Baton: relay outbound events, queue due delivery attempts',
    });
    const send = fn(
      'send-events',
      'Off the deliveries queue: one signed attempt of an outbound event',
      OTHER_FUNCTION_ACCESS['send-events'],
      {
        timeout: SEND_EVENTS_TIMEOUT,
      },
    );
    send.function.addEventSource(new SqsEventSource(work.eventQueue, { batchSize: 5, reportBatchItemFailures: true }));
    const exporter = fn('run-export', 'Off the exports queue: writes an export CSV to S3', OTHER_FUNCTION_ACCESS['run-export'], {
      timeout: RUN_EXPORT_TIMEOUT,
      memorySize: 2048,
    });
    exporter.function.addEventSource(new SqsEventSource(work.exportQueue, { batchSize: 1 }));
    // One step per invocation, at most IMPORT_WORKER_CONCURRENCY at once: each paces its workflow
    // starts at its share of the configured rate, so imports running together stay within it.
    const importer = fn('import-worker', 'Off the imports queue: one step of an import run', OTHER_FUNCTION_ACCESS['import-worker'], {
      timeout: IMPORT_WORKER_TIMEOUT,
      memorySize: 2048,
    });
    importer.function.addEventSource(new SqsEventSource(work.importQueue, { batchSize: 1, maxConcurrency: IMPORT_WORKER_CONCURRENCY }));

    site.deploy({
      mode: 'aws',
      apiBaseUrl: '',
      region: this.region,
      auth: {
        authority: auth.issuerUrl,
        clientId: auth.client.userPoolClientId,
        domain: auth.domain.baseUrl(),
        redirectPath: AUTH_CALLBACK_PATH,
        postLogoutPath: AUTH_LOGOUT_PATH,
      },
    });

    const monitoring = new BatonMonitoring(this, 'Monitoring', {
      api: api.api,
      functions: Object.fromEntries(Object.entries(this.functions).map(([id, f]) => [id, f.function])),
      stateMachine: workflow.stateMachine,
      table,
      deadLetterQueue,
      offRequestDeadLetters: {
        'event-deliveries': work.eventDeadLetters,
        exports: work.exportDeadLetters,
        imports: work.importDeadLetters,
      },
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      functionAlarms: config.functionAlarms,
      topicEncryption: config.topicEncryption,
      removalPolicy,
      stackName: this.stackName,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('SiteUrl', site.url, 'The site (students and admins)');
    output(
      'DistributionDomainName',
      site.distribution.distributionDomainName,
      'CloudFront domain: point a custom site domain here (CNAME/alias)',
    );
    output('ApiUrl', api.url, 'The API (also reachable as <SiteUrl>/api/…)');
    // Partners are data: each partner's URL is this with its id (the site's partner page shows it).
    output('PartnerWebhookUrl', `${site.url}/api/webhooks/partners/{partnerId}`, 'Webhook URL to give a partner, with its id');
    output('PartnerSecretsArn', partnerSecrets.secretArn, 'Secrets Manager secret holding the partner webhook secrets');
    output('UserPoolId', auth.userPool.userPoolId, 'Cognito user pool (create the first admin here)');
    output('UserPoolClientId', auth.client.userPoolClientId, 'The site’s Cognito app client');
    output('SignInDomain', auth.domain.baseUrl(), 'Cognito managed login domain');
    output('TableName', table.tableName, 'DynamoDB table (npm run seed -- --table <name>)');
    output('CertificateBucketName', certificates.bucketName, 'S3 bucket of certificate PDFs');
    output('StateMachineArn', workflow.stateMachine.stateMachineArn, 'The advancement workflow');
    output('CredentialSigningKeyArn', signingKey.keyArn, 'KMS key that signs the Open Badges credentials');
    output('AlarmTopicArn', monitoring.topic.topicArn, 'SNS topic of all alarms (subscribe on-call here)');
    output('DashboardName', monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the pipeline');
    output(
      'SesConfigurationSet',
      sender.configurationSet.configurationSetName,
      'SES configuration set every email names (bounces and complaints)',
    );
    output('ExportBucketName', work.exportBucket.bucketName, 'S3 bucket of export files (kept 7 days)');
    output('EventDeliveryQueueUrl', work.eventQueue.queueUrl, 'Outbound event delivery attempts (its dead-letter queue has an alarm)');
    output('DeadLetterQueueUrl', deadLetterQueue.queueUrl, 'Missed or failed reconciler runs (docs/operations.md#dead-letter-queue)');
  }
}
