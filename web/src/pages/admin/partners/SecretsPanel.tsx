// A partner's webhook secrets: id, created, last used — never a value, except the new one, shown
// once after it is created. Several may be active during a rotation; retiring asks first.
import { useState } from 'react';
import { describeError } from '../../../api/client.ts';
import type { PartnerDetail } from '../../../api/types.ts';
import { useApp } from '../../../app-context.ts';
import { Notice } from '../../../components/states.tsx';
import { formatDateTime } from '../../../format.ts';

export function SecretsPanel({ partner, onChanged }: { partner: PartnerDetail; onChanged: () => void }) {
  const { api } = useApp();
  const [shown, setShown] = useState<{ secretId: string; secret: string } | null>(null);
  const [supplied, setSupplied] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (partner.webhook.verification.scheme === 'jwt') {
    return (
      <section className="card" aria-labelledby="secrets-heading">
        <h2 id="secrets-heading">Secrets</h2>
        <p className="muted">This partner signs with its published keys (the JWKS URL): there is no shared secret.</p>
      </section>
    );
  }
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="secrets-heading">
      <h2 id="secrets-heading">Secrets</h2>
      <p className="muted">
        Every active secret verifies deliveries, so a rotation is: create one, give it to the partner, retire the old one.
      </p>
      {shown && (
        <Notice kind="success">
          <p className="notice-title">Secret {shown.secretId} created. Copy it now: it is not shown again.</p>
          <p>
            <code className="mono break" aria-label="The new secret">
              {shown.secret}
            </code>
          </p>
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {partner.secrets.length === 0 ? (
        <p>No secret yet: every webhook is refused until one is created.</p>
      ) : (
        <ul className="result-list">
          {partner.secrets.map((s) => (
            <li key={s.secretId} className="result secret-row">
              <div>
                <p className="mono">{s.secretId}</p>
                <p className="muted">
                  {s.createdAt ? `created ${formatDateTime(s.createdAt)}` : 'created at set-up'} ·{' '}
                  {s.lastUsedAt ? `last used ${formatDateTime(s.lastUsedAt)}` : 'never used'}
                </p>
              </div>
              {confirming === s.secretId ? (
                <div className="actions" role="group" aria-label={`Retire secret ${s.secretId}?`}>
                  <button
                    type="button"
                    className="button button-danger button-small"
                    disabled={busy}
                    onClick={() => void act(async () => (await api.retireSecret(partner.id, s.secretId), setConfirming(null)))}
                  >
                    Yes, retire {s.secretId}
                  </button>
                  <button type="button" className="button button-quiet button-small" onClick={() => setConfirming(null)}>
                    Keep it
                  </button>
                </div>
              ) : (
                <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(s.secretId)}>
                  Retire<span className="visually-hidden"> secret {s.secretId}</span>…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="supplied-secret">Supply the partner's own key (optional)</label>
        <p className="hint" id="supplied-secret-hint">
          Some platforms dictate their signing key (Thinkific signs with the school's API key). Leave empty to generate one.
        </p>
        <input
          id="supplied-secret"
          autoComplete="off"
          spellCheck={false}
          aria-describedby="supplied-secret-hint"
          value={supplied}
          onChange={(e) => setSupplied(e.target.value)}
        />
      </div>
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-busy={busy}
        onClick={() =>
          void act(async () => {
            const created = await api.createSecret(partner.id, supplied.trim() || undefined);
            setShown(created);
            setSupplied('');
          })
        }
      >
        {supplied.trim() ? 'Add this secret' : 'Generate a secret'}
      </button>
    </section>
  );
}
