// Partner webhook secrets in the PARTNER_WEBHOOK_SECRETS shape:
// {"hsi": "whsec_…" | ["whsec_old", "whsec_new"], …}. Validated once, with errors that name the
// partner but never print a secret.
import { Webhook } from 'standardwebhooks';
import { ConfigurationError, partnerWebhookSecrets } from '../config.js';
import { isPartnerId, type PartnerId } from '../domain/partners.js';
import type { PartnerSecrets } from '../use-cases/ports/services.js';

export type SecretsByPartner = Partial<Record<PartnerId, string[]>>;

export function parsePartnerSecrets(json: string, source: string): SecretsByPartner {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source} must be a JSON object of partner id → secret(s)`);
  }
  const secrets: SecretsByPartner = {};
  for (const [partnerId, value] of Object.entries(parsed)) {
    if (!isPartnerId(partnerId)) throw new Error(`${source} names unknown partner "${partnerId}"`);
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || !list.every((s) => typeof s === 'string' && s.startsWith('whsec_'))) {
      throw new Error(`${source}: ${partnerId} must be a "whsec_…" secret or a list of them`);
    }
    for (const secret of list as string[]) {
      try {
        new Webhook(secret);
      } catch {
        throw new Error(`${source}: a ${partnerId} secret is not valid base64 after "whsec_"`);
      }
    }
    secrets[partnerId] = list as string[];
  }
  return secrets;
}

export class StaticPartnerSecrets implements PartnerSecrets {
  constructor(private readonly secrets: SecretsByPartner) {}

  async secretsFor(partnerId: PartnerId) {
    return this.secrets[partnerId] ?? [];
  }
}

/** Secrets from the PARTNER_WEBHOOK_SECRETS environment variable (local mode, tests). */
export function partnerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): StaticPartnerSecrets {
  const json = partnerWebhookSecrets(env);
  if (json === undefined) throw new ConfigurationError('Missing environment variable PARTNER_WEBHOOK_SECRETS');
  return new StaticPartnerSecrets(parsePartnerSecrets(json, 'PARTNER_WEBHOOK_SECRETS'));
}
