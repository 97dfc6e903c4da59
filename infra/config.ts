// The deploy-time settings, read from CDK context (`-c name=value` or cdk.json) and validated in
// one place: a wrong or missing value stops the synth with a message naming it.
import { z } from 'zod';
import { DEFAULT_IMPORT_STARTS_PER_SECOND } from '../functions/use-cases/paced-workflow.js';

export type Stage = 'dev' | 'prod';
export type WorkflowType = 'EXPRESS' | 'STANDARD';
export type WorkflowLogLevel = 'OFF' | 'ERROR' | 'ALL';
export type FunctionAlarms = 'account' | 'grouped';

export interface BatonConfig {
  /** prod retains data (table, user pool, buckets, logs) and protects the table; dev is destroyable. */
  stage: Stage;
  /** The From address of completion emails; its address or domain must be verified in SES. */
  senderEmail: string;
  /** The sender's domain: when given, the stack creates the SES domain identity (DKIM records as outputs). */
  domainName?: string;
  /** A custom domain for the site (needs `siteCertificateArn`, an ACM certificate in us-east-1). */
  siteDomain?: string;
  siteCertificateArn?: string;
  /** EXPRESS by default: each execution is short, and Standard's per-transition price breaks the cost goal. */
  workflowType: WorkflowType;
  /** Where alarm notifications go (an SNS email subscription), if anywhere. */
  alarmEmail?: string;
  /** Cognito Plus feature plan with threat protection enforced: $0.02 per monthly active user, no free tier (default off: Essentials, 10,000 free). */
  threatProtection: boolean;
  /** What the workflow logs: ERROR (default: failed executions, with their data), ALL (every state, about 1 KB per transition), OFF. */
  workflowLogLevel: WorkflowLogLevel;
  /** X-Ray tracing of functions and the workflow (default off; $5 per million traces beyond 100,000 a month). */
  tracing: boolean;
  /**
   * How function errors and throttles are alarmed: `account` (default: Lambda's metrics over every
   * function in the account and region, 2 alarm metrics) or `grouped` (each function's own metrics,
   * 10 functions to an alarm: 2 alarm metrics per function, $0.10 each a month).
   */
  functionAlarms: FunctionAlarms;
  /**
   * Encrypt the alarm topic and the SES feedback topic at rest, each with a customer managed KMS key
   * (the only kind CloudWatch and SES can publish with): $1 a month each. Default off: both carry
   * messages delivered at once over TLS; alarm messages hold no personal data.
   */
  topicEncryption: boolean;
  /** The Cognito hosted UI domain prefix; default `baton-<stage>-<8 characters of the stack id>`. */
  authDomainPrefix?: string;
  /**
   * Opt-in: a WAF rate rule on the site's distribution limiting each partner webhook URL to this
   * many requests per 5 minutes ($6/month + $0.60 per million requests; the stack must be in us-east-1).
   */
  partnerWebhookRateLimit?: number;
  /** The training provider's name until an admin saves the organization settings (default "Baton"). */
  organizationName: string;
  /**
   * Who sends Cognito's emails (verification codes, password resets, invitations): `ses` (default:
   * SES as the sender, which must be verified before the deploy) or `cognito` (Cognito's own
   * sender, limited to a small daily volume: for a first deploy before SES verification).
   */
  cognitoEmail: 'ses' | 'cognito';
  /**
   * Advancement workflow starts per second all imports together may make (default 20): a share of the
   * account's StartExecution quota, which the product's other starts also use.
   */
  importStartsPerSecond: number;
}

/** The context keys an operator sets; everything else in cdk.json is CDK feature flags. */
export const CONTEXT_KEYS = [
  'stage',
  'senderEmail',
  'domainName',
  'siteDomain',
  'siteCertificateArn',
  'workflowType',
  'alarmEmail',
  'threatProtection',
  'workflowLogLevel',
  'tracing',
  'functionAlarms',
  'topicEncryption',
  'authDomainPrefix',
  'partnerWebhookRateLimit',
  'organizationName',
  'cognitoEmail',
  'importStartsPerSecond',
] as const;

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case domain name such as example.org');
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const schema = z
  .object({
    stage: z.enum(['dev', 'prod'], { error: 'must be "dev" or "prod" (-c stage=prod)' }),
    senderEmail: z.email({ error: 'must be the email address completion emails are sent from (-c senderEmail=certificates@example.org)' }),
    domainName: hostname.optional(),
    siteDomain: hostname.optional(),
    siteCertificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
        'must be an ACM certificate ARN in us-east-1 (CloudFront requires that region)',
      )
      .optional(),
    workflowType: z.enum(['EXPRESS', 'STANDARD'], { error: 'must be EXPRESS or STANDARD' }).default('EXPRESS'),
    alarmEmail: z.email().optional(),
    threatProtection: bool.default(false),
    workflowLogLevel: z.enum(['OFF', 'ERROR', 'ALL'], { error: 'must be OFF, ERROR or ALL' }).default('ERROR'),
    tracing: bool.default(false),
    functionAlarms: z.enum(['account', 'grouped'], { error: 'must be "account" or "grouped"' }).default('account'),
    topicEncryption: bool.default(false),
    authDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens')
      .refine((p) => !/aws|amazon|cognito/.test(p), 'may not contain "aws", "amazon" or "cognito" (a Cognito rule)')
      .optional(),
    partnerWebhookRateLimit: z.coerce
      .number()
      .int('must be a whole number of requests per 5 minutes')
      .min(10, 'must be at least 10 (WAF’s smallest rate limit)')
      .max(2_000_000_000)
      .optional(),
    organizationName: z.string().trim().min(1).max(120, 'must be at most 120 characters').optional(),
    cognitoEmail: z.enum(['ses', 'cognito'], { error: 'must be "ses" (Cognito emails through SES) or "cognito"' }).default('ses'),
    importStartsPerSecond: z.coerce
      .number()
      .int('must be a whole number of workflow starts per second')
      .min(1)
      .max(1000, 'must be at most 1,000 (the account quota is shared)')
      .default(DEFAULT_IMPORT_STARTS_PER_SECOND),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.siteDomain) !== Boolean(c.siteCertificateArn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['siteDomain'],
        message: 'siteDomain and siteCertificateArn are set together (a custom domain needs its certificate)',
      });
    }
    if (c.domainName && !c.senderEmail.toLowerCase().endsWith(`@${c.domainName}`)) {
      ctx.addIssue({ code: 'custom', path: ['domainName'], message: `senderEmail must be an address at ${c.domainName}` });
    }
  });

/** Validates the context values; throws one error listing every setting that is wrong. */
export function parseConfig(context: Record<string, unknown>): BatonConfig {
  const present = Object.fromEntries(CONTEXT_KEYS.filter((k) => context[k] !== undefined && context[k] !== '').map((k) => [k, context[k]]));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  -c ${issue.path.join('.') || 'context'}: ${issue.message}`);
    throw new Error(`Baton deploy settings are invalid:\n${problems.join('\n')}`);
  }
  const c = result.data;
  return {
    stage: c.stage,
    senderEmail: c.senderEmail,
    workflowType: c.workflowType,
    threatProtection: c.threatProtection,
    workflowLogLevel: c.workflowLogLevel,
    tracing: c.tracing,
    functionAlarms: c.functionAlarms,
    topicEncryption: c.topicEncryption,
    organizationName: c.organizationName ?? 'Baton',
    cognitoEmail: c.cognitoEmail,
    importStartsPerSecond: c.importStartsPerSecond,
    ...(c.domainName ? { domainName: c.domainName } : {}),
    ...(c.siteDomain ? { siteDomain: c.siteDomain, siteCertificateArn: c.siteCertificateArn! } : {}),
    ...(c.alarmEmail ? { alarmEmail: c.alarmEmail } : {}),
    ...(c.authDomainPrefix ? { authDomainPrefix: c.authDomainPrefix } : {}),
    ...(c.partnerWebhookRateLimit ? { partnerWebhookRateLimit: c.partnerWebhookRateLimit } : {}),
  };
}
