// The SES client Lambda uses, over a fake HTTP handler instead of aws-sdk-client-mock, so the
// SDK's own retry behaviour is what runs: SendRawEmail has no idempotency token, so one attempt.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import { EmailNotSent } from '../../functions/use-cases/ports/services.js';

describe('sesMailer(): the client Lambda uses', () => {
  afterEach(() => vi.unstubAllEnvs());
  const mailerAnswering = (statusCode: number, body: string) => {
    vi.stubEnv('SENDER_EMAIL', 'no-reply@example.org');
    const requests: unknown[] = [];
    const mailer = sesMailer({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: async (request: unknown) => {
          requests.push(request);
          return { response: { statusCode, headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(body) } };
        },
      } as never,
    });
    return { mailer, requests };
  };
  const sesError = (code: string) =>
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
  const message = { to: 'student@test.com', subject: 'Congratulations!', text: 'plain', html: '<p>html</p>' };

  it('sends once and never retries a 5xx (a retry after SES accepted the message would be a second email)', async () => {
    const { mailer, requests } = mailerAnswering(500, sesError('InternalFailure'));
    const thrown = await mailer.send(message).catch((e: unknown) => e);
    expect(requests).toHaveLength(1);
    expect(thrown).not.toBeInstanceOf(EmailNotSent);
  });

  it('does not retry throttling either, and reports it as not sent (the workflow retries it)', async () => {
    const { mailer, requests } = mailerAnswering(400, sesError('Throttling'));
    const thrown = await mailer.send(message).catch((e: unknown) => e);
    expect(requests).toHaveLength(1);
    expect(thrown).toBeInstanceOf(EmailNotSent);
    expect(thrown).toMatchObject({ name: 'Throttling' });
  });

  it('returns the message id SES answers with', async () => {
    const { mailer } = mailerAnswering(
      200,
      '<SendRawEmailResponse><SendRawEmailResult><MessageId>ses-42</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></SendRawEmailResponse>',
    );
    expect(await mailer.send(message)).toEqual({ messageId: 'ses-42' });
  });
});
