// Partner webhook secrets as JSON, one document for every partner: the PARTNER_WEBHOOK_SECRETS
// shape, the Secrets Manager secret's and local mode's data-dir file's. Each partner has a list
// of secrets, each {"id", "secret", "createdAt"}; the first shape ({"hsi": "whsec_…"} or a list of
// "whsec_…" strings) is still read, each such secret given a stable id derived from its value.
// Validated once, with errors that name the partner but never print a secret.
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ConfigurationError, partnerWebhookSecrets } from '../config.js';
import { isPartnerId, type PartnerId } from '../domain/partners.js';
import type { PartnerSecret, PartnerSecrets } from '../use-cases/ports/services.js';

export type SecretsByPartner = Partial<Record<PartnerId, string[]>>;
export type SecretDocument = Record<PartnerId, PartnerSecret[]>;

/** What a stored secret value may be: printable ASCII, long enough to resist guessing. */
const SECRET_VALUE = /^[\x21-\x7e]{16,512}$/;
const SECRET_ID = /^sec_[A-Za-z0-9]{6,40}$/;

/** The id of a secret given without one (the first shape): stable, so its last use is kept across reads. */
export const derivedSecretId = (value: string) => `sec_${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;

export function parseSecretDocument(json: string, source: string): SecretDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source} must be a JSON object of partner id → secret(s)`);
  }
  const document: SecretDocument = {};
  for (const [partnerId, value] of Object.entries(parsed)) {
    if (!isPartnerId(partnerId)) throw new Error(`${source} names "${String(partnerId).slice(0, 50)}", which is not a partner id`);
    const list: unknown[] = Array.isArray(value) ? value : [value];
    document[partnerId] = list.map((entry) => readEntry(entry, partnerId, source));
  }
  return document;
}

function readEntry(entry: unknown, partnerId: string, source: string): PartnerSecret {
  if (typeof entry === 'string') {
    // The first shape held Standard Webhooks secrets only.
    if (!entry.startsWith('whsec_')) throw new Error(`${source}: ${partnerId} must be a "whsec_…" secret or a list of them`);
    try {
      new Webhook(entry);
    } catch {
      throw new Error(`${source}: a ${partnerId} secret is not valid base64 after "whsec_"`);
    }
    return { id: derivedSecretId(entry), value: entry };
  }
  const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  if (typeof record.secret !== 'string' || !SECRET_VALUE.test(record.secret)) {
    throw new Error(`${source}: a ${partnerId} secret must be 16-512 printable characters`);
  }
  if (typeof record.id !== 'string' || !SECRET_ID.test(record.id)) throw new Error(`${source}: a ${partnerId} secret has no valid id`);
  return { id: record.id, value: record.secret, ...(typeof record.createdAt === 'string' ? { createdAt: record.createdAt } : {}) };
}

/** The document as stored: every secret in the current shape. */
export function serializeSecretDocument(document: SecretDocument): string {
  const out = Object.fromEntries(
    Object.entries(document)
      .filter(([, secrets]) => secrets.length > 0)
      .map(([partnerId, secrets]) => [
        partnerId,
        secrets.map((s) => ({ id: s.id, secret: s.value, ...(s.createdAt ? { createdAt: s.createdAt } : {}) })),
      ]),
  );
  return JSON.stringify(out, null, 2);
}

/** The values by partner (what local mode prints and the tests sign with). */
export const valuesByPartner = (document: SecretDocument): Record<PartnerId, string[]> =>
  Object.fromEntries(Object.entries(document).map(([id, secrets]) => [id, secrets.map((s) => s.value)]));

/** Kept for the first shape's callers: the values by partner. */
export function parsePartnerSecrets(json: string, source: string): SecretsByPartner {
  return valuesByPartner(parseSecretDocument(json, source));
}

export const documentFromValues = (secrets: SecretsByPartner): SecretDocument =>
  Object.fromEntries(
    Object.entries(secrets).map(([id, values]) => [id, (values ?? []).map((value) => ({ id: derivedSecretId(value), value }))]),
  );

/** A document held by the caller (loaded, and written back by `persist` after each change). */
export class DocumentPartnerSecrets implements PartnerSecrets {
  constructor(
    private document: SecretDocument,
    private readonly persist: (document: SecretDocument) => void = () => {},
  ) {}

  async secretsFor(partnerId: PartnerId) {
    return (this.document[partnerId] ?? []).map((s) => s.value);
  }

  async activeSecrets(partnerId: PartnerId) {
    return [...(this.document[partnerId] ?? [])];
  }

  async listSecrets(partnerId: PartnerId) {
    return this.activeSecrets(partnerId);
  }

  async addSecret(partnerId: PartnerId, secret: PartnerSecret) {
    this.document = { ...this.document, [partnerId]: [...(this.document[partnerId] ?? []), secret] };
    this.persist(this.document);
  }

  async retireSecret(partnerId: PartnerId, secretId: string) {
    const before = this.document[partnerId] ?? [];
    const after = before.filter((s) => s.id !== secretId);
    if (after.length === before.length) return false;
    this.document = { ...this.document, [partnerId]: after };
    this.persist(this.document);
    return true;
  }
}

/** Secrets given in memory (PARTNER_WEBHOOK_SECRETS, tests): changes last as long as the process. */
export class StaticPartnerSecrets extends DocumentPartnerSecrets {
  constructor(secrets: SecretsByPartner | SecretDocument) {
    const lists = Object.values(secrets) as unknown[][];
    const values = lists.every((list) => list.every((s) => typeof s === 'string'));
    super(values ? documentFromValues(secrets as SecretsByPartner) : (secrets as SecretDocument));
  }
}

/** Secrets from the PARTNER_WEBHOOK_SECRETS environment variable (local mode, tests). */
export function partnerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): StaticPartnerSecrets {
  const json = partnerWebhookSecrets(env);
  if (json === undefined) throw new ConfigurationError('Missing environment variable PARTNER_WEBHOOK_SECRETS');
  return new StaticPartnerSecrets(parseSecretDocument(json, 'PARTNER_WEBHOOK_SECRETS'));
}
