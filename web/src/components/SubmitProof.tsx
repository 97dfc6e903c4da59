// "Submit proof" on the student's step in progress: the card, certificate or candidate number,
// the completion date, an optional expiry and an optional file (PDF, PNG or JPEG up to 10 MB).
// The file goes straight to its upload slot, then Baton checks it by content; what became of the
// latest proof (waiting for review, or not accepted and why) is shown above the form.
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../api/client.ts';
import type { EvidenceFileType, Step, StepEvidence } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { formatDate } from '../format.ts';
import { Notice } from './states.tsx';

const FILE_TYPES: readonly EvidenceFileType[] = ['application/pdf', 'image/png', 'image/jpeg'];
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const today = () => new Date().toISOString().slice(0, 10);

export function SubmitProof({ enrollmentId, step, onSubmitted }: { enrollmentId: string; step: Step; onSubmitted: () => void }) {
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const latest = step.evidence?.at(-1);
  const pending = latest?.status === 'pending';
  if (!step.acceptsEvidence && !latest) return null;
  return (
    <div className="proof">
      {sent && pending ? (
        <Notice kind="success">
          Thank you. Your proof is waiting for review by program staff; this step completes once they approve it.
        </Notice>
      ) : (
        latest && <LatestProof evidence={latest} />
      )}
      {step.acceptsEvidence && !pending && !open && (
        <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
          {latest?.status === 'rejected' ? 'Submit proof again' : 'Submit proof'}
          <span className="visually-hidden"> of completing {step.courseName}</span>
        </button>
      )}
      {step.acceptsEvidence && !pending && open && (
        <ProofForm
          enrollmentId={enrollmentId}
          step={step}
          onCancel={() => setOpen(false)}
          onSubmitted={() => {
            setOpen(false);
            setSent(true);
            onSubmitted();
          }}
          onSaved={onSubmitted}
        />
      )}
    </div>
  );
}

function LatestProof({ evidence }: { evidence: StepEvidence }) {
  if (evidence.status === 'pending') {
    return (
      <Notice kind="info">
        <p className="notice-title">Your proof (reference {evidence.reference}) is waiting for review.</p>
        <p>
          Submitted {formatDate(evidence.submittedAt)}.
          {evidence.file?.status === 'awaiting_upload' ? ' Its file has not arrived; program staff can still review the reference.' : ''}
        </p>
      </Notice>
    );
  }
  if (evidence.status === 'rejected') {
    return (
      <Notice kind="error">
        <p className="notice-title">Your proof (reference {evidence.reference}) was not accepted.</p>
        <p>Reason: “{evidence.review?.reason}”. You can submit it again.</p>
      </Notice>
    );
  }
  return null;
}

function ProofForm({
  enrollmentId,
  step,
  onCancel,
  onSubmitted,
  onSaved,
}: {
  enrollmentId: string;
  step: Step;
  onCancel: () => void;
  onSubmitted: () => void;
  onSaved: () => void;
}) {
  const { api } = useApp();
  const id = useId();
  const [reference, setReference] = useState('');
  const [completedOn, setCompletedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = (): string | null => {
    if (!reference.trim()) return 'Enter the number on your card or certificate.';
    if (!completedOn) return 'Enter the date you completed the course.';
    if (completedOn > today()) return 'The completion date cannot be in the future.';
    if (expiresOn && expiresOn <= completedOn) return 'The expiry date must be after the completion date.';
    if (file && !FILE_TYPES.includes(file.type as EvidenceFileType)) return 'The file must be a PDF, PNG or JPEG.';
    if (file && file.size > MAX_FILE_BYTES) return 'The file is over 10 MB; upload a smaller scan or photo.';
    return null;
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = check();
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    let saved = false;
    try {
      const submitted = await api.submitEvidence(enrollmentId, {
        sequence: step.sequence,
        partnerId: step.partnerId,
        reference: reference.trim(),
        completedAt: completedOn,
        ...(expiresOn ? { expiresAt: expiresOn } : {}),
        ...(file ? { file: { contentType: file.type as EvidenceFileType, size: file.size } } : {}),
      });
      saved = true;
      if (file && submitted.uploadUrl) {
        await api.uploadFile({ uploadUrl: submitted.uploadUrl, uploadHeaders: submitted.uploadHeaders ?? {} }, file);
        await api.confirmEvidenceFile(enrollmentId, submitted.evidenceId);
      }
      onSubmitted();
    } catch (error) {
      setProblem(describeError(error));
      setBusy(false);
      // Saved, but its file failed or was refused: reload, so the step shows what became of it.
      if (saved) onSaved();
    }
  };

  return (
    <form className="proof-form" onSubmit={(e) => void send(e)} aria-label={`Submit proof: ${step.courseName}`} noValidate>
      <p className="hint">
        Finished {step.courseName} at {step.partnerName}? Give us the details from your card or certificate. Program staff check them, and
        the step completes once they approve.
      </p>
      <label htmlFor={`${id}-reference`}>Card, certificate or candidate number</label>
      <input
        id={`${id}-reference`}
        type="text"
        required
        maxLength={100}
        autoComplete="off"
        value={reference}
        onChange={(e) => setReference(e.target.value)}
      />
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-completed`}>Completion date</label>
          <input
            id={`${id}-completed`}
            type="date"
            required
            max={today()}
            value={completedOn}
            onChange={(e) => setCompletedOn(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-expires`}>Expiry date (if it has one)</label>
          <input id={`${id}-expires`} type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
        </div>
      </div>
      <label htmlFor={`${id}-file`}>Photo or scan (optional): PDF, PNG or JPEG, up to 10 MB</label>
      <input
        id={`${id}-file`}
        type="file"
        accept="application/pdf,image/png,image/jpeg"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? 'Sending…' : 'Send proof'}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
