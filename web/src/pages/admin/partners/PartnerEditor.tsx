// One partner: its details and courses, its webhook integration (scheme, delivery id, body
// mapping), its secrets and a test console, and who changed what when. `/admin/partners/new`
// creates one. Saving answers with what the API refused, field by field.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { describeError, isNotFound } from '../../../api/client.ts';
import type { PartnerDetail } from '../../../api/types.ts';
import { announceChange, useResource } from '../../../api/use-resource.ts';
import { useApp } from '../../../app-context.ts';
import { usePageTitle } from '../../../components/Layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../../../components/states.tsx';
import { formatDateTime } from '../../../format.ts';
import { IntegrationFields } from './IntegrationFields.tsx';
import { SecretsPanel } from './SecretsPanel.tsx';
import { TestConsole } from './TestConsole.tsx';
import { draftOf, NEW_WEBHOOK, webhookOf, type WebhookDraft } from './webhook-draft.ts';

interface Draft {
  id: string;
  name: string;
  contactEmail: string;
  supportUrl: string;
  launchUrlTemplate: string;
  instructions: string;
  status: 'active' | 'disabled';
  courses: Array<{ courseId: string; name: string; hours: string }>;
  webhook: WebhookDraft;
  studentEvidence: boolean;
}

const blank: Draft = {
  id: '',
  name: '',
  contactEmail: '',
  supportUrl: '',
  launchUrlTemplate: '',
  instructions: '',
  status: 'active',
  courses: [],
  webhook: NEW_WEBHOOK,
  studentEvidence: true,
};

function draftFrom(p: PartnerDetail): Draft {
  return {
    id: p.id,
    name: p.name,
    contactEmail: p.contactEmail ?? '',
    supportUrl: p.supportUrl ?? '',
    launchUrlTemplate: p.launchUrlTemplate ?? '',
    instructions: p.instructions ?? '',
    status: p.status,
    courses: p.courses.map((c) => ({ courseId: c.courseId, name: c.name, hours: c.hours === undefined ? '' : String(c.hours) })),
    webhook: draftOf(p.webhook),
    studentEvidence: p.studentEvidence !== false,
  };
}

function definitionOf(d: Draft): Record<string, unknown> {
  const optional = (name: 'contactEmail' | 'supportUrl' | 'launchUrlTemplate' | 'instructions') =>
    d[name].trim() ? { [name]: d[name].trim() } : {};
  return {
    name: d.name.trim(),
    ...optional('contactEmail'),
    ...optional('supportUrl'),
    ...optional('launchUrlTemplate'),
    ...optional('instructions'),
    status: d.status,
    courses: d.courses.map((c) => ({
      courseId: c.courseId.trim(),
      name: c.name.trim(),
      ...(c.hours.trim() ? { hours: Number(c.hours) } : {}),
    })),
    webhook: webhookOf(d.webhook),
    studentEvidence: d.studentEvidence,
  };
}

export function PartnerEditor() {
  const { id } = useParams<{ id: string }>();
  const isNew = id === 'new';
  const { api } = useApp();
  const partner = useResource(() => api.partner(id), [api, id], { enabled: !isNew, refreshOnFocus: false });
  usePageTitle(isNew ? 'New partner' : (partner.data?.name ?? 'Partner'));
  if (!isNew && partner.loading) return <Loading label="Loading the partner…" />;
  if (!isNew && !partner.data) {
    return isNotFound(partner.error) ? (
      <EmptyState title="No partner has this address">
        <p>
          <Link href="/admin/partners">See every partner</Link>.
        </p>
      </EmptyState>
    ) : (
      <ErrorState title="We couldn't load this partner." error={partner.error} onRetry={() => void partner.reload()} />
    );
  }
  // A new version of the partner starts the form again from what is saved.
  return (
    <PartnerForm
      key={partner.data ? `${partner.data.id}-${partner.data.version}` : 'new'}
      id={id}
      partner={isNew ? undefined : partner.data}
      reload={() => void partner.reload()}
    />
  );
}

function PartnerForm({ id, partner: saved, reload }: { id: string; partner: PartnerDetail | undefined; reload: () => void }) {
  const isNew = !saved;
  const { api } = useApp();
  const [draft, setDraft] = useState<Draft>(saved ? draftFrom(saved) : blank);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [, navigate] = useLocation();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const partnerId = isNew ? draft.id.trim() : id;
      const result = await api.savePartner(partnerId, definitionOf(draft));
      setMessage({ kind: 'success', text: `Saved ${result.name}. The next webhook uses this configuration.` });
      announceChange();
      if (isNew) navigate(`/admin/partners/${result.id}`);
      else reload();
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  const patch = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const text = (name: 'name' | 'contactEmail' | 'supportUrl' | 'launchUrlTemplate', label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`partner-${name}`}>{label}</label>
      {hint && (
        <p className="hint" id={`partner-${name}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={`partner-${name}`}
        value={draft[name]}
        required={name === 'name'}
        autoComplete="off"
        aria-describedby={hint ? `partner-${name}-hint` : undefined}
        onChange={(e) => patch({ [name]: e.target.value })}
      />
    </div>
  );
  return (
    <>
      <p className="back">
        <Link href="/admin/partners">← Partners</Link>
      </p>
      <div className="page-head page-head-row">
        <div>
          <h1>{isNew ? 'New partner' : saved.name}</h1>
          {!isNew && (
            <p className="lede">
              Webhook URL <code className="mono break">{`${window.location.origin}${saved.webhookPath}`}</code> ·{' '}
              <Link href={`/admin/partners/${id}/deliveries`}>Delivery log</Link>
            </p>
          )}
        </div>
      </div>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <form className="card form" onSubmit={(e) => void save(e)} aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        {isNew && (
          <div className="field">
            <label htmlFor="partner-id">Id</label>
            <p className="hint" id="partner-id-hint">
              Lower-case letters, digits and dashes; it is in the partner's webhook URL and cannot change.
            </p>
            <input
              id="partner-id"
              required
              value={draft.id}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="partner-id-hint"
              onChange={(e) => patch({ id: e.target.value })}
            />
          </div>
        )}
        {text('name', 'Name')}
        {text('contactEmail', 'Contact email (optional)')}
        {text('supportUrl', 'Support page (optional)')}
        {text('launchUrlTemplate', 'Launch link (optional)', 'The course page students open; {courseId} and {externalId} are filled in.')}
        <div className="field">
          <label htmlFor="partner-instructions">Instructions for students (optional)</label>
          <textarea
            id="partner-instructions"
            rows={2}
            value={draft.instructions}
            onChange={(e) => patch({ instructions: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="partner-status">Status</label>
          <select id="partner-status" value={draft.status} onChange={(e) => patch({ status: e.target.value as Draft['status'] })}>
            <option value="active">Active: its webhooks are received</option>
            <option value="disabled">Disabled: its webhooks are refused (404), programs cannot name it</option>
          </select>
        </div>
        <div className="field field-check">
          <input
            id="partner-student-evidence"
            type="checkbox"
            checked={draft.studentEvidence}
            aria-describedby="partner-student-evidence-hint"
            onChange={(e) => patch({ studentEvidence: e.target.checked })}
          />
          <label htmlFor="partner-student-evidence">Students may submit proof of completion</label>
          <p className="hint" id="partner-student-evidence-hint">
            A card, certificate or candidate number (and a scan) that an admin approves in the Evidence queue. Turn it off for a partner
            whose webhook or reports are reliable.
          </p>
        </div>
        <fieldset className="field">
          <legend>Courses</legend>
          {draft.courses.map((c, i) => (
            <div className="course-row" key={i}>
              <input
                aria-label={`Course ${i + 1} id`}
                placeholder="Course id"
                value={c.courseId}
                onChange={(e) => patch({ courses: draft.courses.map((x, j) => (j === i ? { ...x, courseId: e.target.value } : x)) })}
              />
              <input
                aria-label={`Course ${i + 1} name`}
                placeholder="Name"
                value={c.name}
                onChange={(e) => patch({ courses: draft.courses.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
              />
              <input
                aria-label={`Course ${i + 1} hours`}
                placeholder="Hours"
                inputMode="decimal"
                value={c.hours}
                onChange={(e) => patch({ courses: draft.courses.map((x, j) => (j === i ? { ...x, hours: e.target.value } : x)) })}
              />
              <button
                type="button"
                className="button button-quiet button-small"
                onClick={() => patch({ courses: draft.courses.filter((_, j) => j !== i) })}
              >
                Remove<span className="visually-hidden"> course {i + 1}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => patch({ courses: [...draft.courses, { courseId: '', name: '', hours: '' }] })}
          >
            Add a course
          </button>
        </fieldset>
        <h2>Integration</h2>
        <IntegrationFields
          value={draft.webhook}
          onChange={(webhook) => patch({ webhook })}
          onPreset={(text) => setMessage({ kind: 'info', text })}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : isNew ? 'Create partner' : 'Save partner'}
          </button>
        </div>
      </form>
      {saved && (
        <>
          <SecretsPanel partner={saved} onChanged={reload} />
          <TestConsole partnerId={saved.id} />
          <section className="card" aria-labelledby="changes-heading">
            <h2 id="changes-heading">Changes</h2>
            <ul className="timeline">
              {saved.changes.map((c, i) => (
                <li key={i} className="timeline-item">
                  <span className="muted">{formatDateTime(c.at)}</span> {c.by}: {c.changes.join(', ')}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
