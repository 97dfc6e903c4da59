// The pipeline: students per partner and status, completion rate per program (sortable,
// filterable), students stuck longer than N days with a contact link, and failed automations
// (retried here, or, when a completion email may have been sent, settled on the enrollment's page).
// Numbers reload in place: on a timer, on focus, on "Refresh", and after any admin action.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { Pipeline, ProgramRate, ProviderCounts } from '../../api/types.ts';
import { announceChange, useResource } from '../../api/use-resource.ts';
import { useApp, useCanAct } from '../../app-context.ts';
import { MailIcon, RefreshIcon } from '../../components/icons.tsx';
import { usePageTitle } from '../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { stuckStudentMailto } from '../../contact.ts';
import { formatDate, formatDateTime, formatDays, formatTime, plural } from '../../format.ts';
import { useAdminData } from './admin-data.ts';
import { isEmailOutcomeUnknown } from './failures.ts';
import { RemindAllStuck, RemindButton } from './Reminders.tsx';

const DEFAULT_STUCK_DAYS = 7;
const REFRESH_EVERY_MS = 30_000;

function parseDays(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const days = Number(value);
  return Number.isFinite(days) && days >= 0 && days <= 3650 ? days : undefined;
}

export function Dashboard() {
  usePageTitle('Pipeline');
  const { api } = useApp();
  const [params, setParams] = useSearchParams();
  const stuckDays = parseDays(params.get('stuckDays')) ?? DEFAULT_STUCK_DAYS;
  const pipeline = useResource(() => api.pipeline(stuckDays), [api, stuckDays], {
    refreshEveryMs: REFRESH_EVERY_MS,
    keepPreviousData: true,
  });
  const setStuckDays = (days: number) =>
    setParams(
      (p) => {
        if (days === DEFAULT_STUCK_DAYS) p.delete('stuckDays');
        else p.set('stuckDays', String(days));
        return p;
      },
      { replace: true },
    );

  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>Training pipeline</h1>
          <p className="lede">Where every student is, partner by partner, and who needs a nudge.</p>
        </div>
        <div className="refresh">
          {pipeline.updatedAt && (
            <span className="muted" aria-live="polite">
              Updated {formatTime(pipeline.updatedAt)}
            </span>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void pipeline.reload()}
            aria-busy={pipeline.refreshing}
            disabled={pipeline.refreshing}
          >
            <RefreshIcon size={16} /> {pipeline.refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {pipeline.loading ? (
        <Loading label="Loading the pipeline…" />
      ) : !pipeline.data ? (
        <ErrorState title="We couldn't load the pipeline." error={pipeline.error} onRetry={() => void pipeline.reload()} />
      ) : (
        <>
          {pipeline.error !== undefined && <Notice kind="error">These numbers may be out of date: {describeError(pipeline.error)}</Notice>}
          {pipeline.data.programs.every((p) => p.total === 0) && (
            <Notice kind="info">
              <p className="notice-title">No one is enrolled yet.</p>
              <p>
                <Link href="/admin/enroll">Enroll your first student</Link>: Baton starts their first partner course right away, and this
                page fills in as partners report progress.
              </p>
            </Notice>
          )}
          <Summary pipeline={pipeline.data} />
          <PartnerPipeline providers={pipeline.data.providers} />
          <CompletionRates programs={pipeline.data.programs} />
          <StuckStudents pipeline={pipeline.data} stuckDays={stuckDays} onStuckDaysChange={setStuckDays} />
          <Failures failures={pipeline.data.failures} />
        </>
      )}
    </>
  );
}

function Summary({ pipeline }: { pipeline: Pipeline }) {
  const active = pipeline.programs.reduce((n, p) => n + p.active, 0);
  const completed = pipeline.programs.reduce((n, p) => n + p.completed, 0);
  // Each tile opens the list it counts (failed automations are listed, with their actions, below).
  const tiles = [
    { label: 'Active enrollments', value: active, href: '/admin/enrollments?status=active' },
    { label: 'Completed programs', value: completed, href: '/admin/enrollments?status=completed' },
    {
      label: `Stuck over ${formatDays(pipeline.stuckDays)}`,
      value: pipeline.stuck.length,
      href: `/admin/enrollments?stuck=${pipeline.stuckDays}`,
      warn: pipeline.stuck.length > 0,
    },
    { label: 'Failed automations', value: pipeline.failures.length, href: '#failures', warn: pipeline.failures.length > 0 },
  ];
  return (
    <ul className="tiles" aria-label="Summary">
      {tiles.map((tile) => (
        <li key={tile.label}>
          {tile.href.startsWith('#') ? (
            <a href={tile.href} className={`tile ${tile.warn ? 'tile-warn' : ''}`}>
              <span className="tile-value">{tile.value}</span>
              <span className="tile-label">{tile.label}</span>
            </a>
          ) : (
            <Link href={tile.href} className={`tile ${tile.warn ? 'tile-warn' : ''}`}>
              <span className="tile-value">{tile.value}</span>
              <span className="tile-label">{tile.label}</span>
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The last three appear only at partners that have such steps. */
const STATUS_ROWS = [
  { key: 'pending', label: 'Pending', always: true },
  { key: 'in_progress', label: 'In progress', always: true },
  { key: 'completed', label: 'Completed', always: true },
  { key: 'waived', label: 'Waived', always: false },
  { key: 'skipped', label: 'Skipped', always: false },
  { key: 'cancelled', label: 'Cancelled', always: false },
] as const;

function PartnerPipeline({ providers }: { providers: ProviderCounts[] }) {
  const max = Math.max(1, ...providers.flatMap((p) => STATUS_ROWS.map((row) => p[row.key])));
  return (
    <section className="section" aria-labelledby="partners">
      <h2 id="partners">Students per partner</h2>
      <p className="section-hint">
        Steps at each partner by status. A student counts once per step. Skipped: optional steps an admin skipped or not taken before the
        program was completed; cancelled: steps of cancelled enrollments.
      </p>
      <ul className="partner-grid">
        {providers.map((provider) => {
          const total = STATUS_ROWS.reduce((n, row) => n + provider[row.key], 0);
          return (
            <li key={provider.partnerId} className="card partner-card" data-partner={provider.partnerId}>
              <h3>
                {provider.partnerName} <span className="muted">{plural(total, 'step')}</span>
              </h3>
              {provider.overdue > 0 && (
                <p className="partner-overdue">
                  <strong>{provider.overdue}</strong> overdue
                </p>
              )}
              <dl className="bars">
                {STATUS_ROWS.filter((row) => row.always || provider[row.key] > 0).map((row) => (
                  <div key={row.key} className="bar-row" data-status={row.key}>
                    <dt>{row.label}</dt>
                    <dd>
                      <span className="bar-track" aria-hidden="true">
                        <span className={`bar bar-${row.key}`} style={{ width: `${(provider[row.key] / max) * 100}%` }} />
                      </span>
                      <Link className="bar-value" href={`/admin/enrollments?partnerId=${provider.partnerId}&stepStatus=${row.key}`}>
                        {provider[row.key]}
                        <span className="visually-hidden">
                          {' '}
                          {row.label.toLowerCase()} at {provider.partnerName}: list them
                        </span>
                      </Link>
                    </dd>
                  </div>
                ))}
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type SortKey = 'programName' | 'total' | 'active' | 'completed' | 'cancelled' | 'completionRate';
const COLUMNS: Array<{ key: SortKey; label: string; short?: string; numeric: boolean; className?: string }> = [
  { key: 'programName', label: 'Program', numeric: false },
  { key: 'total', label: 'Enrolled', numeric: true },
  { key: 'active', label: 'Active', numeric: true, className: 'hide-narrow' },
  { key: 'completed', label: 'Completed', numeric: true, className: 'hide-narrow' },
  { key: 'cancelled', label: 'Cancelled', numeric: true, className: 'hide-narrow' },
  { key: 'completionRate', label: 'Completion rate', short: 'Rate', numeric: true },
];

function CompletionRates({ programs }: { programs: ProgramRate[] }) {
  const [category, setCategory] = useState('');
  const [onlyEnrolled, setOnlyEnrolled] = useState(true);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'completionRate', descending: true });
  const categories = useMemo(() => [...new Set(programs.map((p) => p.category))].sort(), [programs]);
  const rows = useMemo(() => {
    const filtered = programs.filter((p) => (!category || p.category === category) && (!onlyEnrolled || p.total > 0));
    const direction = sort.descending ? -1 : 1;
    return filtered.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const order = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
      return order * direction || a.programName.localeCompare(b.programName);
    });
  }, [programs, category, onlyEnrolled, sort]);

  const sortBy = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'programName' }));

  return (
    <section className="section" aria-labelledby="rates">
      <h2 id="rates">Completion rates</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="category-filter">Category</label>
          <select id="category-filter" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input id="only-enrolled" type="checkbox" checked={onlyEnrolled} onChange={(e) => setOnlyEnrolled(e.target.checked)} />
          <label htmlFor="only-enrolled">Only programs with enrollments</label>
        </div>
      </div>
      {rows.length === 0 ? (
        <EmptyState title={onlyEnrolled ? 'No enrollments in these programs yet' : 'No programs in this category'}>
          {onlyEnrolled && <p>Untick “Only programs with enrollments” to see every program.</p>}
        </EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label="Completion rates table" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">
              Completion rate per program, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label.toLowerCase()},{' '}
              {sort.descending ? 'highest' : 'lowest'} first
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    className={`${column.numeric ? 'num' : ''} ${column.className ?? ''}`}
                    aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
                  >
                    <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                      {column.short ? (
                        <>
                          <span className="hide-narrow">{column.label}</span>
                          <span className="show-narrow">{column.short}</span>
                        </>
                      ) : (
                        column.label
                      )}
                      <span aria-hidden="true" className="sort-mark">
                        {sort.key === column.key ? (sort.descending ? '▼' : '▲') : '↕'}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((program) => (
                <tr key={program.programId}>
                  <th scope="row">
                    <Link href={`/admin/enrollments?programId=${program.programId}`}>{program.programName}</Link>
                    <span className="cell-sub">{program.category}</span>
                  </th>
                  <td className="num">{program.total}</td>
                  {(['active', 'completed', 'cancelled'] as const).map((status) => (
                    <td key={status} className="num hide-narrow">
                      <Link href={`/admin/enrollments?programId=${program.programId}&status=${status}`}>
                        {program[status]}
                        <span className="visually-hidden">
                          {' '}
                          {status} in {program.programName}
                        </span>
                      </Link>
                    </td>
                  ))}
                  <td>
                    <div className="rate-cell">
                      <span className="bar-track" aria-hidden="true">
                        <span className="bar bar-completed" style={{ width: `${program.completionRate}%` }} />
                      </span>
                      <span className="bar-value">{program.completionRate}%</span>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function StuckStudents({
  pipeline,
  stuckDays,
  onStuckDaysChange,
}: {
  pipeline: Pipeline;
  stuckDays: number;
  onStuckDaysChange: (days: number) => void;
}) {
  const { courseName } = useAdminData();
  const [draft, setDraft] = useState(String(stuckDays));
  // When the threshold changes (the debounced draft was applied, or the URL changed), the field shows it.
  const [draftOf, setDraftOf] = useState(stuckDays);
  if (draftOf !== stuckDays) {
    setDraftOf(stuckDays);
    setDraft(String(stuckDays));
  }
  const parsed = parseDays(draft);
  useEffect(() => {
    if (parsed === undefined || parsed === stuckDays) return;
    const timer = window.setTimeout(() => onStuckDaysChange(parsed), 400);
    return () => window.clearTimeout(timer);
  }, [parsed, stuckDays, onStuckDaysChange]);

  const progressUrl = `${window.location.origin}/student/progress`;
  return (
    <section className="section" aria-labelledby="stuck">
      <h2 id="stuck">Stuck students</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="stuck-days">In progress for more than (days)</label>
          <input
            id="stuck-days"
            type="number"
            inputMode="decimal"
            min={0}
            max={3650}
            step="any"
            value={draft}
            aria-invalid={parsed === undefined}
            aria-describedby={parsed === undefined ? 'stuck-days-error' : undefined}
            onChange={(e) => setDraft(e.target.value)}
          />
          {parsed === undefined && (
            <p className="field-error" id="stuck-days-error">
              Enter a number of days from 0 to 3650.
            </p>
          )}
        </div>
      </div>
      <RemindAllStuck students={new Set(pipeline.stuck.map((s) => s.enrollmentId)).size} stuckDays={pipeline.stuckDays} />
      {pipeline.stuck.length === 0 ? (
        <EmptyState title={`No one has been on a step for more than ${formatDays(pipeline.stuckDays)}`}>
          <p>Everyone in progress started their current step recently.</p>
        </EmptyState>
      ) : (
        <ul className="stuck-list">
          {pipeline.stuck.map((s) => {
            const course = courseName(s.partnerId, s.courseId);
            return (
              <AttentionItem
                key={`${s.enrollmentId}-${s.stepIndex}`}
                enrollmentId={s.enrollmentId}
                name={s.studentName}
                sub={s.studentEmail}
                what={
                  <>
                    <strong>{s.partnerName}</strong> · {course}
                  </>
                }
                when={`Started ${formatDate(s.startedAt)}`}
                extra={
                  <div className="stuck-extra">
                    <p className="stuck-days">
                      <strong>{formatDays(s.daysStuck)}</strong> <span className="muted">stuck</span>
                    </p>
                    {s.overdue && s.dueAt && <p className="tag tag-overdue">Overdue since {formatDate(s.dueAt)}</p>}
                    <p className="muted stuck-reminded">
                      {s.lastRemindedAt ? `Reminded ${formatDate(s.lastRemindedAt)}` : 'Not reminded yet'}
                    </p>
                  </div>
                }
                action={
                  <>
                    <RemindButton enrollmentId={s.enrollmentId} studentName={s.studentName} />
                    <a className="button button-secondary" href={stuckStudentMailto({ ...s, courseName: course }, progressUrl)}>
                      <MailIcon size={16} /> Contact<span className="visually-hidden"> {s.studentName}</span>
                    </a>
                  </>
                }
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Failures({ failures }: { failures: Pipeline['failures'] }) {
  const { api } = useApp();
  const canAct = useCanAct();
  const [retrying, setRetrying] = useState<string | null>(null);
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const retry = async (enrollmentId: string, name: string) => {
    setRetrying(enrollmentId);
    setResult(null);
    try {
      await api.retryWorkflow(enrollmentId);
      setResult({ kind: 'success', text: `Retrying the automation for ${name}.` });
      announceChange();
    } catch (error) {
      setResult({ kind: 'error', text: `The retry did not start: ${describeError(error)}` });
    } finally {
      setRetrying(null);
    }
  };
  return (
    <section className="section" aria-labelledby="failures">
      <h2 id="failures">Failed automations</h2>
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      {failures.length === 0 ? (
        <EmptyState title="No failed automations">
          <p>Certificates and emails went out for every completed enrollment.</p>
        </EmptyState>
      ) : (
        <ul className="stuck-list">
          {failures.map((f) =>
            // A plain retry would stop at the email again: the admin checks the mail log and decides on the enrollment's page.
            isEmailOutcomeUnknown(f) ? (
              <AttentionItem
                key={f.enrollmentId}
                enrollmentId={f.enrollmentId}
                name={f.studentName}
                sub={f.programName}
                what="The completion email may have been sent"
                when={f.at ? formatDateTime(f.at) : ''}
                action={
                  <Link className="button button-secondary" href={`/admin/enrollments/${f.enrollmentId}`}>
                    {canAct ? 'Mark sent or resend' : 'Open'}
                    <span className="visually-hidden"> the email to {f.studentName}</span>
                  </Link>
                }
                open={false}
              />
            ) : (
              <AttentionItem
                key={f.enrollmentId}
                enrollmentId={f.enrollmentId}
                name={f.studentName}
                sub={f.programName}
                what={f.error}
                when={f.at ? formatDateTime(f.at) : ''}
                action={
                  canAct && (
                    <button
                      type="button"
                      className="button button-secondary"
                      disabled={retrying !== null}
                      onClick={() => void retry(f.enrollmentId, f.studentName)}
                    >
                      {retrying === f.enrollmentId ? 'Retrying…' : 'Retry'}
                      <span className="visually-hidden"> for {f.studentName}</span>
                    </button>
                  )
                }
              />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

/** One student who needs attention: who, what and when, an action, and a link to the enrollment (unless the action is one). */
function AttentionItem(props: {
  enrollmentId: string;
  name: string;
  sub: string;
  what: ReactNode;
  when: string;
  extra?: ReactNode;
  action: ReactNode;
  open?: boolean;
}) {
  return (
    <li className="card stuck-item">
      <div className="stuck-who">
        <p className="stuck-name">{props.name}</p>
        <p className="muted">{props.sub}</p>
      </div>
      <div className="stuck-step">
        <p>{props.what}</p>
        <p className="muted">{props.when}</p>
      </div>
      {props.extra ?? <span aria-hidden="true" />}
      <div className="stuck-actions">
        {props.action}
        {props.open !== false && (
          <Link className="button button-quiet" href={`/admin/enrollments/${props.enrollmentId}`}>
            Open<span className="visually-hidden"> {props.name}'s enrollment</span>
          </Link>
        )}
      </div>
    </li>
  );
}
