// Bounces and complaints, as SES reports them (a configuration set's event destination → SNS →
// the mail-feedback function; in local mode, `npm run bounce`): a permanent bounce or a complaint
// suppresses the address, so no email is sent to it again. Transient bounces (a full mailbox, an
// auto-reply) are logged and change nothing, as SES's own suppression list treats them.
import { foldEmail, isEmailAddress } from '../domain/email.js';
import type { Suppression } from '../domain/suppression.js';
import type { Logger } from './logger.js';
import type { Clock } from './ports/services.js';
import type { SuppressionList } from './ports/suppressions.js';

/** The fields of an SES event publishing record (or notification) Baton reads. */
interface SesFeedback {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: Array<{ emailAddress?: string; diagnosticCode?: string }> };
  complaint?: { complaintFeedbackType?: string; complainedRecipients?: Array<{ emailAddress?: string }> };
}

export interface FeedbackReport {
  suppressed: string[];
  ignored: number;
}

export async function recordMailFeedback(
  deps: { suppressions: SuppressionList; clock: Clock; logger: Logger },
  message: unknown,
): Promise<FeedbackReport> {
  const report: FeedbackReport = { suppressed: [], ignored: 0 };
  const feedback = (typeof message === 'object' && message !== null ? message : {}) as SesFeedback;
  const type = feedback.eventType ?? feedback.notificationType;
  const at = deps.clock.now().toISOString();
  const suppress = async (address: string | undefined, reason: Suppression['reason'], detail: string) => {
    const email = address ? foldEmail(address.trim()) : '';
    if (!isEmailAddress(email)) {
      report.ignored++;
      return;
    }
    await deps.suppressions.add({ email, reason, at, detail: detail.slice(0, 500) });
    report.suppressed.push(email);
  };
  if (type === 'Bounce' && feedback.bounce?.bounceType === 'Permanent') {
    for (const r of feedback.bounce.bouncedRecipients ?? [])
      await suppress(
        r.emailAddress,
        'bounce',
        [`Permanent/${feedback.bounce.bounceSubType ?? 'General'}`, r.diagnosticCode].filter(Boolean).join(': '),
      );
  } else if (type === 'Complaint') {
    for (const r of feedback.complaint?.complainedRecipients ?? [])
      await suppress(
        r.emailAddress,
        'complaint',
        `complaint${feedback.complaint?.complaintFeedbackType ? `: ${feedback.complaint.complaintFeedbackType}` : ''}`,
      );
  } else {
    report.ignored++;
  }
  if (report.suppressed.length > 0) deps.logger.warn('addresses suppressed after mail feedback', { type, suppressed: report.suppressed });
  else deps.logger.info('mail feedback changed nothing', { type: type ?? 'unknown', bounceType: feedback.bounce?.bounceType });
  return report;
}
