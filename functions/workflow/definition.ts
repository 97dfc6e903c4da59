// The advancement state machine's contract, shared by CDK (DefinitionBody.fromFile +
// definitionSubstitutions) and local mode (aws-local-stepfunctions), so both run the same file.
import { workflowRecordKeys } from '../adapters/dynamodb/keys.js';

/** Path of the ASL file, relative to the repository root. */
export const STATE_MACHINE_FILE = 'state-machines/advance-enrollment.asl.json';

/** Each `${…FunctionArn}` substitution in the file and the handler (functions/handlers/<id>.ts) behind it. */
export const WORKFLOW_TASK_HANDLERS = {
  AdvanceFunctionArn: 'workflow-advance',
  IssueCertificateFunctionArn: 'workflow-issue-certificate',
  SendCompletionEmailFunctionArn: 'workflow-send-completion-email',
} as const;

export type WorkflowTaskSubstitution = keyof typeof WORKFLOW_TASK_HANDLERS;

/** The substitution that names the DynamoDB table for the direct service integration. */
export const TABLE_NAME_SUBSTITUTION = 'TableName';

/** Execution names allow [A-Za-z0-9_-], at most 80 characters. */
export function executionName(enrollmentId: string, trigger: string): string {
  return `${enrollmentId}-${trigger}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}

export function executionInput(enrollmentId: string, startedAt: string) {
  return { enrollmentId, keys: workflowRecordKeys(enrollmentId, startedAt) };
}
