// The static site: a private bucket behind CloudFront (Origin Access Control), HTTPS with TLS 1.2+
// when a custom domain is set, security headers, client-side routes served index.html, and
// /api/* sent to the HTTP API so the site and its API share one origin (no CORS). The built site
// (web/dist) is deployed with a generated config.json the site reads at run time.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Annotations, Aws, DefaultStackSynthesizer, Duration, Stack, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { privateBucket } from './buckets.js';
import { REPO_ROOT } from './baton-function.js';
import { acknowledgeNag } from '../nag.js';

/** What the site reads from /config.json in AWS mode (the shape web/src/config.ts validates). */
export interface SiteConfig {
  mode: 'aws';
  apiBaseUrl: '';
  region: string;
  auth: { authority: string; clientId: string; domain: string; redirectPath: string; postLogoutPath: string };
}

export const WEB_DIST = resolve(REPO_ROOT, 'web', 'dist');
export const SPA_REWRITE_FILE = resolve(REPO_ROOT, 'infra', 'cloudfront', 'spa-rewrite.js');

/** Shown when the stack is deployed before the site was built, instead of an empty bucket. */
const PLACEHOLDER_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baton</title></head><body><main><h1>Baton</h1>' +
  '<p>The API is running at <a href="/api/health">/api/health</a>. The site was not built when this stack was deployed: build it (web/dist) and deploy again.</p>' +
  '</main></body></html>';

export interface SiteProps {
  retain: boolean;
  accessLogs: Bucket;
  api: IHttpApi;
  /** The hosted sign-in domain (the site talks to it for tokens). */
  authDomainUrl: string;
  customDomain?: { name: string; certificateArn: string };
  /** A web ACL (CloudFront scope) to attach: the optional per-partner webhook rate limit. */
  webAclArn?: string;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class BatonSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;
  private readonly props: SiteProps;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    this.props = props;
    this.bucket = privateBucket(this, 'Bucket', {
      retain: props.retain,
      accessLogs: props.accessLogs,
      logPrefix: 'site-bucket',
      noncurrentVersionDays: 30,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Baton: HSTS, CSP, no framing, no sniffing, strict referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.authDomainUrl), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // "0": browsers' old XSS auditor caused more holes than it closed (the CSP does that job).
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true }],
      },
      removeHeaders: ['Server'],
    });

    const spaRewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'Client-side routes get index.html (infra/cloudfront/spa-rewrite.js)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(readFileSync(SPA_REWRITE_FILE, 'utf8')),
    });

    const apiDomain = `${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Baton site and /api/*',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.customDomain
        ? {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [props.customDomain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
            readTimeout: Duration.seconds(30),
          }),
          // A redirect would turn a POST into a GET: plain HTTP is refused outright.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Everything but Host (API Gateway routes on its own host name), Authorization included.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.url = `https://${props.customDomain?.name ?? this.distribution.distributionDomainName}`;

    const cfn = this.distribution.node.defaultChild!;
    acknowledgeNag(cfn, 'CFR1', 'Students and partners may be anywhere; no country is excluded.');
    if (!props.webAclArn) {
      acknowledgeNag(
        cfn,
        'CFR2',
        'No WAF web ACL by default (about $6/month fixed): the API throttles per route, the webhook function refuses junk per partner before any I/O, webhooks are signature-checked, and sign-in has Cognito threat protection. -c partnerWebhookRateLimit=<n> adds a web ACL with a per-partner rate rule (docs/partners.md).',
      );
    }
    if (!props.customDomain) {
      acknowledgeNag(
        cfn,
        'CFR4',
        'No custom domain configured, so the distribution uses the *.cloudfront.net certificate, whose security policy CloudFront fixes. Set -c siteDomain=… -c siteCertificateArn=… to serve TLS 1.2+ only (TLSv1.2_2021).',
      );
    }
  }

  /** Uploads the site (web/dist, or a placeholder page) and its config.json. */
  deploy(config: SiteConfig): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: this.props.logRetention, removalPolicy: this.props.removalPolicy });
    const built = existsSync(resolve(WEB_DIST, 'index.html'));
    if (!built)
      Annotations.of(this).addWarningV2(
        'baton:site-not-built',
        `${WEB_DIST} does not exist: the site will be a placeholder page until the site is built and deployed again.`,
      );

    // One role for both deployments (they share CDK's deployment function): no managed policies.
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Baton site deployment: read the build from the CDK assets bucket, sync it to the site bucket',
    });
    logGroup.grantWrite(role);
    const common = { destinationBucket: this.bucket, memoryLimit: 512, logGroup, role, outputObjectKeys: false };
    // Hashed build assets never change under a name: cached for a year, kept when a new build
    // lands so pages already open keep loading their chunks.
    const assetsDir = resolve(WEB_DIST, 'assets');
    const assets =
      built && existsSync(assetsDir)
        ? new BucketDeployment(this, 'DeployAssets', {
            ...common,
            sources: [Source.asset(assetsDir)],
            destinationKeyPrefix: 'assets/',
            prune: false,
            cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
          })
        : undefined;
    const pages: ISource = built ? Source.asset(WEB_DIST, { exclude: ['assets/**'] }) : Source.data('index.html', PLACEHOLDER_PAGE);
    // Everything else (index.html, config.json, public files) is revalidated on every request.
    const root = new BucketDeployment(this, 'DeploySite', {
      ...common,
      sources: [pages, Source.jsonData('config.json', config)],
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [CacheControl.noCache()],
    });
    if (assets) root.node.addDependency(assets);
    this.acknowledgeDeploymentHandler(role);
  }

  /** CDK's BucketDeployment function and the grants it adds to its role, which Baton does not write. */
  private acknowledgeDeploymentHandler(role: Role): void {
    const stack = Stack.of(this);
    const siteBucket = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
    const qualifier =
      (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const reasons: Record<string, string> = {
      'Action::s3:GetObject*': 'CDK BucketDeployment grantRead/grantReadWrite: reads the build from the assets bucket and the site bucket.',
      'Action::s3:GetBucket*': 'CDK BucketDeployment grantRead/grantReadWrite: aws s3 sync reads bucket metadata.',
      'Action::s3:List*': 'CDK BucketDeployment: aws s3 sync lists both buckets to compute the difference.',
      'Action::s3:DeleteObject*':
        'CDK BucketDeployment grantReadWrite: prune deletes files the new build no longer has, on the site bucket only.',
      'Action::s3:Abort*': 'CDK BucketDeployment grantReadWrite: aborts its own failed multipart uploads, on the site bucket only.',
      [`Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`]:
        'The objects of the CDK bootstrap assets bucket, where the site build is staged; CDK names no single key at synth time.',
      [`Resource::${siteBucket}/*`]: 'Every object of the site bucket: the deployment owns the whole site.',
    };
    const policy = role.node.findChild('DefaultPolicy');
    for (const [finding, reason] of Object.entries(reasons)) acknowledgeNag(policy, `IAM5[${finding}]`, reason);

    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      acknowledgeNag(
        handler.node.defaultChild!,
        'L1',
        'CDK’s BucketDeployment function: its runtime is chosen by aws-cdk-lib together with the AWS CLI layer it runs; upgrading aws-cdk-lib upgrades it.',
      );
    }
  }
}

/** Scripts, styles and data from this origin only; tokens from Cognito; no framing, no plugins. */
export function contentSecurityPolicy(authDomainUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${authDomainUrl} https://cognito-idp.${Aws.REGION}.amazonaws.com`,
    `form-action 'self' ${authDomainUrl}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}
