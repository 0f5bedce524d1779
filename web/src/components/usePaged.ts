import { useCallback, useEffect, useState } from 'react';
import type { Page } from '../api.js';

/** Rows per page offered in lists; the API allows 1 to 200. */
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const PAGE_SIZE_DEFAULT = 20;

/**
 * Server-side paging with the API's opaque keyset cursors: the cursors of the pages already seen are
 * kept, so "previous" goes back exactly and "next" asks for the page after the last row.
 */
export function usePaged<T>(load: (cursor: string | undefined, limit: number) => Promise<Page<T>>) {
  const [limit, setLimit] = useState<number>(PAGE_SIZE_DEFAULT);
  // The cursors belong to one query: a new query (search, filter) starts again from the first page.
  const [trail, setTrail] = useState<{ load: typeof load; cursors: (string | undefined)[] }>({
    load,
    cursors: [undefined],
  });
  const cursors = trail.load === load ? trail.cursors : [undefined];
  const setCursors = useCallback(
    (update: (c: (string | undefined)[]) => (string | undefined)[]) =>
      setTrail((t) => ({ load, cursors: update(t.load === load ? t.cursors : [undefined]) })),
    [load],
  );
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load(cursor, limit)
      .then(
        (p) => current && setPage(p),
        (e: unknown) => current && setError(e),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [load, cursor, limit]);

  const next = useCallback(() => {
    const after = page?.nextCursor;
    if (after) setCursors((c) => [...c, after]);
  }, [page, setCursors]);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), [setCursors]);
  const changeLimit = useCallback(
    (n: number) => {
      setLimit(n);
      setCursors(() => [undefined]);
    },
    [setCursors],
  );

  return {
    items: page?.items ?? [],
    loading,
    error,
    pageNumber: cursors.length,
    hasNext: page?.nextCursor != null,
    hasPrevious: cursors.length > 1,
    next,
    previous,
    limit,
    changeLimit,
  };
}
