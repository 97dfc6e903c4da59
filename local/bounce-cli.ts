// `npm run bounce -- <email> [--complaint | --transient]`: SES's bounce (or complaint) for an
// address, sent to the running local mode, which hands it to the same mail-feedback function SES's
// notifications reach on AWS. A permanent bounce or a complaint suppresses the address.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `Usage: npm run bounce -- <email> [--complaint | --transient] [--url URL]

  email          the address SES reports (e.g. student@test.com)
  --complaint    a spam complaint instead of a permanent bounce (also suppresses)
  --transient    a transient bounce (a full mailbox: logged, suppresses nothing)
  --url URL      Baton's base URL (default: the running local mode, else http://127.0.0.1:3000)
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    complaint: { type: 'boolean', default: false },
    transient: { type: 'boolean', default: false },
    url: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [email] = positionals;
if (!email || (values.complaint && values.transient)) {
  console.error(`${email ? 'Pick one of --complaint and --transient.' : 'Missing email.'}\n\n${usage}`);
  process.exit(2);
}
const localState = join(resolve(process.env.DATA_DIR ?? '.data'), 'local-mode.json');
const baseUrl =
  values.url ?? (existsSync(localState) ? (JSON.parse(readFileSync(localState, 'utf8')) as { url: string }).url : 'http://127.0.0.1:3000');
const type = values.complaint ? 'complaint' : values.transient ? 'transient-bounce' : 'bounce';
const url = `${baseUrl.replace(/\/+$/, '')}/api/dev/mail-feedback`;
try {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, type }),
  });
  console.log(`${type} for ${email} → ${response.status} ${await response.text()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}. Is Baton running (npm start)?`);
  process.exit(1);
}
