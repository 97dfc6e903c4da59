// A customer managed KMS key for an SNS topic an AWS service publishes to (CloudWatch alarms, SES
// feedback): the AWS managed SNS key's policy cannot name the publisher, so it must be one of ours.
// $1 a month each; the `topicEncryption` deploy setting decides whether topics get one.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export function topicKey(
  scope: Construct,
  id: string,
  props: { description: string; publisher: string; removalPolicy: RemovalPolicy; conditions?: Record<string, unknown> },
): Key {
  const key = new Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(props.publisher)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      ...(props.conditions ? { conditions: props.conditions } : {}),
    }),
  );
  return key;
}
