import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock, type Ports } from '../ports.js';
import { EmailNotSent, type Mailer } from '../use-cases/ports.js';
import { PermanentTaskError, sendCompletionEmail } from '../use-cases/workflow-tasks.js';
import { workflowTask } from '../workflow/task-handler.js';

type EmailPorts = Pick<Ports, 'repo' | 'mailer' | 'clock' | 'settings' | 'logger'>;

/**
 * The mailer as this task uses it: a send whose outcome is unknown (a timeout, a dropped
 * connection, a 5xx: SES may have accepted the message) fails the task for good, never a retry,
 * which could be a second email; the claim stays, and the admin decides (retry with "resend email").
 * EmailNotSent (definitely not sent) passes through: Throttling is retried, other refusals are not.
 */
const outcomeUnknownIsFinal = (ports: Pick<Ports, 'mailer'>): Mailer => ({
  send: async (message) => {
    try {
      return await ports.mailer.send(message);
    } catch (error) {
      if (error instanceof EmailNotSent) throw error;
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw Object.assign(
        new PermanentTaskError(
          `EmailOutcomeUnknown: the completion email may have been sent (${detail}); ` +
            'check the mail log, then retry with "resend email" if it was not delivered',
        ),
        { cause: error },
      );
    }
  },
});

// The other ports are read when the task runs (a Lambda creates its adapters on first use).
const withMailer = (ports: EmailPorts): EmailPorts =>
  Object.create(ports, { mailer: { value: outcomeUnknownIsFinal(ports) } }) as EmailPorts;

export const create = (ports: EmailPorts) => {
  const deps = withMailer(ports);
  return workflowTask((input) => sendCompletionEmail(deps, input));
};
export const handler = create(
  lazyPorts({ repo: dynamoRepository, mailer: sesMailer, clock: () => systemClock, settings: envSettings, logger: () => logger }),
);
