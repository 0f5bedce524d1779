import { type ApiClient, ApiProblem } from '../api.js';

/**
 * The one place the dashboard reads the book from. The ledger's resources (loans with ?asOf, trial
 * balance, EOD runs) are not on the API yet; until they are, this module says so instead of inventing
 * figures, and the Portfolio page shows "no loans yet".
 */

/** Delinquency buckets by days past due (domain.md §3): M0 current … M7 over 180 DPD. */
export const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface BucketShare {
  bucket: Bucket;
  loans: number;
  /** Decimal string of yuan, as the API sends money. */
  outstandingPrincipal: string;
}

export type PortfolioView =
  | { state: 'empty'; reason: 'ledger-api-missing' | 'no-loans' }
  | { state: 'ready'; asOf: string; buckets: BucketShare[] };

/** The path the ledger's loan list will answer on (issue 3: loans with ?asOf=DATE). */
const LOANS_PATH = '/loans';

export async function loadPortfolio(api: ApiClient): Promise<PortfolioView> {
  // The API describes itself; asking it (rather than calling a route that may not exist) keeps a
  // server without the ledger from answering 404s that the browser would log as errors.
  const description = await api.get<{ paths?: Record<string, unknown> }>('/openapi.json');
  if (description.paths?.[LOANS_PATH] === undefined) return { state: 'empty', reason: 'ledger-api-missing' };
  const page = await api.get<{ items: unknown[] }>(LOANS_PATH, { limit: 1 });
  if (page.items.length === 0) return { state: 'empty', reason: 'no-loans' };
  // Loans exist, but the per-bucket aggregate is not served yet: refuse rather than guess.
  throw new ApiProblem(
    501,
    'portfolio_not_wired',
    'Portfolio figures are not wired yet',
    'The server has loans, but this dashboard does not yet read their bucket distribution; update Lendguard.',
    [],
  );
}

/** Every bucket present, zero where the book has none, in bucket order. */
export function completeBuckets(shares: readonly BucketShare[]): BucketShare[] {
  return BUCKETS.map(
    (bucket) => shares.find((s) => s.bucket === bucket) ?? { bucket, loans: 0, outstandingPrincipal: '0.00' },
  );
}
