// The work that runs off requests, each on an SQS queue with a dead-letter queue: outbound event
// deliveries (each message one attempt; the sweep re-queues any delivery whose attempt is due, so
// a lost message is a delay, not a loss) and export runs. Plus the exports bucket (files expire
// after 7 days; downloads go through 5-minute presigned links).
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethods, type Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag.js';
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
    // Imports' files (the report, its work files, the result) are kept 30 days.
    this.uploadBucket.addLifecycleRule({ prefix: 'imports/', expiration: Duration.days(30) });
  }
}
