import type { FastifyInstance } from 'fastify';
import { BUCKETS, type Bucket } from '../../ledger/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import {
  getBusinessDay,
  type PortfolioCell,
  portfolioCells,
  portfolioTrend,
  TREND_MONTHS_MAX,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { bearerSecurity, problemResponses } from '../http/schemas.js';

const money = { type: 'string' } as const;
/** A share in [0, 1] as a decimal string with RATE_DECIMALS places. */
const rate = {
  type: 'string',
  description: 'A share from 0 to 1 as a decimal string, e.g. "0.0523"',
} as const;

/** Places of a share: 0.01 % resolution. */
const RATE_DECIMALS = 4;
/** Trend months when none are asked for. */
const TREND_MONTHS_DEFAULT = 12;

/** numerator / denominator rounded half-up to RATE_DECIMALS places, exactly (bigint); 0 when empty. */
export function shareText(numerator: number, denominator: number): string {
  if (denominator === 0) return `0.${'0'.repeat(RATE_DECIMALS)}`;
  const scale = 10n ** BigInt(RATE_DECIMALS);
  const scaled = (BigInt(numerator) * scale * 2n + BigInt(denominator)) / (BigInt(denominator) * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(RATE_DECIMALS, '0');
  return `${whole}.${fraction}`;
}

interface Totals {
  loans: number;
  outstanding: number;
  overdue: number;
}

function add(into: Totals, cell: PortfolioCell): void {
  into.loans += cell.loans;
  into.outstanding += cell.outstandingPrincipalMinor;
  into.overdue += cell.overduePrincipalMinor;
}

const zero = (): Totals => ({ loans: 0, outstanding: 0, overdue: 0 });

/** The summary of active loans: totals, buckets M0…M7 (all eight, zeros included) and products. */
export function summarise(cells: readonly PortfolioCell[]) {
  const total = zero();
  const pastDue = zero();
  const byBucket = new Map<Bucket, Totals>(BUCKETS.map((b) => [b, zero()]));
  const byProduct = new Map<string, Totals & { pastDue: Totals }>();
  for (const cell of cells) {
    add(total, cell);
    add(byBucket.get(cell.bucket) ?? zero(), cell);
    let product = byProduct.get(cell.productId);
    if (product === undefined) {
      product = { ...zero(), pastDue: zero() };
      byProduct.set(cell.productId, product);
    }
    add(product, cell);
    if (cell.bucket !== 'M0') {
      add(pastDue, cell);
      add(product.pastDue, cell);
    }
  }
  return {
    loans: total.loans,
    outstandingPrincipal: formatMinor(total.outstanding),
    overduePrincipal: formatMinor(total.overdue),
    pastDueLoans: pastDue.loans,
    pastDuePrincipal: formatMinor(pastDue.outstanding),
    overdueRateByBalance: shareText(pastDue.outstanding, total.outstanding),
    overdueRateByCount: shareText(pastDue.loans, total.loans),
    buckets: BUCKETS.map((bucket) => {
      const t = byBucket.get(bucket) ?? zero();
      return {
        bucket,
        loans: t.loans,
        outstandingPrincipal: formatMinor(t.outstanding),
        shareOfBalance: shareText(t.outstanding, total.outstanding),
      };
    }),
    products: [...byProduct.entries()].map(([productId, t]) => ({
      productId,
      loans: t.loans,
      outstandingPrincipal: formatMinor(t.outstanding),
      pastDueLoans: t.pastDue.loans,
      pastDuePrincipal: formatMinor(t.pastDue.outstanding),
      overdueRateByBalance: shareText(t.pastDue.outstanding, t.outstanding),
    })),
  };
}

const summaryResponse = {
  type: 'object',
  required: [
    'asOf',
    'loans',
    'outstandingPrincipal',
    'overduePrincipal',
    'pastDueLoans',
    'pastDuePrincipal',
    'overdueRateByBalance',
    'overdueRateByCount',
    'buckets',
    'products',
  ],
  properties: {
    asOf: { type: 'string', description: 'The business day; loans stand as closed by the end-of-day batch' },
    loans: { type: 'integer', description: 'Active loans' },
    outstandingPrincipal: money,
    overduePrincipal: { ...money, description: 'Unpaid principal of instalments past their grace period' },
    pastDueLoans: { type: 'integer', description: 'Active loans in M1…M7 (1 DPD or more)' },
    pastDuePrincipal: { ...money, description: 'All outstanding principal of the loans in M1…M7' },
    overdueRateByBalance: { ...rate, description: '逾期率: pastDuePrincipal / outstandingPrincipal' },
    overdueRateByCount: { ...rate, description: 'pastDueLoans / loans' },
    buckets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['bucket', 'loans', 'outstandingPrincipal', 'shareOfBalance'],
        properties: {
          bucket: { type: 'string', enum: [...BUCKETS] },
          loans: { type: 'integer' },
          outstandingPrincipal: money,
          shareOfBalance: rate,
        },
      },
    },
    products: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'productId',
          'loans',
          'outstandingPrincipal',
          'pastDueLoans',
          'pastDuePrincipal',
          'overdueRateByBalance',
        ],
        properties: {
          productId: { type: 'string' },
          loans: { type: 'integer' },
          outstandingPrincipal: money,
          pastDueLoans: { type: 'integer' },
          pastDuePrincipal: money,
          overdueRateByBalance: rate,
        },
      },
    },
  },
} as const;

const trendResponse = {
  type: 'object',
  required: ['through', 'points'],
  properties: {
    through: { type: 'string', description: 'The business day: the last point is as of it' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'month',
          'date',
          'outstandingPrincipal',
          'overduePrincipal',
          'overduePrincipalShare',
          'loansDrawn',
          'drawnPrincipal',
        ],
        properties: {
          month: { type: 'string', description: 'YYYY-MM' },
          date: { type: 'string', description: "The month's last day, or the business day in its month" },
          outstandingPrincipal: {
            ...money,
            description: 'Balance of principal receivable (current + overdue accounts) at the end of date',
          },
          overduePrincipal: {
            ...money,
            description: 'Balance of the overdue principal account (贷款本金—逾期) at the end of date',
          },
          overduePrincipalShare: { ...rate, description: 'overduePrincipal / outstandingPrincipal' },
          loansDrawn: { type: 'integer', description: 'Loans drawn in the month through date' },
          drawnPrincipal: money,
        },
      },
    },
  },
} as const;

export async function portfolioRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const portfolio = { tags: ['portfolio'], security: bearerSecurity };

  app.get(
    '/portfolio/summary',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...portfolio,
        summary:
          'The active book now: outstanding principal, loans, buckets M0…M7, overdue rates and products (SQL aggregates)',
        response: { 200: summaryResponse, ...problemResponses },
      },
    },
    async () => {
      const asOf = await getBusinessDay(deps.db);
      return { asOf: formatDate(asOf), ...summarise(await portfolioCells(deps.db)) };
    },
  );

  app.get<{ Querystring: { months: number } }>(
    '/portfolio/trend',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...portfolio,
        summary:
          'Month-end principal balances from the journal and the drawdowns of each month, for the last ?months= months',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            months: {
              type: 'integer',
              minimum: 1,
              maximum: TREND_MONTHS_MAX,
              default: TREND_MONTHS_DEFAULT,
              description: `Months ending with the business day's month, 1 to ${TREND_MONTHS_MAX}`,
            },
          },
        },
        response: { 200: trendResponse, ...problemResponses },
      },
    },
    async (request) => {
      const through = await getBusinessDay(deps.db);
      const points = await portfolioTrend(deps.db, through, request.query.months);
      return {
        through: formatDate(through),
        points: points.map((p) => ({
          month: formatDate(p.monthStart).slice(0, 7),
          date: formatDate(p.day),
          outstandingPrincipal: formatMinor(p.outstandingPrincipalMinor),
          overduePrincipal: formatMinor(p.overduePrincipalMinor),
          overduePrincipalShare: shareText(p.overduePrincipalMinor, p.outstandingPrincipalMinor),
          loansDrawn: p.loansDrawn,
          drawnPrincipal: formatMinor(p.drawnPrincipalMinor),
        })),
      };
    },
  );
}
