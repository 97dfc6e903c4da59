// Every partner: its status, how it verifies webhooks, its courses, and its last delivery with the
// outcome (from the delivery log, so a partner whose deliveries fail shows it at a glance).
import { Link } from 'wouter';
import { useResource } from '../../../api/use-resource.ts';
import { useApp } from '../../../app-context.ts';
import { usePageTitle } from '../../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, plural } from '../../../format.ts';
import { OUTCOME_TEXT, SCHEME_TEXT } from './partner-text.ts';

export function PartnerList() {
  usePageTitle('Partners');
  const { api } = useApp();
  const partners = useResource(() => api.partners(), [api]);
  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>Partners</h1>
          <p className="lede">
            The learning platforms your programs use: how each signs its webhooks, how Baton reads them, and how they are doing.
          </p>
        </div>
        <Link href="/admin/partners/new" className="button">
          Add a partner
        </Link>
      </div>
      {partners.loading ? (
        <Loading label="Loading partners…" />
      ) : !partners.data ? (
        <ErrorState title="We couldn't load the partners." error={partners.error} onRetry={() => void partners.reload()} />
      ) : partners.data.length === 0 ? (
        <EmptyState title="No partners yet">
          <p>
            <Link href="/admin/partners/new">Add the first partner</Link>, then name it in a program's steps.
          </p>
        </EmptyState>
      ) : (
        <ul className="result-list partner-rows">
          {partners.data.map((p) => (
            <li key={p.id} className="card result partner-row">
              <div className="result-main">
                <p className="result-title">
                  <Link href={`/admin/partners/${p.id}`}>{p.name}</Link>{' '}
                  {p.status === 'disabled' && <span className="badge badge-muted">Disabled</span>}
                </p>
                <p className="muted mono">{p.id}</p>
              </div>
              <div>
                <p>{SCHEME_TEXT[p.webhook.verification.scheme]}</p>
                <p className="muted">
                  {p.webhook.format === 'mapped'
                    ? 'its own JSON (mapped)'
                    : p.webhook.format === 'xapi'
                      ? 'xAPI statements'
                      : 'Baton’s JSON'}{' '}
                  · {plural(p.courses.length, 'course')}
                </p>
              </div>
              <div>
                {p.lastDelivery ? (
                  <>
                    <p>
                      Last delivery{' '}
                      <span className={`badge outcome-${p.lastDelivery.outcome}`}>{OUTCOME_TEXT[p.lastDelivery.outcome]}</span>
                    </p>
                    <p className="muted">
                      {formatDateTime(p.lastDelivery.receivedAt)} · <Link href={`/admin/partners/${p.id}/deliveries`}>Delivery log</Link>
                    </p>
                  </>
                ) : (
                  <p className="muted">No delivery in the last 30 days</p>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
