// Wraps a workflow task (invoked by Step Functions with the state's Parameters as the event).
// Errors propagate with their name, which the state machine's Retry/Catch match on. A failure a
// retry can fix is re-thrown as one named error, TransientTaskError, which is all the state
// machine retries from our code; anything else goes straight to RecordFailure.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { Context } from 'aws-lambda';
import { DomainError, validationError } from '../domain/errors.js';
import { logger } from '../observability.js';
import { EmailNotSent, isThrottled } from '../use-cases/ports/services.js';
import { PermanentTaskError, type WorkflowInput } from '../use-cases/workflow-tasks.js';

export type TaskHandler<R> = (event: WorkflowInput, context: Context) => Promise<R>;

/** The one error name the state machine retries from our functions (state-machines/advance-enrollment.asl.json). */
export const TRANSIENT_TASK_ERROR = 'TransientTaskError';

/** A failure a retry can fix; the message keeps the original error's name and message. */
export class TransientTaskError extends Error {
  constructor(original: Error) {
    super(`${original.name}: ${original.message}`, { cause: original });
    this.name = TRANSIENT_TASK_ERROR;
  }
}

/**
 * Whether a task's error is worth retrying: throttling, 5xx and network errors of the AWS SDK
 * (DynamoDB, S3), a DynamoDB transaction cancelled for contention alone, our own concurrency
 * exhaustion (CONCURRENT_CHANGE), and SES throttling reported as EmailNotSent (definitely not
 * sent). Never a PermanentTaskError, another EmailNotSent (MessageRejected…), a bug (TypeError…),
 * or a mailer error whose outcome is unknown (the email task reports those as PermanentTaskError).
 */
export function isTransientTaskError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof PermanentTaskError) return false;
  if (error instanceof EmailNotSent) return isThrottled(error);
  if (error instanceof DomainError) return error.code === 'CONCURRENT_CHANGE';
  if (isContentionOnly(error)) return true;
  const sdkError = error as Parameters<typeof isTransientError>[0]; // an Error, maybe with the SDK's $metadata, $retryable, code
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** TransactionCanceledException whose reasons are all TransactionConflict (or None): contention that outlived the repository's resends. */
function isContentionOnly(error: Error): boolean {
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return (
    reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None')
  );
}

export function workflowTask<R>(run: (input: WorkflowInput) => Promise<R>): TaskHandler<R> {
  return middy<WorkflowInput, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      if (typeof event?.enrollmentId !== 'string' || event.enrollmentId === '') {
        throw validationError('workflow task input needs an enrollmentId');
      }
      logger.appendKeys({ enrollmentId: event.enrollmentId });
      let result: R;
      try {
        result = await run({ enrollmentId: event.enrollmentId });
      } catch (error) {
        const transient = isTransientTaskError(error);
        logger.warn('workflow task failed', {
          transient,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw transient ? new TransientTaskError(error as Error) : error;
      }
      logger.info('workflow task done', { result: result as Record<string, unknown> });
      return result;
    });
}
