// The monthly prices the bill adds to the per-use ones in bench/cost-model.ts (us-east-1,
// on-demand), each with the page it was read from on FIXED_PRICES_TAKEN_ON and its always-free
// allowance. Free allowances that end after an account's first 12 months are left out: the bill
// is what a provider pays in its second year. Allowances are per account: Baton in an account of
// its own (docs/deploy.md) gets them all.
import type { Price } from '../cost-model.js';

export const FIXED_PRICES_TAKEN_ON = '2026-12-02';

export interface MonthlyPrice extends Price {
  /** Always-free quantity a month, in the same unit. */
  free?: number;
}

export const FIXED_PRICES = {
  alarmMetric: {
    usd: 0.1,
    per: 'CloudWatch standard-resolution alarm metric a month (a metric-math alarm is billed for each metric it reads)',
    free: 10,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Alarms; free tier: 10 alarm metrics)',
  },
  compositeAlarm: { usd: 0.5, per: 'CloudWatch composite alarm a month', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  customMetric: {
    usd: 0.3,
    per: 'CloudWatch custom metric (name × dimension values) a month, first 10,000',
    free: 10,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Metrics; free tier: 10 metrics)',
  },
  dashboard: {
    usd: 3,
    per: 'CloudWatch dashboard a month',
    free: 3,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (free tier: 3 dashboards of up to 50 metrics each)',
  },
  logIngestGb: {
    usd: 0.5,
    per: 'CloudWatch Logs GB ingested (standard class; Lambda and vended Step Functions logs)',
    free: 5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (free tier: 5 GB of ingestion, archive storage and Insights scans together)',
  },
  logStoreGbMonth: {
    usd: 0.03,
    per: 'CloudWatch Logs GB-month stored (billed compressed; counted here uncompressed, an upper bound)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  kmsKey: {
    usd: 1,
    per: 'KMS customer managed key a month',
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  kmsRsaSign: {
    usd: 0.03 / 10_000,
    per: 'KMS Sign request, RSA 2048 (not in the 20,000 free requests, which are symmetric)',
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  secret: { usd: 0.4, per: 'Secrets Manager secret a month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  cognitoEssentialsMau: {
    usd: 0.015,
    per: 'Cognito user pool monthly active user, Essentials plan',
    free: 10_000,
    source:
      'https://aws.amazon.com/cognito/pricing/ (Essentials: 10,000 MAU free a month, then $0.015; Plus: $0.02, no free tier), as summarized by https://c3x.dev/resources/aws/aws_cognito_user_pool/',
  },
  cognitoPlusMau: {
    usd: 0.02,
    per: 'Cognito user pool monthly active user, Plus plan (threat protection); no free tier',
    source: 'https://aws.amazon.com/cognito/pricing/',
  },
  schedulerInvocation: {
    usd: 1 / 1e6,
    per: 'EventBridge Scheduler invocation',
    free: 14_000_000,
    source: 'https://aws.amazon.com/eventbridge/pricing/ (Scheduler: 14 million invocations free a month)',
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'Lambda request',
    free: 1_000_000,
    source: 'https://aws.amazon.com/lambda/pricing/ (always free: 1 million requests and 400,000 GB-s a month)',
  },
  lambdaGbSecond: {
    usd: 0.0000133334,
    per: 'Lambda GB-second, arm64',
    free: 400_000,
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  s3StandardGbMonth: { usd: 0.023, per: 'S3 Standard GB-month (first 50 TB)', source: 'https://aws.amazon.com/s3/pricing/' },
  cloudFrontGb: {
    usd: 0.085,
    per: 'CloudFront GB out to the internet (North America)',
    free: 1024,
    source: 'https://aws.amazon.com/cloudfront/pricing/ (always free: 1 TB out and 10 million requests a month)',
  },
  xrayTrace: {
    usd: 5 / 1e6,
    per: 'X-Ray trace recorded',
    free: 100_000,
    source: 'https://aws.amazon.com/xray/pricing/ (always free: 100,000 traces recorded a month)',
  },
  wafWebAcl: { usd: 5, per: 'WAF web ACL a month', source: 'https://aws.amazon.com/waf/pricing/' },
  wafRule: { usd: 1, per: 'WAF rule a month', source: 'https://aws.amazon.com/waf/pricing/' },
  wafRequest: { usd: 0.6 / 1e6, per: 'WAF request inspected', source: 'https://aws.amazon.com/waf/pricing/' },
} as const satisfies Record<string, MonthlyPrice>;

export type FixedPriceId = keyof typeof FIXED_PRICES;
