// The key that signs unsubscribe links: a Secrets Manager secret the stack generates (random, never
// in code), read through Powertools' cached provider (one GetSecretValue per container per 5
// minutes). Outside AWS, UNSUBSCRIBE_KEY stands in for it.
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError, unsubscribeKey, unsubscribeKeyArn } from '../../config.js';
import type { UnsubscribeKeys } from '../../use-cases/ports/services.js';

const MAX_AGE_SECONDS = 300;

export class SecretsManagerUnsubscribeKeys implements UnsubscribeKeys {
  constructor(
    private readonly secretId: string,
    private readonly provider: SecretsProvider = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }),
  ) {}

  async key(): Promise<Uint8Array> {
    const value = await this.provider.get(this.secretId, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value.length < 32)
      throw new Error(`secret ${this.secretId} must hold a key of at least 32 characters`);
    return Buffer.from(value, 'utf8');
  }
}

/** A fixed key (local mode's, or UNSUBSCRIBE_KEY's). */
export const staticUnsubscribeKeys = (key: Uint8Array): UnsubscribeKeys => ({ key: async () => key });

/** Secrets Manager when UNSUBSCRIBE_KEY_ARN is set (AWS), else UNSUBSCRIBE_KEY. */
export function configuredUnsubscribeKeys(env: NodeJS.ProcessEnv = process.env): UnsubscribeKeys {
  const arn = unsubscribeKeyArn(env);
  if (arn) return new SecretsManagerUnsubscribeKeys(arn);
  const key = unsubscribeKey(env);
  if (!key) throw new ConfigurationError('Missing environment variable UNSUBSCRIBE_KEY_ARN');
  return staticUnsubscribeKeys(Buffer.from(key, 'utf8'));
}
