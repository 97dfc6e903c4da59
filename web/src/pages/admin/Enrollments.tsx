// One enrollment in full with the admin's actions (a viewer sees it without them):
// mark a step complete, waive it or skip an optional one (a reason is required and shown to the
// student), retry a failed automation, settle a completion email whose outcome is unknown (mark it
// sent, or resend it after a confirmation), cancel the enrollment (a reason and a confirmation).
// Results show at once; the workflow's follow-up shows a moment later.
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { isDone, isOpen } from '../../../../functions/domain/enrollment.ts';
import { describeError, isNotFound } from '../../api/client.ts';
import type { AdminEnrollment, Step } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp, useCanAct } from '../../app-context.ts';
import { AlertIcon } from '../../components/icons.tsx';
import { usePageTitle } from '../../components/Layout.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { ReasonForm } from '../../components/ReasonForm.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { StepList } from '../../components/StepList.tsx';
import { EmailStatus, RemindButton } from './Reminders.tsx';
import { Timeline } from '../../components/Timeline.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { EnrollmentBadge } from '../StudentProgress.tsx';
import { isEmailOutcomeUnknown } from './failures.ts';
import { PartnerAccounts } from './PartnerAccounts.tsx';
import { CertificateSection } from './CertificateAdmin.tsx';

export function EnrollmentDetail() {
  const { id } = useParams<{ id: string }>();
  const { api } = useApp();
  const enrollment = useResource(() => api.enrollment(id), [api, id]);
  usePageTitle(enrollment.data ? `${enrollment.data.studentName} · ${enrollment.data.programName}` : 'Enrollment');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [, navigate] = useLocation();
  const canAct = useCanAct();

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
      {e.cancellation && (
        <Notice kind="info">
          <p className="notice-title">
            Cancelled on {formatDateTime(e.cancellation.at)} by {e.cancellation.by}
          </p>
          <p>
            Reason: “{e.cancellation.reason}”. {e.studentName} can be enrolled in {e.programName} again from{' '}
            <Link href={`/admin/enroll?email=${encodeURIComponent(e.studentEmail)}&program=${encodeURIComponent(e.programId)}`}>
              New enrollment
            </Link>
            .
          </p>
        </Notice>
      )}
      <EmailStatus enrollment={e} />
      {e.workflowFailure && !canAct && (
        <Notice kind="info">
          <p className="notice-title">Its automation failed: {e.workflowFailure.error}</p>
          <p>{e.workflowFailure.cause} An admin can retry it.</p>
        </Notice>
      )}
      {e.workflowFailure &&
        canAct &&
        (isEmailOutcomeUnknown(e.workflowFailure) ? (
          <EmailOutcomeUnknown enrollment={e} failure={e.workflowFailure} onDone={onChanged} />
        ) : (
          <FailedAutomation
            enrollment={e}
            failure={e.workflowFailure}
            onDone={onChanged}
            onError={(text) => setMessage({ kind: 'error', text })}
          />
        ))}

      <section className="card" aria-labelledby="steps-heading">
        <div className="progress-block">
          <p className="progress-text">
            <strong>{e.progress.percent}%</strong>
            <span>
              {e.progress.completed} of {e.progress.total} steps
            </span>
          </p>
          <ProgressBar
            label="Progress"
            value={e.progress.completed}
            max={e.progress.total}
            valueText={`${e.progress.completed} of ${e.progress.total} steps`}
          />
        </div>
        <h2 id="steps-heading">Steps</h2>
        {e.status === 'active' && e.steps.some((step) => step.status === 'in_progress') && (
          <RemindButton enrollmentId={e.id} studentName={e.studentName} />
        )}
        <StepList
          steps={e.steps}
          actions={(step) =>
            canAct && e.status === 'active' && isOpen(step) ? <StepActions enrollment={e} step={step} onDone={onChanged} /> : null
          }
        />
      </section>
      {e.certificate && <CertificateSection enrollment={e} onRevoked={() => void enrollment.reload().then(followUp)} />}

      <PartnerAccounts
        enrollment={e}
        onChanged={(text) => {
          setMessage({ kind: 'success', text });
          void enrollment.reload();
          followUp();
        }}
      />
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline entries={e.timeline} id={`timeline-${e.id}`} />
      </section>
      {canAct &&
        e.status === 'active' &&
        // The API refuses to cancel once every required step is done (409 ENROLLMENT_COMPLETING).
        (e.steps.every((step) => !step.required || isDone(step)) ? (
          <p className="muted">
            Every required step is done, so this enrollment can no longer be cancelled:{' '}
            {e.workflowFailure ? 'retry the automation to issue the certificate.' : 'the certificate is on its way.'}
          </p>
        ) : (
          <CancelEnrollment enrollment={e} onDone={onChanged} />
        ))}
      <p>
        <button
          type="button"
          className="button-link"
          onClick={() => navigate(`/admin/enrollments?q=${encodeURIComponent(e.studentEmail)}`)}
        >
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

type Failure = NonNullable<AdminEnrollment['workflowFailure']>;
type OnDone = (e: AdminEnrollment, text: string) => void;

/** Any other failed automation: what failed, and a retry that runs the workflow again. */
function FailedAutomation({
  enrollment,
  failure,
  onDone,
  onError,
}: {
  enrollment: AdminEnrollment;
  failure: Failure;
  onDone: OnDone;
  onError: (text: string) => void;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      onDone(await api.retryWorkflow(enrollment.id), 'Retrying the automation. The timeline updates when it finishes.');
    } catch (error) {
      onError(`The retry did not start: ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notice notice-error" role="alert">
      <AlertIcon />
      <div>
        <p className="notice-title">The automation failed on {formatDateTime(failure.at)}</p>
        <p>
          {failure.error}
          {failure.cause && `: ${failure.cause}`}
        </p>
        <button type="button" className="button button-secondary" onClick={() => void retry()} disabled={busy} aria-busy={busy}>
          {busy ? 'Retrying…' : 'Retry the automation'}
        </button>
      </div>
    </div>
  );
}

/**
 * The completion email went to the mail service and no answer came back: it may have been sent,
 * so Baton does not send it again by itself. The admin checks the mail log, then records it as sent
 * (saying how they know) or sends it again, after confirming that the student may get two.
 */
function EmailOutcomeUnknown({ enrollment, failure, onDone }: { enrollment: AdminEnrollment; failure: Failure; onDone: OnDone }) {
  const { api } = useApp();
  const [stage, setStage] = useState<'choose' | 'mark' | 'resend'>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const firstName = enrollment.studentName.split(' ')[0];
  // Back from a form or the confirmation, focus returns to the button that opened it.
  const cameFrom = useRef<'mark' | 'resend' | null>(null);
  const markButton = useRef<HTMLButtonElement>(null);
  const resendButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (stage !== 'choose' || !cameFrom.current) return;
    (cameFrom.current === 'mark' ? markButton : resendButton).current?.focus();
    cameFrom.current = null;
  }, [stage]);
  const back = () => {
    cameFrom.current = stage === 'choose' ? null : stage;
    setError(null);
    setStage('choose');
  };

  const resend = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.retryWorkflow(enrollment.id, { resendEmail: true });
      onDone(updated, `Sending the completion email to ${enrollment.studentEmail} again. The timeline shows it once it is sent.`);
    } catch (e) {
      setError(`The email was not resent: ${describeError(e)}`);
      setBusy(false);
    }
  };

  return (
    <section className="notice notice-error email-unknown" aria-labelledby={headingId}>
      <AlertIcon />
      <div>
        <p className="notice-title" id={headingId}>
          The completion email may have been sent
        </p>
        <p>
          On {formatDateTime(failure.at)} Baton handed the completion email for {enrollment.studentEmail} to the mail service, and no answer
          came back: it may or may not have gone out. So that {firstName} never gets it twice, Baton will not send it again by itself.
        </p>
        <p>Look for it in the mail log (SES). If it is there, mark it as sent; if it is not, send it again.</p>
        {stage === 'choose' ? (
          <div className="actions">
            <button ref={markButton} type="button" className="button" onClick={() => setStage('mark')}>
              Mark as sent…
            </button>
            <button ref={resendButton} type="button" className="button button-secondary" onClick={() => setStage('resend')}>
              Resend the email…
            </button>
          </div>
        ) : stage === 'mark' ? (
          <ReasonForm
            name="Mark the completion email as sent"
            label="How you know it was sent (required, shown to the student)"
            readBy="the student sees it in their timeline"
            submit={{ label: 'Mark as sent', busyLabel: 'Saving…' }}
            cancelLabel="Go back"
            onSubmit={async (reason) => {
              const updated = await api.markEmailSent(enrollment.id, reason);
              onDone(updated, `The completion email to ${enrollment.studentEmail} is recorded as sent, and the failure is cleared.`);
            }}
            onCancel={back}
          />
        ) : (
          <div className="override-form" role="group" aria-labelledby={`${headingId}-resend`}>
            <p className="notice-title" id={`${headingId}-resend`}>
              Send the completion email to {enrollment.studentEmail} again?
            </p>
            <p>If the first one did arrive, {firstName} gets a second copy. Resend it only if the mail log shows it was not delivered.</p>
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="actions">
              <button type="button" className="button button-warn" onClick={() => void resend()} disabled={busy} aria-busy={busy} autoFocus>
                {busy ? 'Resending…' : 'Yes, resend the email'}
              </button>
              <button type="button" className="button button-quiet" onClick={back} disabled={busy}>
                Go back
              </button>
            </div>
          </div>
        )}
        <details className="failure-details">
          <summary>What the automation reported</summary>
          <p>
            {failure.error}: {failure.cause}
          </p>
        </details>
      </div>
    </section>
  );
}

const ACTION_TEXT = {
  complete: { button: 'Mark complete', submit: 'Mark step complete', done: 'marked complete. The next step starts automatically.' },
  waive: { button: 'Waive', submit: 'Waive step', done: 'waived. The next step starts automatically.' },
  skip: { button: 'Skip', submit: 'Skip step', done: 'skipped: the student no longer needs to take it.' },
} as const;
type Action = keyof typeof ACTION_TEXT;

function StepActions({ enrollment, step, onDone }: { enrollment: AdminEnrollment; step: Step; onDone: OnDone }) {
  const { api } = useApp();
  const [action, setAction] = useState<Action | null>(null);
  const stepName = `${step.partnerName}: ${step.courseName}`;
  // Only an optional step can be skipped (the API refuses a required one: 409 STEP_REQUIRED).
  const offered: Action[] = step.required ? ['complete', 'waive'] : ['complete', 'waive', 'skip'];

  if (!action) {
    return (
      <div className="step-actions">
        {offered.map((a) => (
          <button key={a} type="button" className="button button-secondary button-small" onClick={() => setAction(a)}>
            {ACTION_TEXT[a].button}
            <span className="visually-hidden"> {stepName}</span>
          </button>
        ))}
      </div>
    );
  }
  return (
    <ReasonForm
      key={action}
      name={`${ACTION_TEXT[action].button}: ${stepName}`}
      label="Reason (required, shown to the student)"
      readBy="the student sees it in their timeline"
      submit={{ label: ACTION_TEXT[action].submit, busyLabel: 'Saving…', className: action === 'complete' ? '' : 'button-warn' }}
      cancelLabel="Cancel"
      onSubmit={async (reason) => {
        // partnerId always: steps that share a sequence (parallel partners) need it.
        const updated = await api.overrideStep(enrollment.id, step.sequence, action, { reason, partnerId: step.partnerId });
        setAction(null);
        onDone(updated, `${stepName} ${ACTION_TEXT[action].done}`);
      }}
      onCancel={() => setAction(null)}
    />
  );
}

/** Cancelling is final for this enrollment: a reason first, then an explicit confirmation. */
function CancelEnrollment({ enrollment, onDone }: { enrollment: AdminEnrollment; onDone: OnDone }) {
  const { api } = useApp();
  const [stage, setStage] = useState<'closed' | 'reason' | 'confirm'>('closed');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const open = enrollment.steps.filter(isOpen).length;

  const close = () => {
    setStage('closed');
    setReason('');
    setError(null);
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.cancelEnrollment(enrollment.id, reason);
      close();
      onDone(updated, `Enrollment cancelled. ${enrollment.studentName} can be enrolled in ${enrollment.programName} again.`);
    } catch (e) {
      setError(describeError(e));
      setStage('reason');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby={headingId}>
      <h2 id={headingId}>Cancel enrollment</h2>
      <p className="muted">
        For a student who has left the program. Open steps close, the automation stops, and the student can be enrolled again later.
      </p>
      {stage === 'closed' ? (
        <button type="button" className="button button-secondary" onClick={() => setStage('reason')}>
          Cancel enrollment…
        </button>
      ) : stage === 'reason' ? (
        <ReasonForm
          name="Cancel enrollment"
          label="Reason (required, shown to the student)"
          readBy="the student sees it"
          submit={{ label: 'Continue', busyLabel: 'Continue', className: 'button-danger' }}
          cancelLabel="Keep the enrollment"
          initialReason={reason}
          initialError={error}
          onSubmit={(given) => {
            setReason(given);
            setError(null);
            setStage('confirm');
          }}
          onCancel={close}
        />
      ) : (
        <div className="override-form" role="group" aria-labelledby={`${headingId}-confirm`}>
          <p className="notice-title" id={`${headingId}-confirm`}>
            Cancel {enrollment.studentName}’s {enrollment.programName} enrollment?
          </p>
          <p>
            {open === 0 ? 'No step is open.' : `${open === 1 ? '1 open step closes' : `${open} open steps close`} as cancelled.`} Reason: “
            {reason}”
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              onClick={() => void confirm()}
              disabled={busy}
              aria-busy={busy}
              autoFocus
            >
              {busy ? 'Cancelling…' : 'Yes, cancel the enrollment'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setStage('reason')} disabled={busy}>
              Go back
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
