// The least-privilege check: every Allow statement of every policy in a template (roles,
// managed policies, bucket, queue and topic policies) is walked, and a wildcard resource passes
// only where no specific ARN can exist. Used on every synthesized variant; iam.test.ts shows it
// catches what it should.
import type { Synthesized } from './synth.js';
import { list, policyDocuments, render } from './template.js';

/**
 * Actions AWS authorizes only on "*" (no resource-level permissions): X-Ray writes (Lambda and
 * Step Functions tracing) and the CloudWatch Logs log-delivery actions Step Functions logging needs.
 */
const NO_RESOURCE_LEVEL_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

/** Objects under a key prefix of one named bucket: object keys are made at run time, the bucket is specific. */
const OBJECTS_OF_ONE_BUCKET = /^(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[A-Za-z0-9<>:._-]+)\/[A-Za-z0-9_/-]*\*$/;

export interface Finding {
  policy: string;
  actions: string[];
  resource: string;
}

/** Allow statements whose resource contains a wildcard that the rules above do not justify. */
export function unjustifiedWildcards(s: Synthesized): Finding[] {
  const findings: Finding[] = [];
  for (const doc of policyDocuments(s)) {
    for (const statement of doc.statements) {
      if (statement.Effect !== 'Allow') continue;
      const actions = list(statement.Action);
      for (const resource of list(statement.Resource).map(render)) {
        if (!resource.includes('*')) continue;
        const justified =
          resource === '*'
            ? actions.every((a) => NO_RESOURCE_LEVEL_ACTIONS.has(a))
            : OBJECTS_OF_ONE_BUCKET.test(resource) && actions.every((a) => a.startsWith('s3:'));
        if (!justified) findings.push({ policy: doc.logicalId, actions, resource });
      }
    }
  }
  return findings;
}

/** Allow statements that use NotAction/NotResource or a "*" / "service:*" action. */
export function broadStatements(s: Synthesized): Array<{ policy: string; statement: unknown }> {
  const found: Array<{ policy: string; statement: unknown }> = [];
  for (const doc of policyDocuments(s)) {
    for (const statement of doc.statements as any[]) {
      const broad =
        statement.NotAction !== undefined ||
        statement.NotResource !== undefined ||
        (statement.Effect === 'Allow' && list<string>(statement.Action).some((a) => a === '*' || a.endsWith(':*')));
      if (broad) found.push({ policy: doc.logicalId, statement });
    }
  }
  return found;
}

/** Roles with AWS managed policies attached. */
export const rolesWithManagedPolicies = (s: Synthesized) =>
  Object.entries(s.resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.ManagedPolicyArns)
    .map(([id]) => id);
