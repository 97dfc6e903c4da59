// The student's reminder emails, on their page: on or off (the one-click link in every reminder
// turns them off; this turns them back on), and a plain warning when mail to their address bounced.
import { useState } from 'react';
import { describeError } from '../api/client.ts';
import type { Enrollment } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { Notice } from './states.tsx';

export function ReminderPreference({ enrollments, onChanged }: { enrollments: readonly Enrollment[]; onChanged: () => void }) {
  const { api } = useApp();
  const unsubscribed = enrollments.some((e) => e.remindersUnsubscribed);
  const suppressed = enrollments.find((e) => e.emailSuppressed);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const active = enrollments.some((e) => e.status === 'active');
  if (!active && !unsubscribed && !suppressed) return null;

  const save = async (reminders: boolean) => {
    setSaving(true);
    setMessage(null);
    try {
      await api.savePreferences({ reminders });
      setMessage({
        kind: 'success',
        text: reminders ? 'Reminders are on again.' : 'Reminders are off. Your welcome, completion and certificate emails still come.',
      });
      onChanged();
    } catch (error) {
      setMessage({ kind: 'error', text: `Your choice was not saved. ${describeError(error)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card preferences" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">Reminder emails</h2>
      {suppressed && (
        <Notice kind="error">
          <p className="notice-title">We cannot email {suppressed.studentEmail}</p>
          <p>Mail to this address bounced or was reported as spam, so we send it nothing. Ask your coordinator to update your address.</p>
        </Notice>
      )}
      <p>
        <strong>{unsubscribed ? 'Off.' : 'On.'}</strong>{' '}
        {unsubscribed
          ? 'You unsubscribed from reminders: we will not remind you about steps that stay open.'
          : 'We email you when a step stays open for a few days, at most once a day.'}
      </p>
      <button
        type="button"
        className={unsubscribed ? 'button' : 'button button-secondary'}
        disabled={saving}
        aria-busy={saving}
        onClick={() => void save(unsubscribed)}
      >
        {saving ? 'Saving…' : unsubscribed ? 'Turn reminders back on' : 'Turn reminders off'}
      </button>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}
