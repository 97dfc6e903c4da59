// cdk-nag acknowledgments, always on one resource (the construct passed here, never a stack) and
// always with the reason the finding does not apply. test/infra checks both.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `rule` is the AwsSolutions rule, with the finding in brackets for granular rules: `IAM5[Resource::*]`. */
export function acknowledgeNag(resource: IConstruct, rule: string, reason: string): void {
  Validations.of(resource).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}
