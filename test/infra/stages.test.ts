// A dev stage, the settings that change the stack, and what happens when a setting is wrong or a
// resource breaks an AwsSolutions rule.
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config.js';
import { broadStatements, rolesWithManagedPolicies, unjustifiedWildcards } from './least-privilege.js';
import { acknowledgments, removeSynthesized, resourcesOf, synthesize, type Synthesized } from './synth.js';
import { dependencyCycle, render } from './template.js';

afterAll(removeSynthesized);

describe('a dev stage (-c stage=dev -c workflowType=STANDARD, no domains)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ stage: 'dev', senderEmail: 'certificates@example.org', workflowType: 'STANDARD' });
  });

  it('has no web ACL unless the per-partner webhook rate limit is set, and cdk-nag is told why', () => {
    expect(resourcesOf(s, 'AWS::WAFv2::WebACL')).toEqual([]);
    expect(acknowledgments(s.app).map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-CFR2');
  });

  it('is named baton-dev, so it lives beside prod in one account', () => {
    expect(s.stack.stackName).toBe('baton-dev');
  });

  it('is destroyable: no deletion protection, and data, users, buckets and logs go with the stack', () => {
    const [[, table]] = resourcesOf(s, 'AWS::DynamoDB::Table') as [[string, any]];
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const [[, pool]] = resourcesOf(s, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.Properties.DeletionProtection).toBe('INACTIVE');
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
      'AWS::S3::Bucket',
      'AWS::KMS::Key',
    ]) {
      for (const [id, r] of resourcesOf(s, type)) expect([id, r.DeletionPolicy]).toEqual([id, 'Delete']);
    }
    // Buckets are emptied first, or CloudFormation could not delete them (the uploads bucket too).
    expect(resourcesOf(s, 'Custom::S3AutoDeleteObjects')).toHaveLength(5);
  });

  it('keeps logs a week instead of six months', () => {
    for (const [id, r] of resourcesOf(s, 'AWS::Logs::LogGroup')) expect([id, r.Properties!.RetentionInDays]).toEqual([id, 7]);
  });

  it('runs a STANDARD state machine when asked (-c workflowType=STANDARD)', () => {
    const [[, machine]] = resourcesOf(s, 'AWS::StepFunctions::StateMachine') as [[string, any]];
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
  });

  it('uses the Essentials plan without threat protection by default, and says so to cdk-nag', () => {
    const [[, pool]] = resourcesOf(s, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.Properties.UserPoolTier).toBe('ESSENTIALS');
    expect(pool.Properties.UserPoolAddOns).toBeUndefined();
    expect(acknowledgments(s.app).map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-COG8');
  });

  it('serves the site on the CloudFront domain, with callbacks there', () => {
    const [[distributionId, distribution]] = resourcesOf(s, 'AWS::CloudFront::Distribution') as [[string, any]];
    expect(distribution.Properties.DistributionConfig.Aliases).toBeUndefined();
    expect(render(s.json.Outputs.SiteUrl!.Value)).toBe(`https://<${distributionId}.DomainName>`);
    const [[, client]] = resourcesOf(s, 'AWS::Cognito::UserPoolClient') as [[string, any]];
    expect(client.Properties.CallbackURLs.map(render)).toEqual([`https://<${distributionId}.DomainName>/auth/callback`]);
    expect(acknowledgments(s.app).map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-CFR4');
  });

  it('creates no SES identity without a domain, and still sends only as the sender address', () => {
    expect(resourcesOf(s, 'AWS::SES::EmailIdentity')).toEqual([]);
    expect(Object.keys(s.json.Outputs).some((k) => k.startsWith('SenderDkimRecord'))).toBe(false);
  });

  it('has no circular dependency between resources', () => {
    expect(dependencyCycle(s)).toBeUndefined();
  });

  it('passes the least-privilege checks (CDK’s auto-delete helper is the one role with a managed policy)', () => {
    expect(unjustifiedWildcards(s)).toEqual([]);
    expect(broadStatements(s)).toEqual([]);
    expect(rolesWithManagedPolicies(s)).toEqual([expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/)]);
  });
});

describe('the paid settings turned on (threatProtection, workflowLogLevel=ALL, tracing, functionAlarms=grouped, topicEncryption)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({
      stage: 'prod',
      senderEmail: 'certificates@example.org',
      threatProtection: 'true',
      workflowLogLevel: 'ALL',
      tracing: 'true',
      functionAlarms: 'grouped',
      topicEncryption: 'true',
    });
  });
  const functions = () =>
    resourcesOf(s, 'AWS::Lambda::Function').filter(([, f]) => String(f.Properties?.FunctionName).startsWith('baton-prod-'));

  it('puts the user pool on the Plus plan with threat protection enforced', () => {
    const [[, pool]] = resourcesOf(s, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.Properties).toMatchObject({ UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  it('logs every workflow state with its data, and traces the workflow and every function', () => {
    const [[, machine]] = resourcesOf(s, 'AWS::StepFunctions::StateMachine') as [[string, any]];
    expect(machine.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    expect(functions().length).toBeGreaterThan(20);
    for (const [id, f] of functions()) expect([id, f.Properties!.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
  });

  it("alarms on each function's own errors and throttles, every function read by exactly one alarm of at most 10", () => {
    const alarms = resourcesOf(s, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
    const readBy = (metric: string, functionLogicalId: string) =>
      alarms.filter((a) =>
        (a.Metrics ?? []).some(
          (m: any) =>
            m.MetricStat?.Metric?.Namespace === 'AWS/Lambda' &&
            m.MetricStat.Metric.MetricName === metric &&
            m.MetricStat.Metric.Dimensions?.[0]?.Value?.Ref === functionLogicalId,
        ),
      );
    for (const [id] of functions())
      for (const metric of ['Errors', 'Throttles']) expect([id, metric, readBy(metric, id).length]).toEqual([id, metric, 1]);
    for (const alarm of alarms.filter((a) => a.Metrics)) expect(alarm.Metrics.length).toBeLessThanOrEqual(11);
    expect(alarms.filter((a) => a.Namespace === 'AWS/Lambda' && !a.Metrics)).toEqual([]);
  });

  it('encrypts the alarm topic and the mail-feedback topic, each with a key its publisher (CloudWatch, SES) may use', () => {
    for (const [topicPrefix, keyPrefix, publisher] of [
      ['AlarmTopic', 'AlarmTopicKey', 'cloudwatch.amazonaws.com'],
      ['EmailFeedback', 'EmailFeedbackTopicKey', 'ses.amazonaws.com'],
    ]) {
      const [, topic] = resourcesOf(s, 'AWS::SNS::Topic').find(([id]) => id.startsWith(topicPrefix!) && !id.includes('Policy'))!;
      const [[keyId, key]] = resourcesOf(s, 'AWS::KMS::Key').filter(([id]) => id.startsWith(keyPrefix!)) as [[string, any]];
      expect(topic.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(JSON.stringify(key.Properties.KeyPolicy)).toContain(publisher);
    }
  });

  it('passes the least-privilege checks', () => {
    expect(unjustifiedWildcards(s)).toEqual([]);
    expect(broadStatements(s)).toEqual([]);
  });
});

describe('the dependency-cycle check', () => {
  const template = (resources: Record<string, unknown>) => ({ json: { Resources: resources, Outputs: {} } }) as unknown as Synthesized;

  it('finds a circle through Ref, GetAtt and DependsOn, and passes a chain', () => {
    const circle = template({
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { URL: { 'Fn::GetAtt': ['Site', 'DomainName'] } } } } },
      Site: { Type: 'AWS::CloudFront::Distribution', Properties: { Origin: { Ref: 'Api' } } },
      Api: { Type: 'AWS::ApiGatewayV2::Api', DependsOn: ['Fn'] },
    });
    expect(dependencyCycle(circle)).toEqual(['Fn', 'Site', 'Api', 'Fn']);
    const chain = template({
      A: { Type: 'X', Properties: { B: { Ref: 'B' } } },
      B: { Type: 'X', Properties: { 'Fn::Sub': '${C.Arn}' } },
      C: { Type: 'X' },
    });
    expect(dependencyCycle(chain)).toBeUndefined();
  });
});

describe('cdk-nag on every synth', () => {
  it('fails the synth on a resource that breaks an AwsSolutions rule and is not acknowledged', () => {
    const addUnloggedBucket = (stack: Synthesized['stack']) => {
      new Bucket(stack, 'UnloggedBucket', { enforceSSL: true });
    };
    expect(() => synthesize({ stage: 'dev', senderEmail: 'certificates@example.org' }, { modify: addUnloggedBucket })).toThrow(
      /server access logs disabled\. \(AwsSolutions\)[\s\S]*baton-dev\/UnloggedBucket/,
    );
  });
});

describe('deploy settings', () => {
  const valid = { stage: 'prod', senderEmail: 'certificates@example.org' };

  it('needs a stage and a sender, and names both when missing', () => {
    expect(() => parseConfig({})).toThrow(/-c stage: must be "dev" or "prod"[\s\S]*-c senderEmail: must be the email address/);
  });

  it("defaults to what a small provider should run: EXPRESS, Cognito's emails through SES, and none of the paid settings", () => {
    expect(parseConfig(valid)).toEqual({
      stage: 'prod',
      senderEmail: 'certificates@example.org',
      workflowType: 'EXPRESS',
      threatProtection: false,
      workflowLogLevel: 'ERROR',
      tracing: false,
      functionAlarms: 'account',
      topicEncryption: false,
      organizationName: 'Baton',
      cognitoEmail: 'ses',
      importStartsPerSecond: 20,
    });
    expect(parseConfig({ ...valid, cognitoEmail: 'cognito' }).cognitoEmail).toBe('cognito');
    expect(() => parseConfig({ ...valid, cognitoEmail: 'smtp' })).toThrow(/-c cognitoEmail: must be "ses"/);
    expect(parseConfig({ ...valid, threatProtection: 'true' }).threatProtection).toBe(true);
    expect(() => parseConfig({ ...valid, workflowLogLevel: 'DEBUG' })).toThrow(/-c workflowLogLevel: must be OFF, ERROR or ALL/);
    expect(() => parseConfig({ ...valid, functionAlarms: 'each' })).toThrow(/-c functionAlarms: must be "account" or "grouped"/);
  });

  it('rejects a custom site domain without its certificate, and a certificate outside us-east-1', () => {
    expect(() => parseConfig({ ...valid, siteDomain: 'learn.example.org' })).toThrow(/siteDomain and siteCertificateArn are set together/);
    expect(() =>
      parseConfig({
        ...valid,
        siteDomain: 'learn.example.org',
        siteCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000',
      }),
    ).toThrow(/us-east-1/);
  });

  it('rejects a sender outside the SES domain it names, an unknown workflow type, and a reserved sign-in prefix', () => {
    expect(() => parseConfig({ ...valid, domainName: 'baton.example.org' })).toThrow(/senderEmail must be an address at baton.example.org/);
    expect(() => parseConfig({ ...valid, workflowType: 'SYNC' })).toThrow(/workflowType: must be EXPRESS or STANDARD/);
    expect(() => parseConfig({ ...valid, authDomainPrefix: 'baton-cognito' })).toThrow(/may not contain/);
  });
});

describe('the per-partner webhook rate limit (-c partnerWebhookRateLimit=…, opt-in)', () => {
  let limited: Synthesized;
  beforeAll(() => {
    limited = synthesize({ stage: 'dev', senderEmail: 'certificates@example.org', partnerWebhookRateLimit: '600' });
  }, 300_000);

  it('adds one CloudFront web ACL with a rate rule per webhook URL path, attached to the distribution, and only in us-east-1', () => {
    const [[aclId, acl]] = resourcesOf(limited, 'AWS::WAFv2::WebACL') as [[string, any]];
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    const [rule] = acl.Properties.Rules;
    expect(rule.Statement.RateBasedStatement).toMatchObject({
      Limit: 600,
      EvaluationWindowSec: 300,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ UriPath: expect.any(Object) }],
      ScopeDownStatement: { ByteMatchStatement: { PositionalConstraint: 'STARTS_WITH', SearchString: '/api/webhooks/partners/' } },
    });
    expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
    const [[, distribution]] = resourcesOf(limited, 'AWS::CloudFront::Distribution') as [[string, any]];
    expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(limited.json.Rules)).toContain('us-east-1');
  });

  it('refuses a limit below WAF’s smallest', () => {
    expect(() => parseConfig({ stage: 'dev', senderEmail: 'a@example.org', partnerWebhookRateLimit: '5' })).toThrow(
      /partnerWebhookRateLimit: must be at least 10/,
    );
  });
});
