// Step Functions and SES adapters with aws-sdk-client-mock: what each sends, how a repeated
// execution name is treated, and which SES failures mean "not sent" rather than "unknown".
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AccountSendingPausedException, MessageRejected, SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import { StepFunctionsWorkflowStarter } from '../../functions/adapters/aws/step-functions.js';
import { EmailNotSent } from '../../functions/use-cases/ports/services.js';

const sfn = mockClient(SFNClient);
const ses = mockClient(SESClient);
beforeEach(() => {
  sfn.reset();
  ses.reset();
});

const clock = { now: () => new Date('2026-05-01T12:00:00.000Z') };
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:baton-advance';

describe('StepFunctionsWorkflowStarter', () => {
  it('starts an execution named after the enrollment and the trigger, with the keys RecordFailure needs', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    await new StepFunctionsWorkflowStarter(new SFNClient({}), ARN, clock).start('e-1', 's0-completed');
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(input.stateMachineArn).toBe(ARN);
    expect(input.name).toBe('e-1-s0-completed');
    expect(JSON.parse(input.input!)).toEqual({
      enrollmentId: 'e-1',
      keys: {
        enrollment: { pk: { S: 'ENROLLMENT#e-1' }, sk: { S: 'ENROLLMENT' } },
        failureAttributes: {
          '#pk': 'pk',
          '#failure': 'workflowFailure',
          '#indexPk': 'gsi2pk',
          '#indexSk': 'gsi2sk',
          '#advance': 'advanceRequestedAt',
          '#status': 'status',
          '#version': 'version',
        },
        failedIndex: { pk: { S: 'WORKFLOW_FAILED' }, sk: { S: '2026-05-01T12:00:00.000Z#e-1' } },
        startedAt: { S: '2026-05-01T12:00:00.000Z' },
      },
    });
  });

  it('treats an execution that already exists as started (a Standard workflow runs a name once)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(new StepFunctionsWorkflowStarter(new SFNClient({}), ARN, clock).start('e-1', 'enrolled')).resolves.toBeUndefined();
  });

  it('lets other failures through, for the reconciler to make good', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));
    await expect(new StepFunctionsWorkflowStarter(new SFNClient({}), ARN, clock).start('e-1', 'enrolled')).rejects.toThrow('throttled');
  });
});

describe('SesMailer', () => {
  it('sends the composed message raw (text, HTML, Reply-To, one-click unsubscribe) with the configuration set', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-123' });
    const result = await new SesMailer(new SESClient({}), 'Baton <no-reply@example.org>', 'baton-mail').send({
      to: 'student@test.com',
      subject: 'Reminder: BLS at HSI',
      text: 'plain',
      html: '<p>html</p>',
      fromName: 'Northside Training',
      replyTo: 'coach@example.org',
      unsubscribeUrl: 'https://learn.example.org/api/unsubscribe?token=a.b',
    });
    expect(result).toEqual({ messageId: 'ses-123' });
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBe('baton-mail');
    const raw = Buffer.from(input.RawMessage!.Data!).toString('utf8');
    for (const header of [
      'From: Northside Training <no-reply@example.org>',
      'To: student@test.com',
      'Reply-To: coach@example.org',
      'Subject: Reminder: BLS at HSI',
      'List-Unsubscribe: <https://learn.example.org/api/unsubscribe?token=a.b>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ])
      expect(raw).toMatch(new RegExp(`^${header.replace(/[.?*+()[\]]/g, '\\$&')}\r$`, 'm'));
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
  });

  it('refuses a message it cannot compose as EmailNotSent, before calling SES', async () => {
    const thrown = await new SesMailer(new SESClient({}), 'no-reply@example.org')
      .send({ to: 'not an address', subject: 's', text: 't', html: 'h' })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(EmailNotSent);
    expect(thrown).toMatchObject({ name: 'InvalidMessage' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });
});

describe('SesMailer failures: "definitely not sent" or "outcome unknown"', () => {
  const message = { to: 'student@test.com', subject: 'Congratulations!', text: 'plain', html: '<p>html</p>' };
  const sendWith = (error: Error) => {
    ses.on(SendRawEmailCommand).rejects(error);
    return new SesMailer(new SESClient({}), 'no-reply@example.org').send(message).catch((e: unknown) => e);
  };
  const serviceError = (name: string, $fault: 'client' | 'server', httpStatusCode: number) =>
    new SESServiceException({ name, $fault, message: name, $metadata: { httpStatusCode } });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } })],
    ['AccountSendingPausedException', new AccountSendingPausedException({ message: 'paused', $metadata: { httpStatusCode: 400 } })],
    ['Throttling', serviceError('Throttling', 'client', 400)],
  ])('reports %s (SES refused it, a client fault) as EmailNotSent, named after the reason', async (name, error) => {
    const thrown = await sendWith(error);
    expect(thrown).toBeInstanceOf(EmailNotSent);
    expect(thrown).toMatchObject({ name, message: error.message, cause: error });
  });

  it.each([
    ['a 5xx', serviceError('InternalFailure', 'server', 500)],
    ['a 503', serviceError('ServiceUnavailable', 'server', 503)],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError' })],
  ])('passes %s on unchanged: SES may have accepted the message, so the outcome is unknown', async (_, error) => {
    const thrown = await sendWith(error);
    expect(thrown).not.toBeInstanceOf(EmailNotSent);
    expect(thrown).toBe(error);
  });
});
