/**
 * How a use case's rows reach the database: the store's three write strategies, the only names used for
 * them in code, comments and docs.
 *
 * - `per-table` — the general path: the rows to change are locked, then one statement per table writes
 *   the change. Always correct; every other strategy falls back to it.
 * - `combined` — the whole use case's rows written by one multi-CTE statement guarded by the row versions
 *   read (or under the locks it read with); when the guard fails (a concurrent change) it falls back to
 *   `per-table` by itself.
 * - `batched` — several commands of different loans that arrive together share one read and one
 *   `combined`-style write; a batch that meets a changed row is written again without the changed
 *   commands, which take `per-table`.
 *
 * A route states its domain step once and calls one function per use case; that function picks the
 * strategy and falls back by itself, so the route never knows which strategy ran. Whatever the strategy,
 * what is written is a change planned by the core (for a loan, ledger/change's `LoanChange`), and a test
 * (test/store/writers.test.ts) holds the writers to storing it identically. Bulk writes by COPY (the EOD
 * batch, the synthetic book) are not a strategy of a request's use case: they store the same planned
 * changes for many loans at once.
 */
export const WRITE_STRATEGIES = ['per-table', 'combined', 'batched'] as const;
export type WriteStrategy = (typeof WRITE_STRATEGIES)[number];
