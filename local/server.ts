// The local stand-in for API Gateway + CloudFront: routes from the shared route table, each to
// the same handler a Lambda runs, with the JWT authorizer emulated; plus the static site, its
// config.json and the certificate download links. What the gateway itself answers is shaped as
// HTTP API shapes it ({"message": …}); what a handler answers is passed through unchanged.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { errorBody } from '../functions/http/errors.js';
import type { HttpEvent, HttpResponse } from '../functions/http/handler.js';
import { ROUTES, SIGNED_IN_AUTH, type Route } from '../functions/http/routes.js';
import type { Ports } from '../functions/wiring.js';
import type { LocalAuth } from './auth.js';
import { LOCAL_DOWNLOAD_PATH, LOCAL_EXPORTS_PATH, type FileCertificateStore } from './file-certificates.js';
import { LOCAL_UPLOADS_PATH, type FileUploads } from './file-uploads.js';
import { runAs } from './iam.js';
import { fakeLambdaContext } from './lambda-context.js';

/** API Gateway's own limit is 10 MB; handlers enforce their smaller limits on top. */
const MAX_REQUEST_BYTES = 1024 * 1024;

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

export interface LocalServerOptions {
  ports: Ports;
  auth: LocalAuth;
  certificates: FileCertificateStore;
  /** Export files, served like S3 presigned links (text/csv). */
  exportFiles: FileCertificateStore;
  /** The uploads bucket's stand-in: presigned PUT slots and read links. */
  uploads: FileUploads;
  webRoot: string;
  siteConfig: Record<string, unknown>;
  /** Handlers for local-only routes (e.g. the dev token endpoint), by route id. */
  localRoutes: Record<string, (body: unknown) => Promise<{ status: number; body: unknown }>>;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  params: string[];
  handler?: LambdaHandler;
}

export async function createLocalServer(options: LocalServerOptions): Promise<Server> {
  const routes = await compileRoutes(options.ports);
  const server = createServer((req, res) => {
    handle(req, res, routes, options).catch((error: unknown) => {
      options.ports.logger.error('local server error', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'local server error' } });
      else res.end();
    });
  });
  // Node closes an idle keep-alive connection after 5 s. On a busy machine a client's next request
  // can meet that close on the wire (ECONNRESET: a burst of webhooks did). A minute, as gateways
  // keep them, leaves no such window; headersTimeout must exceed it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

async function compileRoutes(ports: Ports): Promise<CompiledRoute[]> {
  return Promise.all(
    ROUTES.map(async (route: Route) => {
      const params: string[] = [];
      const pattern = new RegExp(
        `^${route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
          params.push(name);
          return '([^/]+)';
        })}$`,
      );
      if (route.localOnly) return { route, pattern, params };
      // The same module a Lambda bundles: functions/handlers/<route id>.ts, built with local ports.
      const module = (await import(`../functions/handlers/${route.id}.ts`)) as { create: (ports: Ports) => LambdaHandler };
      return { route, pattern, params, handler: module.create(ports) };
    }),
  );
}

/** HTTP API's own answers, before (or instead of) any integration. */
const GATEWAY = {
  notFound: { message: 'Not Found' },
  unauthorized: { message: 'Unauthorized' },
  badRequest: { message: 'Bad Request' },
};

async function handle(req: IncomingMessage, res: ServerResponse, routes: CompiledRoute[], options: LocalServerOptions) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  // A malformed % escape cannot be decoded into a path or a parameter: the request is bad, whatever it asks for.
  if (decodePath(url.pathname) === undefined) return sendJson(res, 400, GATEWAY.badRequest);

  if (url.pathname.startsWith('/api/')) {
    // A route matches on its method and path together; HTTP API has no 405, so a known path with
    // another method is as unknown as any other path.
    const found = routes
      .filter((r) => r.route.method === method)
      .map((r) => ({ r, match: r.pattern.exec(url.pathname) }))
      .find((c): c is { r: CompiledRoute; match: RegExpExecArray } => c.match !== null);
    if (!found) return sendJson(res, 404, GATEWAY.notFound);
    if (found.r.route.localOnly) {
      const refused = refuseCrossSite(req);
      if (refused) return sendJson(res, refused.status, refused.body);
    }
    const body = await readBody(req);
    if (body === undefined) return sendJson(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is over 1 MiB' } });
    return invokeRoute(req, res, url, found.r, found.match, body, options);
  }
  if (url.pathname.startsWith(LOCAL_UPLOADS_PATH)) return serveUpload(req, res, url, options.uploads);
  if (url.pathname === '/config.json') return sendJson(res, 200, options.siteConfig);
  if (url.pathname.startsWith(LOCAL_DOWNLOAD_PATH) && method === 'GET') {
    const key = decodePath(url.pathname.slice(LOCAL_DOWNLOAD_PATH.length))!;
    const opened = await options.certificates.open(key, url.searchParams);
    if ('error' in opened) return sendJson(res, opened.status, { error: { code: 'FORBIDDEN', message: opened.error } });
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': opened.pdf.length,
      'content-disposition': `attachment; filename="${opened.fileName.replace(/"/g, '')}"`,
      'cache-control': 'no-store',
    });
    return res.end(opened.pdf);
  }
  if (url.pathname.startsWith(LOCAL_EXPORTS_PATH) && method === 'GET') {
    const key = decodePath(url.pathname.slice(LOCAL_EXPORTS_PATH.length))!;
    const opened = await options.exportFiles.open(key, url.searchParams);
    if ('error' in opened) return sendJson(res, opened.status, { error: { code: 'FORBIDDEN', message: opened.error } });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': opened.pdf.length,
      'content-disposition': `attachment; filename="${opened.fileName.replace(/"/g, '')}"`,
      'cache-control': 'no-store',
    });
    return res.end(opened.pdf);
  }
  return serveStatic(req, res, url.pathname, options.webRoot);
}

/** S3's side of a presigned PUT or GET in the uploads bucket (with the CORS headers the bucket's rule gives the site). */
async function serveUpload(req: IncomingMessage, res: ServerResponse, url: URL, uploads: FileUploads) {
  const key = decodePath(url.pathname.slice(LOCAL_UPLOADS_PATH.length))!;
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'PUT, GET',
    'access-control-allow-headers': 'content-type',
  };
  const refuse = (r: { status: number; code: string; error: string }) => {
    res.writeHead(r.status, { 'content-type': 'application/xml', ...cors });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${r.code}</Code><Message>${r.error}</Message></Error>`);
  };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    return res.end();
  }
  if (req.method === 'PUT') {
    const received = await uploads.receive(key, url.searchParams, req.headers['content-type'], req);
    if ('error' in received) {
      refuse(received);
      return req.destroy();
    }
    res.writeHead(200, { ...cors });
    return res.end();
  }
  if (req.method !== 'GET') return refuse({ status: 405, code: 'MethodNotAllowed', error: 'PUT or GET' });
  const opened = await uploads.open(key, url.searchParams);
  if ('error' in opened) return refuse(opened);
  res.writeHead(200, {
    ...cors,
    'content-type': 'application/octet-stream',
    'content-length': opened.body.length,
    'content-disposition': `attachment; filename="${opened.fileName.replace(/["\\\r\n]/g, '')}"`,
    'cache-control': 'no-store',
  });
  return res.end(opened.body);
}

async function invokeRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  compiled: CompiledRoute,
  match: RegExpExecArray,
  body: Buffer,
  options: LocalServerOptions,
) {
  const { route } = compiled;
  if (!compiled.handler) {
    const local = options.localRoutes[route.id];
    if (!local) return sendJson(res, 404, GATEWAY.notFound);
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      return sendJson(res, 400, { error: { code: 'VALIDATION_FAILED', message: 'body is not valid JSON' } });
    }
    const result = await local(parsed);
    return sendJson(res, result.status, result.body);
  }

  // API Gateway's JWT authorizer: user, staff and admin routes need a valid bearer token, else 401
  // before any function runs, saying why in www-authenticate only. Other routes get no claims,
  // whatever the request carries.
  let claims: Record<string, string> | undefined;
  if (SIGNED_IN_AUTH.includes(route.auth)) {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return sendJson(res, 401, GATEWAY.unauthorized);
    const verified = await options.auth.verify(token);
    if ('error' in verified) {
      const reason = verified.error.replace(/["\\]/g, "'");
      return sendJson(res, 401, GATEWAY.unauthorized, {
        'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${reason}"`,
      });
    }
    claims = flattenClaims(verified.claims);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway decodes path parameters; the path decoded already in handle(), so each part does.
  const pathParameters = Object.fromEntries(compiled.params.map((name, i) => [name, decodePath(match[i + 1]!)!]));
  const query = Object.fromEntries(url.searchParams.entries());
  const now = options.ports.clock.now(); // API Gateway's request time, on local mode's clock
  const event = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(compiled.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body.length ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
  } as unknown as HttpEvent;

  const handler = compiled.handler;
  const response = await runAs(route.id, route.access, () => handler(event, fakeLambdaContext(route.id)));
  const responseHeaders = { ...(response.headers ?? {}) } as Record<string, string>;
  res.writeHead(response.statusCode ?? 200, responseHeaders);
  // API Gateway decodes a binary body a function returns base64-encoded.
  res.end(response.isBase64Encoded ? Buffer.from(response.body ?? '', 'base64') : (response.body ?? ''));
}

/**
 * Local-only routes (the dev token, and any other `localOnly` route) mint what a developer's
 * machine trusts, so only the developer's own tools may call them. A page on another site can
 * still send requests here: through DNS rebinding (its own host name, resolving to 127.0.0.1) or
 * a simple cross-site form POST (text/plain, no preflight). So the Host header must name a
 * loopback host, and the body must be declared JSON, which a browser only sends cross-site after
 * a CORS preflight that this server never answers.
 */
function refuseCrossSite(req: IncomingMessage): { status: number; body: unknown } | undefined {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) {
    const shown = host === '' ? 'none' : JSON.stringify(host.slice(0, 100));
    return {
      status: 403,
      body: errorBody(
        'FORBIDDEN',
        `local-only route: the Host header must be a loopback host (127.0.0.1, localhost or [::1], with or without the port), not ${shown}`,
      ),
    };
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return {
      status: 415,
      body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'local-only route: content-type must be application/json (send the body as JSON)'),
    };
  }
  return undefined;
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** API Gateway passes every claim as a string; arrays become "[a b]". */
function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    claims[key] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return claims;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The decoded path (or part of one), or undefined when a % escape in it is malformed. */
function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Static files with the SPA fallback CloudFront gives the deployed site. */
function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, webRoot: string) {
  if (!existsSync(join(webRoot, 'index.html'))) {
    // `npm start` builds the site first; anything else that starts local mode may not have.
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(
      '<!doctype html><title>Baton</title><p>The site is not built yet: run <code>npm run build:web</code> and reload. The API is up at <a href="/api/health">/api/health</a>.</p>',
    );
  }
  const decoded = decodePath(pathname)!;
  const root = resolve(webRoot);
  let file = join(root, decoded);
  // Inside the site's folder, not merely starting with its name: /x/web/dist-evil is not in /x/web/dist.
  const inside = relative(root, file);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return sendJson(res, 400, { error: { code: 'BAD_PATH', message: 'bad path' } });
  if (!existsSync(file) || statSync(file).isDirectory()) {
    const index = join(file, 'index.html');
    file = existsSync(index) ? index : extname(decoded) ? '' : join(webRoot, 'index.html');
  }
  if (!file || !existsSync(file)) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no file ${pathname}` } });
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}
