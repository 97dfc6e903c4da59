// An enrollment's steps in order. State is said by icon AND text (never colour alone):
// completed ✓ with its date, current ▶ with "started N days ago", pending ○, waived ⤼ with why,
// skipped – (an optional step an admin skipped, with why, or one not taken before the program was
// completed), cancelled ✕ with the date.
import { useEffect, useState, type ReactNode } from 'react';
import type { Step } from '../api/types.ts';
import { daysAgo, formatDate } from '../format.ts';
import { AlertIcon, CheckIcon, CircleIcon, MinusIcon, PlayIcon, SkipIcon, XIcon } from './icons.tsx';

const STATUS_LABEL: Record<Step['status'], string> = {
  completed: 'Completed',
  in_progress: 'In progress',
  pending: 'Not started',
  waived: 'Waived',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

const MARKER = {
  completed: <CheckIcon size={18} />,
  in_progress: <PlayIcon size={16} />,
  pending: <CircleIcon size={14} />,
  waived: <SkipIcon size={16} />,
  skipped: <MinusIcon size={16} />,
  cancelled: <XIcon size={14} />,
};

function statusDetail(step: Step, now: number): string {
  switch (step.status) {
    case 'completed':
      return step.completedAt ? formatDate(step.completedAt) : '';
    case 'waived':
      return step.completedAt ? formatDate(step.completedAt) : '';
    case 'in_progress':
      return step.startedAt ? `started ${daysAgo(step.startedAt, now)}` : '';
    case 'pending':
      return '';
    case 'skipped':
      // An admin's skip says who and why below; the automatic one says why here.
      if (step.resolution?.source === 'admin') return step.closedAt ? formatDate(step.closedAt) : '';
      return 'not taken before the program was completed';
    case 'cancelled':
      return step.closedAt ? formatDate(step.closedAt) : '';
  }
}

const ADMIN_ACTION: Partial<Record<Step['status'], string>> = { waived: 'Waived', skipped: 'Skipped' };

function resolutionText(step: Step): string | undefined {
  const r = step.resolution;
  if (r?.source === 'admin') return `${ADMIN_ACTION[step.status] ?? 'Marked complete'} by ${r.by}: “${r.reason}”`;
  if (r?.source === 'partner' && r.result === 'passed') return 'Passed';
  if (r?.source === 'evidence') return `Completed on the student’s proof (reference ${r.reference}), approved by ${r.by}`;
  return undefined;
}

/** An open step's due date, or that it is overdue (in words and with an icon, not colour alone). */
function DueDate({ step }: { step: Step }) {
  if (!step.dueAt || (step.status !== 'in_progress' && step.status !== 'pending')) return null;
  if (step.overdue) {
    return (
      <span className="tag tag-overdue">
        <AlertIcon size={14} /> Overdue: due {formatDate(step.dueAt)}
      </span>
    );
  }
  return <span className="step-due">Due {formatDate(step.dueAt)}</span>;
}

/** The time "started N days ago" counts from: read on mount, then every minute (not during render). */
function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function StepList({ steps, now, actions }: { steps: readonly Step[]; now?: number; actions?: (step: Step) => ReactNode }) {
  const clock = useNow();
  const at = now ?? clock;
  return (
    <ol className="steps">
      {steps.map((step) => {
        const detail = statusDetail(step, at);
        const resolution = resolutionText(step);
        return (
          <li key={step.index} className={`step step-${step.status}`} aria-current={step.status === 'in_progress' ? 'step' : undefined}>
            <span className="step-marker" aria-hidden="true">
              {MARKER[step.status]}
            </span>
            <div className="step-body">
              <p className="step-title">
                <span className="step-number">Step {step.sequence}</span>
                <span className="step-partner">{step.partnerName}</span>
                <span className="step-course">{step.courseName}</span>
                {!step.required && <span className="tag">Optional</span>}
              </p>
              <p className="step-status">
                <span className={`status status-${step.status}`}>{STATUS_LABEL[step.status]}</span>
                {detail && <span className="step-when">{detail}</span>}
                <DueDate step={step} />
              </p>
              {resolution && <p className="step-resolution">{resolution}</p>}
              {step.credentialExpiresAt && (
                <p className="step-resolution">
                  {step.partnerName} credential {Date.parse(step.credentialExpiresAt) <= at ? 'expired' : 'expires'}{' '}
                  {formatDate(step.credentialExpiresAt)}
                </p>
              )}
              {actions?.(step)}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
