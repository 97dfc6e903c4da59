// The student's partner accounts on the enrollment page: unlink one, or move it to the right
// student (both with a reason, kept on both students). A move lists what was applied under the
// account; for each, the admin re-applies it to the new student or reverts it for the old one.
import { useState } from 'react';
import type { AdminEnrollment, MoveResult } from '../../api/types.ts';
import { useApp } from '../../app-context.ts';
import { ReasonForm } from '../../components/ReasonForm.tsx';
import { Notice } from '../../components/states.tsx';
import { formatDateTime } from '../../format.ts';

type Account = NonNullable<AdminEnrollment['partnerAccounts']>[number];

const HISTORY_TEXT = {
  linked: 'linked',
  unlinked: 'unlinked',
  moved_in: 'moved here from another student',
  moved_out: 'moved to another student',
};

export function PartnerAccounts({ enrollment, onChanged }: { enrollment: AdminEnrollment; onChanged: (text: string) => void }) {
  const accounts = enrollment.partnerAccounts ?? [];
  const [moved, setMoved] = useState<MoveResult | null>(null);
  return (
    <section className="card" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">Partner accounts</h2>
      {accounts.length === 0 ? (
        <p className="muted">No partner account is linked to {enrollment.studentName}: completions match by email.</p>
      ) : (
        <ul className="result-list">
          {accounts.map((a) => (
            <AccountRow key={a.partnerId} enrollment={enrollment} account={a} onChanged={onChanged} onMoved={setMoved} />
          ))}
        </ul>
      )}
      {moved && <MovedAccount result={moved} onChanged={onChanged} />}
      {enrollment.accountHistory && enrollment.accountHistory.length > 0 && (
        <>
          <h3 className="h3">History</h3>
          <ul className="timeline">
            {enrollment.accountHistory.map((h, i) => (
              <li key={i} className="timeline-item">
                <span className="muted">{formatDateTime(h.at)}</span> {h.partnerId} account <span className="mono">{h.externalId}</span>{' '}
                {HISTORY_TEXT[h.type]} by {h.by}
                {h.reason ? `: ${h.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function AccountRow({
  enrollment,
  account,
  onChanged,
  onMoved,
}: {
  enrollment: AdminEnrollment;
  account: Account;
  onChanged: (text: string) => void;
  onMoved: (result: MoveResult) => void;
}) {
  const { api } = useApp();
  const [action, setAction] = useState<'unlink' | 'move' | null>(null);
  const [email, setEmail] = useState('');
  const name = `${account.partnerName} account ${account.externalId}`;
  return (
    <li className="result account-row">
      <p>
        <strong>{account.partnerName}</strong> <span className="mono">{account.externalId}</span>
      </p>
      {action === null ? (
        <div className="actions">
          <button type="button" className="button button-secondary button-small" onClick={() => setAction('move')}>
            Move<span className="visually-hidden"> {name}</span>…
          </button>
          <button type="button" className="button button-quiet button-small" onClick={() => setAction('unlink')}>
            Unlink<span className="visually-hidden"> {name}</span>…
          </button>
        </div>
      ) : action === 'unlink' ? (
        <ReasonForm
          name={`Unlink ${name}`}
          label="Why unlink it (required, kept on the student)"
          readBy="it is kept on the student"
          submit={{ label: 'Unlink account', busyLabel: 'Unlinking…', className: 'button-warn' }}
          cancelLabel="Keep it"
          onSubmit={async (reason) => {
            await api.unlinkAccount(account.partnerId, account.externalId, reason);
            setAction(null);
            onChanged(`Unlinked ${name} from ${enrollment.studentName}.`);
          }}
          onCancel={() => setAction(null)}
        />
      ) : (
        <div className="override-form">
          <div className="field">
            <label htmlFor={`move-${account.partnerId}`}>Move {name} to the student with email</label>
            <input
              id={`move-${account.partnerId}`}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <ReasonForm
            name={`Move ${name}`}
            label="Why move it (required, kept on both students)"
            readBy="it is kept on both students"
            submit={{ label: 'Move account', busyLabel: 'Moving…' }}
            cancelLabel="Cancel"
            onSubmit={async (reason) => {
              const result = await api.moveAccount(account.partnerId, account.externalId, { studentEmail: email.trim(), reason });
              setAction(null);
              onMoved(result);
              onChanged(`Moved ${name} to ${result.to.email}.`);
            }}
            onCancel={() => setAction(null)}
          />
        </div>
      )}
    </li>
  );
}

function MovedAccount({ result, onChanged }: { result: MoveResult; onChanged: (text: string) => void }) {
  return (
    <Notice kind="info">
      <p className="notice-title">
        {result.applied.length === 0
          ? `Nothing had been applied under ${result.externalId}.`
          : `Applied under ${result.externalId} while it was ${result.from.email ?? 'the other student'}'s: decide for each.`}
      </p>
      {result.reapplied.length > 0 && (
        <p>
          {result.reapplied.length} event(s) waiting for review were applied to {result.to.email}.
        </p>
      )}
      <ul className="result-list">
        {result.applied.map((item) => (
          <AppliedItem key={item.webhookId} result={result} item={item} onChanged={onChanged} />
        ))}
      </ul>
    </Notice>
  );
}

function AppliedItem({
  result,
  item,
  onChanged,
}: {
  result: MoveResult;
  item: MoveResult['applied'][number];
  onChanged: (text: string) => void;
}) {
  const { api } = useApp();
  const [action, setAction] = useState<'reapply' | 'revert' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const what = `${item.programName}, step ${item.sequence}: ${item.courseName}`;
  if (done) return <li className="result">{done}</li>;
  return (
    <li className="result">
      <p>
        {what} <span className="muted">(event {item.webhookId})</span>
      </p>
      {action === null ? (
        <div className="actions">
          <button type="button" className="button button-secondary button-small" onClick={() => setAction('reapply')}>
            Re-apply to {result.to.email}
            <span className="visually-hidden"> ({what})</span>…
          </button>
          <button type="button" className="button button-warn button-small" onClick={() => setAction('revert')}>
            Revert for {result.from.email ?? 'the other student'}
            <span className="visually-hidden"> ({what})</span>…
          </button>
        </div>
      ) : (
        <ReasonForm
          name={`${action === 'reapply' ? 'Re-apply' : 'Revert'} ${what}`}
          label="Reason (required, on the timeline)"
          readBy="it is on the timeline"
          submit={{ label: action === 'reapply' ? 'Re-apply' : 'Reopen the step', busyLabel: 'Saving…' }}
          cancelLabel="Cancel"
          onSubmit={async (reason) => {
            if (action === 'reapply') {
              const outcome = await api.reapplyEvent(result.partnerId, result.externalId, { webhookId: item.webhookId, reason });
              setDone(
                `${what}: ${outcome.status === 'applied' ? `applied to ${result.to.email}` : `nothing to apply (${outcome.reason ?? outcome.status})`}.`,
              );
            } else {
              await api.reopenStep(item.enrollmentId, item.sequence, { reason, partnerId: result.partnerId });
              setDone(`${what}: reopened for ${result.from.email ?? 'the other student'}.`);
            }
            onChanged(`${what} updated.`);
          }}
          onCancel={() => setAction(null)}
        />
      )}
    </li>
  );
}
