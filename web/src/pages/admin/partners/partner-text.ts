// Words the partner pages share: schemes, outcomes and reasons, as an admin reads them.
import type { DeliveryLogEntry, WebhookConfig } from '../../../api/types.ts';

export const SCHEME_TEXT: Record<WebhookConfig['verification']['scheme'], string> = {
  'standard-webhooks': 'Standard Webhooks signature',
  'hmac-sha256': 'HMAC-SHA256 signature',
  token: 'Shared token',
  jwt: 'Signed JWT (JWKS)',
};

export const OUTCOME_TEXT: Record<DeliveryLogEntry['outcome'], string> = {
  applied: 'Applied',
  duplicate: 'Duplicate',
  unmatched: 'Unmatched',
  ignored: 'Ignored',
};

/** Why a delivery ended as it did, in a sentence. */
export function reasonText(entry: Pick<DeliveryLogEntry, 'reason' | 'problem'>): string {
  const reason = entry.reason ?? '';
  if (reason === 'unreadable')
    return `Baton could not read it: ${entry.problem ?? 'the mapping found nothing'}. Fix the mapping, then replay it.`;
  if (reason.startsWith('event_type:')) return `An event Baton does not act on (${reason.slice('event_type:'.length)}).`;
  const known: Record<string, string> = {
    unknown_student: 'No student has this account or email yet: it waits in the unmatched inbox.',
    no_step: 'The student has no step for this course in an active enrollment.',
    already_completed: 'The step was already completed.',
    requires_passed: 'The step needs a passing result; this reported a completion.',
    enrollment_cancelled: 'The enrollment with this course was cancelled.',
    step_skipped: 'The optional step was skipped.',
    dismissed: 'Dismissed by an admin.',
    account_conflict: 'The account and the email name different students: waiting for an admin’s review.',
    other_account: 'The email names a student who holds a different account at this partner: waiting for review.',
    replayed_as_items: 'Replayed: its items were applied as deliveries of their own.',
    same_webhook_id: 'This delivery id was received before.',
  };
  return known[reason] ?? reason;
}
