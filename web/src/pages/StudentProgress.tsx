// The student's page: one card per enrollment with progress, the steps in order, a launch button
// on the current step, the certificate once complete, and what happened so far.
import { useState } from 'react';
import { Link } from 'wouter';
import { describeError } from '../api/client.ts';
import type { Enrollment, Step } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { useApp, useSession } from '../app-context.ts';
import { CheckIcon, DownloadIcon, ExternalIcon, LinkIcon } from '../components/icons.tsx';
import { usePageTitle } from '../components/Layout.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { StepList } from '../components/StepList.tsx';
import { SubmitProof } from '../components/SubmitProof.tsx';
import { ReminderPreference } from '../components/ReminderPreference.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { formatDate } from '../format.ts';

export function StudentProgress() {
  usePageTitle('My progress');
  const { api } = useApp();
  const session = useSession();
  // Students come back from a partner's site in another tab: reload when this tab is shown again.
  const enrollments = useResource(() => api.myEnrollments(), [api], { refreshOnFocus: true });
  const firstName = session?.name?.split(' ')[0];

  return (
    <>
      <div className="page-head">
        <h1>My progress</h1>
        <p className="lede">{firstName ? `Hi ${firstName}. ` : ''}Here is where you are in your training, step by step.</p>
      </div>
      {enrollments.loading ? (
        <Loading label="Loading your progress…" />
      ) : enrollments.data === undefined ? (
        <ErrorState title="We couldn't load your progress." error={enrollments.error} onRetry={() => void enrollments.reload()} />
      ) : enrollments.data.length === 0 ? (
        <EmptyState title="You are not enrolled in a program yet">
          <p>
            When your program coordinator enrolls you, your training steps appear here, with a button to start each one. If you expected to
            see a program, ask your coordinator to check the email it was set up with: <strong>{session?.email}</strong>.
          </p>
        </EmptyState>
      ) : (
        <>
          {enrollments.error !== undefined && <Notice kind="error">Showing what we had: {describeError(enrollments.error)}</Notice>}
          <CertificateHistory enrollments={enrollments.data} />
          <ReminderPreference enrollments={enrollments.data} onChanged={() => void enrollments.reload()} />
          <div className="enrollments">
            {[...enrollments.data]
              .sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || b.createdAt.localeCompare(a.createdAt))
              .map((enrollment) => (
                <EnrollmentCard key={enrollment.id} enrollment={enrollment} onChanged={() => void enrollments.reload()} />
              ))}
          </div>
        </>
      )}
    </>
  );
}

function EnrollmentCard({ enrollment, onChanged }: { enrollment: Enrollment; onChanged: () => void }) {
  const { progress } = enrollment;
  const headingId = `enrollment-${enrollment.id}`;
  const complete = enrollment.status === 'completed';
  return (
    <article
      className={`card enrollment enrollment-${enrollment.status} ${complete ? 'enrollment-complete' : ''}`}
      aria-labelledby={headingId}
    >
      <header className="card-head">
        <div>
          <h2 id={headingId}>{enrollment.programName}</h2>
          <p className="muted">Enrolled {formatDate(enrollment.createdAt)}</p>
        </div>
        <EnrollmentBadge enrollment={enrollment} />
      </header>

      <div className="progress-block">
        <p className="progress-text">
          <strong>{progress.percent}%</strong>
          <span>
            {progress.completed} of {progress.total} steps
          </span>
        </p>
        <ProgressBar
          label={`${enrollment.programName} progress`}
          value={progress.completed}
          max={progress.total}
          valueText={`${progress.completed} of ${progress.total} steps, ${progress.percent}%`}
        />
      </div>

      {complete && <CertificatePanel enrollment={enrollment} />}
      {enrollment.cancellation && (
        <Notice kind="info">
          <p className="notice-title">This enrollment was cancelled on {formatDate(enrollment.cancellation.at)}.</p>
          <p>
            Reason: “{enrollment.cancellation.reason}”. If you want to continue the program, ask your program coordinator to enroll you
            again.
          </p>
        </Notice>
      )}

      <h3>Steps</h3>
      <StepList
        steps={enrollment.steps}
        actions={(step) => (
          <>
            <LaunchButton step={step} />
            {step.status === 'in_progress' && <SubmitProof enrollmentId={enrollment.id} step={step} onSubmitted={onChanged} />}
          </>
        )}
      />

      <h3>Activity</h3>
      <Timeline entries={enrollment.timeline} id={`timeline-${enrollment.id}`} />
    </article>
  );
}

export function EnrollmentBadge({ enrollment }: { enrollment: Pick<Enrollment, 'status'> }) {
  if (enrollment.status === 'completed') {
    return (
      <span className="badge badge-completed">
        <CheckIcon size={16} /> Completed
      </span>
    );
  }
  if (enrollment.status === 'cancelled') return <span className="badge badge-muted">Cancelled</span>;
  return <span className="badge badge-active">In progress</span>;
}

function LaunchButton({ step }: { step: Step }) {
  if (step.status !== 'in_progress') return null;
  return (
    <>
      {step.instructions && <p className="hint">{step.instructions}</p>}
      {step.launchUrl && (
        <a className="button launch" href={step.launchUrl} target="_blank" rel="noopener noreferrer">
          Launch training <ExternalIcon size={16} />
          <span className="visually-hidden">
            {' '}
            for {step.courseName} (opens {step.partnerName} in a new tab)
          </span>
        </a>
      )}
      {step.supportUrl && (
        <p className="hint">
          <a href={step.supportUrl} target="_blank" rel="noopener noreferrer">
            {step.partnerName} support
          </a>
        </p>
      )}
    </>
  );
}

const CERTIFICATE_STATUS = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' } as const;

/** Every certificate the student holds or held, newest first: recertifying keeps the earlier ones. */
function CertificateHistory({ enrollments }: { enrollments: Enrollment[] }) {
  const held = enrollments
    .filter((e): e is Enrollment & { certificate: NonNullable<Enrollment['certificate']> } => e.certificate !== undefined)
    .sort((a, b) => (b.certificate.issuedAt ?? '').localeCompare(a.certificate.issuedAt ?? ''));
  if (held.length === 0) return null;
  return (
    <section className="card certificate-history" aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">My certificates</h2>
      <ul>
        {held.map(({ id, programName, certificate }) => (
          <li key={id} className="certificate-row">
            <div>
              <Link href={`/verify/${certificate.id}`}>{programName}</Link>
              <div className="meta">
                <span className="mono">{certificate.id}</span>
                {certificate.issuedAt ? ` · issued ${formatDate(certificate.issuedAt)}` : ''}
                {certificate.status === 'revoked' && certificate.revokedAt
                  ? ` · revoked ${formatDate(certificate.revokedAt)}`
                  : certificate.expiresAt
                    ? ` · ${certificate.status === 'expired' ? 'expired' : 'expires'} ${formatDate(certificate.expiresAt)}`
                    : ' · does not expire'}
              </div>
            </div>
            <span className={`status status-cert-${certificate.status}`}>{CERTIFICATE_STATUS[certificate.status]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CertificatePanel({ enrollment }: { enrollment: Enrollment }) {
  const { api } = useApp();
  const [downloading, setDownloading] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const certificate = enrollment.certificate;

  if (!certificate) {
    return (
      <div className="certificate-panel">
        <p className="certificate-title">You completed every step. Congratulations!</p>
        <p>
          {enrollment.timeline.some((entry) => entry.type === 'workflow_failed')
            ? 'Your certificate is delayed; your program coordinator has been told and will sort it out.'
            : 'Your certificate is being prepared and appears here in a minute. We will also email it to you.'}
        </p>
      </div>
    );
  }

  const download = async () => {
    setDownloading(true);
    setMessage(null);
    try {
      // The API answers with a short-lived signed link (no token needed), which the browser downloads.
      const { url } = await api.certificateDownload(certificate.id);
      window.location.assign(url);
    } catch (error) {
      setMessage({ kind: 'error', text: `The download did not start. ${describeError(error)}` });
    } finally {
      setDownloading(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(certificate.verifyUrl);
      setMessage({ kind: 'success', text: 'Verification link copied. Paste it into an application or an email.' });
    } catch {
      setMessage({ kind: 'error', text: 'Could not copy the link; select it and copy it by hand.' });
    }
  };
  const linkId = `verify-link-${certificate.id}`;
  return (
    <section className="certificate-panel" aria-label="Certificate">
      <p className="certificate-title">
        You completed {enrollment.programName}
        {enrollment.completedAt ? ` on ${formatDate(enrollment.completedAt)}` : ''}. Congratulations!
      </p>
      <p>
        Certificate <span className="mono">{certificate.id}</span>:{' '}
        <span className={`status status-cert-${certificate.status}`}>{CERTIFICATE_STATUS[certificate.status]}</span>
        {certificate.status === 'valid' && (certificate.expiresAt ? ` until ${formatDate(certificate.expiresAt)}` : ', does not expire')}
      </p>
      {certificate.status === 'revoked' && (
        <Notice kind="info">
          <p className="notice-title">
            This certificate was revoked{certificate.revokedAt ? ` on ${formatDate(certificate.revokedAt)}` : ''}.
          </p>
          <p>Its verification page now says so. If you think this is a mistake, contact your program coordinator.</p>
        </Notice>
      )}
      {certificate.status === 'expired' && (
        <Notice kind="info">
          <p className="notice-title">This certificate expired on {formatDate(certificate.expiresAt!)}.</p>
          <p>
            {enrollment.renewalProgramId ? 'A shorter renewal program renews it: ' : 'To renew it, '}ask your program coordinator to enroll
            you. Your earlier certificates stay listed here.
          </p>
        </Notice>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={() => void download()} disabled={downloading} aria-busy={downloading}>
          <DownloadIcon size={18} /> {downloading ? 'Preparing your PDF…' : 'Download certificate (PDF)'}
        </button>
        <Link className="button button-secondary" href={`/verify/${certificate.id}`}>
          <LinkIcon size={18} /> View verification page
        </Link>
        <a className="button button-secondary" href={certificate.credentialUrl} download={`${certificate.id}.jwt`}>
          <DownloadIcon size={18} /> Digital credential (.jwt)
        </a>
      </div>
      <label htmlFor={linkId} className="field-label">
        Shareable verification link
      </label>
      <div className="inline-field">
        <input id={linkId} type="text" readOnly value={certificate.verifyUrl} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p className="hint">
        Employers open this link (or scan the QR code on the PDF) to check your certificate {certificate.id}. The digital credential is an
        Open Badges 3.0 badge you can add to a digital wallet or a profile that accepts them.
      </p>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}
