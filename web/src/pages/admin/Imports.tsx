// Imports of report files: a partner's completion report, or a bulk enrollment sheet. The admin
// picks the file, sees its first rows, maps the partner's columns (saved on the partner, used by
// every later report of it), uploads it, dry-runs it (what each row would do, nothing written),
// applies it, follows its progress, and downloads the per-row result report. The history lists
// every import, newest first.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { parse } from 'csv-parse/browser/esm/sync';
import { detectDelimiter } from '../../../../functions/domain/delimiter.ts';
import { describeError } from '../../api/client.ts';
import type { CsvMapping, ImportJob, PartnerSummary } from '../../api/types.ts';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../format.ts';

const POLL_MS = 1000;
const PREVIEW_ROWS = 5;
const FILE_TYPES = '.csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const COLUMN_FIELDS: Array<[keyof CsvMapping['columns'], string]> = [
  ['studentId', 'Student id at the partner'],
  ['email', 'Email'],
  ['courseId', 'Course id'],
  ['courseName', 'Course name'],
  ['completedAt', 'Completion date'],
  ['credentialExpiresAt', 'Credential expiry (optional)'],
  ['status', 'Status (result)'],
  ['score', 'Score'],
];
const OUTCOME_LABELS: Record<string, string> = {
  applied: 'Applied',
  duplicate: 'Already applied',
  unmatched: 'Unmatched (in the inbox)',
  ignored: 'Ignored',
  invalid: 'Invalid',
  created: 'Enrolled',
  already_active: 'Already enrolled',
};

interface Preview {
  header: string[];
  rows: string[][];
  error?: string;
}

/** The file's first rows, read in the browser as the import will read them (a sample: the import reads it all). */
async function previewOf(file: File): Promise<Preview> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return workbookPreview(file);
  const sample = await file.slice(0, 256 * 1024).text();
  const text = file.size > 256 * 1024 ? sample.slice(0, sample.lastIndexOf('\n') + 1) : sample;
  try {
    const records: string[][] = parse(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      to: PREVIEW_ROWS + 1,
    });
    const [header = [], ...rows] = records;
    return { header: header.map((h) => h.trim()), rows };
  } catch (error) {
    return { header: [], rows: [], error: `This file cannot be read as CSV: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** An XLSX workbook's first rows, by the server's own reader (loaded on demand: it is not on the page's first load). */
async function workbookPreview(file: File): Promise<Preview> {
  try {
    const { readXlsxFile } = await import('../../../../functions/domain/xlsx-file.ts');
    const table = readXlsxFile(new Uint8Array(await file.arrayBuffer()), { rows: PREVIEW_ROWS });
    return { header: table.header, rows: table.rows.map((row) => row.cells) };
  } catch (error) {
    return { header: [], rows: [], error: `This file cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function Imports() {
  usePageTitle('Imports');
  const { api } = useApp();
  const partners = useResource(() => api.partners(), [api], { refreshOnFocus: false });
  const history = useResource(() => api.imports(), [api]);
  const [current, setCurrent] = useState<string>();
  return (
    <>
      <div className="page-head">
        <h1>Imports</h1>
        <p className="lede">
          Completion reports from partners without webhooks, and enrollment sheets. Each row of a completion report goes through the same
          matching as a partner’s webhook; the same row imported twice applies once.
        </p>
      </div>
      <NewImport
        partners={partners.data ?? []}
        onUploaded={(id) => {
          setCurrent(id);
          void history.reload();
        }}
      />
      {current && <ImportRun key={current} importId={current} onChange={() => void history.reload()} />}
      <section className="section" aria-labelledby="imports-history">
        <h2 id="imports-history">History</h2>
        {history.loading && !history.data ? (
          <Loading label="Loading imports…" />
        ) : history.error && !history.data ? (
          <ErrorState title="The imports could not be loaded" error={history.error} onRetry={() => void history.reload()} />
        ) : (history.data ?? []).length === 0 ? (
          <EmptyState title="No import yet">
            <p>Imports appear here with their counts and result reports.</p>
          </EmptyState>
        ) : (
          <ul className="result-list">
            {(history.data ?? []).map((job) => (
              <li key={job.importId} className="card result" data-import={job.importId}>
                <div className="result-main">
                  <p className="result-title">{job.fileName}</p>
                  <p className="muted">
                    {job.kind === 'completions' ? `Completions · ${job.partnerId}` : 'Enrollments'} · {formatDateTime(job.createdAt)}
                    {job.source === 'drop' ? ' · arrived by itself' : ''}
                  </p>
                </div>
                <div className="result-program">
                  <JobSummary job={job} />
                </div>
                <button type="button" className="button button-secondary" onClick={() => setCurrent(job.importId)}>
                  Open<span className="visually-hidden"> {job.fileName}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function JobSummary({ job }: { job: ImportJob }) {
  if (job.status === 'uploaded') return <p>Uploaded, not run yet</p>;
  if (job.status === 'failed') return <p className="field-error">Refused: {job.problem}</p>;
  // In one order whatever order the record keeps them in.
  const counts = Object.entries(OUTCOME_LABELS)
    .filter(([outcome]) => (job.outcomes[outcome as keyof ImportJob['outcomes']] ?? 0) > 0)
    .map(([outcome, label]) => `${label}: ${job.outcomes[outcome as keyof ImportJob['outcomes']]}`)
    .join(' · ');
  return (
    <p>
      {job.dryRun ? 'Dry run' : 'Applied'}{' '}
      {job.status === 'running' ? `— ${job.rows.done} of ${job.rows.total || '…'} rows` : `— ${plural(job.rows.total, 'row')}`}
      {counts ? ` · ${counts}` : ''}
    </p>
  );
}

function NewImport({ partners, onUploaded }: { partners: PartnerSummary[]; onUploaded: (importId: string) => void }) {
  const { api } = useApp();
  const [kind, setKind] = useState<'completions' | 'enrollments'>('completions');
  const [picked, setPartnerId] = useState('');
  const partnerId = picked || partners[0]?.id || '';
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<Preview>();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  const choose = async (chosen: File | undefined) => {
    setFile(chosen);
    setPreview(chosen ? await previewOf(chosen) : undefined);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setState({ busy: true });
    try {
      const slot = await api.createImport({ kind, fileName: file.name, ...(kind === 'completions' ? { partnerId } : {}) });
      await api.uploadFile(slot, file);
      setState({ busy: false });
      onUploaded(slot.importId);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-import-heading">
      <h2 id="new-import-heading">New import</h2>
      <div className="field">
        <label htmlFor="import-kind">What the file holds</label>
        <select id="import-kind" value={kind} onChange={(e) => setKind(e.target.value as 'completions' | 'enrollments')}>
          <option value="completions">A partner’s completion report</option>
          <option value="enrollments">Students to enroll (columns email, name, program, one per partner account)</option>
        </select>
      </div>
      {kind === 'completions' && (
        <div className="field">
          <label htmlFor="import-partner">Partner</label>
          <select id="import-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
            {partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="import-file">File (CSV or Excel .xlsx, its first sheet; up to 50 MB and 100,000 rows)</label>
        <input id="import-file" type="file" accept={FILE_TYPES} onChange={(e) => void choose(e.target.files?.[0])} />
      </div>
      {preview && <PreviewTable preview={preview} />}
      {kind === 'completions' && preview && !preview.error && partnerId && <MappingEditor partnerId={partnerId} preview={preview} />}
      {state.error !== undefined && <Notice kind="error">{describeError(state.error)}</Notice>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={!file || state.busy} aria-busy={state.busy}>
          {state.busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
    </form>
  );
}

function PreviewTable({ preview }: { preview: Preview }) {
  if (preview.error) return <Notice kind="error">{preview.error}</Notice>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="The file's first rows">
        <thead>
          <tr>
            {preview.header.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i}>
              {preview.header.map((_, j) => (
                <td key={j}>{row[j] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Status values are matched without case or surrounding spaces, as the import reads them. */
const foldStatus = (value: string) => value.trim().toLowerCase();

/**
 * One status value per spelling the import would treat alike ("Pass", "PASS", " pass"): in the
 * saved mapping's order, then the file's, named as the file spells it (the saved keys are folded).
 */
function distinctStatusValues(saved: readonly string[], inFile: readonly string[]): string[] {
  const named = new Map<string, string>();
  for (const value of saved) if (value.trim()) named.set(foldStatus(value), value.trim());
  const seenInFile = new Set<string>();
  for (const value of inFile.map((v) => v.trim()).filter(Boolean)) {
    const key = foldStatus(value);
    if (!seenInFile.has(key)) named.set(key, value);
    seenInFile.add(key);
  }
  return [...named.values()];
}

/** The partner's column mapping, edited against this file's header; saved on the partner. */
function MappingEditor({ partnerId, preview }: { partnerId: string; preview: Preview }) {
  const { api } = useApp();
  const partner = useResource(() => api.partner(partnerId), [api, partnerId], { refreshOnFocus: false });
  // The saved mapping until the admin changes something.
  const [edited, setEdited] = useState<CsvMapping>();
  const mapping = edited ?? partner.data?.csv ?? { columns: {} };
  const setMapping = (change: (m: CsvMapping) => CsvMapping) => setEdited((e) => change(e ?? partner.data?.csv ?? { columns: {} }));
  const [saved, setSaved] = useState<{ busy: boolean; done?: boolean; error?: unknown }>({ busy: false });
  const statusColumn = mapping.columns.status
    ? preview.header.findIndex((h) => h.toLowerCase() === mapping.columns.status!.toLowerCase())
    : -1;
  const statusValues = useMemo(
    () =>
      distinctStatusValues(
        Object.keys(mapping.statusValues ?? {}),
        statusColumn >= 0 ? preview.rows.map((r) => r[statusColumn] ?? '') : [],
      ),
    [mapping.statusValues, preview.rows, statusColumn],
  );
  const meaningOf = (value: string) => mapping.statusValues?.[foldStatus(value)] ?? 'ignore';
  const setColumn = (field: keyof CsvMapping['columns'], column: string) =>
    setMapping((m) => {
      const columns = { ...m.columns };
      if (column) columns[field] = column;
      else delete columns[field];
      return { ...m, columns };
    });
  const save = async () => {
    if (!partner.data) return;
    setSaved({ busy: true });
    const { name, contactEmail, supportUrl, launchUrlTemplate, instructions, courses, status, webhook } = partner.data;
    const statusMap = Object.fromEntries(statusValues.map((v) => [v, meaningOf(v)]));
    try {
      await api.savePartner(partnerId, {
        name,
        ...(contactEmail ? { contactEmail } : {}),
        ...(supportUrl ? { supportUrl } : {}),
        ...(launchUrlTemplate ? { launchUrlTemplate } : {}),
        ...(instructions ? { instructions } : {}),
        courses,
        status,
        webhook,
        csv: { ...mapping, ...(mapping.columns.status ? { statusValues: statusMap } : { statusValues: undefined }) },
      });
      setSaved({ busy: false, done: true });
    } catch (error) {
      setSaved({ busy: false, error });
    }
  };
  if (partner.loading && !partner.data) return <Loading label="Loading the partner’s mapping…" />;
  return (
    <fieldset className="card" aria-labelledby="mapping-heading">
      <h3 id="mapping-heading">Columns of {partner.data?.name ?? partnerId}’s reports</h3>
      <p className="muted">
        Saved on the partner: every report of it is read this way. A row needs a student (id or email) and a course (id or name).
      </p>
      <div className="filters">
        {COLUMN_FIELDS.map(([field, label]) => (
          <div className="field" key={field}>
            <label htmlFor={`map-${field}`}>{label}</label>
            <select id={`map-${field}`} value={mapping.columns[field] ?? ''} onChange={(e) => setColumn(field, e.target.value)}>
              <option value="">(none)</option>
              {preview.header.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="field">
          <label htmlFor="map-date-format">Date format</label>
          <select
            id="map-date-format"
            value={mapping.dateFormat ?? 'YYYY-MM-DD'}
            onChange={(e) => setMapping((m) => ({ ...m, dateFormat: e.target.value as CsvMapping['dateFormat'] }))}
          >
            {['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY'].map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </div>
      </div>
      {mapping.columns.status && statusValues.length > 0 && (
        <div className="filters">
          {statusValues.map((value) => (
            <div className="field" key={value}>
              <label htmlFor={`status-${value}`}>Status “{value}” means</label>
              <select
                id={`status-${value}`}
                value={meaningOf(value)}
                onChange={(e) =>
                  setMapping((m) => ({ ...m, statusValues: { ...m.statusValues, [foldStatus(value)]: e.target.value as 'passed' } }))
                }
              >
                <option value="passed">Passed</option>
                <option value="completed">Completed</option>
                <option value="ignore">Ignore the row</option>
              </select>
            </div>
          ))}
        </div>
      )}
      {saved.error !== undefined && <Notice kind="error">{describeError(saved.error)}</Notice>}
      {saved.done && <p role="status">Mapping saved.</p>}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => void save()} disabled={saved.busy}>
          {saved.busy ? 'Saving…' : 'Save mapping'}
        </button>
      </div>
    </fieldset>
  );
}

/** One import: run it (dry or for real), its progress while it runs, its counts and result report once done. */
function ImportRun({ importId, onChange }: { importId: string; onChange: () => void }) {
  const { api } = useApp();
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const next = await api.importJob(importId);
        if (cancelled) return;
        setJob(next);
        if (next.status === 'running') timer = window.setTimeout(() => void poll(), POLL_MS);
        else onChange();
      } catch (e) {
        if (!cancelled) setError(e);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [api, importId, tick, onChange]);
  const start = async (dryRun: boolean) => {
    setError(undefined);
    try {
      await api.runImport(importId, dryRun);
      setTick((t) => t + 1);
    } catch (e) {
      setError(e);
    }
  };
  const download = async () => {
    const fresh = await api.importJob(importId);
    if (fresh.resultUrl) window.location.assign(fresh.resultUrl);
  };
  if (!job) return error ? <Notice kind="error">{describeError(error)}</Notice> : <Loading label="Loading the import…" />;
  const percent = job.rows.total ? Math.round((job.rows.done / job.rows.total) * 100) : 0;
  return (
    <section className="card" aria-labelledby="import-run-heading" data-import-run={importId}>
      <h2 id="import-run-heading">{job.fileName}</h2>
      <div role="status" aria-live="polite">
        <JobSummary job={job} />
        {job.status === 'running' && <progress max={100} value={percent} aria-label="Rows done" />}
      </div>
      {job.status === 'done' && (
        <ul className="muted" aria-label="Rows by outcome">
          {Object.entries(OUTCOME_LABELS)
            .filter(([outcome]) => outcome in job.outcomes)
            .map(([outcome, label]) => (
              <li key={outcome}>
                {label}: {job.outcomes[outcome as keyof ImportJob['outcomes']]}
              </li>
            ))}
        </ul>
      )}
      {error !== undefined && <Notice kind="error">{describeError(error)}</Notice>}
      <div className="form-actions">
        <button type="button" className="button button-secondary" disabled={job.status === 'running'} onClick={() => void start(true)}>
          Dry run
        </button>
        <button type="button" className="button" disabled={job.status === 'running'} onClick={() => void start(false)}>
          Apply
        </button>
        {job.status === 'done' && (
          <button type="button" className="button button-secondary" onClick={() => void download()}>
            Download the result report
          </button>
        )}
      </div>
    </section>
  );
}
