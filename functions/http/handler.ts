// Wraps a route's function as an API Gateway (HTTP API, payload v2) Lambda handler: middy for
// structured logging, the route's authorization rule, JSON in and out, and the one mapping of
// domain errors to HTTP. Handlers stay "parse → use case → response".
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { foldEmail } from '../domain/email.js';
import { DomainError, validationError } from '../domain/errors.js';
import { groupsOf, isAdminGroups, isStaffGroups } from '../domain/groups.js';
import { logger } from '../observability.js';
import type { Actor } from '../use-cases/enrollments.js';
import { HTTP_STATUS, errorBody } from './errors.js';
import { routeById, type Route, type RouteId } from './routes.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

export interface HttpRequest {
  route: Route;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The verified caller; always set on user and admin routes. */
  actor: Actor | undefined;
  /** The time the function has left (Lambda's context), for routes that work in batches. */
  remainingMs?: () => number;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON: text as it is, or bytes (sent base64-encoded, as API Gateway expects). */
  raw?: { contentType: string; text?: string; bytes?: Uint8Array };
}

/** Bodies of JSON API requests (webhooks have their own, larger limit). */
const MAX_JSON_BODY_BYTES = 64 * 1024;
// zod/mini ships no messages of its own; English ones make every 400 say what is wrong.
z.config(en());

export function httpRoute(routeId: RouteId, handle: (request: HttpRequest) => Promise<HttpResult>): HttpHandler {
  const route = routeById(routeId);
  return middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context: Context) => {
      logger.appendKeys({ route: route.id });
      try {
        const request = toRequest(route, event);
        if (typeof context?.getRemainingTimeInMillis === 'function') request.remainingMs = () => context.getRemainingTimeInMillis();
        authorize(route, request.actor);
        return toResponse(await handle(request));
      } catch (error) {
        return errorResponse(error);
      }
    });
}

function toRequest(route: Route, event: HttpEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  return {
    route,
    pathParameters: definedValues(event.pathParameters),
    query: definedValues(event.queryStringParameters),
    headers,
    rawBody,
    actor: actorFromClaims(event.requestContext?.authorizer?.jwt?.claims),
  };
}

function definedValues(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

/**
 * Claims of a verified access token, as API Gateway's JWT authorizer (or local mode) passes them.
 * The authorizer also lets the app client's ID tokens through (their `aud` is the client id); an
 * ID token carries the email whether or not it is verified, so only `token_use: access` counts.
 */
export function actorFromClaims(claims: Record<string, unknown> | undefined): Actor | undefined {
  if (!claims || claims.token_use !== 'access' || typeof claims.sub !== 'string' || typeof claims.email !== 'string') return undefined;
  const groups = groupsOf(claims['cognito:groups']);
  return { sub: claims.sub, email: foldEmail(claims.email), isAdmin: isAdminGroups(groups), isStaff: isStaffGroups(groups) };
}

function authorize(route: Route, actor: Actor | undefined) {
  if (route.auth === 'public' || route.auth === 'partner') return;
  if (!actor)
    throw new DomainError(
      'UNAUTHENTICATED',
      'sign in: this route needs a Cognito access token (not an ID token) with sub and email claims',
    );
  if (route.auth === 'admin' && !actor.isAdmin) throw new DomainError('FORBIDDEN', 'this route is for admins');
  if (route.auth === 'staff' && !actor.isStaff) throw new DomainError('FORBIDDEN', 'this route is for program staff (admins and viewers)');
}

function toResponse(result: HttpResult): HttpResponse {
  if (result.raw) {
    return {
      statusCode: result.status,
      headers: {
        'content-type': result.raw.contentType,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...result.headers,
      },
      body: result.raw.bytes ? Buffer.from(result.raw.bytes).toString('base64') : (result.raw.text ?? ''),
      isBase64Encoded: result.raw.bytes !== undefined,
    };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

function errorResponse(error: unknown): HttpResponse {
  if (error instanceof DomainError) {
    const status = HTTP_STATUS[error.code];
    if (status >= 500) logger.error(error.message, { code: error.code });
    else logger.info('request rejected', { code: error.code, status, reason: error.message });
    // A 429 says when to try again (RFC 9110 Retry-After, in seconds).
    const retryAfter = error.details?.retryAfterSeconds;
    const headers = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined;
    return toResponse({ status, body: errorBody(error.code, error.message), ...(headers ? { headers } : {}) });
  }
  logger.error('unhandled error', error as Error);
  return toResponse({ status: 500, body: errorBody('INTERNAL', 'something went wrong on our side; it has been logged') });
}

/**
 * Parses a JSON request body against a schema; a 400 names every field that is wrong. With
 * `optional`, an empty (or blank) body is read as `{}`, for routes whose every field has a default.
 */
export function jsonBody<T extends z.ZodMiniType>(
  request: HttpRequest,
  schema: T,
  options: { optional?: boolean; maxBytes?: number } = {},
): z.infer<T> {
  const limit = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  if (Buffer.byteLength(request.rawBody, 'utf8') > limit) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `request body is over ${limit / 1024} KiB`);
  }
  if (request.rawBody.trim() === '') {
    if (options.optional) return validate(schema, {});
    throw validationError('body is required (JSON)');
  }
  let value: unknown;
  try {
    value = JSON.parse(request.rawBody);
  } catch {
    throw validationError('body is not valid JSON');
  }
  return validate(schema, value);
}

export function validate<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw validationError(problems.join('; '), { fields: result.error.issues.map((i) => i.path.join('.')) });
}

/** Path parameters are guaranteed present by the route's path. */
export function pathParam(request: HttpRequest, name: string): string {
  return request.pathParameters[name] ?? '';
}

export const ok = (body: unknown): HttpResult => ({ status: 200, body });
export const created = (body: unknown): HttpResult => ({ status: 201, body });
/** A text body (a compact JWS is served as text/plain, as Open Badges 3.0 asks). */
export const text = (body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): HttpResult => ({
  status: 200,
  raw: { contentType, text: body },
  headers,
});
