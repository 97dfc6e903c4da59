// The configuration module (functions/config.ts): who needs which variable, derived from the
// declared access; the cold-start check and its messages; the accessors; and the production
// wiring, which checks in Lambda only (local mode imports the same handler modules).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FUNCTION_IDS, accessOf } from '../../functions/access.js';
import {
  ConfigurationError,
  VARIABLES,
  checkConfiguration,
  envSettings,
  requiredVariables,
  siteUrl,
  stateMachineArn,
  tableName,
} from '../../functions/config.js';
import { verifyUrl } from '../../functions/domain/certificates.js';
import { productionPorts } from '../../functions/wiring.js';

afterEach(() => vi.unstubAllEnvs());

/** A well-formed value of every required variable. */
const CONFIGURED = {
  TABLE_NAME: 'baton-prod-Table-1A2B3C',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:Advance-x1Y2',
  CERTIFICATE_BUCKET: 'baton-prod-certificates-1a2b3c',
  SENDER_EMAIL: 'certificates@example.org',
  SES_CONFIGURATION_SET: 'baton-prod-mail',
  UNSUBSCRIBE_KEY_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton/unsubscribe-AbCdEf',
  PARTNER_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton/partner-webhooks-AbCdEf',
  SITE_URL: 'https://learn.example.org',
  SIGNING_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/0e1b7a4c-1111-2222-3333-444455556666',
  ORGANIZATION_NAME: 'Northwind Health Academy',
  EVENT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/baton-prod-EventDeliveries',
  EXPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/baton-prod-Exports',
  USER_POOL_ID: 'us-east-1_AbCdEf123',
  EXPORT_BUCKET: 'baton-prod-exports-1a2b3c',
  IMPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/baton-prod-Imports',
  IMPORT_STARTS_PER_SECOND: '20',
  UPLOAD_BUCKET: 'baton-prod-uploads-1a2b3c',
};

describe('who needs what', () => {
  it('derives each variable from the declared access: table → TABLE_NAME, workflow → STATE_MACHINE_ARN, certificates → CERTIFICATE_BUCKET, email → SENDER_EMAIL, secrets → PARTNER_SECRETS_ARN', () => {
    expect(requiredVariables('partner-webhook')).toEqual(['TABLE_NAME', 'STATE_MACHINE_ARN', 'PARTNER_SECRETS_ARN']);
    expect(requiredVariables('download-certificate')).toEqual(['TABLE_NAME', 'CERTIFICATE_BUCKET']);
    expect(requiredVariables('workflow-issue-certificate')).toEqual([
      'TABLE_NAME',
      'CERTIFICATE_BUCKET',
      'SITE_URL',
      'SIGNING_KEY_ID',
      'ORGANIZATION_NAME',
    ]);
    expect(requiredVariables('workflow-send-completion-email')).toEqual([
      'TABLE_NAME',
      'SENDER_EMAIL',
      'SES_CONFIGURATION_SET',
      'SITE_URL',
      'ORGANIZATION_NAME',
    ]);
    expect(requiredVariables('reminder-sweep')).toEqual([
      'TABLE_NAME',
      'SENDER_EMAIL',
      'SES_CONFIGURATION_SET',
      'UNSUBSCRIBE_KEY_ARN',
      'SITE_URL',
      'ORGANIZATION_NAME',
    ]);
    expect(requiredVariables('unsubscribe')).toEqual(['TABLE_NAME', 'UNSUBSCRIBE_KEY_ARN']);
    expect(requiredVariables('save-settings')).toEqual([
      'TABLE_NAME',
      'CERTIFICATE_BUCKET',
      'SENDER_EMAIL',
      'SITE_URL',
      'ORGANIZATION_NAME',
    ]);
    expect(requiredVariables('issuer-jwks')).toEqual(['SITE_URL', 'SIGNING_KEY_ID']);
    expect(requiredVariables('reconcile')).toEqual(['TABLE_NAME', 'STATE_MACHINE_ARN']);
    expect(requiredVariables('health')).toEqual([]);
    expect(requiredVariables('pre-token-generation')).toEqual([]);
  });

  it('gives every function that touches the table TABLE_NAME, and nothing to one that declares no access', () => {
    for (const id of FUNCTION_IDS) {
      const access = accessOf(id);
      expect([id, requiredVariables(id).includes('TABLE_NAME')]).toEqual([id, access.some((kind) => kind.startsWith('table:'))]);
      if (access.length === 0) expect([id, requiredVariables(id)]).toEqual([id, []]);
    }
  });

  it('needs SITE_URL only where links to the site are built', () => {
    expect(requiredVariables('get-enrollment')).toContain('SITE_URL');
    expect(requiredVariables('verify-certificate')).toContain('SITE_URL');
    expect(requiredVariables('list-programs')).not.toContain('SITE_URL');
    expect(requiredVariables('partner-webhook')).not.toContain('SITE_URL');
  });

  it('describes every variable, here and in docs/deploy.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(VARIABLES));
    for (const [name, variable] of Object.entries(VARIABLES)) expect([name, variable.description.length > 10]).toEqual([name, true]);
  });
});

describe('checkConfiguration', () => {
  it('passes a function given everything it needs', () => {
    for (const id of FUNCTION_IDS) expect(() => checkConfiguration(id, CONFIGURED)).not.toThrow();
  });

  it('names every missing variable in one error', () => {
    expect(() => checkConfiguration('workflow-send-completion-email', { TABLE_NAME: CONFIGURED.TABLE_NAME })).toThrow(
      new ConfigurationError(
        'workflow-send-completion-email is not configured: Missing environment variable SENDER_EMAIL; Missing environment variable SES_CONFIGURATION_SET; Missing environment variable SITE_URL; Missing environment variable ORGANIZATION_NAME',
      ),
    );
    expect(() => checkConfiguration('partner-webhook', { ...CONFIGURED, PARTNER_SECRETS_ARN: ' ' })).toThrow(
      'Missing environment variable PARTNER_SECRETS_ARN',
    );
  });

  it('refuses malformed values, naming the variable and what it must be', () => {
    const wrong = (name: keyof typeof CONFIGURED, value: string, id: Parameters<typeof checkConfiguration>[0]) => () =>
      checkConfiguration(id, { ...CONFIGURED, [name]: value });
    expect(wrong('SITE_URL', 'learn.example.org', 'get-enrollment')).toThrow(
      'Environment variable SITE_URL must be an https:// or http:// URL (it is "learn.example.org")',
    );
    expect(wrong('SITE_URL', 'ftp://learn.example.org', 'get-enrollment')).toThrow('SITE_URL must be an https:// or http:// URL');
    expect(wrong('STATE_MACHINE_ARN', 'Advance', 'reconcile')).toThrow('STATE_MACHINE_ARN must be a Step Functions state machine ARN');
    expect(wrong('PARTNER_SECRETS_ARN', 'arn:aws:s3:::bucket', 'partner-webhook')).toThrow(
      'PARTNER_SECRETS_ARN must be a Secrets Manager secret ARN',
    );
    expect(wrong('CERTIFICATE_BUCKET', 'Certificates_Bucket', 'download-certificate')).toThrow(
      'CERTIFICATE_BUCKET must be an S3 bucket name',
    );
    expect(wrong('SENDER_EMAIL', 'certificates', 'workflow-send-completion-email')).toThrow('SENDER_EMAIL must be an email address');
    expect(wrong('TABLE_NAME', 'a b', 'list-programs')).toThrow('TABLE_NAME must be a DynamoDB table name');
  });

  it('checks the optional variables a function uses when they are set, and never prints a secret', () => {
    expect(() => checkConfiguration('health', { POWERTOOLS_LOG_LEVEL: 'LOUD' })).toThrow('POWERTOOLS_LOG_LEVEL must be one of');
    expect(() => checkConfiguration('health', { POWERTOOLS_LOG_LEVEL: 'silent' })).not.toThrow();
    expect(() => checkConfiguration('list-programs', { ...CONFIGURED, DYNAMODB_ENDPOINT: 'localhost:8000' })).toThrow(
      'DYNAMODB_ENDPOINT must be an https:// or http:// URL',
    );
    // DYNAMODB_ENDPOINT is not health's concern.
    expect(() => checkConfiguration('health', { DYNAMODB_ENDPOINT: 'localhost:8000' })).not.toThrow();
    expect(VARIABLES.PARTNER_WEBHOOK_SECRETS.secret).toBe(true);
  });
});

describe('accessors', () => {
  it('drops trailing slashes from SITE_URL, so links have no double slash', () => {
    vi.stubEnv('SITE_URL', 'https://learn.example.org//');
    const { siteUrl } = envSettings();
    expect(siteUrl).toBe('https://learn.example.org');
    expect(verifyUrl(siteUrl, 'ABCD-EFGH-JKMN-PQRS')).toBe('https://learn.example.org/verify/ABCD-EFGH-JKMN-PQRS');
  });

  it('fail with the variable name when it is missing or malformed', () => {
    vi.stubEnv('SITE_URL', undefined);
    expect(() => envSettings()).toThrow('Missing environment variable SITE_URL');
    expect(() => siteUrl({ SITE_URL: 'learn.example.org' })).toThrow('Environment variable SITE_URL must be an https:// or http:// URL');
    expect(() => stateMachineArn({})).toThrow('Missing environment variable STATE_MACHINE_ARN');
    expect(tableName({ TABLE_NAME: 'baton' })).toBe('baton');
  });
});

describe('productionPorts', () => {
  const factories = () => ({ settings: vi.fn(envSettings) });

  it('outside Lambda (local mode, tests): checks nothing and builds nothing until a port is used', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    vi.stubEnv('SITE_URL', undefined);
    const f = factories();
    const ports = productionPorts('get-enrollment', f);
    expect(f.settings).not.toHaveBeenCalled();
    expect(() => ports.settings).toThrow('Missing environment variable SITE_URL');
  });

  it('in Lambda: fails at once, naming each variable the function is missing', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'baton-prod-get-enrollment');
    vi.stubEnv('TABLE_NAME', undefined);
    vi.stubEnv('SITE_URL', undefined);
    expect(() => productionPorts('get-enrollment', factories())).toThrow(
      'get-enrollment is not configured: Missing environment variable TABLE_NAME; Missing environment variable SITE_URL',
    );
  });

  it('in Lambda: builds every port at once, so an adapter reading a variable its function is not given fails the init too', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'baton-prod-list-programs');
    vi.stubEnv('TABLE_NAME', 'baton');
    vi.stubEnv('SITE_URL', undefined);
    // list-programs is not configured with SITE_URL, so wiring the settings port into it is caught here.
    expect(() => productionPorts('list-programs', factories())).toThrow('Missing environment variable SITE_URL');
    vi.stubEnv('SITE_URL', 'https://learn.example.org');
    const f = factories();
    expect(productionPorts('get-enrollment', f).settings).toEqual({ siteUrl: 'https://learn.example.org' });
    expect(f.settings).toHaveBeenCalledOnce();
  });
});
