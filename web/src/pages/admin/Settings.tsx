// The organization's settings: who issues the certificates and sends the emails. Images are read
// in the browser as data URLs and checked by the API by their content (PNG or SVG, up to 200 KB);
// an image left alone is kept, "Remove" removes it.
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.ts';
import type { OrganizationSettings } from '../../api/types.ts';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { ErrorState, Loading, Notice } from '../../components/states.tsx';
import { formatDateTime } from '../../format.ts';
import { useOrganization } from '../../organization.tsx';

const MAX_KB = 200;
type ImageChange = { dataUrl: string; name: string } | null | undefined;

const TEXT_FIELDS = [
  {
    key: 'organizationName',
    label: 'Organization name',
    hint: 'On certificates, the verification page, emails and the site header.',
    required: true,
    type: 'text',
  },
  { key: 'websiteUrl', label: 'Website', hint: 'An https:// address, linked from the verification page.', type: 'url' },
  {
    key: 'supportEmail',
    label: 'Support email',
    hint: 'In every email’s footer and the site footer; replies go here unless Reply-To is set.',
    type: 'email',
  },
  { key: 'senderName', label: 'Sender name', hint: 'The From name of emails (default: the organization name).', type: 'text' },
  { key: 'senderEmail', label: 'Sender address', hint: 'Must be at the domain this deployment sends from.', type: 'email' },
  { key: 'replyTo', label: 'Reply-To address', hint: 'Where students’ replies go.', type: 'email' },
] as const;
type TextKey = (typeof TEXT_FIELDS)[number]['key'];

function readFile(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

function ImageField({
  id,
  label,
  current,
  currentUrl,
  change,
  onChange,
}: {
  id: string;
  label: string;
  current?: { contentType: string; bytes: number; width: number; height: number };
  currentUrl?: string;
  change: ImageChange;
  onChange: (c: ImageChange) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    if (file.size > MAX_KB * 1024) return setProblem(`${file.name} is ${Math.ceil(file.size / 1024)} KB; the limit is ${MAX_KB} KB.`);
    onChange({ dataUrl: await readFile(file), name: file.name });
  };
  const shown = change === undefined ? current : change === null ? undefined : change;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        PNG or SVG, up to {MAX_KB} KB. SVGs are redrawn without scripts, links or external images.
      </p>
      {shown && (
        <div className="image-preview">
          {'dataUrl' in shown ? (
            <img src={shown.dataUrl} alt={`New ${label.toLowerCase()} preview`} />
          ) : currentUrl ? (
            <img src={currentUrl} alt={`Current ${label.toLowerCase()}`} />
          ) : null}
          <span className="muted">
            {'dataUrl' in shown
              ? `New: ${shown.name} (saved when you save)`
              : `${shown.contentType === 'image/svg+xml' ? 'SVG' : 'PNG'}, ${Math.ceil(shown.bytes / 1024)} KB, ${shown.width}×${shown.height}`}
          </span>
          <button type="button" className="button button-quiet" onClick={() => onChange(null)}>
            Remove
          </button>
        </div>
      )}
      {change === null && current && <p className="hint">It will be removed when you save.</p>}
      <input
        id={id}
        type="file"
        accept="image/png,image/svg+xml"
        aria-describedby={`${id}-hint`}
        onChange={(e) => void pick(e.target.files?.[0])}
      />
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export function SettingsPage() {
  usePageTitle('Organization settings');
  const { api } = useApp();
  const settings = useResource(() => api.settings(), [api], { refreshOnFocus: false });
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  if (settings.loading) return <Loading label="Loading the settings…" />;
  const s = settings.data;
  if (!s) return <ErrorState title="We couldn't load the settings." error={settings.error} onRetry={() => void settings.reload()} />;
  // A new version (after a save) starts the form afresh from what was saved.
  return <SettingsForm key={s.version} settings={s} message={message} setMessage={setMessage} onSaved={settings.setData} />;
}

function SettingsForm({
  settings: s,
  message,
  setMessage,
  onSaved,
}: {
  settings: OrganizationSettings;
  message: { kind: 'success' | 'error'; text: string } | null;
  setMessage: (m: { kind: 'success' | 'error'; text: string } | null) => void;
  onSaved: (s: OrganizationSettings) => void;
}) {
  const { api } = useApp();
  const { refresh } = useOrganization();
  const [text, setText] = useState<Record<TextKey, string>>(
    () => Object.fromEntries(TEXT_FIELDS.map((f) => [f.key, (s as Record<string, unknown>)[f.key] ?? ''])) as Record<TextKey, string>,
  );
  const [signatory, setSignatory] = useState({ name: s.signatory?.name ?? '', title: s.signatory?.title ?? '' });
  const [logo, setLogo] = useState<ImageChange>();
  const [signature, setSignature] = useState<ImageChange>();
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const hasSignatory = signatory.name.trim() !== '' || signatory.title.trim() !== '';
    if (hasSignatory && (!signatory.name.trim() || !signatory.title.trim())) {
      setBusy(false);
      return setMessage({ kind: 'error', text: 'Give the signatory both a name and a title, or leave both empty.' });
    }
    try {
      const saved = await api.saveSettings({
        ...Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.trim()])),
        expectedVersion: s.version,
        ...(logo !== undefined ? { logo: logo?.dataUrl ?? null } : {}),
        ...(hasSignatory
          ? {
              signatory: {
                name: signatory.name.trim(),
                title: signatory.title.trim(),
                ...(signature !== undefined ? { signatureImage: signature?.dataUrl ?? null } : {}),
              },
            }
          : {}),
      });
      onSaved(saved);
      refresh();
      setMessage({
        kind: 'success',
        text: 'Saved. New certificates and emails use these settings; certificates already issued keep theirs.',
      });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Organization settings</h1>
        <p className="lede">
          Who issues your certificates and sends your emails.{' '}
          {s.updatedAt
            ? `Last saved ${formatDateTime(s.updatedAt)} by ${s.updatedBy}.`
            : 'Not saved yet: Baton uses the name set at deploy time.'}
        </p>
      </div>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <form className="card form settings-form" onSubmit={(event) => void save(event)} aria-label="Organization settings">
        <fieldset>
          <legend>Organization</legend>
          {TEXT_FIELDS.slice(0, 3).map((f) => (
            <TextField key={f.key} field={f} value={text[f.key] ?? ''} onChange={(v) => setText((t) => ({ ...t, [f.key]: v }))} />
          ))}
          <ImageField id="logo" label="Logo" current={s.logo} currentUrl={s.logo?.url} change={logo} onChange={setLogo} />
        </fieldset>
        <fieldset>
          <legend>Emails</legend>
          {TEXT_FIELDS.slice(3).map((f) => (
            <TextField key={f.key} field={f} value={text[f.key] ?? ''} onChange={(v) => setText((t) => ({ ...t, [f.key]: v }))} />
          ))}
        </fieldset>
        <fieldset>
          <legend>Certificate signatory</legend>
          <div className="field">
            <label htmlFor="signatory-name">Name</label>
            <input
              id="signatory-name"
              maxLength={120}
              value={signatory.name}
              onChange={(e) => setSignatory((v) => ({ ...v, name: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor="signatory-title">Title</label>
            <input
              id="signatory-title"
              maxLength={120}
              value={signatory.title}
              onChange={(e) => setSignatory((v) => ({ ...v, title: e.target.value }))}
            />
          </div>
          <ImageField
            id="signature"
            label="Signature image (optional)"
            current={s.signatory?.signatureImage}
            change={signature}
            onChange={setSignature}
          />
        </fieldset>
        <div className="actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </>
  );
}

function TextField({ field, value, onChange }: { field: (typeof TEXT_FIELDS)[number]; value: string; onChange: (value: string) => void }) {
  const id = `setting-${field.key}`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {'required' in field ? '' : <span className="optional"> (optional)</span>}
      </label>
      <p className="hint" id={`${id}-hint`}>
        {field.hint}
      </p>
      <input
        id={id}
        type={field.type}
        required={'required' in field}
        maxLength={field.key === 'websiteUrl' ? 300 : 254}
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
