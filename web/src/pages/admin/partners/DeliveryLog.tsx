// A partner's delivery log: newest first, filtered by outcome, paged; each delivery's raw body and
// headers on demand, and a replay for one Baton could not read (after fixing the mapping). A
// replay goes through the same path as a fresh delivery: an applied one stays applied.
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { describeError } from '../../../api/client.ts';
import type { DeliveryLogEntry, StoredDelivery } from '../../../api/types.ts';
import { announceChange, useResource } from '../../../api/use-resource.ts';
import { useApp } from '../../../app-context.ts';
import { usePageTitle } from '../../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../../components/states.tsx';
import { formatDateTime } from '../../../format.ts';
import { OUTCOME_TEXT, reasonText } from './partner-text.ts';

export function DeliveryLog() {
  const { id } = useParams<{ id: string }>();
  const { api } = useApp();
  const [outcome, setOutcome] = useState('');
  const first = useResource(() => api.deliveries(id, { ...(outcome ? { outcome } : {}) }), [api, id, outcome], { keepPreviousData: true });
  const [more, setMore] = useState<{ key: string; entries: DeliveryLogEntry[]; next?: string; loading: boolean }>({
    key: '',
    entries: [],
    loading: false,
  });
  usePageTitle(`Delivery log · ${id}`);
  const key = `${id}|${outcome}`;
  const extra = more.key === key ? more : { key, entries: [], loading: false };
  const entries = [...(first.data?.deliveries ?? []), ...extra.entries];
  const next = extra.entries.length > 0 ? extra.next : first.data?.next;
  const loadMore = async (cursor: string) => {
    setMore({ ...extra, loading: true });
    const page = await api.deliveries(id, { ...(outcome ? { outcome } : {}), cursor });
    setMore({ key, entries: [...extra.entries, ...page.deliveries], ...(page.next ? { next: page.next } : {}), loading: false });
  };
  return (
    <>
      <p className="back">
        <Link href={`/admin/partners/${id}`}>← Partner</Link>
      </p>
      <div className="page-head">
        <h1>Delivery log</h1>
        <p className="lede">
          Every delivery <span className="mono">{id}</span> sent, newest first. Settled ones are kept 30 days; unmatched ones until they are
          resolved.
        </p>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="outcome-filter">Outcome</label>
          <select id="outcome-filter" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">All</option>
            {Object.entries(OUTCOME_TEXT).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {first.loading ? (
        <Loading label="Loading deliveries…" />
      ) : !first.data ? (
        <ErrorState title="We couldn't load the delivery log." error={first.error} onRetry={() => void first.reload()} />
      ) : entries.length === 0 ? (
        <EmptyState
          title={outcome ? `No ${OUTCOME_TEXT[outcome as DeliveryLogEntry['outcome']].toLowerCase()} deliveries` : 'No deliveries yet'}
        >
          <p>Deliveries appear here as the partner sends them.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="event-list">
            {entries.map((entry) => (
              <DeliveryCard key={entry.webhookId} partnerId={id} entry={entry} onReplayed={() => void first.reload()} />
            ))}
          </ul>
          {next && (
            <button type="button" className="button button-secondary" disabled={extra.loading} onClick={() => void loadMore(next)}>
              {extra.loading ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </>
  );
}

function DeliveryCard({ partnerId, entry, onReplayed }: { partnerId: string; entry: DeliveryLogEntry; onReplayed: () => void }) {
  const { api } = useApp();
  const [stored, setStored] = useState<StoredDelivery | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `delivery-${entry.webhookId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const replay = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await api.replayDelivery(partnerId, entry.webhookId);
      setMessage({
        kind: 'success',
        text: `Replayed: ${OUTCOME_TEXT[result.status].toLowerCase()}${result.reason ? ` (${reasonText(result)})` : ''}.`,
      });
      announceChange();
      onReplayed();
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  let pretty = stored?.rawBody ?? '';
  try {
    pretty = JSON.stringify(JSON.parse(pretty), null, 2);
  } catch {
    // not JSON: as received
  }
  return (
    <li className="card event" aria-labelledby={`${base}-title`}>
      <h2 className="h3" id={`${base}-title`}>
        <span className={`badge outcome-${entry.outcome}`}>{OUTCOME_TEXT[entry.outcome]}</span>{' '}
        <span className="mono break">{entry.webhookId}</span>
      </h2>
      <dl className="fields fields-compact">
        <div>
          <dt>Received</dt>
          <dd>{formatDateTime(entry.receivedAt)}</dd>
        </div>
        {entry.event.kind === 'completion' && (
          <div>
            <dt>Event</dt>
            <dd>
              {entry.event.result} · course {entry.event.courseId}
              {entry.event.externalId ? ` · student ${entry.event.externalId}` : ''}
            </dd>
          </div>
        )}
        {entry.batch && (
          <div>
            <dt>Batch</dt>
            <dd>
              item {entry.batch.index + 1} of <span className="mono">{entry.batch.id}</span>
            </dd>
          </div>
        )}
        {entry.reason && (
          <div>
            <dt>Why</dt>
            <dd>{reasonText(entry)}</dd>
          </div>
        )}
      </dl>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="actions">
        {(entry.outcome === 'ignored' || entry.outcome === 'unmatched') && (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={busy}
            aria-busy={busy}
            onClick={() => void replay()}
          >
            {busy ? 'Replaying…' : 'Replay'}
            <span className="visually-hidden"> delivery {entry.webhookId}</span>
          </button>
        )}
      </div>
      <details
        className="raw"
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open && !stored)
            void api
              .delivery(partnerId, entry.webhookId)
              .then(setStored, (error: unknown) => setMessage({ kind: 'error', text: describeError(error) }));
        }}
      >
        <summary>Raw body and headers ({entry.bodyBytes.toLocaleString('en-US')} bytes)</summary>
        {stored ? (
          <>
            <pre tabIndex={0} aria-label={`Headers of delivery ${entry.webhookId}`}>
              {Object.entries(stored.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}
            </pre>
            <pre tabIndex={0} aria-label={`Body of delivery ${entry.webhookId}`}>
              {pretty}
            </pre>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </details>
    </li>
  );
}
