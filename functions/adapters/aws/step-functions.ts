import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stateMachineArn } from '../../config.js';
import type { Clock, WorkflowStarter } from '../../use-cases/ports/services.js';
import { executionInput, executionName } from '../../workflow/definition.js';

export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    private readonly clock: Clock,
  ) {}

  async start(enrollmentId: string, trigger: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(enrollmentId, trigger),
          input: JSON.stringify(executionInput(enrollmentId, this.clock.now().toISOString())),
        }),
      );
    } catch (error) {
      // Standard workflows reject a second start under the same name: it is the same execution.
      // Express workflows (the default deploy) start it again, which the idempotent tasks make harmless.
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }
}

export function stepFunctionsWorkflow(clock: Clock): () => StepFunctionsWorkflowStarter {
  return () => new StepFunctionsWorkflowStarter(new SFNClient({}), stateMachineArn(), clock);
}
