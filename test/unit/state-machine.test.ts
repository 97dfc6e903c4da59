// The ASL file both CDK and local mode use: JSONPath only (the local interpreter ignores
// JSONata), a timeout on every Task, a substitution for every placeholder, and a failure path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  STATE_MACHINE_FILE,
  TABLE_NAME_SUBSTITUTION,
  WORKFLOW_TASK_HANDLERS,
  executionInput,
} from '../../functions/workflow/definition.js';
import { TRANSIENT_TASK_ERROR } from '../../functions/workflow/task-handler.js';
import { loadDefinition } from '../../local/workflow-runner.js';
import { REPO_ROOT } from '../../local/baton.js';
import { existsSync } from 'node:fs';

const text = readFileSync(`${REPO_ROOT}/${STATE_MACHINE_FILE}`, 'utf8');
const definition = JSON.parse(text) as { QueryLanguage?: string; States: Record<string, any> };

describe('the advancement state machine file', () => {
  it('uses JSONPath, never JSONata', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toContain('{%');
    expect(Object.values(definition.States).every((s) => (s.QueryLanguage ?? 'JSONPath') === 'JSONPath')).toBe(true);
  });

  it('has a substitution for every placeholder, and a handler file for every task', () => {
    const placeholders = [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();
    expect(placeholders).toEqual([...Object.keys(WORKFLOW_TASK_HANDLERS), TABLE_NAME_SUBSTITUTION].sort());
    for (const handler of Object.values(WORKFLOW_TASK_HANDLERS))
      expect(existsSync(`${REPO_ROOT}/functions/handlers/${handler}.ts`)).toBe(true);
    expect(() => loadDefinition(REPO_ROOT, { TableName: 'x' })).toThrow(/AdvanceFunctionArn/);
  });

  it('gives every Task a timeout, retries exactly the transient errors, and catches everything into the failure path', () => {
    const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Advance', 'IssueCertificate', 'RecordFailure', 'SendCompletionEmail']);
    for (const [name, state] of tasks) {
      expect([name, typeof state.TimeoutSeconds]).toEqual([name, 'number']);
      if (name === 'RecordFailure') continue;
      // Lambda's own service and throttling errors, a task timeout, and what our task wrapper
      // classifies as transient; never States.ALL (a TypeError or a PermanentTaskError is not retried).
      expect([name, state.Retry]).toEqual([
        name,
        [
          {
            ErrorEquals: [
              'Lambda.ServiceException',
              'Lambda.AWSLambdaException',
              'Lambda.SdkClientException',
              'Lambda.TooManyRequestsException',
              'States.Timeout',
              TRANSIENT_TASK_ERROR,
            ],
            IntervalSeconds: 2,
            BackoffRate: 2,
            MaxAttempts: 4,
            JitterStrategy: 'FULL',
          },
        ],
      ]);
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'FailureHasCause' }]);
    }
    expect(definition.States.RecordFailure.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(definition.States.RecordFailure.Next).toBe('Failed');
  });

  it('records a failure with or without a Cause (States.Timeout and Lambda service errors may have none), with the same RecordFailure', () => {
    expect(definition.States.FailureHasCause).toEqual({
      Type: 'Choice',
      Comment: expect.any(String),
      Choices: [{ Variable: '$.failure.Cause', IsPresent: true, Next: 'RecordFailure' }],
      Default: 'FailureWithoutCause',
    });
    expect(definition.States.FailureWithoutCause).toEqual({
      Type: 'Pass',
      Comment: expect.any(String),
      Parameters: { 'Error.$': '$.failure.Error', Cause: '' },
      ResultPath: '$.failure',
      Next: 'RecordFailure',
    });
  });

  it("bumps the enrollment's version and dates the failure with the starter's clock, never the Step Functions context", () => {
    const record = definition.States.RecordFailure.Parameters;
    expect(record.UpdateExpression).toBe(
      'SET #failure = :failure, #indexPk = :indexPk, #indexSk = :indexSk REMOVE #advance ADD #version :one',
    );
    expect(record.ExpressionAttributeValues[':one']).toEqual({ N: '1' });
    expect(executionInput('e-1', '2026-05-01T12:00:00.000Z').keys.failureAttributes['#version']).toBe('version');
    expect(record.ExpressionAttributeValues[':failure']).toEqual({
      M: { error: { 'S.$': '$.failure.Error' }, cause: { 'S.$': '$.failure.Cause' }, 'at.$': '$.keys.startedAt' },
    });
    expect(text).not.toContain('$$.');
  });

  it('records a failure only on an existing, not cancelled enrollment with no newer advance request, never retries that condition, and still ends in Failed', () => {
    const record = definition.States.RecordFailure;
    expect(record.Parameters.ConditionExpression).toBe(
      'attribute_exists(#pk) AND #status <> :cancelled AND (attribute_not_exists(#advance) OR #advance <= :startedAt)',
    );
    expect(record.Parameters.ExpressionAttributeValues[':cancelled']).toEqual({ S: 'cancelled' });
    expect(record.Retry[0]).toEqual({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], MaxAttempts: 0 });
    expect(record.Catch).toEqual([
      { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.notRecorded', Next: 'Failed' },
    ]);
    expect(definition.States.Failed.Type).toBe('Fail');
  });

  it('gets every name and value its DynamoDB expressions use from the execution input, and no unused one (DynamoDB rejects those)', () => {
    const record = definition.States.RecordFailure.Parameters;
    const expressions = `${record.UpdateExpression} ${record.ConditionExpression}`;
    const input = executionInput('e-1', '2026-05-01T12:00:00.000Z');
    const used = (prefix: string) => [...new Set(expressions.match(new RegExp(`\\${prefix}[A-Za-z]+`, 'g')))].sort();
    expect(record['ExpressionAttributeNames.$']).toBe('$.keys.failureAttributes');
    expect(Object.keys(input.keys.failureAttributes).sort()).toEqual(used('#'));
    expect(
      Object.keys(record.ExpressionAttributeValues)
        .map((k) => k.replace(/\.\$$/, ''))
        .sort(),
    ).toEqual(used(':'));
    expect(record.ExpressionAttributeValues[':startedAt.$']).toBe('$.keys.startedAt');
    expect(input.keys.startedAt).toEqual({ S: '2026-05-01T12:00:00.000Z' });
  });
});
