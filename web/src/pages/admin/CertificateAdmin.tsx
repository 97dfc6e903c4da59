// Admins and certificates: an enrollment's certificate (status, expiry, credential, revoke with a
// reason and a confirmation) and the certificates expiring within a window, with their reminder
// emails and a link to enroll the student in the renewal program.
import { useState } from 'react';
import { Link } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { AdminEnrollment, ExpiringCertificate } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { ReasonForm } from '../../components/ReasonForm.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDate, formatDateTime, plural } from '../../format.ts';
import { useAdminData } from './admin-data.ts';

const STATUS = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' } as const;

export function CertificateSection({ enrollment: e, onRevoked }: { enrollment: AdminEnrollment; onRevoked: () => void }) {
  const { api } = useApp();
  const [stage, setStage] = useState<'idle' | 'reason' | { reason: string }>('idle');
  const [error, setError] = useState<string | null>(null);
  const certificate = e.certificate!;
  const revoke = async (reason: string) => {
    setError(null);
    try {
      await api.revokeCertificate(certificate.id, reason);
      setStage('idle');
      announceChange();
      onRevoked();
    } catch (err) {
      setError(describeError(err));
      setStage('reason');
    }
  };
  return (
    <section className="card" aria-labelledby="certificate-heading">
      <h2 id="certificate-heading">Certificate</h2>
      <p>
        <Link href={`/verify/${certificate.id}`} className="mono">
          {certificate.id}
        </Link>{' '}
        <span className={`status status-cert-${certificate.status}`}>{STATUS[certificate.status]}</span>
        {certificate.issuedAt ? ` · issued ${formatDate(certificate.issuedAt)}` : ''}
        {certificate.expiresAt
          ? ` · ${certificate.status === 'expired' ? 'expired' : 'expires'} ${formatDate(certificate.expiresAt)}`
          : ' · does not expire'}
        {certificate.revokedAt ? ` · revoked ${formatDateTime(certificate.revokedAt)}` : ''}
      </p>
      <p>
        <a href={certificate.credentialUrl} download={`${certificate.id}.jwt`}>
          Open Badges credential (.jwt)
        </a>
      </p>
      {certificate.status !== 'revoked' &&
        (stage === 'idle' ? (
          <button type="button" className="button button-danger" onClick={() => setStage('reason')}>
            Revoke certificate
          </button>
        ) : stage === 'reason' ? (
          <ReasonForm
            name={`Revoke certificate ${certificate.id}`}
            label="Why is this certificate revoked? (admins only: the verification page shows the date, not the reason)"
            readBy="other admins read it"
            submit={{ label: 'Continue', busyLabel: 'Continuing…' }}
            cancelLabel="Keep the certificate"
            initialError={error}
            onSubmit={(reason) => setStage({ reason })}
            onCancel={() => setStage('idle')}
          />
        ) : (
          <div className="notice notice-error" role="alertdialog" aria-labelledby="revoke-confirm-title">
            <div>
              <p className="notice-title" id="revoke-confirm-title">
                Revoke {certificate.id} for good?
              </p>
              <p>
                Anyone who checks it, including employers {e.studentName} has shown it to, will see it as revoked from now on, and its
                digital credential’s status says so. This cannot be undone.
              </p>
              <div className="actions">
                <button type="button" className="button button-danger" onClick={() => void revoke(stage.reason)}>
                  Revoke certificate
                </button>
                <button type="button" className="button button-quiet" onClick={() => setStage('idle')}>
                  Keep the certificate
                </button>
              </div>
            </div>
          </div>
        ))}
    </section>
  );
}

const WINDOWS = [30, 60, 90, 180, 365];

export function ExpiringCertificates() {
  usePageTitle('Certificates');
  const { api } = useApp();
  const { programs } = useAdminData();
  const [days, setDays] = useState(90);
  const list = useResource(() => api.expiringCertificates(days), [api, days], { keepPreviousData: true });
  const programName = (id: string) => programs?.find((p) => p.id === id)?.name ?? id;
  return (
    <>
      <div className="page-head">
        <h1>Certificates expiring soon</h1>
        <p className="lede">
          Valid certificates that expire within the window you pick, soonest first. Students get reminder emails 60 and 14 days before.
        </p>
      </div>
      <form className="inline-field" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="window">Expiring within</label>
        <select id="window" value={days} onChange={(event) => setDays(Number(event.target.value))}>
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w} days
            </option>
          ))}
        </select>
      </form>
      {list.loading ? (
        <Loading label="Loading certificates…" />
      ) : !list.data ? (
        <ErrorState title="We couldn't load the certificates." error={list.error} onRetry={() => void list.reload()} />
      ) : list.data.certificates.length === 0 ? (
        <EmptyState title={`No certificate expires within ${days} days`}>
          <p>Certificates of programs with a validity period appear here as their expiry comes near.</p>
        </EmptyState>
      ) : (
        <div className="card">
          <p>
            {plural(list.data.certificates.length, 'certificate')} expiring by {formatDate(list.data.to)}.
          </p>
          <table className="expiring-table">
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Program</th>
                <th scope="col">Expires</th>
                <th scope="col">Reminders</th>
                <th scope="col">Renewal</th>
              </tr>
            </thead>
            <tbody>
              {list.data.certificates.map((c) => (
                <ExpiringRow key={c.id} certificate={c} programName={programName} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ExpiringRow({ certificate: c, programName }: { certificate: ExpiringCertificate; programName: (id: string) => string }) {
  const reminder = (r: ExpiringCertificate['reminders'][number]) =>
    r.sentAt
      ? `${r.daysBefore}-day sent ${formatDate(r.sentAt)}`
      : r.outcomeUnknownAt
        ? `${r.daysBefore}-day may not have been delivered (check the mail log)`
        : r.skippedAt
          ? `${r.daysBefore}-day not sent (the address bounced or complained)`
          : r.passedAt
            ? `${r.daysBefore}-day not sent (issued too late for it)`
            : `${r.daysBefore}-day sending`;
  const renewal = c.renewalProgramId ?? c.programId;
  return (
    <tr>
      <td data-label="Student">
        <Link href={`/admin/enrollments/${c.enrollmentId}`}>{c.studentName}</Link>
        <div className="muted">{c.studentEmail}</div>
      </td>
      <td data-label="Program">
        {c.programName}
        <div className="muted mono">{c.id}</div>
      </td>
      <td data-label="Expires">
        <time dateTime={c.expiresAt}>{formatDate(c.expiresAt)}</time>
        <div className="muted">in {plural(c.daysLeft, 'day')}</div>
      </td>
      <td>
        {c.reminders.length ? c.reminders.map((r) => <div key={r.daysBefore}>{reminder(r)}</div>) : <span className="muted">none yet</span>}
      </td>
      <td data-label="Renewal">
        <Link href={`/admin/enroll?email=${encodeURIComponent(c.studentEmail)}&program=${encodeURIComponent(renewal)}`}>
          Enroll in {programName(renewal)}
        </Link>
      </td>
    </tr>
  );
}

/** Shown on the new-enrollment form: the student already holds a valid certificate of this program. */
export function HeldCertificateWarning({ email, programId }: { email: string; programId: string }) {
  const { api } = useApp();
  const trimmed = email.trim().toLowerCase();
  // The student's enrollments that hold a certificate, as admins see them (status, renewal): found by the list's text filter.
  const held = useResource(
    async () => {
      const { enrollments } = await api.listEnrollments(new URLSearchParams({ q: trimmed }));
      const holding = enrollments.filter((e) => e.studentEmail === trimmed && e.certificateId).slice(0, 10);
      return Promise.all(holding.map((e) => api.enrollment(e.id)));
    },
    [api, trimmed],
    {
      enabled: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed),
      refreshOnFocus: false,
    },
  );
  const valid = (held.data ?? []).filter(
    (e) => e.studentEmail === trimmed && e.programId === programId && e.certificate?.status === 'valid',
  );
  const renewing = (held.data ?? []).filter((e) => e.studentEmail === trimmed && e.renewalProgramId === programId && e.certificate);
  if (valid.length > 0) {
    const c = valid[0]!.certificate!;
    return (
      <Notice kind="info">
        <p className="notice-title">
          {valid[0]!.studentName} already holds a valid {valid[0]!.programName} certificate ({c.id}
          {c.expiresAt ? `, valid until ${formatDate(c.expiresAt)}` : ', which does not expire'}).
        </p>
        <p>
          Enrolling again starts a new enrollment; the earlier one and its certificate stay on record. Enroll only if they are recertifying.
        </p>
      </Notice>
    );
  }
  if (renewing.length > 0) {
    const c = renewing[0]!.certificate!;
    return (
      <Notice kind="info">
        <p className="notice-title">
          This program renews {renewing[0]!.studentName}’s {renewing[0]!.programName} certificate ({c.id}).
        </p>
      </Notice>
    );
  }
  return null;
}
