// Private buckets with one set of defaults: no public access, encrypted, TLS 1.2+ only (a bucket
// policy denies anything else), versioned, access-logged to the stack's log bucket.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeNag } from '../nag.js';

export interface PrivateBucketProps {
  retain: boolean;
  /** Server access logs go here, under `<logPrefix>/`. */
  accessLogs: Bucket;
  logPrefix: string;
  /** Old versions are kept this long after being replaced or deleted. */
  noncurrentVersionDays: number;
}

const SECURE: Pick<BucketProps, 'blockPublicAccess' | 'encryption' | 'enforceSSL' | 'minimumTLSVersion'> = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
};

export function privateBucket(scope: Construct, id: string, props: PrivateBucketProps): Bucket {
  return new Bucket(scope, id, {
    ...SECURE,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [
      { noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ],
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: `${props.logPrefix}/`,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !props.retain,
  });
}

/** The destination of S3 server access logs and CloudFront standard logs. */
export function accessLogBucket(scope: Construct, id: string, props: { retain: boolean; expireDays: number }): Bucket {
  const bucket = new Bucket(scope, id, {
    ...SECURE,
    // CloudFront standard logging writes with an ACL, so ACLs stay enabled for the bucket owner.
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(props.expireDays) }],
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !props.retain,
  });
  acknowledgeNag(
    bucket.node.defaultChild!,
    'S1',
    'This is the access-log bucket itself; logging it into itself would log its own log deliveries forever.',
  );
  return bucket;
}
