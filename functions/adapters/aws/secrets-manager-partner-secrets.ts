// Partner webhook secrets from one Secrets Manager secret (the PARTNER_WEBHOOK_SECRETS JSON shape),
// read through Powertools' cached provider: one GetSecretValue per container per cache window,
// so a rotation (add the new secret next to the old one) is picked up within `maxAgeSeconds`.
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { partnerSecretsArn } from '../../config.js';
import type { PartnerId } from '../../domain/partners.js';
import type { PartnerSecrets } from '../../use-cases/ports/services.js';
import { parsePartnerSecrets, partnerSecretsFromEnv, type SecretsByPartner } from '../partner-secrets.js';

/** How long a fetched secret is reused before Secrets Manager is asked again. */
export const PARTNER_SECRETS_MAX_AGE_SECONDS = 300;

export class SecretsManagerPartnerSecrets implements PartnerSecrets {
  private parsed: { raw: string; secrets: SecretsByPartner } | undefined;

  constructor(
    private readonly secretId: string,
    private readonly provider: SecretsProvider = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }),
    private readonly maxAgeSeconds = PARTNER_SECRETS_MAX_AGE_SECONDS,
  ) {}

  async secretsFor(partnerId: PartnerId): Promise<string[]> {
    const value = await this.provider.get(this.secretId, { maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string') throw new Error(`secret ${this.secretId} must hold a JSON string, not binary data`);
    // Parse once per fetched value; the error names the secret, never its content.
    if (this.parsed?.raw !== value) this.parsed = { raw: value, secrets: parsePartnerSecrets(value, `secret ${this.secretId}`) };
    return this.parsed.secrets[partnerId] ?? [];
  }
}

/** The webhook function's secrets: Secrets Manager when PARTNER_SECRETS_ARN is set (AWS), else PARTNER_WEBHOOK_SECRETS. */
export function configuredPartnerSecrets(env: NodeJS.ProcessEnv = process.env): PartnerSecrets {
  const secretArn = partnerSecretsArn(env);
  return secretArn ? new SecretsManagerPartnerSecrets(secretArn) : partnerSecretsFromEnv(env);
}
