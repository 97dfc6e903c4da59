// Event endpoints (admins only): register a receiver for Baton's outbound events (its signing
// secret is shown once, to copy), see each endpoint's state (a disabled one says why and can be
// enabled again), rotate its secret, send a test ping, and read its delivery log with replay.
import { useState, type FormEvent } from 'react';
import { OUTBOUND_EVENT_TYPES } from '../../../../functions/domain/outbound-events.ts';
import { describeError } from '../../api/client.ts';
import type { EventDelivery, EventEndpoint } from '../../api/types.ts';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDateTime } from '../../format.ts';

export function EventEndpoints() {
  usePageTitle('Event endpoints');
  const { api } = useApp();
  const endpoints = useResource(() => api.eventEndpoints(), [api]);
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  return (
    <>
      <div className="page-head">
        <h1>Event endpoints</h1>
        <p className="lede">
          Baton tells other systems (a CRM, an HR record, a state reporting tool) when something happens: it POSTs each event, signed per
          Standard Webhooks, to the endpoints registered here, and retries for about a day when a receiver fails.
        </p>
      </div>
      {secret && (
        <Notice kind="success">
          <p className="notice-title">{secret.rotated ? 'New signing secret' : 'Endpoint registered'}: copy the secret now</p>
          <p>
            It is shown only once. Give it to the receiver at {secret.url} to verify the <code>webhook-signature</code> header
            {secret.rotated ? '; the previous secret keeps signing for 24 hours, beside this one' : ''}.
          </p>
          <p>
            <code className="secret" data-secret>
              {secret.secret}
            </code>
          </p>
        </Notice>
      )}
      <Register
        onDone={(created) => {
          setSecret({ url: created.url, secret: created.secret, rotated: false });
          void endpoints.reload();
        }}
      />
      <section className="section" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Registered endpoints</h2>
        {endpoints.loading ? (
          <Loading label="Loading the endpoints…" />
        ) : !endpoints.data ? (
          <ErrorState title="The endpoints did not load." error={endpoints.error} onRetry={() => void endpoints.reload()} />
        ) : endpoints.data.length === 0 ? (
          <EmptyState title="No endpoint yet">
            <p>Register one above to start receiving events.</p>
          </EmptyState>
        ) : (
          <ul className="result-list">
            {endpoints.data.map((e) => (
              <Endpoint
                key={e.endpointId}
                endpoint={e}
                onChanged={() => void endpoints.reload()}
                onRotated={(s) => setSecret({ url: e.url, secret: s, rotated: true })}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Register({ onDone }: { onDone: (created: EventEndpoint & { secret: string }) => void }) {
  const { api } = useApp();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([...OUTBOUND_EVENT_TYPES]);
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true });
    try {
      onDone(
        await api.createEventEndpoint({ url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) }),
      );
      setUrl('');
      setDescription('');
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <form className="card list-filters" onSubmit={(e) => void submit(e)} aria-labelledby="register-heading">
      <h2 id="register-heading">Register an endpoint</h2>
      <div className="filters">
        <div className="field field-wide">
          <label htmlFor="endpoint-url">URL (https)</label>
          <input
            id="endpoint-url"
            type="url"
            required
            value={url}
            placeholder="https://crm.example.org/baton-events"
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <div className="field field-wide">
          <label htmlFor="endpoint-description">Description (optional)</label>
          <input id="endpoint-description" value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
        </div>
      </div>
      <fieldset className="event-types">
        <legend>Events to send</legend>
        {OUTBOUND_EVENT_TYPES.map((type) => (
          <div key={type} className="field field-check">
            <input
              id={`event-${type}`}
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) => setEvents((list) => (e.target.checked ? [...list, type] : list.filter((t) => t !== type)))}
            />
            <label htmlFor={`event-${type}`}>
              <code>{type}</code>
            </label>
          </div>
        ))}
      </fieldset>
      {state.error !== undefined && <Notice kind="error">{describeError(state.error)}</Notice>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={state.busy || events.length === 0} aria-busy={state.busy}>
          {state.busy ? 'Registering…' : 'Register endpoint'}
        </button>
      </div>
    </form>
  );
}

function Endpoint({
  endpoint: e,
  onChanged,
  onRotated,
}: {
  endpoint: EventEndpoint;
  onChanged: () => void;
  onRotated: (secret: string) => void;
}) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const act = async (label: string, action: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await action();
      setMessage({ kind: 'success', text: label });
      onChanged();
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    }
  };
  return (
    <li className="card endpoint" data-endpoint={e.endpointId}>
      <div className="endpoint-head">
        <div>
          <p className="result-title">
            <code>{e.url}</code>
          </p>
          <p className="muted">
            {e.description ? `${e.description} · ` : ''}
            {e.events.join(', ')}
          </p>
        </div>
        <span className={`badge ${e.status === 'enabled' ? 'badge-completed' : 'badge-muted'}`}>
          {e.status === 'enabled' ? 'Enabled' : 'Disabled'}
        </span>
      </div>
      {e.status === 'disabled' && (
        <Notice kind="info">
          Disabled {e.disabledAt ? formatDateTime(e.disabledAt) : ''}: {e.disabledReason}. Nothing is sent until it is enabled again.
        </Notice>
      )}
      {e.secretRotation && (
        <p className="muted">The previous secret signs too until {formatDateTime(e.secretRotation.previousExpiresAt)}.</p>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void act('Test ping sent: see the delivery log.', () => api.testEventEndpoint(e.endpointId))}
        >
          Send a test ping
        </button>
        <button type="button" className="button button-secondary" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void act('Secret rotated.', async () => onRotated((await api.rotateEventSecret(e.endpointId)).secret))}
        >
          Rotate secret
        </button>
        {e.status === 'disabled' && (
          <button
            type="button"
            className="button"
            onClick={() => void act('Endpoint enabled.', () => api.enableEventEndpoint(e.endpointId))}
          >
            Enable
          </button>
        )}
        <button
          type="button"
          className="button button-quiet button-warn"
          onClick={() =>
            window.confirm(`Delete the endpoint ${e.url}? Nothing more is sent to it.`) &&
            void act('Endpoint deleted.', () => api.deleteEventEndpoint(e.endpointId))
          }
        >
          Delete<span className="visually-hidden"> {e.url}</span>
        </button>
      </div>
      {open && <Deliveries endpointId={e.endpointId} />}
    </li>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { api } = useApp();
  const log = useResource(() => api.eventDeliveries(endpointId), [api, endpointId]);
  const [replayed, setReplayed] = useState<string | null>(null);
  const replay = async (delivery: EventDelivery) => {
    await api.replayEventDelivery(endpointId, delivery.deliveryId);
    setReplayed(delivery.deliveryId);
    void log.reload();
  };
  if (log.loading) return <Loading label="Loading deliveries…" />;
  if (!log.data) return <ErrorState title="The delivery log did not load." error={log.error} onRetry={() => void log.reload()} />;
  if (log.data.deliveries.length === 0) return <p className="muted">Nothing delivered yet.</p>;
  return (
    <div className="table-wrap" role="region" aria-label="Delivery log" tabIndex={0}>
      {replayed && <Notice kind="success">Sent again, with the same webhook-id.</Notice>}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-narrow">
              Last answer
            </th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {log.data.deliveries.map((d) => {
            const last = d.log.at(-1);
            return (
              <tr key={d.deliveryId}>
                <th scope="row">
                  <code>{d.eventType}</code>
                  <span className="cell-sub">{formatDateTime(d.createdAt)}</span>
                </th>
                <td>
                  {d.status.replace('_', ' ')}
                  <span className="cell-sub">
                    {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                    {d.status === 'pending' && d.nextAttemptAt ? `, next ${formatDateTime(d.nextAttemptAt)}` : ''}
                  </span>
                </td>
                <td className="hide-narrow">{last ? (last.status ? `HTTP ${last.status}` : last.error) : '—'}</td>
                <td>
                  <button type="button" className="button button-small button-secondary" onClick={() => void replay(d)}>
                    Replay<span className="visually-hidden"> {d.eventType}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
