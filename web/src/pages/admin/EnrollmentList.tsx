// The enrollment lists: filters (program, status, partner and step status, stuck, overdue,
// creation dates, any part of a name or email) and the order are kept in the URL, so a list can
// be shared, bookmarked and linked from the pipeline's counts; pages come by cursor ("Show more").
// "Export this list" starts an export with exactly these filters.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { STEP_STATUSES } from '../../../../functions/domain/enrollment.ts';
import { describeError } from '../../api/client.ts';
import type { EnrollmentSummary } from '../../api/types.ts';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDate, plural } from '../../format.ts';
import { EnrollmentBadge } from '../StudentProgress.tsx';
import { useAdminData } from './admin-data.ts';

/** The filters the list takes, in the order the form shows them (the API's names). */
export const LIST_FILTERS = [
  'q',
  'programId',
  'status',
  'partnerId',
  'stepStatus',
  'stuck',
  'overdue',
  'createdFrom',
  'createdTo',
  'sort',
] as const;
type Filter = (typeof LIST_FILTERS)[number];

const STATUS_LABELS: Record<string, string> = { active: 'In progress', completed: 'Completed', cancelled: 'Cancelled' };
const STEP_LABELS: Record<string, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  completed: 'Completed',
  waived: 'Waived',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};
const SORTS = [
  { value: 'created', label: 'Newest first' },
  { value: 'created_asc', label: 'Oldest first' },
  { value: 'updated', label: 'Latest change first' },
  { value: 'updated_asc', label: 'Longest unchanged first' },
];

/** The list's filters from the page's URL: only the ones the API takes, and only when set. */
function filtersOf(params: URLSearchParams): URLSearchParams {
  const filters = new URLSearchParams();
  for (const name of LIST_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters.set(name, value);
  }
  return filters;
}

export function EnrollmentList() {
  usePageTitle('Enrollments');
  const { api } = useApp();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const key = filters.toString();
  const first = useResource(() => api.listEnrollments(new URLSearchParams(key)), [api, key], { keepPreviousData: true });
  // Pages after the first, appended as the user asks for them (reset when the filters change).
  const [more, setMore] = useState<{ key: string; rows: EnrollmentSummary[]; cursor?: string; loading: boolean; error?: unknown }>({
    key,
    rows: [],
    loading: false,
  });
  if (more.key !== key) setMore({ key, rows: [], loading: false });
  const cursor = more.rows.length > 0 || more.cursor ? more.cursor : first.data?.cursor;
  const rows = [...(first.data?.enrollments ?? []), ...more.rows];

  const showMore = async () => {
    if (!cursor) return;
    setMore((m) => ({ ...m, loading: true, error: undefined }));
    try {
      const page = await api.listEnrollments(new URLSearchParams(key), cursor);
      setMore((m) =>
        m.key === key
          ? { key, rows: [...m.rows, ...page.enrollments], ...(page.cursor ? { cursor: page.cursor } : {}), loading: false }
          : m,
      );
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };

  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>Enrollments</h1>
          <p className="lede">
            Every student's enrollments, by program, status, partner and date. Filters stay in the address, so a list can be shared.
          </p>
        </div>
        <ExportButton filters={filters} />
      </div>
      <FilterForm params={params} onApply={(next) => setParams(next)} />
      {first.loading ? (
        <Loading label="Loading enrollments…" />
      ) : !first.data ? (
        <ErrorState title="The list did not load." error={first.error} onRetry={() => void first.reload()} />
      ) : rows.length === 0 && !cursor ? (
        <EmptyState title="No enrollments match these filters">
          <p>
            Clear a filter, or <Link href="/admin/enroll">enroll a student</Link>.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="muted" role="status">
            {cursor ? `${plural(rows.length, 'enrollment')} so far` : plural(rows.length, 'enrollment')}
          </p>
          <ul className="result-list">
            {rows.map((e) => (
              <Row key={e.id} enrollment={e} />
            ))}
          </ul>
          {more.error !== undefined && <Notice kind="error">The next page did not load: {describeError(more.error)}</Notice>}
          {cursor && (
            <p className="more">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void showMore()}
                disabled={more.loading}
                aria-busy={more.loading}
              >
                {more.loading ? 'Loading…' : 'Show more'}
              </button>
              {rows.length === 0 && <span className="muted"> No match in the enrollments read so far; more may match further on.</span>}
            </p>
          )}
        </>
      )}
    </>
  );
}

function Row({ enrollment: e }: { enrollment: EnrollmentSummary }) {
  const { partnerName, courseName } = useAdminData();
  const current = e.steps.filter((s) => s.status === 'in_progress');
  return (
    <li className="card result">
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
          {current.length > 0 && (
            <> · now at {current.map((s) => `${partnerName(s.partnerId)} (${courseName(s.partnerId, s.courseId)})`).join(', ')}</>
          )}
        </p>
      </div>
      <EnrollmentBadge enrollment={e} />
    </li>
  );
}

function FilterForm({ params, onApply }: { params: URLSearchParams; onApply: (next: URLSearchParams) => void }) {
  const { programs, partnerName } = useAdminData();
  const read = () => Object.fromEntries(LIST_FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<Filter, string>;
  const [draft, setDraft] = useState(read);
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the URL (key) is what the form shows
  useEffect(() => setDraft(read()), [key]);
  const set = (name: Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filtersOf(new URLSearchParams(draft)));
  };
  const select = (name: Filter, label: string, options: Array<{ value: string; label: string }>, any = 'Any') => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} value={draft[name]} onChange={set(name)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  const qTooShort = draft.q.trim().length === 1;
  return (
    <form className="card list-filters" onSubmit={submit} aria-label="Filters">
      <div className="filters">
        <div className="field field-wide">
          <label htmlFor="filter-q">Name or email contains</label>
          <input
            id="filter-q"
            type="search"
            value={draft.q}
            autoComplete="off"
            onChange={set('q')}
            aria-invalid={qTooShort}
            aria-describedby={qTooShort ? 'filter-q-error' : undefined}
          />
          {qTooShort && (
            <p className="field-error" id="filter-q-error">
              Type at least 2 characters.
            </p>
          )}
        </div>
        {select(
          'programId',
          'Program',
          (programs ?? []).map((p) => ({ value: p.id, label: p.name })),
          'All programs',
        )}
        {select(
          'status',
          'Status',
          Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label })),
        )}
        {select(
          'partnerId',
          'Partner',
          // The partners the programs name (partners are data: any of them may be in a program).
          [...new Set((programs ?? []).flatMap((p) => p.steps.map((s) => s.partnerId)))].map((id) => ({
            value: id,
            label: partnerName(id),
          })),
          'Any partner',
        )}
        {select(
          'stepStatus',
          'A step that is',
          STEP_STATUSES.map((s) => ({ value: s, label: STEP_LABELS[s]! })),
        )}
        {select(
          'stuck',
          'Stuck',
          [1, 3, 7, 14, 30].map((d) => ({ value: String(d), label: `More than ${plural(d, 'day')} on a step` })),
          'No filter',
        )}
        <div className="field field-check">
          <input
            id="filter-overdue"
            type="checkbox"
            checked={draft.overdue === 'true'}
            onChange={(e) => setDraft((d) => ({ ...d, overdue: e.target.checked ? 'true' : '' }))}
          />
          <label htmlFor="filter-overdue">Overdue steps only</label>
        </div>
        <div className="field">
          <label htmlFor="filter-createdFrom">Enrolled from</label>
          <input id="filter-createdFrom" type="date" value={draft.createdFrom} onChange={set('createdFrom')} />
        </div>
        <div className="field">
          <label htmlFor="filter-createdTo">Enrolled to</label>
          <input id="filter-createdTo" type="date" value={draft.createdTo} onChange={set('createdTo')} />
        </div>
        {select('sort', 'Order', SORTS.slice(1), SORTS[0]!.label)}
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={qTooShort}>
          Show
        </button>
        <Link href="/admin/enrollments" className="button button-quiet">
          Clear filters
        </Link>
      </div>
    </form>
  );
}

function ExportButton({ filters }: { filters: URLSearchParams }) {
  const { api } = useApp();
  const [, navigate] = useLocation();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const start = async () => {
    setState({ busy: true });
    try {
      const { exportId } = await api.startExport('enrollments', Object.fromEntries(filters.entries()));
      navigate(`/admin/exports?started=${encodeURIComponent(exportId)}`);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <div className="page-actions">
      <button type="button" className="button button-secondary" onClick={() => void start()} disabled={state.busy} aria-busy={state.busy}>
        {state.busy ? 'Starting the export…' : 'Export this list (CSV)'}
      </button>
      {state.error !== undefined && <p className="field-error">{describeError(state.error)}</p>}
    </div>
  );
}
