// The work that runs off requests, each on an SQS queue with a dead-letter queue: outbound event
// deliveries (each message one attempt; the sweep re-queues any delivery whose attempt is due, so
// a lost message is a delay, not a loss) and export runs. Plus the exports bucket (files expire
// after 7 days; downloads go through 5-minute presigned links).
import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal, type CfnRole } from 'aws-cdk-lib/aws-iam';
import {
  BucketNotificationDestinationType,
  EventType,
  HttpMethods,
  type Bucket,
  type BucketNotificationDestinationConfig,
  type IBucketNotificationDestination,
} from 'aws-cdk-lib/aws-s3';
import type { aws_s3 as s3Refs } from 'aws-cdk-lib/interfaces';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag.js';
import { DROP_ZONE_PREFIX, IMPORT_RUNS_PREFIX } from '../../functions/domain/drop-zone.js';
import { privateBucket } from './buckets.js';

/** The sender's and the export worker's timeouts; each queue's visibility must be longer. */
export const SEND_EVENTS_TIMEOUT = Duration.seconds(30);
export const RUN_EXPORT_TIMEOUT = Duration.minutes(15);
/** One import step (reading a 50 MB file, or a chunk of 500 rows at the paced start rate). */
export const IMPORT_WORKER_TIMEOUT = Duration.minutes(15);

export class OffRequestWork extends Construct {
  readonly eventQueue: Queue;
  readonly eventDeadLetters: Queue;
  readonly exportQueue: Queue;
  readonly exportDeadLetters: Queue;
  readonly importQueue: Queue;
  readonly importDeadLetters: Queue;
  readonly exportBucket: Bucket;
  /** Uploads (presigned PUTs from the site; CORS for its origin only). */
  readonly uploadBucket: Bucket;

  constructor(scope: Construct, id: string, props: { retain: boolean; accessLogs: Bucket; removalPolicy: RemovalPolicy; siteUrl: string }) {
    super(scope, id);
    const deadLetters = (name: string, what: string) => {
      const queue = new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledgeNag(
        queue.node.defaultChild!,
        'SQS3',
        `This queue is itself the dead-letter queue of ${what}; it has an alarm on its depth.`,
      );
      return queue;
    };
    this.eventDeadLetters = deadLetters('EventDeliveryFailures', 'the event deliveries queue');
    this.eventQueue = new Queue(this, 'EventDeliveries', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND_EVENTS_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.eventDeadLetters, maxReceiveCount: 5 },
    });
    this.exportDeadLetters = deadLetters('ExportFailures', 'the exports queue');
    this.exportQueue = new Queue(this, 'Exports', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(RUN_EXPORT_TIMEOUT.toSeconds() + 60),
      deadLetterQueue: { queue: this.exportDeadLetters, maxReceiveCount: 2 },
    });
    this.importDeadLetters = deadLetters('ImportFailures', 'the imports queue');
    this.importQueue = new Queue(this, 'Imports', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(IMPORT_WORKER_TIMEOUT.toSeconds() + 60),
      // A step is safe to run again (chunks are recorded once): three tries before it is kept for an operator.
      deadLetterQueue: { queue: this.importDeadLetters, maxReceiveCount: 3 },
    });
    this.exportBucket = privateBucket(this, 'ExportFiles', {
      retain: props.retain,
      accessLogs: props.accessLogs,
      logPrefix: 'exports-bucket',
      noncurrentVersionDays: 1,
    });
    this.exportBucket.addLifecycleRule({ prefix: 'exports/', expiration: Duration.days(7) });
    this.uploadBucket = privateBucket(this, 'Uploads', {
      retain: props.retain,
      accessLogs: props.accessLogs,
      logPrefix: 'uploads-bucket',
      noncurrentVersionDays: 1,
    });
    // The site PUTs files straight here and downloads result reports: its origin only.
    this.uploadBucket.addCorsRule({
      allowedOrigins: [props.siteUrl],
      allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
      allowedHeaders: ['content-type', 'x-amz-server-side-encryption'],
      maxAge: 3600,
    });
    // Imports' files are kept 30 days: Baton's own (the uploaded report, its work files, the result) and the drop zone's.
    this.uploadBucket.addLifecycleRule({ prefix: IMPORT_RUNS_PREFIX, expiration: Duration.days(30) });
    this.uploadBucket.addLifecycleRule({ prefix: DROP_ZONE_PREFIX, expiration: Duration.days(30) });
    // A file put in the drop zone is an import: its notification goes to the import worker's own queue
    // (no function of its own to bundle, alarm and cold-start). Baton writes nothing under this prefix.
    this.uploadBucket.addEventNotification(EventType.OBJECT_CREATED, new QueueForThisBucket(this.importQueue), {
      prefix: DROP_ZONE_PREFIX,
    });
    withoutManagedPolicy(Stack.of(this));
  }
}

/**
 * CDK sets the notification with a function that runs at deploy time only (one per stack), on a
 * role with the AWS managed AWSLambdaBasicExecutionRole, which lets it write any log group. It
 * keeps the inline policy CDK gives it (s3:PutBucketNotification on this bucket) and loses the
 * managed one: it logs nothing, and a failure still shows as the stack event's reason.
 */
function withoutManagedPolicy(stack: Stack) {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role')?.node.defaultChild as CfnRole | undefined;
  if (!role) throw new Error('the bucket notifications handler of aws-cdk-lib has no role where it used to be');
  role.managedPolicyArns = undefined;
}

/**
 * Lets S3 send the bucket's notifications to the queue: SendMessage only, from this bucket in this
 * account only (s3-notifications' SqsDestination grants more actions and leaves the account out).
 * The queue's SQS-managed encryption needs no key policy for S3 (a customer-managed key would).
 */
class QueueForThisBucket implements IBucketNotificationDestination {
  constructor(private readonly queue: Queue) {}

  bind(_scope: Construct, bucket: s3Refs.IBucketRef): BucketNotificationDestinationConfig {
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucket.bucketRef.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this.queue).account },
        },
      }),
    );
    // With the queue come its policy: S3 checks that it may send before it saves the notification.
    return { arn: this.queue.queueArn, type: BucketNotificationDestinationType.QUEUE, dependencies: [this.queue] };
  }
}
