// Public certificate verification: no sign-in, every field an employer needs, the status in
// words and icon, and a QR code of this page's own address.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { describeError, isNotFound } from '../api/client.ts';
import type { CertificateVerification } from '../api/types.ts';
import { checkCredential } from '../credential-check.ts';
import { useResource } from '../api/use-resource.ts';
import { useApp } from '../app-context.ts';
import { CheckIcon, DownloadIcon, ShieldIcon, XIcon } from '../components/icons.tsx';
import { usePageTitle } from '../components/Layout.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { formatDate } from '../format.ts';

export default function VerifyPage() {
  const { id } = useParams<{ id?: string }>();
  return id ? <Certificate id={id} /> : <VerifyForm />;
}

function VerifyForm({ initial = '', notFound = false }: { initial?: string; notFound?: boolean }) {
  usePageTitle(notFound ? 'Certificate not found' : 'Verify a certificate');
  const [, navigate] = useLocation();
  const [value, setValue] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = value.trim().toUpperCase();
    if (id) navigate(`/verify/${encodeURIComponent(id)}`);
  };
  return (
    <div className="narrow">
      <h1>{notFound ? 'Certificate not found' : 'Verify a certificate'}</h1>
      {notFound ? (
        <Notice kind="error">
          <p className="notice-title">No certificate has the ID {initial}.</p>
          <p>Check the ID printed on the certificate (four groups of four letters and digits) and try again.</p>
        </Notice>
      ) : (
        <p className="lede">Enter the certificate ID printed on the certificate to check that it is genuine and still valid.</p>
      )}
      <form className="card form" onSubmit={submit}>
        <label htmlFor="certificate-id">Certificate ID</label>
        <p className="hint" id="certificate-id-hint">
          For example 7KQ3-M2XD-9PRT-4HBN
        </p>
        <div className="inline-field">
          <input
            id="certificate-id"
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby="certificate-id-hint"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="button">
            Verify
          </button>
        </div>
      </form>
    </div>
  );
}

function Certificate({ id }: { id: string }) {
  const { api } = useApp();
  const certificate = useResource(() => api.verifyCertificate(id), [api, id], { refreshOnFocus: false });
  usePageTitle(certificate.data ? `Certificate ${certificate.data.id}` : 'Verify a certificate');
  const [copied, setCopied] = useState(false);

  if (certificate.loading) return <Loading label="Checking the certificate…" />;
  if (isNotFound(certificate.error)) return <VerifyForm initial={id} notFound />;
  const c = certificate.data;
  if (!c) {
    return (
      <div className="narrow">
        <h1>Verify a certificate</h1>
        <ErrorState
          title="We couldn't check this certificate right now."
          error={certificate.error}
          onRetry={() => void certificate.reload()}
        />
      </div>
    );
  }

  const pageUrl = `${window.location.origin}/verify/${c.id}`;
  const copy = async () => {
    await navigator.clipboard.writeText(pageUrl).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const issuer = c.organization.url ? (
    <a href={c.organization.url} rel="noopener noreferrer">
      {c.organization.name}
    </a>
  ) : (
    c.organization.name
  );
  const fields: Array<[string, ReactNode]> = [
    ['Student', c.studentName],
    ['Program', c.programName],
    ['Issued by', issuer],
    [
      c.courses.length > 0 ? 'Courses completed' : 'Training partners completed',
      c.courses.length > 0 ? (
        <ul className="course-list">
          {c.courses.map((course) => (
            <li key={`${course.partnerName}-${course.courseName}`}>
              <span className="course-name">{course.courseName}</span>{' '}
              <span className="muted">
                {course.partnerName} · <time dateTime={course.completedAt}>{formatDate(course.completedAt)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <ul className="partner-list">
          {c.partners.map((partner) => (
            <li key={partner}>{partner}</li>
          ))}
        </ul>
      ),
    ],
    ['Completed on', <time dateTime={c.completedAt}>{formatDate(c.completedAt)}</time>],
    ['Issued on', <time dateTime={c.issuedAt}>{formatDate(c.issuedAt)}</time>],
    ['Expires', c.expiresAt ? <time dateTime={c.expiresAt}>{formatDate(c.expiresAt)}</time> : 'Does not expire'],
    ['Certificate ID', <span className="mono">{c.id}</span>],
    ['Status', <span className={`status status-cert-${c.status}`}>{STATUS_LABEL[c.status]}</span>],
  ];
  return (
    <article className="certificate" aria-labelledby="certificate-heading">
      <StatusBanner certificate={c} />

      <div className="certificate-body">
        <div>
          <p className="eyebrow">Certificate of completion · Issued by {c.organization.name}</p>
          <h1 id="certificate-heading">{c.studentName}</h1>
          <p className="certificate-program">{c.programName}</p>
          <dl className="fields">
            {fields.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </div>
        <figure className="qr-figure">
          <QrCode value={pageUrl} label={`QR code linking to this verification page, ${pageUrl}`} />
          <figcaption>Scan to open this page</figcaption>
        </figure>
      </div>

      <CredentialPanel certificate={c} />

      <div className="actions no-print">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {copied ? 'Link copied' : 'Copy link'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          Print
        </button>
        <Link href="/verify" className="button button-quiet">
          Verify another certificate
        </Link>
      </div>
      <p className="visually-hidden" role="status">
        {copied ? 'Link copied to the clipboard.' : ''}
      </p>
    </article>
  );
}

const STATUS_LABEL: Record<CertificateVerification['status'], string> = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' };

function StatusBanner({ certificate: c }: { certificate: CertificateVerification }) {
  const title = { valid: 'Valid certificate', expired: 'Expired certificate', revoked: 'Revoked certificate' }[c.status];
  const text = {
    valid: `${c.organization.name} issued this certificate on ${formatDate(c.issuedAt)}, and it has not been revoked${c.expiresAt ? `. It is valid until ${formatDate(c.expiresAt)}` : ''}.`,
    expired: `${c.organization.name} issued this certificate on ${formatDate(c.issuedAt)}. It expired on ${formatDate(c.expiresAt ?? c.issuedAt)} and no longer certifies current training.`,
    revoked: `${c.organization.name} revoked this certificate${c.revokedAt ? ` on ${formatDate(c.revokedAt)}` : ''}. It no longer certifies completion.`,
  }[c.status];
  return (
    <div className={`verify-status verify-${c.status}`}>
      {c.status === 'valid' ? <ShieldIcon size={36} /> : <XIcon size={36} />}
      <div>
        <p className="verify-status-title">{title}</p>
        <p>{text}</p>
      </div>
    </div>
  );
}

/** The Open Badges credential, checked here in the browser against the issuer's published key and status list. */
function CredentialPanel({ certificate: c }: { certificate: CertificateVerification }) {
  const { api } = useApp();
  const check = useResource(
    async () => {
      const jws = await api.credential(c.id);
      return { jws, result: await checkCredential(jws, { certificateId: c.id, credentialUrl: c.credentialUrl }, api.publicText) };
    },
    [api, c.id, c.credentialUrl],
    { refreshOnFocus: false },
  );
  const result = check.data?.result;
  const download = check.data ? URL.createObjectURL(new Blob([check.data.jws], { type: 'text/plain' })) : undefined;
  return (
    <section className="credential-panel" aria-labelledby="credential-heading">
      <h2 id="credential-heading">Digital credential (Open Badges 3.0)</h2>
      {check.loading ? (
        <p role="status">Checking the credential’s signature…</p>
      ) : !result ? (
        <p role="status">The digital credential could not be checked right now: {describeError(check.error)}</p>
      ) : result.verified ? (
        <p role="status" className="credential-verified">
          <CheckIcon size={18} /> <strong>Credential verified.</strong> Its signature matches {result.issuerName || c.organization.name}’s
          published key
          {result.revoked === undefined
            ? ''
            : result.revoked
              ? ', and its status list marks it revoked.'
              : ', and its status list does not mark it revoked.'}
        </p>
      ) : (
        <p role="alert" className="credential-failed">
          <XIcon size={18} /> <strong>Credential not verified:</strong> {result.problem}.
        </p>
      )}
      <p className="hint">
        Any Open Badges 3.0 verifier can check it too: it is a signed JSON Web Token whose key is published at{' '}
        <span className="mono">/api/issuer/jwks</span>.
      </p>
      {download && (
        <a className="button button-secondary no-print" href={download} download={`${c.id}.jwt`}>
          <DownloadIcon size={16} /> Download the credential (.jwt)
        </a>
      )}
    </section>
  );
}
