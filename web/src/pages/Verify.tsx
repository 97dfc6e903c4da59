// Public certificate verification: no sign-in, every field an employer needs, the status in
// words and icon, and a QR code of this page's own address.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { isNotFound } from '../api/client.ts';
import { useResource } from '../api/use-resource.ts';
import { useApp } from '../app-context.ts';
import { ShieldIcon, XIcon } from '../components/icons.tsx';
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
        <p className="lede">Enter the certificate ID printed on a Baton certificate to check that it is genuine and still valid.</p>
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
  const valid = c.status === 'valid';
  const copy = async () => {
    await navigator.clipboard.writeText(pageUrl).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const fields: Array<[string, ReactNode]> = [
    ['Student', c.studentName],
    ['Program', c.programName],
    [
      'Training partners completed',
      <ul className="partner-list">
        {c.partners.map((partner) => (
          <li key={partner}>{partner}</li>
        ))}
      </ul>,
    ],
    ['Completed on', <time dateTime={c.completedAt}>{formatDate(c.completedAt)}</time>],
    ['Issued on', <time dateTime={c.issuedAt}>{formatDate(c.issuedAt)}</time>],
    ['Certificate ID', <span className="mono">{c.id}</span>],
    ['Status', <span className={`status ${valid ? 'status-completed' : 'status-revoked'}`}>{valid ? 'Valid' : 'Revoked'}</span>],
  ];
  return (
    <article className="certificate" aria-labelledby="certificate-heading">
      <div className={`verify-status ${valid ? 'verify-valid' : 'verify-revoked'}`}>
        {valid ? <ShieldIcon size={36} /> : <XIcon size={36} />}
        <div>
          <p className="verify-status-title">{valid ? 'Valid certificate' : 'Revoked certificate'}</p>
          <p>
            {valid
              ? `Baton issued this certificate on ${formatDate(c.issuedAt)} and it has not been revoked.`
              : `This certificate was revoked${c.revokedAt ? ` on ${formatDate(c.revokedAt)}` : ''}${c.revokedReason ? `: ${c.revokedReason}` : ''}. It no longer certifies completion.`}
          </p>
        </div>
      </div>

      <div className="certificate-body">
        <div>
          <p className="eyebrow">Certificate of completion</p>
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
