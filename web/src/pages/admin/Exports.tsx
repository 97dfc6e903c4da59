// Exports for funder reporting: start a certificate export for a range of issue dates (an
// enrollment export starts from the enrollment list, with its filters), follow each export of
// this visit as it runs (rows so far), and download the file once it is ready (the link lasts a
// few minutes: it is asked for again at each click).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { ExportJob } from '../../api/types.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { EmptyState, Notice } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../format.ts';

const POLL_MS = 1500;
/** This visit's exports (an export's id is what finds it again). */
const SEEN_KEY = 'baton.exports';

function seenExports(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(SEEN_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function Exports() {
  usePageTitle('Exports');
  const { api } = useApp();
  const [params] = useSearchParams();
  const started = params.get('started');
  const [ids, setIds] = useState<string[]>(() => [...new Set([...(started ? [started] : []), ...seenExports()])]);
  useEffect(() => sessionStorage.setItem(SEEN_KEY, JSON.stringify(ids.slice(0, 20))), [ids]);
  const [jobs, setJobs] = useState<Record<string, ExportJob | { error: unknown }>>({});
  const known = useRef(jobs);
  known.current = jobs;

  // Poll the exports that are still running; stop once each is done.
  useEffect(() => {
    let cancelled = false;
    const poll = async () => {
      const pending = ids.filter((id) => {
        const job = known.current[id];
        return !job || ('status' in job && (job.status === 'queued' || job.status === 'running'));
      });
      await Promise.all(
        pending.map(async (id) => {
          try {
            const job = await api.exportJob(id);
            if (!cancelled) setJobs((j) => ({ ...j, [id]: job }));
          } catch (error) {
            if (!cancelled) setJobs((j) => ({ ...j, [id]: { error } }));
          }
        }),
      );
    };
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [api, ids]);

  return (
    <>
      <div className="page-head">
        <h1>Exports</h1>
        <p className="lede">
          CSV files for funder reports, one row per student per program (see what each column means in the documentation). To export
          enrollments, filter the <Link href="/admin/enrollments">enrollment list</Link> and choose “Export this list”.
        </p>
      </div>
      <CertificateExport onStarted={(id) => setIds((list) => [id, ...list])} />
      <section className="section" aria-labelledby="exports-heading">
        <h2 id="exports-heading">This visit's exports</h2>
        {ids.length === 0 ? (
          <EmptyState title="No export yet">
            <p>Exports you start appear here with their progress and a download link.</p>
          </EmptyState>
        ) : (
          <ul className="result-list">
            {ids.map((id) => (
              <ExportRow key={id} id={id} job={jobs[id]} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ExportRow({ id, job }: { id: string; job: ExportJob | { error: unknown } | undefined }) {
  const { api } = useApp();
  const [downloadError, setDownloadError] = useState<unknown>();
  const download = async () => {
    try {
      // A fresh short-lived link each time.
      const fresh = await api.exportJob(id);
      if (fresh.downloadUrl) window.location.assign(fresh.downloadUrl);
    } catch (error) {
      setDownloadError(error);
    }
  };
  if (!job) return <li className="card result">Loading the export…</li>;
  if ('error' in job) return <li className="card result">This export could not be read: {describeError(job.error)}</li>;
  const what = job.kind === 'certificates' ? 'Certificates' : 'Enrollments';
  const filters = Object.entries(job.filters)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return (
    <li className="card result" data-export={job.exportId}>
      <div className="result-main">
        <p className="result-title">{what}</p>
        <p className="muted">
          {filters || 'all'} · started {formatDateTime(job.createdAt)}
        </p>
      </div>
      <div className="result-program" role="status">
        {job.status === 'completed' ? (
          <p>Ready: {plural(job.rows, 'row')}</p>
        ) : job.status === 'failed' ? (
          <p className="field-error">Failed: {job.error}</p>
        ) : (
          <p>{job.status === 'queued' ? 'Waiting to start…' : `Running: ${plural(job.rows, 'row')} so far…`}</p>
        )}
        {downloadError !== undefined && <p className="field-error">{describeError(downloadError)}</p>}
      </div>
      {job.status === 'completed' && (
        <button type="button" className="button" onClick={() => void download()}>
          Download CSV<span className="visually-hidden"> of {what.toLowerCase()}</span>
        </button>
      )}
    </li>
  );
}

function CertificateExport({ onStarted }: { onStarted: (exportId: string) => void }) {
  const { api } = useApp();
  const year = new Date().getUTCFullYear();
  // A program year by default (July 1 – June 30), as states collect them.
  const [range, setRange] = useState({ issuedFrom: `${year - 1}-07-01`, issuedTo: `${year}-06-30` });
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true });
    try {
      onStarted((await api.startExport('certificates', range)).exportId);
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <form className="card list-filters" onSubmit={(e) => void submit(e)} aria-labelledby="certificate-export-heading">
      <h2 id="certificate-export-heading">Certificates issued in a date range</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="issued-from">Issued from</label>
          <input
            id="issued-from"
            type="date"
            required
            value={range.issuedFrom}
            onChange={(e) => setRange((r) => ({ ...r, issuedFrom: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor="issued-to">Issued to</label>
          <input
            id="issued-to"
            type="date"
            required
            value={range.issuedTo}
            onChange={(e) => setRange((r) => ({ ...r, issuedTo: e.target.value }))}
          />
        </div>
      </div>
      {state.error !== undefined && <Notice kind="error">{describeError(state.error)}</Notice>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={state.busy} aria-busy={state.busy}>
          {state.busy ? 'Starting…' : 'Export certificates'}
        </button>
      </div>
    </form>
  );
}
