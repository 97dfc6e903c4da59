// The HTTP API, generated from the route table (functions/http/routes.ts) — the same list the
// local server serves. Signed-in routes get the Cognito JWT authorizer; public and partner routes
// get none (the webhook function verifies Standard Webhooks signatures itself). Each route is
// throttled with the table's numbers; every request is access-logged as JSON.
import { NestedStack, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SIGNED_IN_AUTH, type Route } from '../../functions/http/routes.js';
import { acknowledgeNag } from '../nag.js';

/** For requests that match no route (they get API Gateway's 404). */
const UNMATCHED_THROTTLE = { rateLimit: 20, burstLimit: 40 };

/** The route key API Gateway uses for a route ("POST /api/enrollments"). */
export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

export class BatonHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: { logRetention: RetentionDays; removalPolicy: RemovalPolicy }) {
    super(scope, id);
    // No CORS: the site reaches the API through its own CloudFront origin (/api/*), and partners call server to server.
    this.api = new HttpApi(this, 'Api', { description: 'Baton API (routes from functions/http/routes.ts)', createDefaultStage: false });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: UNMATCHED_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
  }

  get url(): string {
    return this.stage.url.replace(/\/$/, '');
  }

  /**
   * One route per deployed entry of the route table, each with its function, authorizer and throttle.
   * The routes (with their integrations and invoke permissions) live in a nested stack: each route costs
   * the parent three resources, and a stack holds at most 500.
   */
  addRoutes(routes: readonly Route[], functionFor: (route: Route) => IFunction, authorizer: IHttpRouteAuthorizer): HttpRoute[] {
    const routesStack = new NestedStack(this, 'Routes', { description: 'Baton API routes (from functions/http/routes.ts)' });
    const created: HttpRoute[] = [];
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of routes) {
      if ('localOnly' in route && route.localOnly) throw new Error(`route ${route.id} is local-only and must not be deployed`);
      const signedIn = SIGNED_IN_AUTH.includes(route.auth);
      const httpRoute = new HttpRoute(routesStack, route.id, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.id}-integration`, functionFor(route)),
        authorizer: signedIn ? authorizer : new HttpNoneAuthorizer(),
      });
      if (!signedIn) {
        acknowledgeNag(
          httpRoute.node.defaultChild!,
          'APIG4',
          route.auth === 'partner'
            ? `${routeKey(route)} is a partner webhook: partners have no Cognito users, so the function verifies the Standard Webhooks HMAC signature (unsigned or stale requests get 401 and write nothing).`
            : `${routeKey(route)} is public by design: ${route.summary}.`,
        );
      }
      settings[routeKey(route)] = { ThrottlingRateLimit: route.throttle.rate, ThrottlingBurstLimit: route.throttle.burst };
      created.push(httpRoute);
    }
    const stage = this.stage.node.defaultChild as CfnStage;
    stage.routeSettings = settings;
    // Route settings name route keys, which must exist before the stage refers to them.
    for (const route of created) this.stage.node.addDependency(route);
    return created;
  }
}
