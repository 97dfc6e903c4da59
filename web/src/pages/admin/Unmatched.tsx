// Partner events that matched no student or step. Linking the partner account to a student
// re-applies every event waiting for it, so the student's progress catches up at once; an event
// that will never match is dismissed with a reason.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { DismissedEvent, LinkResult, UnmatchedEvent } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp, useCanAct } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { ReasonForm } from '../../components/ReasonForm.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../format.ts';
import { useAdminData } from './admin-data.ts';

const REASONS: Record<string, string> = {
  unknown_student: 'No student has this partner account or email yet.',
  no_step: 'The student has no step for this course in an active enrollment.',
  enrollment_cancelled: "The student's enrollment with this course was cancelled.",
  already_completed: 'The step was already completed.',
  requires_passed: 'This step needs a passing result, and the event reported only a completion.',
  account_conflict:
    'The partner account is linked to one student and the email names another: move the account on the right student’s enrollment page, or dismiss the event.',
  other_account:
    'The email names a student who already has a different account at this partner: review the student’s partner accounts, or dismiss the event.',
};

export function UnmatchedInbox() {
  usePageTitle('Unmatched events');
  const { api } = useApp();
  const [pages, setPages] = useState<string[]>([]);
  const first = useResource(() => api.unmatchedEvents(), [api]);
  const [more, setMore] = useState<{ events: UnmatchedEvent[]; next?: string; loading: boolean; error?: unknown }>({
    events: [],
    loading: false,
  });
  const [settled, setSettled] = useState<{ linked: LinkResult; email: string } | { dismissed: DismissedEvent } | null>(null);

  const loadMore = async (cursor: string) => {
    setMore((m) => ({ ...m, loading: true, error: undefined }));
    try {
      const page = await api.unmatchedEvents(cursor);
      setPages((p) => [...p, cursor]);
      setMore((m) => ({ events: [...m.events, ...page.events], ...(page.next ? { next: page.next } : {}), loading: false }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };
  // Linking or dismissing changes the inbox: start again from its first page.
  const onSettled = (what: NonNullable<typeof settled>) => {
    setSettled(what);
    setMore({ events: [], loading: false });
    setPages([]);
    announceChange();
  };

  const events = [...(first.data?.events ?? []), ...more.events];
  const next = pages.length > 0 ? more.next : first.data?.next;
  return (
    <>
      <div className="page-head">
        <h1>Unmatched events</h1>
        <p className="lede">
          Completions partners sent that Baton could not match to a student or a step. Link the partner account to a student and Baton
          applies the waiting events right away; dismiss, with a reason, an event that will never match.
        </p>
      </div>
      {settled &&
        ('linked' in settled ? (
          <LinkedNotice result={settled.linked} email={settled.email} />
        ) : (
          <DismissedNotice event={settled.dismissed} />
        ))}
      {first.loading ? (
        <Loading label="Loading unmatched events…" />
      ) : !first.data ? (
        <ErrorState title="We couldn't load the inbox." error={first.error} onRetry={() => void first.reload()} />
      ) : events.length === 0 ? (
        <EmptyState title="Nothing to match">
          <p>Every partner event found its student and step.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            {plural(events.length, 'event')}
            {next ? ' so far' : ''}, newest first
          </p>
          <ul className="event-list">
            {events.map((event) => (
              <EventCard
                key={`${event.partnerId}-${event.webhookId}`}
                event={event}
                onLinked={(linked, email) => onSettled({ linked, email })}
                onDismissed={(dismissed) => onSettled({ dismissed })}
              />
            ))}
          </ul>
          {more.error !== undefined && <Notice kind="error">{describeError(more.error)}</Notice>}
          {next && (
            <button type="button" className="button button-secondary" disabled={more.loading} onClick={() => void loadMore(next)}>
              {more.loading ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </>
  );
}

function LinkedNotice({ result, email }: { result: LinkResult; email: string }) {
  const applied = result.reapplied.filter((r) => r.status === 'applied').length;
  return (
    <Notice kind="success">
      <p className="notice-title">
        Linked account {result.externalId} to {email}.
      </p>
      <p>
        {result.reapplied.length === 0
          ? 'No events were waiting for it.'
          : `${plural(result.reapplied.length, 'waiting event')} re-applied; ${plural(applied, 'step')} completed.`}{' '}
        <Link href={`/admin/enrollments?q=${encodeURIComponent(email)}`}>See the student's enrollments</Link>.
      </p>
    </Notice>
  );
}

function DismissedNotice({ event }: { event: DismissedEvent }) {
  const { partnerName } = useAdminData();
  return (
    <Notice kind="success">
      <p className="notice-title">
        Dismissed the {partnerName(event.partnerId)} event {event.webhookId}.
      </p>
      <p>It will not be applied to any student. Baton keeps it for 30 days for audit, with your reason.</p>
    </Notice>
  );
}

function EventCard({
  event,
  onLinked,
  onDismissed,
}: {
  event: UnmatchedEvent;
  onLinked: (result: LinkResult, email: string) => void;
  onDismissed: (result: DismissedEvent) => void;
}) {
  const { api } = useApp();
  const { partnerName, courseName } = useAdminData();
  const canAct = useCanAct();
  const [email, setEmail] = useState(event.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const partner = partnerName(event.partnerId);
  const base = `event-${event.partnerId}-${event.webhookId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const linkable = Boolean(event.externalId) && (event.reason ?? 'unknown_student') === 'unknown_student';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!event.externalId) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.linkPartnerAccount({ partnerId: event.partnerId, externalId: event.externalId, studentEmail: email.trim() });
      onLinked(result, email.trim());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  // The inbox carries the start of the body; a long one is cut (its size says by how much).
  const truncated = event.bodyBytes > event.bodyPreview.length;
  let pretty = event.bodyPreview;
  try {
    if (!truncated) pretty = JSON.stringify(JSON.parse(event.bodyPreview), null, 2);
  } catch {
    // not JSON: show as received
  }
  return (
    <li className="card event" aria-labelledby={`${base}-title`}>
      <h2 className="h3" id={`${base}-title`}>
        {partner} · {event.courseId ? courseName(event.partnerId, event.courseId) : 'unknown course'}
      </h2>
      <dl className="fields fields-compact">
        <div>
          <dt>Received</dt>
          <dd>{formatDateTime(event.receivedAt)}</dd>
        </div>
        <div>
          <dt>Partner account</dt>
          <dd className="mono">{event.externalId ?? 'none sent'}</dd>
        </div>
        <div>
          <dt>Email sent by partner</dt>
          <dd>{event.email ?? 'none sent'}</dd>
        </div>
        {event.result && (
          <div>
            <dt>Result</dt>
            <dd>{event.result}</dd>
          </div>
        )}
        <div>
          <dt>Why it is here</dt>
          <dd>{REASONS[event.reason ?? 'unknown_student'] ?? event.reason}</dd>
        </div>
      </dl>
      {!canAct ? null : linkable ? (
        <form className="link-form" onSubmit={(e) => void submit(e)}>
          <label htmlFor={`${base}-email`}>
            Link {partner} account <span className="mono">{event.externalId}</span> to the student with email
          </label>
          <div className="inline-field">
            <input
              id={`${base}-email`}
              type="email"
              required
              value={email}
              autoComplete="off"
              aria-invalid={error !== null}
              aria-describedby={error ? `${base}-error` : undefined}
              onChange={(e) => setEmail(e.target.value)}
            />
            <button type="submit" className="button" disabled={busy} aria-busy={busy}>
              {busy ? 'Linking…' : 'Link and re-apply'}
            </button>
          </div>
          {error && (
            <p className="field-error" id={`${base}-error`} role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <p className="hint">
          {event.reason === 'enrollment_cancelled' ? (
            <>
              Enroll the student in the program again and Baton applies the event, or dismiss it.{' '}
              {event.email && <Link href={`/admin/enrollments?q=${encodeURIComponent(event.email)}`}>See the student's enrollments</Link>}
            </>
          ) : event.reason === 'account_conflict' || event.reason === 'other_account' ? (
            <>
              {REASONS[event.reason]}{' '}
              {event.email && <Link href={`/admin/enrollments?q=${encodeURIComponent(event.email)}`}>See the student's enrollments</Link>}
            </>
          ) : event.reason === 'no_step' ? (
            <>
              Enroll the student in a program with this course and Baton applies the event.{' '}
              <Link href={`/admin/enroll${event.email ? `?email=${encodeURIComponent(event.email)}` : ''}`}>New enrollment</Link>
            </>
          ) : event.email ? (
            <>
              Enroll <Link href={`/admin/enroll?email=${encodeURIComponent(event.email)}`}>{event.email}</Link> and Baton applies this
              event.
            </>
          ) : (
            'Nothing identifies the student in this event; ask the partner to resend it with the student id.'
          )}
        </p>
      )}
      {canAct && <DismissForm event={event} partner={partner} onDismissed={onDismissed} />}
      <details className="raw">
        <summary>What the partner sent</summary>
        <pre tabIndex={0} aria-label={`Body of ${partner} event ${event.webhookId}`}>
          {pretty}
          {truncated
            ? `… (the first ${event.bodyPreview.length.toLocaleString('en-US')} characters of ${event.bodyBytes.toLocaleString('en-US')} bytes)`
            : ''}
        </pre>
      </details>
    </li>
  );
}

/** For an event that will never match (a course outside the student's program, a partner's test account). */
function DismissForm({
  event,
  partner,
  onDismissed,
}: {
  event: UnmatchedEvent;
  partner: string;
  onDismissed: (result: DismissedEvent) => void;
}) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);

  if (!open) {
    return (
      <div className="step-actions">
        <button type="button" className="button button-quiet button-small" onClick={() => setOpen(true)}>
          Dismiss
          <span className="visually-hidden">
            {' '}
            the {partner} event {event.webhookId}
          </span>
          …
        </button>
      </div>
    );
  }
  return (
    <ReasonForm
      name={`Dismiss the ${partner} event ${event.webhookId}`}
      label="Why dismiss it (required, kept with the event)"
      readBy="it is kept with the event"
      submit={{ label: 'Dismiss event', busyLabel: 'Dismissing…', className: 'button-warn' }}
      cancelLabel="Keep it"
      onSubmit={async (reason) =>
        onDismissed(await api.dismissUnmatchedEvent({ partnerId: event.partnerId, webhookId: event.webhookId, reason }))
      }
      onCancel={() => setOpen(false)}
    />
  );
}
