// Paste a delivery's headers and raw body: Baton says whether it verifies and why not, what it
// reads from it, and which student and step each event would reach. Nothing is stored.
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../api/client.ts';
import type { WebhookTestResult } from '../../../api/types.ts';
import { useApp } from '../../../app-context.ts';
import { Notice } from '../../../components/states.tsx';
import { OUTCOME_TEXT, reasonText } from './partner-text.ts';

/** "Name: value" lines, as a request log or a platform's delivery page shows them. */
export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

export function TestConsole({ partnerId }: { partnerId: string }) {
  const { api } = useApp();
  const [headers, setHeaders] = useState('');
  const [body, setBody] = useState('');
  const [result, setResult] = useState<WebhookTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api.testWebhook(partnerId, { headers: parseHeaders(headers), body }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="console-heading">
      <h2 id="console-heading">Test console</h2>
      <p className="muted">Paste a delivery as the partner sent it. Baton verifies and reads it as it would, and stores nothing.</p>
      <form onSubmit={(e) => void run(e)}>
        <div className="field">
          <label htmlFor="console-headers">Headers, one "Name: value" a line</label>
          <textarea
            id="console-headers"
            rows={4}
            spellCheck={false}
            className="mono"
            value={headers}
            onChange={(e) => setHeaders(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="console-body">Raw body</label>
          <textarea id="console-body" rows={6} spellCheck={false} className="mono" value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? 'Testing…' : 'Test this delivery'}
        </button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {result && (
        <div role="status" className="console-result">
          <Notice kind={result.verified && !result.problem ? 'success' : 'error'}>
            <p className="notice-title">{result.verified ? 'Verified' : 'Not verified'}</p>
            {result.problem && <p>{result.problem}</p>}
          </Notice>
          <ul className="result-list">
            {result.events.map((e) => (
              <li key={e.deliveryId} className="result">
                <p className="mono">{e.deliveryId}</p>
                <p>
                  {e.result ? `${e.result} · course ${e.courseId}` : `event ${e.eventType ?? ''}`}
                  {e.studentId ? ` · student ${e.studentId}` : ''}
                  {e.email ? ` · ${e.email}` : ''}
                </p>
                <p>
                  Would be <strong>{OUTCOME_TEXT[e.match.outcome].toLowerCase()}</strong>
                  {e.match.steps?.map((s) => ` — ${s.programName}, step ${s.sequence}: ${s.courseName}`).join('')}
                  {e.match.reason ? `. ${reasonText({ reason: e.match.reason, ...(e.problem ? { problem: e.problem } : {}) })}` : ''}
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
