// Finding a student's enrollments, and one enrollment in full with the admin's actions:
// mark a step complete or waive it (a reason is required and shown to the student), retry a
// failed automation. Results show at once; the workflow's follow-up shows a moment later.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'wouter';
import { describeError, isNotFound } from '../../api/client.ts';
import type { AdminEnrollment, Step } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { AlertIcon } from '../../components/icons.tsx';
import { usePageTitle } from '../../components/Layout.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { StepList } from '../../components/StepList.tsx';
import { Timeline } from '../../components/Timeline.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { EnrollmentBadge } from '../StudentProgress.tsx';

const MIN_QUERY = 2;

export function EnrollmentSearch() {
  usePageTitle('Enrollments');
  const { api } = useApp();
  const [params, setParams] = useSearchParams();
  const query = (params.get('q') ?? '').trim();
  const [draft, setDraft] = useState(query);
  const [tooShort, setTooShort] = useState(false);
  const results = useResource(() => api.searchEnrollments(query), [api, query], { enabled: query.length >= MIN_QUERY });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = draft.trim();
    setTooShort(q.length < MIN_QUERY);
    if (q.length >= MIN_QUERY) setParams({ q });
  };

  return (
    <>
      <div className="page-head">
        <h1>Enrollments</h1>
        <p className="lede">Find a student by the start of their name or email to see their steps and act on them.</p>
      </div>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="enrollment-search">Student name or email</label>
        <div className="inline-field">
          <input
            id="enrollment-search"
            type="search"
            value={draft}
            autoComplete="off"
            aria-invalid={tooShort}
            aria-describedby={tooShort ? 'search-error' : undefined}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        {tooShort && (
          <p className="field-error" id="search-error">
            Type at least {MIN_QUERY} characters of a name or email.
          </p>
        )}
      </form>

      {query.length < MIN_QUERY ? (
        <EmptyState title="Search for a student">
          <p>
            For example “john” or “john@”. To enroll someone new, use <Link href="/admin/enroll">New enrollment</Link>.
          </p>
        </EmptyState>
      ) : results.loading ? (
        <Loading label="Searching…" />
      ) : !results.data ? (
        <ErrorState title="The search did not work." error={results.error} onRetry={() => void results.reload()} />
      ) : results.data.length === 0 ? (
        <EmptyState title={`No students match “${query}”`}>
          <p>
            Search by the start of a first name or of an email address. Not enrolled yet? <Link href={`/admin/enroll`}>Enroll a student</Link>.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="muted" role="status">
            {results.data.length === 1 ? '1 enrollment' : `${results.data.length} enrollments`} for “{query}”
          </p>
          <ul className="result-list">
            {results.data.map((e) => (
              <li key={e.id} className="card result">
                <div className="result-main">
                  <p className="result-title">
                    <Link href={`/admin/enrollments/${e.id}`}>
                      {e.studentName}
                      <span className="visually-hidden">, {e.programName}</span>
                    </Link>
                  </p>
                  <p className="muted">{e.studentEmail}</p>
                </div>
                <div className="result-program">
                  <p>{e.programName}</p>
                  <p className="muted">
                    {e.progress.completed} of {e.progress.total} steps · enrolled {formatDate(e.createdAt)}
                  </p>
                </div>
                <EnrollmentBadge enrollment={e} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function EnrollmentDetail() {
  const { id } = useParams<{ id: string }>();
  const { api } = useApp();
  const enrollment = useResource(() => api.enrollment(id), [api, id]);
  usePageTitle(enrollment.data ? `${enrollment.data.studentName} · ${enrollment.data.programName}` : 'Enrollment');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [, navigate] = useLocation();

  // The workflow starts the next step right after an override; show it without a reload.
  const followUp = () => {
    announceChange();
    for (const delay of [700, 2000]) window.setTimeout(() => void enrollment.reload(), delay);
  };
  const onChanged = (updated: AdminEnrollment, text: string) => {
    enrollment.setData(updated);
    setMessage({ kind: 'success', text });
    followUp();
  };

  if (enrollment.loading) return <Loading label="Loading the enrollment…" />;
  const e = enrollment.data;
  if (!e) {
    return (
      <>
        <BackLink />
        <h1>Enrollment</h1>
        {isNotFound(enrollment.error) ? (
          <EmptyState title="No enrollment has this address">
            <p>
              It may have been mistyped. <Link href="/admin/enrollments">Search for the student</Link> instead.
            </p>
          </EmptyState>
        ) : (
          <ErrorState title="We couldn't load this enrollment." error={enrollment.error} onRetry={() => void enrollment.reload()} />
        )}
      </>
    );
  }

  const retry = async () => {
    setMessage(null);
    try {
      onChanged(await api.retryWorkflow(e.id), 'Retrying the automation. The timeline updates when it finishes.');
    } catch (error) {
      setMessage({ kind: 'error', text: `The retry did not start: ${describeError(error)}` });
    }
  };

  return (
    <>
      <BackLink />
      <div className="page-head page-head-row">
        <div>
          <h1>{e.studentName}</h1>
          <p className="lede">
            <a href={`mailto:${e.studentEmail}`}>{e.studentEmail}</a> · {e.programName} · enrolled {formatDate(e.createdAt)}
          </p>
        </div>
        <EnrollmentBadge enrollment={e} />
      </div>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {enrollment.error !== undefined && <Notice kind="error">Could not refresh: {describeError(enrollment.error)}</Notice>}
      {e.workflowFailure && (
        <div className="notice notice-error" role="alert">
          <AlertIcon />
          <div>
            <p className="notice-title">The automation failed on {formatDateTime(e.workflowFailure.at)}</p>
            <p>
              {e.workflowFailure.error}
              {e.workflowFailure.cause && `: ${e.workflowFailure.cause}`}
            </p>
            <button type="button" className="button button-secondary" onClick={() => void retry()}>
              Retry the automation
            </button>
          </div>
        </div>
      )}

      <section className="card" aria-labelledby="steps-heading">
        <div className="progress-block">
          <p className="progress-text">
            <strong>{e.progress.percent}%</strong>
            <span>
              {e.progress.completed} of {e.progress.total} steps
            </span>
          </p>
          <ProgressBar label="Progress" value={e.progress.completed} max={e.progress.total} valueText={`${e.progress.completed} of ${e.progress.total} steps`} />
        </div>
        <h2 id="steps-heading">Steps</h2>
        <StepList
          steps={e.steps}
          actions={(step) =>
            e.status === 'active' && (step.status === 'pending' || step.status === 'in_progress') ? (
              <StepActions enrollment={e} step={step} onDone={onChanged} />
            ) : null
          }
        />
        {e.certificate && (
          <p>
            Certificate <Link href={`/verify/${e.certificate.id}`}>{e.certificate.id}</Link>
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline entries={e.timeline} id={`timeline-${e.id}`} />
      </section>
      <p>
        <button type="button" className="button-link" onClick={() => navigate(`/admin/enrollments?q=${encodeURIComponent(e.studentEmail)}`)}>
          All enrollments of {e.studentName}
        </button>
      </p>
    </>
  );
}

function BackLink() {
  return (
    <p className="back">
      <Link href="/admin/enrollments">← Enrollments</Link>
    </p>
  );
}

const ACTION_TEXT = {
  complete: { button: 'Mark complete', submit: 'Mark step complete', done: 'marked complete' },
  waive: { button: 'Waive', submit: 'Waive step', done: 'waived' },
} as const;

function StepActions({ enrollment, step, onDone }: { enrollment: AdminEnrollment; step: Step; onDone: (e: AdminEnrollment, text: string) => void }) {
  const { api } = useApp();
  const [action, setAction] = useState<'complete' | 'waive' | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();
  const stepName = `${step.partnerName}: ${step.courseName}`;

  useEffect(() => {
    setReason('');
    setError(null);
  }, [action]);

  if (!action) {
    return (
      <div className="step-actions">
        {(['complete', 'waive'] as const).map((a) => (
          <button key={a} type="button" className="button button-secondary button-small" onClick={() => setAction(a)}>
            {ACTION_TEXT[a].button}
            <span className="visually-hidden"> {stepName}</span>
          </button>
        ))}
      </div>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError('Say why in a few words (at least 3 characters); the student sees it in their timeline.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // partnerId always: steps that share a sequence (parallel partners) need it.
      const updated = await api.overrideStep(enrollment.id, step.sequence, action, { reason: reason.trim(), partnerId: step.partnerId });
      setAction(null);
      onDone(updated, `${stepName} ${ACTION_TEXT[action].done}. The next step starts automatically.`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="override-form" onSubmit={submit} aria-label={`${ACTION_TEXT[action].button}: ${stepName}`} noValidate>
      <label htmlFor={`${formId}-reason`}>Reason (required, shown to the student)</label>
      <textarea
        id={`${formId}-reason`}
        rows={2}
        required
        maxLength={500}
        autoFocus
        value={reason}
        aria-invalid={error !== null}
        aria-describedby={error ? `${formId}-error` : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && (
        <p className="field-error" id={`${formId}-error`} role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className={`button ${action === 'waive' ? 'button-warn' : ''}`} disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : ACTION_TEXT[action].submit}
        </button>
        <button type="button" className="button button-quiet" onClick={() => setAction(null)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
