// The least-privilege check (least-privilege.ts) catches what it should and lets through only
// what cannot be narrowed. stack.test.ts and stages.test.ts run it on the synthesized stacks.
import { describe, expect, it } from 'vitest';
import { broadStatements, unjustifiedWildcards } from './least-privilege.js';
import type { Synthesized } from './synth.js';

const fake = (statements: unknown[]) => {
  const resources = { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: statements } } } };
  return { json: { Resources: resources, Outputs: {} }, nested: [], resources } as unknown as Synthesized;
};

describe('the least-privilege check', () => {
  it('flags a table action on "*", a wildcard in a non-S3 ARN, and a whole-service wildcard', () => {
    expect(
      unjustifiedWildcards(
        fake([
          { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
          { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, ':*']] } },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' },
        ]),
      ).map((f) => f.resource),
    ).toEqual(['*', '<Fn.Arn>:*', 'arn:aws:s3:::*']);
  });

  it('accepts X-Ray on "*" and objects under a prefix of one bucket', () => {
    expect(
      unjustifiedWildcards(
        fake([
          { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Certificates', 'Arn'] }, '/certificates/*']] },
          },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ]),
      ),
    ).toEqual([]);
  });

  it('flags NotAction, NotResource and whole-service actions', () => {
    const statements = [
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: 'arn:aws:dynamodb:us-east-1:123456789012:table/x' },
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/x' },
      { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/*' },
    ];
    expect(broadStatements(fake(statements)).map((f) => f.statement)).toEqual(statements.slice(0, 3));
  });
});
