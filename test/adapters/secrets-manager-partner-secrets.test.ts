// The Secrets Manager partner-secrets adapter with aws-sdk-client-mock: what it asks for, that it
// caches, and that a malformed secret fails with a message that names the secret but never its content.
import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  configuredPartnerSecrets,
  PARTNER_SECRETS_MAX_AGE_SECONDS,
  SecretsManagerPartnerSecrets,
} from '../../functions/adapters/aws/secrets-manager-partner-secrets.js';
import { StaticPartnerSecrets } from '../../functions/adapters/partner-secrets.js';

const secretsManager = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton-partner-webhooks-AbCdEf';
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

beforeEach(() => secretsManager.reset());
afterEach(() => vi.useRealTimers());

describe('SecretsManagerPartnerSecrets', () => {
  it('reads the partner’s secrets from the configured secret, including a list during a rotation', async () => {
    const [hsi, oldCp, newCp] = [newSecret(), newSecret(), newSecret()];
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ hsi, certiport: [oldCp, newCp] }) });
    const secrets = new SecretsManagerPartnerSecrets(SECRET_ARN);

    expect(await secrets.secretsFor('hsi')).toEqual([hsi]);
    expect(await secrets.secretsFor('certiport')).toEqual([oldCp, newCp]);
    expect(await secrets.secretsFor('milady')).toEqual([]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
  });

  it('asks Secrets Manager once for many webhooks, and again once the cache window has passed', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T12:00:00Z'), toFake: ['Date'] });
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ hsi: newSecret() }) });
    const secrets = new SecretsManagerPartnerSecrets(SECRET_ARN);

    await secrets.secretsFor('hsi');
    await secrets.secretsFor('certiport');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    vi.setSystemTime(new Date(Date.now() + (PARTNER_SECRETS_MAX_AGE_SECONDS + 1) * 1000));
    await secrets.secretsFor('hsi');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('picks up a rotated secret after the cache window', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T12:00:00Z'), toFake: ['Date'] });
    const [before, after] = [newSecret(), newSecret()];
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ hsi: before }) })
      .resolves({ SecretString: JSON.stringify({ hsi: [before, after] }) });
    const secrets = new SecretsManagerPartnerSecrets(SECRET_ARN);

    expect(await secrets.secretsFor('hsi')).toEqual([before]);
    vi.setSystemTime(new Date(Date.now() + (PARTNER_SECRETS_MAX_AGE_SECONDS + 1) * 1000));
    expect(await secrets.secretsFor('hsi')).toEqual([before, after]);
  });

  it('rejects a secret that is not JSON with an error naming the secret, not its content', async () => {
    const leaked = newSecret();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: `hsi=${leaked}` });

    const failure = new SecretsManagerPartnerSecrets(SECRET_ARN).secretsFor('hsi');

    await expect(failure).rejects.toThrow(`secret ${SECRET_ARN} is not valid JSON`);
    await expect(failure).rejects.not.toThrow(leaked.slice(6, 20));
  });

  it('rejects a secret with a malformed partner entry, naming the partner but not the value', async () => {
    const value = 'not-a-webhook-secret';
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ hsi: value }) });

    const failure = new SecretsManagerPartnerSecrets(SECRET_ARN).secretsFor('hsi');

    await expect(failure).rejects.toThrow(/hsi must be a "whsec_…" secret/);
    await expect(failure).rejects.not.toThrow(value);
  });

  it('lets a Secrets Manager failure through, so the webhook answers 500 and the partner retries', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(new SecretsManagerPartnerSecrets(SECRET_ARN).secretsFor('hsi')).rejects.toThrow('AccessDeniedException');
  });
});

describe('configuredPartnerSecrets', () => {
  it('uses Secrets Manager when PARTNER_SECRETS_ARN is set', () => {
    expect(configuredPartnerSecrets({ PARTNER_SECRETS_ARN: SECRET_ARN })).toBeInstanceOf(SecretsManagerPartnerSecrets);
  });

  it('falls back to PARTNER_WEBHOOK_SECRETS otherwise (local mode)', async () => {
    const hsi = newSecret();
    const secrets = configuredPartnerSecrets({ PARTNER_WEBHOOK_SECRETS: JSON.stringify({ hsi }) });
    expect(secrets).toBeInstanceOf(StaticPartnerSecrets);
    expect(await secrets.secretsFor('hsi')).toEqual([hsi]);
  });
});
