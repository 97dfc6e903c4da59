// Partner webhook secrets in ONE Secrets Manager secret holding every partner's (the document of
// partner-secrets.ts). One secret costs $0.40 a month plus $0.05 per 10,000 API calls; one per
// partner would cost $0.40 × partners. The webhook function reads it through Powertools' cached
// provider: one GetSecretValue per container per 5 minutes, so a new or retired secret applies
// within 5 minutes. Admin routes (partner-secrets:write) read it fresh, change it and put it back,
// then read it again to check their change landed (Secrets Manager has no conditional put; a
// concurrent admin's write is detected and the change made again).
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { partnerSecretsArn } from '../../config.js';
import type { PartnerId } from '../../domain/partners.js';
import { WriteContention } from '../../use-cases/retry.js';
import type { PartnerSecret, PartnerSecrets } from '../../use-cases/ports/services.js';
import { parseSecretDocument, partnerSecretsFromEnv, serializeSecretDocument, type SecretDocument } from '../partner-secrets.js';

/** How long a fetched secret is reused before Secrets Manager is asked again. */
export const PARTNER_SECRETS_MAX_AGE_SECONDS = 300;

export class SecretsManagerPartnerSecrets implements PartnerSecrets {
  private parsed: { raw: string; document: SecretDocument } | undefined;

  constructor(
    private readonly secretId: string,
    private readonly client: SecretsManagerClient = new SecretsManagerClient({}),
    private readonly provider: SecretsProvider = new SecretsProvider({ awsSdkV3Client: client }),
    private readonly maxAgeSeconds = PARTNER_SECRETS_MAX_AGE_SECONDS,
  ) {}

  async secretsFor(partnerId: PartnerId): Promise<string[]> {
    return (await this.activeSecrets(partnerId)).map((s) => s.value);
  }

  async activeSecrets(partnerId: PartnerId): Promise<PartnerSecret[]> {
    const value = await this.provider.get(this.secretId, { maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string') throw new Error(`secret ${this.secretId} must hold a JSON string, not binary data`);
    return [...(this.parse(value)[partnerId] ?? [])];
  }

  async listSecrets(partnerId: PartnerId): Promise<PartnerSecret[]> {
    return [...((await this.readFresh())[partnerId] ?? [])];
  }

  async addSecret(partnerId: PartnerId, secret: PartnerSecret): Promise<void> {
    await this.change(
      (document) => ({ ...document, [partnerId]: [...(document[partnerId] ?? []), secret] }),
      (document) => (document[partnerId] ?? []).some((s) => s.id === secret.id),
    );
  }

  async retireSecret(partnerId: PartnerId, secretId: string): Promise<boolean> {
    if (!(await this.listSecrets(partnerId)).some((s) => s.id === secretId)) return false;
    await this.change(
      (document) => ({ ...document, [partnerId]: (document[partnerId] ?? []).filter((s) => s.id !== secretId) }),
      (document) => !(document[partnerId] ?? []).some((s) => s.id === secretId),
    );
    return true;
  }

  /** Read, change, put, read again: WriteContention (tried again by the caller) when another write replaced this one. */
  private async change(edit: (document: SecretDocument) => SecretDocument, landed: (document: SecretDocument) => boolean) {
    const next = edit(await this.readFresh());
    await this.client.send(new PutSecretValueCommand({ SecretId: this.secretId, SecretString: serializeSecretDocument(next) }));
    if (!landed(await this.readFresh())) throw new WriteContention('changing the partner secrets');
  }

  private async readFresh(): Promise<SecretDocument> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (typeof SecretString !== 'string') throw new Error(`secret ${this.secretId} must hold a JSON string, not binary data`);
    return this.parse(SecretString);
  }

  private parse(raw: string): SecretDocument {
    // Parse once per fetched value; the error names the secret, never its content.
    if (this.parsed?.raw !== raw) this.parsed = { raw, document: parseSecretDocument(raw, `secret ${this.secretId}`) };
    return this.parsed.document;
  }
}

/** The functions' secrets: Secrets Manager when PARTNER_SECRETS_ARN is set (AWS), else PARTNER_WEBHOOK_SECRETS. */
export function configuredPartnerSecrets(env: NodeJS.ProcessEnv = process.env): PartnerSecrets {
  const secretArn = partnerSecretsArn(env);
  return secretArn ? new SecretsManagerPartnerSecrets(secretArn) : partnerSecretsFromEnv(env);
}
