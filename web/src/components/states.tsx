// Loading, empty and error states: every data view uses these, so none is ever blank or raw.
import type { ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { AlertIcon, RefreshIcon } from './icons.tsx';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({
  title,
  error,
  onRetry,
  children,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <AlertIcon />
      <div>
        <p className="notice-title">{title}</p>
        <p>{describeError(error)}</p>
        {children}
        {onRetry && (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            <RefreshIcon size={16} /> Try again
          </button>
        )}
      </div>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A short message after an action, announced to screen readers. */
export function Notice({ kind, children }: { kind: 'success' | 'error' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {kind === 'error' && <AlertIcon />}
      <div>{children}</div>
    </div>
  );
}
