// Loading data for a screen: loading / error / data states, reload on demand, after any change
// made in the app (announceChange), when the tab regains focus, and optionally on a timer.
// A reload keeps the old data on screen, so numbers update in place without a flash.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

const changes = new EventTarget();

/** Tells every mounted view that data changed (after an admin action), so they reload. */
export function announceChange(): void {
  changes.dispatchEvent(new Event('change'));
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer (data or error). */
  loading: boolean;
  refreshing: boolean;
  updatedAt: Date | undefined;
  reload: () => Promise<void>;
  /** Replace the data with what an action returned (the result shows immediately). */
  setData: (data: T) => void;
}

export interface ResourceOptions {
  refreshEveryMs?: number;
  refreshOnFocus?: boolean;
  /** Skip loading (e.g. a search with no query yet). */
  enabled?: boolean;
  /** Keep showing the previous data while new deps load (filters), instead of a loading state. */
  keepPreviousData?: boolean;
}

export function useResource<T>(load: () => Promise<T>, deps: DependencyList, options: ResourceOptions = {}): Resource<T> {
  const { refreshEveryMs, refreshOnFocus = true, enabled = true, keepPreviousData = false } = options;
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; refreshing: boolean; updatedAt?: Date }>({
    loading: enabled,
    refreshing: false,
  });
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const request = ++latest.current;
    setState((s) => ({ ...s, refreshing: true }));
    try {
      const data = await loadRef.current();
      if (request === latest.current) setState({ data, loading: false, refreshing: false, updatedAt: new Date() });
    } catch (error) {
      // Keep showing the last good data; the error is shown next to it.
      if (request === latest.current) setState((s) => ({ ...s, error, loading: false, refreshing: false }));
    }
  }, []);

  useEffect(() => {
    if (!enabled) {
      latest.current++;
      setState({ loading: false, refreshing: false });
      return;
    }
    setState((s) => (keepPreviousData && s.data !== undefined ? s : { loading: true, refreshing: false }));
    void reload();
    // `deps` says when to load again (the loader itself is read through a ref); the lint config
    // checks each caller's list against its loader (additionalHooks), which it cannot do here.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are spread in on purpose
  }, [enabled, keepPreviousData, reload, ...deps]);

  useEffect(() => {
    if (!enabled) return;
    const onChange = () => void reload();
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    changes.addEventListener('change', onChange);
    if (refreshOnFocus) document.addEventListener('visibilitychange', onVisible);
    const timer = refreshEveryMs
      ? window.setInterval(() => document.visibilityState === 'visible' && void reload(), refreshEveryMs)
      : undefined;
    return () => {
      changes.removeEventListener('change', onChange);
      document.removeEventListener('visibilitychange', onVisible);
      if (timer) window.clearInterval(timer);
    };
  }, [enabled, reload, refreshEveryMs, refreshOnFocus]);

  const setData = useCallback((data: T) => {
    latest.current++;
    setState({ data, loading: false, refreshing: false, updatedAt: new Date() });
  }, []);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    refreshing: state.refreshing,
    updatedAt: state.updatedAt,
    reload,
    setData,
  };
}
