// The optional per-partner limit in front of the gateway: a WAF web ACL on the site's CloudFront
// distribution with ONE rate-based rule keyed on the URI path and scoped down to
// /api/webhooks/partners/, so each partner's URL — including partners added later — has its own
// budget, and junk aimed at one partner's URL is refused (429) before it reaches API Gateway's
// route throttle, which every partner shares. HTTP APIs cannot have a web ACL of their own (WAF
// protects CloudFront, REST APIs, ALBs…), and a CloudFront web ACL lives in us-east-1, so the
// stack must be deployed there to use it (a template rule says so before anything is created).
// Cost: $5/month for the web ACL + $1/month for the rule + $0.60 per million requests (every
// request through the distribution, site and API alike).
import { Aws, CfnRule, Fn } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export const WEBHOOK_PATH_PREFIX = '/api/webhooks/partners/';

export class WebhookRateLimit extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { requestsPer5Minutes: number }) {
    super(scope, id);
    new CfnRule(this, 'InUsEast1', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
          assertDescription:
            'partnerWebhookRateLimit needs the stack in us-east-1: a CloudFront web ACL is created there. Deploy there, or leave the setting out.',
        },
      ],
    });
    const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Baton: a rate limit per partner webhook URL',
      visibilityConfig: visibility('baton-webhooks'),
      customResponseBodies: {
        'rate-limited': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: {
              code: 'RATE_LIMITED',
              message: 'too many requests for this partner webhook URL; retry later (other partners are not affected)',
            },
          }),
        },
      },
      rules: [
        {
          name: 'per-partner-webhook-url',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rate-limited' } } },
          visibilityConfig: visibility('baton-webhook-rate-limited'),
          statement: {
            rateBasedStatement: {
              limit: props.requestsPer5Minutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ uriPath: { textTransformations: [{ priority: 0, type: 'LOWERCASE' }] } }],
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: WEBHOOK_PATH_PREFIX,
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                },
              },
            },
          },
        },
      ],
    });
  }
}
