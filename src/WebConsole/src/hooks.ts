import { useCallback, useEffect, useRef, useState } from 'react';
import { useReport } from './errors';

/** Loads data for a page, again when `deps` change, and every `everyMs` while the page is open. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], everyMs?: number) {
  const report = useReport();
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async (quiet = false) => {
    if (!quiet) {
      setLoading(true);
    }
    try {
      setData(await loadRef.current());
    } catch (e) {
      if (!quiet) {
        report(e);
      }
    } finally {
      setLoading(false);
    }
  }, [report]);
  useEffect(() => {
    void reload();
    if (!everyMs) {
      return;
    }
    const timer = setInterval(() => void reload(true), everyMs);
    return () => clearInterval(timer);
  }, [...deps, everyMs, reload]);
  return { data, loading, reload, setData };
}
