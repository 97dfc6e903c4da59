// The form every admin action that needs a "why" uses (waive, mark complete, cancel, dismiss):
// a required reason, checked before anything is sent, busy while the action runs, its refusal
// shown in the same place, and a way back. The reason is trimmed; the API applies the same
// 3–500 character rule.
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../api/client.ts';

const MIN_REASON = 3;

export interface ReasonFormProps {
  /** The form's accessible name, e.g. "Waive: HSI: BLS". */
  name: string;
  /** The field's label, saying who will read the reason. */
  label: string;
  /** Who reads the reason, for the "too short" message ("the student sees it"). */
  readBy: string;
  submit: { label: string; busyLabel: string; className?: string };
  cancelLabel: string;
  initialReason?: string;
  /** A refusal to show from the start (e.g. of a confirmation step after this form). */
  initialError?: string | null;
  /** The action; the caller then replaces the form. If it throws, its error is shown and the reason kept for another try. */
  onSubmit: (reason: string) => Promise<void> | void;
  onCancel: () => void;
}

export function ReasonForm({
  name,
  label,
  readBy,
  submit,
  cancelLabel,
  initialReason = '',
  initialError = null,
  onSubmit,
  onCancel,
}: ReasonFormProps) {
  const [reason, setReason] = useState(initialReason);
  const [problem, setProblem] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed.length < MIN_REASON) {
      setProblem(`Say why in a few words (at least ${MIN_REASON} characters); ${readBy}.`);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await onSubmit(trimmed);
      // Done: the caller replaces this form; staying busy until then prevents a second send.
    } catch (error) {
      setProblem(describeError(error));
      setBusy(false);
    }
  };

  return (
    <form className="override-form" onSubmit={(event) => void send(event)} aria-label={name} noValidate>
      <label htmlFor={`${id}-reason`}>{label}</label>
      <textarea
        id={`${id}-reason`}
        rows={2}
        required
        maxLength={500}
        autoFocus
        value={reason}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {problem && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className={`button ${submit.className ?? ''}`} disabled={busy} aria-busy={busy}>
          {busy ? submit.busyLabel : submit.label}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
      </div>
    </form>
  );
}
