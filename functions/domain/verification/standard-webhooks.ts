// Standard Webhooks (https://www.standardwebhooks.com): the seed partners' scheme, verified by the
// `standardwebhooks` library exactly as before partners were data. The signature covers
// "{webhook-id}.{webhook-timestamp}.{body}"; the library compares in constant time and refuses a
// timestamp more than 5 minutes from the real clock (partners sign with their own).
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { missingHeaders, type SignedRequest, type Verdict } from './verdict.js';

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

export function verifyStandardWebhooks(secrets: readonly string[], request: SignedRequest): Verdict {
  const missing = missingHeaders(request, HEADERS);
  if (missing) return missing;
  const headers = Object.fromEntries(HEADERS.map((name) => [name, request.headers[name]!]));
  if (headers['webhook-id']!.length > 200) return { ok: false, problem: 'webhook-id is longer than 200 characters' };
  for (const [secretIndex, secret] of secrets.entries()) {
    try {
      new Webhook(secret).verify(request.rawBody, headers, { jsonParse: false });
      return { ok: true, secretIndex, body: request.rawBody };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // A timestamp problem is the same for every secret: say so rather than "no match".
      if (/timestamp|Invalid Signature Headers/i.test(error.message)) {
        return { ok: false, problem: `webhook-timestamp is ${timestampProblem(error.message)}` };
      }
    }
  }
  return { ok: false, problem: "no webhook-signature matches this partner's secret" };
}

function timestampProblem(message: string): string {
  if (/too old/i.test(message)) return 'more than 5 minutes old';
  if (/too new/i.test(message)) return 'more than 5 minutes in the future';
  return 'not a unix time in seconds';
}
