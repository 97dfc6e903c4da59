// The evidence queue: proof students submitted for their steps, oldest first, by partner. An admin
// opens the file (a link that lasts a few minutes), then approves it (the step completes and the
// enrollment advances) or rejects it with a reason the student sees on their step.
import { useState } from 'react';
import { Link } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { EvidenceQueueEntry, EvidenceStatus } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { ReasonForm } from '../../components/ReasonForm.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDateTime, formatDay, plural } from '../../format.ts';
import { useAdminData } from './admin-data.ts';

const STATUSES: ReadonlyArray<[EvidenceStatus, string]> = [
  ['pending', 'Waiting for review'],
  ['approved', 'Approved'],
  ['rejected', 'Rejected'],
];
const FILE_NAMES = { 'application/pdf': 'PDF', 'image/png': 'PNG image', 'image/jpeg': 'JPEG image' } as const;

export function EvidenceQueue() {
  usePageTitle('Evidence');
  const { api } = useApp();
  const partners = useResource(() => api.partners(), [api], { refreshOnFocus: false });
  const [status, setStatus] = useState<EvidenceStatus>('pending');
  const [partnerId, setPartnerId] = useState('');
  const queue = useResource(() => api.evidenceQueue(status, partnerId || undefined), [api, status, partnerId]);
  const [done, setDone] = useState<{ entry: EvidenceQueueEntry; verb: 'approved' | 'rejected' } | null>(null);

  const onReviewed = (entry: EvidenceQueueEntry, verb: 'approved' | 'rejected') => {
    setDone({ entry, verb });
    announceChange();
    void queue.reload();
  };

  return (
    <>
      <div className="page-head">
        <h1>Evidence</h1>
        <p className="lede">
          Proof of completion students submitted for their steps: a card, certificate or candidate number, the completion date and often a
          scan. Approve it and the step completes; reject it with a reason and the student sees why and can submit again.
        </p>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="evidence-status">Show</label>
          <select id="evidence-status" value={status} onChange={(e) => setStatus(e.target.value as EvidenceStatus)}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="evidence-partner">Partner</label>
          <select id="evidence-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
            <option value="">All partners</option>
            {(partners.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {done && (
        <Notice kind="success">
          <p className="notice-title">
            {done.verb === 'approved' ? 'Approved' : 'Rejected'} the proof of {done.entry.studentName} ({done.entry.reference}).
          </p>
          <p>
            {done.verb === 'approved'
              ? 'The step is completed and the enrollment moves on. '
              : 'The student sees your reason on their step and can submit again. '}
            <Link href={`/admin/enrollments/${done.entry.enrollmentId}`}>Open the enrollment</Link>
          </p>
        </Notice>
      )}
      {queue.loading ? (
        <Loading label="Loading evidence…" />
      ) : !queue.data ? (
        <ErrorState title="We couldn't load the evidence." error={queue.error} onRetry={() => void queue.reload()} />
      ) : queue.data.evidence.length === 0 ? (
        <EmptyState title={status === 'pending' ? 'Nothing to review' : 'No evidence here'}>
          <p>{status === 'pending' ? 'Every piece of proof students submitted has been reviewed.' : 'Nothing matches these filters.'}</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            {plural(queue.data.evidence.length, 'piece')} of evidence{queue.data.more || queue.data.next ? ' (the oldest 100)' : ''}, oldest
            first
          </p>
          <ul className="event-list">
            {queue.data.evidence.map((entry) => (
              <EvidenceCard key={entry.id} entry={entry} onReviewed={onReviewed} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function EvidenceCard({
  entry,
  onReviewed,
}: {
  entry: EvidenceQueueEntry;
  onReviewed: (e: EvidenceQueueEntry, verb: 'approved' | 'rejected') => void;
}) {
  const { api } = useApp();
  const { partnerName } = useAdminData();
  const [mode, setMode] = useState<'idle' | 'approve' | 'reject'>('idle');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `evidence-${entry.id}`;
  const waitingForFile = entry.file?.status === 'awaiting_upload';

  const approve = async () => {
    setBusy(true);
    setError(null);
    try {
      const { evidence } = await api.approveEvidence(entry.id, note.trim() || undefined);
      onReviewed(evidence, 'approved');
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <li className="card event" aria-labelledby={`${base}-title`}>
      <h2 className="h3" id={`${base}-title`}>
        {entry.studentName} · {partnerName(entry.partnerId)}: {entry.courseName}
      </h2>
      <dl className="fields fields-compact">
        <div>
          <dt>Reference</dt>
          <dd className="mono">{entry.reference}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{formatDay(entry.completedAt)}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{entry.credentialExpiresAt ? formatDay(entry.credentialExpiresAt) : 'not given'}</dd>
        </div>
        <div>
          <dt>Student</dt>
          <dd>
            <Link href={`/admin/enrollments/${entry.enrollmentId}`}>{entry.studentEmail}</Link> · {entry.programName}, step {entry.sequence}
          </dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>{formatDateTime(entry.submittedAt)}</dd>
        </div>
        <div>
          <dt>File</dt>
          <dd>
            {!entry.file ? (
              'none'
            ) : entry.fileUrl ? (
              <a href={entry.fileUrl} target="_blank" rel="noopener noreferrer">
                Open the {FILE_NAMES[entry.file.contentType]} ({Math.ceil(entry.file.size / 1024)} KB)
                <span className="visually-hidden"> (a link valid for a few minutes)</span>
              </a>
            ) : waitingForFile ? (
              'not received: the student’s upload did not arrive'
            ) : (
              `refused: ${entry.file.problem ?? 'not a PDF, PNG or JPEG'}`
            )}
          </dd>
        </div>
        {entry.review && (
          <div>
            <dt>{entry.status === 'approved' ? 'Approved' : 'Rejected'}</dt>
            <dd>
              {formatDateTime(entry.review.at)} by {entry.review.by}
              {entry.review.reason ? `: “${entry.review.reason}”` : entry.review.note ? `: “${entry.review.note}”` : ''}
            </dd>
          </div>
        )}
      </dl>
      {entry.status === 'pending' && mode === 'idle' && (
        <div className="actions">
          <button type="button" className="button" disabled={waitingForFile} onClick={() => setMode('approve')}>
            Approve<span className="visually-hidden"> the proof of {entry.studentName}</span>
          </button>
          <button type="button" className="button button-secondary" onClick={() => setMode('reject')}>
            Reject<span className="visually-hidden"> the proof of {entry.studentName}</span>
          </button>
          {waitingForFile && <p className="hint">Its file has not arrived: reject it and ask the student to submit again.</p>}
        </div>
      )}
      {mode === 'approve' && (
        <form
          className="override-form"
          aria-label={`Approve: ${entry.studentName}`}
          onSubmit={(e) => {
            e.preventDefault();
            void approve();
          }}
        >
          <label htmlFor={`${base}-note`}>Note for the record (optional; staff see it, the student does not)</label>
          <textarea id={`${base}-note`} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="button" disabled={busy} aria-busy={busy}>
              {busy ? 'Approving…' : 'Approve and complete the step'}
            </button>
            <button type="button" className="button button-quiet" disabled={busy} onClick={() => setMode('idle')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode === 'reject' && (
        <ReasonForm
          name={`Reject: ${entry.studentName}`}
          label="Why it is rejected (the student sees this)"
          readBy="the student sees it"
          submit={{ label: 'Reject', busyLabel: 'Rejecting…', className: 'button-danger' }}
          cancelLabel="Cancel"
          onSubmit={async (reason) => {
            const { evidence } = await api.rejectEvidence(entry.id, reason);
            onReviewed(evidence, 'rejected');
          }}
          onCancel={() => setMode('idle')}
        />
      )}
    </li>
  );
}
