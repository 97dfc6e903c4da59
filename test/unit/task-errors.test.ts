// Which errors a workflow task re-throws as TransientTaskError (the one name the state machine
// retries from our code) and which go straight to RecordFailure.
import { ConditionalCheckFailedException, DynamoDBServiceException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import { EmailNotSent } from '../../functions/use-cases/ports/services.js';
import { PermanentTaskError } from '../../functions/use-cases/workflow-tasks.js';
import { TRANSIENT_TASK_ERROR, TransientTaskError, isTransientTaskError, workflowTask } from '../../functions/workflow/task-handler.js';
import { fakeLambdaContext } from '../../local/lambda-context.js';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 3, totalRetryDelay: 0 });
const dynamoError = (name: string, httpStatusCode: number, fault: 'client' | 'server' = httpStatusCode >= 500 ? 'server' : 'client') =>
  new DynamoDBServiceException({ name, $fault: fault, $metadata: metadata(httpStatusCode), message: `injected ${name}` });
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: metadata(400),
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('isTransientTaskError', () => {
  it.each<[string, unknown]>([
    ['DynamoDB ProvisionedThroughputExceededException', dynamoError('ProvisionedThroughputExceededException', 400)],
    ['DynamoDB ThrottlingException', dynamoError('ThrottlingException', 400)],
    ['DynamoDB RequestLimitExceeded', dynamoError('RequestLimitExceeded', 400)],
    ['DynamoDB InternalServerError (500)', dynamoError('InternalServerError', 500)],
    ['a 503 from S3', Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: metadata(503) })],
    ['an HTTP 429', Object.assign(new Error('Too many requests'), { name: 'Unknown', $metadata: metadata(429) })],
    ['an SDK TimeoutError', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ENOTFOUND', networkError('ENOTFOUND')],
    ['a transaction cancelled for contention alone', cancelled('None', 'TransactionConflict')],
    ['CONCURRENT_CHANGE (our own write kept conflicting)', new DomainError('CONCURRENT_CHANGE', 'enrollment kept changing')],
    ['SES Throttling (not sent)', new EmailNotSent('Throttling', 'Maximum sending rate exceeded.')],
    ['SES MaxSendingRateExceeded (not sent)', new EmailNotSent('MaxSendingRateExceeded', 'Maximum sending rate exceeded.')],
  ])('retries %s', (_, error) => {
    expect(isTransientTaskError(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'steps')")],
    ['a RangeError', new RangeError('Invalid time value')],
    ['PermanentTaskError', new PermanentTaskError('enrollment e-1 does not exist')],
    [
      'PermanentTaskError caused by a timeout',
      Object.assign(new PermanentTaskError('EmailOutcomeUnknown: …'), { cause: networkError('ETIMEDOUT') }),
    ],
    ['SES MessageRejected (not sent, and never will be)', new EmailNotSent('MessageRejected', 'Email address is not verified.')],
    ['SES AccountSendingPaused', new EmailNotSent('AccountSendingPaused', 'Sending is paused for this account.')],
    ['a validation error', new DomainError('VALIDATION_FAILED', 'workflow task input needs an enrollmentId')],
    [
      'ConditionalCheckFailedException',
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: metadata(400) }),
    ],
    ['DynamoDB ValidationException', dynamoError('ValidationException', 400)],
    ['AccessDeniedException', dynamoError('AccessDeniedException', 400)],
    ['a transaction cancelled by a failed condition', cancelled('ConditionalCheckFailed', 'TransactionConflict')],
    ['a thrown string', 'boom'],
  ])('does not retry %s', (_, error) => {
    expect(isTransientTaskError(error)).toBe(false);
  });
});

describe('workflowTask', () => {
  const run = (error: unknown) =>
    workflowTask(async () => {
      throw error;
    })({ enrollmentId: 'e-1' }, fakeLambdaContext('workflow-advance')).catch((e: unknown) => e);

  it('re-throws a transient error as TransientTaskError, keeping its name and message', async () => {
    const original = dynamoError('ProvisionedThroughputExceededException', 400);
    const thrown = await run(original);
    expect(thrown).toBeInstanceOf(TransientTaskError);
    expect(thrown).toMatchObject({
      name: TRANSIENT_TASK_ERROR,
      message: 'ProvisionedThroughputExceededException: injected ProvisionedThroughputExceededException',
      cause: original,
    });
  });

  it('passes any other error through unchanged, so its name is what RecordFailure records', async () => {
    const bug = new TypeError('x is not a function');
    expect(await run(bug)).toBe(bug);
    const permanent = new PermanentTaskError('no such enrollment');
    expect(await run(permanent)).toBe(permanent);
  });
});
