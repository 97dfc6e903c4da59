// `npm run partner -- <partnerId> <event> --student <externalId> --course <courseId> [options]`
// Signs and sends a webhook exactly as the partner platform would: Standard Webhooks by default
// (the seed partners), or an HMAC header or a shared token (`--scheme`), with the seed's JSON, an
// xAPI statement, or any body of the partner's own shape (`--body`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isPartnerId } from '../functions/domain/partners.js';
import { SEED_PARTNER_IDS } from '../functions/domain/seed-partners.js';
import { completionBody, sendRequest, sendWebhook, signHmac, signToken, signWebhook, xapiBody } from './partner-webhook-client.js';

const usage = `Usage: npm run partner -- <partnerId> <event> --student <externalId> --course <courseId> [options]
       npm run partner -- <partnerId> --body '<raw JSON>' [--scheme …] [options]

  partnerId      a partner's id (seed partners: ${SEED_PARTNER_IDS.join(', ')})
  event          course.completed | course.passed (or completed | passed)

Options:
  --student ID   the student's id at the partner (required without --body)
  --course ID    the partner's course id (required without --body; see GET /api/programs)
  --email EMAIL  the student's email (used when the account is not linked yet)
  --score N      a score to include
  --xapi         send an xAPI statement instead of the JSON event
  --body JSON    send this raw body as it is (a partner with a mapped body format)
  --id ID        webhook-id to use (Standard Webhooks; repeat one to see duplicate handling)
  --url URL      Baton's base URL (default: the running local mode, else http://127.0.0.1:3000)
  --secret S     signing secret (default: PARTNER_WEBHOOK_SECRETS, else DATA_DIR/partner-secrets.json)

Signing (as the partner is configured; default standard-webhooks):
  --scheme S             standard-webhooks | hmac-sha256 | token
  --header NAME          the signature or token header (hmac-sha256, token), e.g. X-Thinkific-Hmac-Sha256
  --encoding E           hex | base64 (hmac-sha256; default hex)
  --prefix P             text before the signature or token, e.g. sha256=
  --timestamp-header H   sign "{timestamp}.{body}" and send the timestamp in H (hmac-sha256)
  --set NAME=VALUE       one more header to send (repeatable), e.g. --set X-Delivery-Id=abc

Not offered: --scheme jwt. A jwt partner's deliveries are checked against the keys at the
partner's JWKS URL, which Baton fetches itself: signing here would also need a key set served
where Baton can fetch it, so this command could not make a delivery Baton accepts on its own.
To test a jwt partner, paste a delivery the platform sent (its headers and raw body) into the
partner's test console (site: the partner editor; API: POST /api/admin/partners/{id}/webhook-test),
which shows the verdict and the events without writing anything. See docs/partners.md.
`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    student: { type: 'string' },
    course: { type: 'string' },
    email: { type: 'string' },
    score: { type: 'string' },
    xapi: { type: 'boolean', default: false },
    body: { type: 'string' },
    id: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    scheme: { type: 'string', default: 'standard-webhooks' },
    header: { type: 'string' },
    encoding: { type: 'string', default: 'hex' },
    prefix: { type: 'string' },
    'timestamp-header': { type: 'string' },
    set: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [partnerId, rawEvent] = positionals;
if (!partnerId || !isPartnerId(partnerId)) fail(`Unknown or missing partner "${partnerId ?? ''}".`);
const scheme = values.scheme;
if (!['standard-webhooks', 'hmac-sha256', 'token'].includes(scheme)) fail(`--scheme must be standard-webhooks, hmac-sha256 or token.`);
if (scheme !== 'standard-webhooks' && !values.header) fail(`--scheme ${scheme} needs --header (the partner's signature header).`);
if (values.encoding !== 'hex' && values.encoding !== 'base64') fail('--encoding must be hex or base64.');
const extraHeaders = Object.fromEntries(
  (values.set ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) fail(`--set takes NAME=VALUE, not "${pair}".`);
    return [pair.slice(0, at).toLowerCase(), pair.slice(at + 1)];
  }),
);
const score = values.score === undefined ? undefined : Number(values.score);
if (score !== undefined && !Number.isFinite(score)) fail('--score must be a number.');
if (values.body === undefined) {
  if (!rawEvent) fail('Missing event (or --body).');
  if (!values.student) fail('Missing --student.');
  if (!values.course) fail('Missing --course.');
} else {
  try {
    JSON.parse(values.body);
  } catch {
    fail('--body is not valid JSON.');
  }
}

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const localState = join(dataDir, 'local-mode.json');
const baseUrl =
  values.url ?? (existsSync(localState) ? (JSON.parse(readFileSync(localState, 'utf8')) as { url: string }).url : 'http://127.0.0.1:3000');

/** The partner's newest secret: from --secret, PARTNER_WEBHOOK_SECRETS or local mode's file (either shape). */
function secretFor(partner: string): string {
  if (values.secret) return values.secret;
  const source =
    process.env.PARTNER_WEBHOOK_SECRETS ??
    (existsSync(join(dataDir, 'partner-secrets.json')) ? readFileSync(join(dataDir, 'partner-secrets.json'), 'utf8') : undefined);
  if (!source)
    fail(
      `No secret for ${partner}: pass --secret, set PARTNER_WEBHOOK_SECRETS, or start local mode once (it writes ${dataDir}/partner-secrets.json).`,
    );
  const value = (JSON.parse(source) as Record<string, unknown>)[partner];
  const list = (Array.isArray(value) ? value : [value]) as Array<string | { secret?: string } | undefined>;
  const last = list[list.length - 1];
  const secret = typeof last === 'string' ? last : last?.secret;
  if (!secret) fail(`No secret for ${partner} in the configured secrets (create one: POST /api/admin/partners/${partner}/secrets).`);
  return secret;
}

/** Local mode's clock (it may have been moved with POST /api/dev/clock), so the completion is dated in Baton's time; else now. */
async function completedAt(): Promise<string | undefined> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/dev/clock`);
    return response.ok ? ((await response.json()) as { now?: string }).now : undefined;
  } catch {
    return undefined;
  }
}

let body = values.body;
if (body === undefined) {
  const localNow = await completedAt();
  const event = rawEvent!.includes('.') ? rawEvent! : `course.${rawEvent!}`;
  const spec = {
    event,
    studentId: values.student!,
    courseId: values.course!,
    ...(values.email ? { email: values.email } : {}),
    ...(score !== undefined ? { score } : {}),
    ...(localNow ? { completedAt: localNow } : {}),
  };
  body = values.xapi ? xapiBody(spec) : completionBody(spec);
}
const secret = secretFor(partnerId);
const url = `${baseUrl.replace(/\/+$/, '')}/api/webhooks/partners/${partnerId}`;
try {
  let response: { status: number; body: unknown };
  let sent: string;
  if (scheme === 'standard-webhooks') {
    const signed = signWebhook({ secret, body, ...(values.id ? { id: values.id } : {}) });
    response = await sendWebhook(url, { ...signed, headers: { ...signed.headers, ...extraHeaders } });
    sent = `webhook-id ${signed.id}`;
  } else if (scheme === 'hmac-sha256') {
    const signed = signHmac({
      secret,
      body,
      header: values.header!,
      encoding: values.encoding,
      ...(values.prefix ? { prefix: values.prefix } : {}),
      ...(values['timestamp-header'] ? { timestampHeader: values['timestamp-header'] } : {}),
      headers: extraHeaders,
    });
    response = await sendRequest(url, signed);
    sent = `${values.header} (HMAC-SHA256, ${values.encoding})`;
  } else {
    response = await sendRequest(
      url,
      signToken({ secret, body, header: values.header!, ...(values.prefix ? { prefix: values.prefix } : {}), headers: extraHeaders }),
    );
    sent = `${values.header} (token)`;
  }
  console.log(`POST ${url}\n${sent}\n→ ${response.status} ${JSON.stringify(response.body)}`);
  process.exit(response.status < 300 ? 0 : 1);
} catch (error) {
  console.error(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}. Is Baton running (npm start)?`);
  process.exit(1);
}
