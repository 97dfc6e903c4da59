// Enroll a student: email, optional name, program, and optional partner account ids so partner
// completions match at once (otherwise they match by email, or wait in the unmatched inbox).
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'wouter';
import { describeError } from '../../api/client.ts';
import type { Enrollment, Program } from '../../api/types.ts';
import { announceChange } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { usePageTitle } from '../../components/Layout.tsx';
import { ErrorState, Loading, Notice } from '../../components/states.tsx';
import { useAdminData } from './admin-data.ts';
import { HeldCertificateWarning } from './CertificateAdmin.tsx';

function groupByCategory(programs: readonly Program[]): Array<[string, Program[]]> {
  const groups = new Map<string, Program[]>();
  for (const p of [...programs].sort((a, b) => a.name.localeCompare(b.name)))
    groups.set(p.category, [...(groups.get(p.category) ?? []), p]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function NewEnrollment() {
  usePageTitle('New enrollment');
  const { api } = useApp();
  const { programs, programsError, partnerName } = useAdminData();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [name, setName] = useState('');
  const [programId, setProgramId] = useState(params.get('program') ?? '');
  const [accounts, setAccounts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Enrollment | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  const program = programs?.find((p) => p.id === programId);
  const partnerIds = useMemo(() => [...new Set(program?.steps.map((s) => s.partnerId) ?? [])], [program]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const partnerAccounts = Object.fromEntries(
        partnerIds.map((id): [string, string] => [id, (accounts[id] ?? '').trim()]).filter(([, v]) => v),
      );
      const enrollment = await api.createEnrollment({
        studentEmail: email.trim(),
        ...(name.trim() ? { studentName: name.trim() } : {}),
        programId,
        ...(Object.keys(partnerAccounts).length ? { partnerAccounts } : {}),
      });
      setCreated(enrollment);
      setEmail('');
      setName('');
      setAccounts({});
      announceChange();
      emailInput.current?.focus();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (programsError) return <ErrorState title="We couldn't load the programs." error={programsError.error} onRetry={programsError.retry} />;
  if (!programs) return <Loading label="Loading programs…" />;
  const first = created?.steps.filter((s) => s.status === 'in_progress').map((s) => `${s.partnerName}: ${s.courseName}`);
  return (
    <>
      <div className="page-head">
        <h1>New enrollment</h1>
        <p className="lede">Enroll a student in a program. Baton creates their steps and starts the first partner right away.</p>
      </div>
      {created && (
        <Notice kind="success">
          <p className="notice-title">
            Enrolled {created.studentName} in {created.programName}.
          </p>
          <p>
            {first && first.length > 0 ? `Started ${first.join(' and ')}. ` : ''}
            <Link href={`/admin/enrollments/${created.id}`}>Open the enrollment</Link>
          </p>
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <form className="card form" onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="student-email">Student email</label>
          <input
            id="student-email"
            ref={emailInput}
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="student-name">
            Student name <span className="optional">(optional)</span>
          </label>
          <p className="hint" id="student-name-hint">
            Leave empty to keep the name on file, or make one from the email.
          </p>
          <input
            id="student-name"
            autoComplete="off"
            maxLength={120}
            aria-describedby="student-name-hint"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="program">Program</label>
          <select id="program" required value={programId} onChange={(e) => setProgramId(e.target.value)}>
            <option value="">Choose a program…</option>
            {groupByCategory(programs).map(([category, list]) => (
              <optgroup key={category} label={category}>
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {program && email.trim() && <HeldCertificateWarning email={email} programId={program.id} />}
          {program && (
            <p className="hint">
              Steps: {program.steps.map((s) => `${partnerName(s.partnerId)} ${s.courseName}${s.required ? '' : ' (optional)'}`).join(' → ')}
            </p>
          )}
        </div>
        {partnerIds.length > 0 && (
          <fieldset className="field">
            <legend>
              Partner accounts <span className="optional">(optional)</span>
            </legend>
            <p className="hint">The student's id at each partner, so completions match immediately. Leave empty to match by email.</p>
            {partnerIds.map((id) => (
              <div className="field" key={id}>
                <label htmlFor={`account-${id}`}>{partnerName(id)} account id</label>
                <input
                  id={`account-${id}`}
                  autoComplete="off"
                  spellCheck={false}
                  value={accounts[id] ?? ''}
                  onChange={(e) => setAccounts((a) => ({ ...a, [id]: e.target.value }))}
                />
              </div>
            ))}
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Enrolling…' : 'Enroll student'}
          </button>
        </div>
      </form>
    </>
  );
}
