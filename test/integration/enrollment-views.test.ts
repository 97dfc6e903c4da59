// What a failed automation looks like to its student and to an admin: the student learns that
// it is delayed and that staff know, never an error name, message or stack trace; an admin sees
// the error and a readable cause (a Lambda error's message, not its trace) to decide on a retry.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.js';
import { keys } from '../../functions/adapters/dynamodb/keys.js';
import { EmailNotSent, type Mailer } from '../../functions/use-cases/ports/services.js';
import { localClientConfig } from '../../local/dynamodb-local.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

const STUDENT = 'delayed@example.org';
const DELAYED = 'Automation is delayed; program staff have been notified';
// What Step Functions records as the Cause of a Lambda task's error on AWS.
const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'MessageRejected',
  errorMessage: 'Email address is not verified. The following identities failed the check: delayed@example.org',
  trace: ['MessageRejected: Email address is not verified.', '    at SesMailer.send (file:///var/task/index.mjs:12:3456)'],
});

let baton: TestBaton;
let enrollmentId: string;
beforeAll(async () => {
  baton = await startTestBaton({
    decorate: () => ({
      mailer: {
        send: async () => {
          throw new EmailNotSent('MessageRejected', 'injected: address rejected by the mail service');
        },
      } satisfies Mailer,
    }),
  });
  enrollmentId = (await baton.enroll({ studentEmail: STUDENT, programId: 'cdl', partnerAccounts: { jri: 'JRI-DELAYED' } })).id;
  await baton.complete('jri', { studentId: 'JRI-DELAYED', courseId: 'cdl-entry-level-driver' });
  await baton.drain();
});
afterAll(() => baton?.stop());

const asStudent = async () => {
  const one = await baton.api('GET', `/api/enrollments/${enrollmentId}`, { as: STUDENT });
  const mine = await baton.api('GET', '/api/me/enrollments', { as: STUDENT });
  expect(one.status).toBe(200);
  expect(mine.status).toBe(200);
  return [one.body, mine.body.enrollments[0]];
};
const asAdmin = async () => {
  const one = await baton.api('GET', `/api/enrollments/${enrollmentId}`, { as: ADMIN });
  expect(one.status).toBe(200);
  return [one.body];
};

describe('a failed automation', () => {
  it('shows its student a plain sentence, with no failure object and no error details', async () => {
    for (const view of await asStudent()) {
      expect(view.id).toBe(enrollmentId);
      expect(view).not.toHaveProperty('workflowFailure');
      expect(view.timeline.at(-1)).toEqual({ at: expect.any(String), type: 'workflow_failed', detail: DELAYED });
      expect(JSON.stringify(view)).not.toMatch(/MessageRejected|injected|mail service/);
    }
  });

  it('shows an admin the error name and its cause', async () => {
    for (const view of await asAdmin()) {
      expect(view.workflowFailure).toEqual({
        error: 'MessageRejected',
        cause: 'injected: address rejected by the mail service',
        at: expect.any(String),
      });
      expect(view.timeline.at(-1).detail).toBe('Automation failed: MessageRejected: injected: address rejected by the mail service');
    }
  });

  it("shows an admin a Lambda error's message, not its stack trace, as Step Functions records it on AWS; the student still sees none of it", async () => {
    const db = documentClient(localClientConfig(baton.dynamoDbEndpoint));
    await db.send(
      new UpdateCommand({
        TableName: baton.tableName,
        Key: keys.enrollment(enrollmentId),
        UpdateExpression: 'SET workflowFailure.#cause = :cause',
        ExpressionAttributeNames: { '#cause': 'cause' },
        ExpressionAttributeValues: { ':cause': LAMBDA_CAUSE },
      }),
    );
    const readable = 'Email address is not verified. The following identities failed the check: delayed@example.org';
    for (const view of await asAdmin()) {
      expect(view.workflowFailure).toMatchObject({ error: 'MessageRejected', cause: readable });
      expect(JSON.stringify(view)).not.toMatch(/var\/task|errorType|trace/);
    }
    for (const view of await asStudent()) {
      expect(view).not.toHaveProperty('workflowFailure');
      expect(JSON.stringify(view)).not.toMatch(/MessageRejected|not verified|var\/task/);
    }
  });
});
