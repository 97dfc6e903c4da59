// The partner editor's integration: how the partner signs its webhooks, where a delivery's id is,
// and how Baton reads its body — filled from a preset for platforms whose format is public.
import { WEBHOOK_PRESETS } from '../../../../../functions/domain/partner-presets.ts';
import { draftOf, type WebhookDraft } from './webhook-draft.ts';

interface Props {
  value: WebhookDraft;
  onChange: (next: WebhookDraft) => void;
  onPreset: (note: string) => void;
}

function Text({
  id,
  label,
  hint,
  value,
  onChange,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        value={value}
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export function IntegrationFields({ value: d, onChange, onPreset }: Props) {
  const patch = (change: Partial<WebhookDraft>) => onChange({ ...d, ...change });
  const pointer = (name: keyof WebhookDraft, label: string, hint?: string) => (
    <Text
      id={`map-${name}`}
      label={label}
      {...(hint ? { hint } : {})}
      value={d[name] as string}
      onChange={(v) => patch({ [name]: v })}
      placeholder="/path/to/value"
    />
  );
  return (
    <>
      <div className="field">
        <label htmlFor="preset">Start from a preset</label>
        <p className="hint" id="preset-hint">
          For platforms whose webhook format is public (docs/partners.md cites each). You can change every field after.
        </p>
        <select
          id="preset"
          aria-describedby="preset-hint"
          defaultValue=""
          onChange={(e) => {
            const preset = WEBHOOK_PRESETS.find((p) => p.id === e.target.value);
            if (!preset) return;
            onChange(draftOf(preset.webhook));
            onPreset(`${preset.platform}: ${preset.note}`);
          }}
        >
          <option value="">No preset</option>
          {WEBHOOK_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.platform}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>Verification</legend>
        <div className="field">
          <label htmlFor="scheme">Scheme</label>
          <select id="scheme" value={d.scheme} onChange={(e) => patch({ scheme: e.target.value as WebhookDraft['scheme'] })}>
            <option value="standard-webhooks">Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)</option>
            <option value="hmac-sha256">HMAC-SHA256 in a header</option>
            <option value="token">Shared token in a header</option>
            <option value="jwt">Signed JWT body, checked against a JWKS URL</option>
          </select>
        </div>
        {(d.scheme === 'hmac-sha256' || d.scheme === 'token') && (
          <>
            <Text id="header" label="Header" value={d.header} onChange={(header) => patch({ header })} placeholder="X-Signature" />
            <Text
              id="prefix"
              label="Prefix (optional)"
              hint='Text before the value, such as "sha256=".'
              value={d.prefix}
              onChange={(prefix) => patch({ prefix })}
            />
          </>
        )}
        {d.scheme === 'hmac-sha256' && (
          <>
            <div className="field">
              <label htmlFor="encoding">Encoding</label>
              <select id="encoding" value={d.encoding} onChange={(e) => patch({ encoding: e.target.value as WebhookDraft['encoding'] })}>
                <option value="hex">hex</option>
                <option value="base64">base64</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="signed">What is signed</label>
              <select
                id="signed"
                value={d.signedContent}
                onChange={(e) => patch({ signedContent: e.target.value as WebhookDraft['signedContent'] })}
              >
                <option value="body">The raw body</option>
                <option value="timestamp.body">{'{timestamp}.{body}, the timestamp in a header'}</option>
              </select>
            </div>
            {d.signedContent === 'timestamp.body' && (
              <>
                <Text
                  id="timestamp-header"
                  label="Timestamp header"
                  value={d.timestampHeader}
                  onChange={(timestampHeader) => patch({ timestampHeader })}
                />
                <Text
                  id="tolerance"
                  label="Tolerance (seconds)"
                  value={d.toleranceSeconds}
                  onChange={(toleranceSeconds) => patch({ toleranceSeconds })}
                />
              </>
            )}
          </>
        )}
        {d.scheme === 'jwt' && <Text id="jwks" label="JWKS URL (https)" value={d.jwksUrl} onChange={(jwksUrl) => patch({ jwksUrl })} />}
      </fieldset>
      <fieldset className="field">
        <legend>Delivery id</legend>
        <p className="hint">How Baton recognizes a delivery the partner sends twice.</p>
        <div className="field">
          <label htmlFor="id-source">Taken from</label>
          <select id="id-source" value={d.idSource} onChange={(e) => patch({ idSource: e.target.value as WebhookDraft['idSource'] })}>
            <option value="header">A header</option>
            <option value="pointer">A JSON Pointer into the body</option>
            <option value="derive">The SHA-256 of the body</option>
          </select>
        </div>
        {d.idSource !== 'derive' && (
          <Text
            id="id-value"
            label={d.idSource === 'header' ? 'Header name' : 'JSON Pointer'}
            value={d.idValue}
            onChange={(idValue) => patch({ idValue })}
          />
        )}
      </fieldset>
      <fieldset className="field">
        <legend>Body</legend>
        <div className="field">
          <label htmlFor="format">Format</label>
          <select id="format" value={d.format} onChange={(e) => patch({ format: e.target.value as WebhookDraft['format'] })}>
            <option value="baton">Baton’s JSON (the seed partners’ contract)</option>
            <option value="xapi">xAPI statements (one, or an array)</option>
            <option value="mapped">The partner’s own JSON, read with JSON Pointers</option>
          </select>
        </div>
        {d.format === 'mapped' && (
          <>
            {pointer('items', 'Items (optional)', 'For batches: the array of events. The pointers below are then relative to each item.')}
            {pointer('eventType', 'Event type')}
            <div className="field">
              <span className="field-label" id="event-types-label">
                Event names that complete a step
              </span>
              {d.eventTypes.map((t, i) => (
                <div className="inline-field" key={i}>
                  <input
                    aria-label={`Event name ${i + 1}`}
                    value={t.name}
                    onChange={(e) => patch({ eventTypes: d.eventTypes.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
                  />
                  <select
                    aria-label={`What event name ${i + 1} reports`}
                    value={t.result}
                    onChange={(e) =>
                      patch({
                        eventTypes: d.eventTypes.map((x, j) => (j === i ? { ...x, result: e.target.value as 'completed' | 'passed' } : x)),
                      })
                    }
                  >
                    <option value="completed">completed</option>
                    <option value="passed">passed</option>
                  </select>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={() => patch({ eventTypes: d.eventTypes.filter((_, j) => j !== i) })}
                  >
                    Remove<span className="visually-hidden"> event name {i + 1}</span>
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => patch({ eventTypes: [...d.eventTypes, { name: '', result: 'completed' }] })}
              >
                Add an event name
              </button>
            </div>
            {pointer('studentId', 'Student id at the partner')}
            {pointer('email', 'Student email')}
            {pointer('courseId', 'Course id')}
            {pointer('occurredAt', 'Completed at (optional)')}
            {pointer('score', 'Score (optional)')}
          </>
        )}
      </fieldset>
    </>
  );
}
