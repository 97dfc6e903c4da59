// `npm run partner -- <partnerId> <event> --student <externalId> --course <courseId> [options]`
// Signs and sends a webhook exactly as the partner platform would.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isPartnerId, PARTNER_IDS } from '../functions/domain/partners.js';
import { completionBody, sendWebhook, signWebhook, xapiBody } from './partner-webhook-client.js';

const usage = `Usage: npm run partner -- <partnerId> <event> --student <externalId> --course <courseId> [options]

  partnerId      ${PARTNER_IDS.join(' | ')}
  event          course.completed | course.passed (or completed | passed)

Options:
  --student ID   the student's id at the partner (required)
  --course ID    the partner's course id (required; see GET /api/programs)
  --email EMAIL  the student's email (used when the account is not linked yet)
  --score N      a score to include
  --xapi         send an xAPI statement instead of the JSON event
  --id ID        webhook-id to use (repeat one to see duplicate handling)
  --url URL      Baton's base URL (default: the running local mode, else http://127.0.0.1:3000)
  --secret S     signing secret (default: PARTNER_WEBHOOK_SECRETS, else DATA_DIR/partner-secrets.json)
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
    id: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [partnerId, rawEvent] = positionals;
if (!partnerId || !isPartnerId(partnerId)) fail(`Unknown or missing partner "${partnerId ?? ''}".`);
if (!rawEvent) fail('Missing event.');
const event = rawEvent.includes('.') ? rawEvent : `course.${rawEvent}`;
if (!values.student) fail('Missing --student.');
if (!values.course) fail('Missing --course.');
const score = values.score === undefined ? undefined : Number(values.score);
if (score !== undefined && !Number.isFinite(score)) fail('--score must be a number.');

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const localState = join(dataDir, 'local-mode.json');
const baseUrl =
  values.url ?? (existsSync(localState) ? (JSON.parse(readFileSync(localState, 'utf8')) as { url: string }).url : 'http://127.0.0.1:3000');

function secretFor(partner: string): string {
  if (values.secret) return values.secret;
  const source =
    process.env.PARTNER_WEBHOOK_SECRETS ??
    (existsSync(join(dataDir, 'partner-secrets.json')) ? readFileSync(join(dataDir, 'partner-secrets.json'), 'utf8') : undefined);
  if (!source)
    fail(
      `No secret for ${partner}: pass --secret, set PARTNER_WEBHOOK_SECRETS, or start local mode once (it writes ${dataDir}/partner-secrets.json).`,
    );
  const value = (JSON.parse(source) as Record<string, string | string[]>)[partner];
  const secret = Array.isArray(value) ? value[value.length - 1] : value;
  if (!secret) fail(`No secret for ${partner} in the configured secrets.`);
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

const localNow = await completedAt();
const spec = {
  event,
  studentId: values.student,
  courseId: values.course,
  ...(values.email ? { email: values.email } : {}),
  ...(score !== undefined ? { score } : {}),
  ...(localNow ? { completedAt: localNow } : {}),
};
const body = values.xapi ? xapiBody(spec) : completionBody(spec);
const signed = signWebhook({ secret: secretFor(partnerId), body, ...(values.id ? { id: values.id } : {}) });
const url = `${baseUrl.replace(/\/+$/, '')}/api/webhooks/partners/${partnerId}`;
try {
  const response = await sendWebhook(url, signed);
  console.log(`POST ${url}\nwebhook-id ${signed.id}\n→ ${response.status} ${JSON.stringify(response.body)}`);
  process.exit(response.status < 300 ? 0 : 1);
} catch (error) {
  console.error(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}. Is Baton running (npm start)?`);
  process.exit(1);
}
