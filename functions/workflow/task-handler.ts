// Wraps a workflow task (invoked by Step Functions with the state's Parameters as the event).
// Errors propagate with their name, which the state machine's Retry/Catch match on.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { validationError } from '../domain/errors.js';
import { logger } from '../observability.js';
import type { WorkflowInput } from '../use-cases/workflow-tasks.js';

export type TaskHandler<R> = (event: WorkflowInput, context: Context) => Promise<R>;

export function workflowTask<R>(run: (input: WorkflowInput) => Promise<R>): TaskHandler<R> {
  return middy<WorkflowInput, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      if (typeof event?.enrollmentId !== 'string' || event.enrollmentId === '') {
        throw validationError('workflow task input needs an enrollmentId');
      }
      logger.appendKeys({ enrollmentId: event.enrollmentId });
      const result = await run({ enrollmentId: event.enrollmentId });
      logger.info('workflow task done', { result: result as Record<string, unknown> });
      return result;
    });
}
