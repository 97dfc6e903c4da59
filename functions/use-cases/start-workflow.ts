import type { Logger } from './logger.js';
import type { WorkflowStarter } from './ports/services.js';

/**
 * Starts the advancement workflow after a committed transition. The transition already set the
 * enrollment's advance request, so a failure here loses nothing: the reconciler starts the
 * workflow for every request left pending. That is why this logs instead of failing the request.
 */
export async function startWorkflow(
  deps: { workflow: WorkflowStarter; logger: Logger },
  enrollmentId: string,
  trigger: string,
): Promise<boolean> {
  try {
    await deps.workflow.start(enrollmentId, trigger);
    return true;
  } catch (error) {
    deps.logger.error('workflow start failed; the reconciler will retry it', {
      enrollmentId,
      trigger,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return false;
  }
}
