// Local mode's stand-in for SES's bounce and complaint notifications: the notification SES would
// publish for an address, wrapped in the SNS event AWS delivers, handed to the same mail-feedback
// handler a Lambda runs (with its declared access). `npm run bounce -- <email>` and the tests use it.
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import { accessOf } from '../functions/access.js';
import { normalizeEmail } from '../functions/domain/email.js';
import { validationError } from '../functions/domain/errors.js';
import { create } from '../functions/handlers/mail-feedback.js';
import type { Ports } from '../functions/wiring.js';
import { runAs } from './iam.js';
import { fakeLambdaContext } from './lambda-context.js';

export interface SimulatedFeedback {
  email: string;
  /** bounce (default: a permanent one), transient-bounce, or complaint. */
  type?: 'bounce' | 'transient-bounce' | 'complaint';
}

/** The SES event publishing record for one recipient (the shape SES sends to an SNS event destination). */
export function sesNotification(email: string, type: NonNullable<SimulatedFeedback['type']>, at: Date) {
  const mail = { timestamp: at.toISOString(), messageId: `local-${randomUUID()}`, source: 'no-reply@baton.local', destination: [email] };
  if (type === 'complaint') {
    return {
      eventType: 'Complaint',
      mail,
      complaint: { complainedRecipients: [{ emailAddress: email }], complaintFeedbackType: 'abuse', timestamp: at.toISOString() },
    };
  }
  return {
    eventType: 'Bounce',
    mail,
    bounce: {
      bounceType: type === 'bounce' ? 'Permanent' : 'Transient',
      bounceSubType: type === 'bounce' ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        { emailAddress: email, diagnosticCode: type === 'bounce' ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 4.2.2 mailbox full' },
      ],
      timestamp: at.toISOString(),
    },
  };
}

export async function simulatedMailFeedback(ports: Ports, feedback: SimulatedFeedback): Promise<unknown> {
  const email = normalizeEmail(feedback?.email);
  const type = feedback.type ?? 'bounce';
  if (!['bounce', 'transient-bounce', 'complaint'].includes(type))
    throw validationError('type must be bounce, transient-bounce or complaint');
  const event: SNSEvent = {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:baton-local-mail-feedback:local',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:baton-local-mail-feedback',
          Subject: 'Amazon SES Email Event Notification',
          Message: JSON.stringify(sesNotification(email, type, ports.clock.now())),
          Timestamp: ports.clock.now().toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
  const handler = create(ports);
  return runAs('mail-feedback', accessOf('mail-feedback'), () => handler(event, fakeLambdaContext('mail-feedback')));
}
