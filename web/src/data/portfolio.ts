import type { ApiClient } from '../api.js';

/**
 * The one place the dashboard reads the book's figures from: `GET /portfolio/summary` and
 * `GET /portfolio/trend`, aggregates the server computes in SQL. The browser never loads the loans
 * behind a figure; each figure links to the Loans page with the filter that lists them.
 */

/** Delinquency buckets by days past due (domain.md §3): M0 current … M7 over 180 DPD. */
export const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface BucketShare {
  bucket: Bucket;
  loans: number;
  /** Decimal string of yuan, as the API sends money. */
  outstandingPrincipal: string;
  /** Share of the book's outstanding principal, "0.0523". */
  shareOfBalance?: string;
}

export interface ProductFigures {
  productId: string;
  loans: number;
  outstandingPrincipal: string;
  pastDueLoans: number;
  pastDuePrincipal: string;
  overdueRateByBalance: string;
}

export interface PortfolioSummary {
  asOf: string;
  loans: number;
  outstandingPrincipal: string;
  overduePrincipal: string;
  pastDueLoans: number;
  pastDuePrincipal: string;
  overdueRateByBalance: string;
  overdueRateByCount: string;
  buckets: BucketShare[];
  products: ProductFigures[];
}

export interface TrendPoint {
  month: string;
  date: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  overduePrincipalShare: string;
  loansDrawn: number;
  drawnPrincipal: string;
}

export interface PortfolioTrend {
  through: string;
  points: TrendPoint[];
}

export type PortfolioView =
  | { state: 'empty'; summary: PortfolioSummary }
  | { state: 'ready'; summary: PortfolioSummary; trend: PortfolioTrend };

/** Months of trend the page shows. */
export const TREND_MONTHS = 12;

export async function loadPortfolio(api: ApiClient): Promise<PortfolioView> {
  const summary = await api.get<PortfolioSummary>('/portfolio/summary');
  if (summary.loans === 0) return { state: 'empty', summary };
  const trend = await api.get<PortfolioTrend>('/portfolio/trend', { months: TREND_MONTHS });
  return { state: 'ready', summary, trend };
}

/** Every bucket present, zero where the book has none, in bucket order. */
export function completeBuckets(shares: readonly BucketShare[]): BucketShare[] {
  return BUCKETS.map(
    (bucket) => shares.find((s) => s.bucket === bucket) ?? { bucket, loans: 0, outstandingPrincipal: '0.00' },
  );
}

/** "0.0523" → "5.23%": a share shown as a percentage by moving the point, never through a float. */
export function formatShare(share: string): string {
  const match = /^([0-9]+)\.([0-9]{4})$/.exec(share);
  if (match === null) return share;
  const hundredths = BigInt(match[1]!) * 10_000n + BigInt(match[2]!);
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${fraction}%`;
}

/** The Loans page's address for a filter (the figure's loans). */
export function loansLink(filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter))
    if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '/loans' : `/loans?${text}`;
}

/** First and last day of a "YYYY-MM" month up to `date` (the trend point's day). */
export function monthRange(month: string, date: string): { drawnFrom: string; drawnTo: string } {
  return { drawnFrom: `${month}-01`, drawnTo: date };
}
