// Reminding students from the admin pages: "Send reminder" on a stuck student or an enrollment,
// "Remind all N stuck" (after a confirmation that shows the count), what was not sent and why, and
// the enrollment's email status (suppressed address, reminders turned off). The API keeps the
// limits: at most one reminder per step per day, whoever clicks, however often.
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { AdminEnrollment, ReminderReport } from '../../api/types.ts';
import { announceChange } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { MailIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../format.ts';

const REASONS: Record<ReminderReport['skipped'][number]['reason'], string> = {
  reminded_today: 'reminded in the last day',
  unsubscribed: 'unsubscribed from reminders',
  email_suppressed: 'email address bounced',
  no_step_in_progress: 'no step in progress',
  not_active: 'enrollment not active',
  not_found: 'no such enrollment',
  nothing_due: 'nothing to remind of',
  mail_refused: 'refused by the mail service',
  outcome_unknown: 'may have been sent (the mail service did not answer)',
  try_later: 'mail service busy: try again in a minute',
  out_of_time: 'not reached in time: send again',
};

/** "Sent 3 reminders. Not sent to 2: 1 reminded in the last day, 1 unsubscribed from reminders." */
export function describeReport(report: ReminderReport): string {
  const sent = report.sent === 0 ? 'No reminder was sent.' : `Sent ${plural(report.sent, 'reminder')}.`;
  if (report.skipped.length === 0) return sent;
  const counts = new Map<string, number>();
  for (const { reason } of report.skipped) counts.set(REASONS[reason], (counts.get(REASONS[reason]) ?? 0) + 1);
  const why = [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return `${sent} Not sent to ${report.skipped.length}: ${why}.`;
}

function useSend() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'success' | 'info' | 'error'; text: string } | null>(null);
  const send = async (target: Parameters<typeof api.sendReminders>[0]) => {
    setBusy(true);
    setResult(null);
    try {
      const report = await api.sendReminders(target);
      setResult({ kind: report.sent > 0 ? 'success' : 'info', text: describeReport(report) });
      announceChange();
    } catch (error) {
      setResult({ kind: 'error', text: `No reminder was sent. ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, result, send };
}

/** "Send reminder" for one enrollment (its steps in progress). */
export function RemindButton({ enrollmentId, studentName }: { enrollmentId: string; studentName: string }) {
  const { busy, result, send } = useSend();
  return (
    <div className="remind">
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        aria-busy={busy}
        onClick={() => void send({ enrollmentIds: [enrollmentId] })}
      >
        <MailIcon size={16} /> {busy ? 'Sending…' : 'Send reminder'}
        <span className="visually-hidden"> to {studentName}</span>
      </button>
      {result && (
        <p className={`remind-result remind-${result.kind}`} role="status">
          {result.text}
        </p>
      )}
    </div>
  );
}

/** "Remind all N stuck": asks first, with the count, then reports what was sent and what was not. */
export function RemindAllStuck({ students, stuckDays }: { students: number; stuckDays: number }) {
  const { busy, result, send } = useSend();
  const [confirming, setConfirming] = useState(false);
  if (students === 0) return null;
  return (
    <div className="remind-all">
      {!confirming ? (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          <MailIcon size={16} /> Remind all {plural(students, 'stuck student')}
        </button>
      ) : (
        <div className="confirm" role="group" aria-labelledby="remind-all-question">
          <p id="remind-all-question">
            <strong>Send a reminder to {plural(students, 'student')} now?</strong> Students reminded in the last day, who unsubscribed, or
            whose address bounced are skipped.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              aria-busy={busy}
              onClick={() => void send({ stuckDays }).then(() => setConfirming(false))}
            >
              {busy ? 'Sending…' : `Send ${plural(students, 'reminder')}`}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {result && <Notice kind={result.kind === 'error' ? 'error' : result.kind === 'success' ? 'success' : 'info'}>{result.text}</Notice>}
    </div>
  );
}

/** What stops email to this student: a suppressed address, or reminders turned off. */
export function EmailStatus({ enrollment }: { enrollment: AdminEnrollment }) {
  const s = enrollment.emailSuppression;
  return (
    <>
      {enrollment.emailSuppressed && (
        <Notice kind="error">
          <p className="notice-title">Email suppressed: nothing is sent to {enrollment.studentEmail}</p>
          <p>
            {s?.reason === 'complaint' ? 'The student reported an email as spam' : 'Mail to this address bounced'}
            {s ? ` on ${formatDateTime(s.at)}` : ''}
            {s?.detail ? ` (${s.detail})` : ''}. Welcome, reminder and completion emails are not sent; contact the student another way.
          </p>
        </Notice>
      )}
      {enrollment.remindersUnsubscribed && (
        <Notice kind="info">
          <p className="notice-title">Reminders off</p>
          <p>The student unsubscribed from reminder emails; they can turn them back on from their page. Other emails still go out.</p>
        </Notice>
      )}
    </>
  );
}
