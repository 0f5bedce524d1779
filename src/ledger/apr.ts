import {
  compare,
  type Day,
  dayFromCivil,
  formatDecimal,
  invariant,
  nominalAnnualRate,
  parseDecimal,
  toNumber,
  yearFraction,
} from '../money/index.js';
import { LedgerInputError } from './errors.js';
import type { Product } from './product.js';
import { buildSchedule, contractRate, PERIODS_PER_YEAR } from './schedule.js';
import type { Installment, Schedule } from './schedule-types.js';

/**
 * APR including all fees (年化利率, 综合年化成本), IRR-based (PBOC Announcement [2021] No. 3; domain.md §1).
 *
 * The borrower receives the drawdown D = principal − upfront fees on day 0 and pays each instalment's
 * total T_k (principal + interest + fees) at time t_k. The APR r is the rate, compounded m times a year,
 * at which the payments are worth the drawdown:
 *   D = Σ_k T_k · (1 + r/m)^(−m · t_k)        (t_k in years; i = r/m is the periodic IRR)
 * - `irr-nominal` (default; the IRR method of 年化利率 disclosure in China): m = periods per year (12
 *   monthly, 26 biweekly, 52 weekly; pay-any-time has one period, its term: m = 1 ÷ the term in years) and the
 *   APR is the periodic IRR × m, not compounded ("monthly IRR × 12"). Time is counted as the product
 *   counts it: under the `nominal` periodic-rate basis every period is one m-th of a year (t_k = k/m,
 *   the textbook IRR); under `actual-days` t_k is the day count's year fraction from the drawdown to the
 *   due date (days/365 for ACT/365F). So a fee-free schedule's APR is its nominal annual contract rate
 *   (0.0005/day → 18.25%) up to rounding, and every fee shows as the excess over it.
 * - `irr-effective`: m = 1 and t_k = actual days ÷ 365 for every product: (1 + r)^(days/365)
 *   discounting as XIRR does; the effective annual rate, higher than the nominal one whenever there is
 *   more than one period a year.
 *
 * The IRR is a rate, not money: it is solved in floating point (bracketed Newton with bisection fallback)
 * to `APR_TOLERANCE`, and returned as a decimal string with `APR_DECIMALS` decimals.
 */
export type AprConvention = 'irr-nominal' | 'irr-effective';

export const APR_CONVENTIONS: readonly AprConvention[] = ['irr-nominal', 'irr-effective'];

/** The solver stops when the bracket on the periodic rate is narrower than this. */
export const APR_TOLERANCE = 1e-10;
/** Decimals in the returned APR string: "0.182500". */
export const APR_DECIMALS = 6;
/** The solver's iteration bound (bisection alone halves a bracket of width ≤ 2^10 past 1e-10 in ~75 steps). */
const APR_ITERATIONS_MAX = 200;
/** Upper end of the search for the periodic rate: no drawdown has a periodic IRR above 1000 (100,000%). */
const PERIODIC_RATE_MAX = 1000;

/** The drawdown used when a product's APR is quoted without one: 10,000.00 yuan on 2026-01-15. */
export const REPRESENTATIVE_PRINCIPAL_MINOR = 1_000_000;
export const REPRESENTATIVE_START_DAY: Day = dayFromCivil(2026, 1, 15);

export interface AprOptions {
  readonly convention?: AprConvention;
}

interface CashFlow {
  /** Time of the payment in periods (1/m year each). */
  readonly time: number;
  readonly amountMinor: number;
}

/** The APR of a schedule as a decimal string, e.g. "0.182500". */
export function aprOf(schedule: Schedule, product: Product, options: AprOptions = {}): string {
  return aprNumber(schedule, product, options).toFixed(APR_DECIMALS);
}

/** The APR of a schedule as a float (for comparisons and statistics; never for money). */
export function aprNumber(schedule: Schedule, product: Product, options: AprOptions = {}): number {
  const convention = options.convention ?? 'irr-nominal';
  const drawdownMinor = schedule.principalMinor - schedule.upfrontFeeMinor;
  invariant(drawdownMinor > 0, 'the drawdown net of upfront fees must be positive');
  const perYear = periodsPerYear(schedule, product, convention);
  const flows: CashFlow[] = schedule.installments.map((item) => ({
    time: periodsFromStart(schedule, item, product, convention, perYear),
    amountMinor: item.totalMinor,
  }));
  return solveIrr(drawdownMinor, flows) * perYear;
}

/**
 * m. Pay-any-time has one period, its whole term: m = 1 ÷ the term in years (12 ÷ termCount under the
 * nominal basis, 1 ÷ the day count's year fraction to maturity under actual days), so that its APR is the
 * simple annual rate of the one payment.
 */
function periodsPerYear(schedule: Schedule, product: Product, convention: AprConvention): number {
  if (convention === 'irr-effective') return 1;
  if (product.method !== 'pay-any-time') return PERIODS_PER_YEAR[product.frequency];
  if (product.periodicRateBasis === 'nominal') return 12 / product.termCount;
  const maturity = schedule.installments[schedule.installments.length - 1]!.dueDay;
  return 1 / toNumber(yearFraction(schedule.startDay, maturity, product.dayCount));
}

/** The time of an instalment in periods of 1/m year, as the convention and the product count it. */
function periodsFromStart(
  schedule: Schedule,
  item: Installment,
  product: Product,
  convention: AprConvention,
  perYear: number,
): number {
  if (convention === 'irr-effective') return (item.dueDay - schedule.startDay) / 365;
  if (product.periodicRateBasis === 'nominal') return product.method === 'pay-any-time' ? 1 : item.number;
  return toNumber(yearFraction(schedule.startDay, item.dueDay, product.dayCount)) * perYear;
}

/** Present value of the flows at periodic rate i, minus the drawdown; and its derivative in i. */
function netPresentValue(drawdownMinor: number, flows: readonly CashFlow[], i: number): [number, number] {
  let value = -drawdownMinor;
  let slope = 0;
  for (const flow of flows) {
    const discount = (1 + i) ** -flow.time;
    value += flow.amountMinor * discount;
    slope -= (flow.time * flow.amountMinor * discount) / (1 + i);
  }
  return [value, slope];
}

/**
 * The i ≥ 0 with NPV(i) = 0. NPV falls strictly as i rises (all flows after day 0 are payments), and
 * NPV(0) = Σ payments − drawdown ≥ 0 because the borrower repays at least the principal, so the root is
 * bracketed by [0, hi] once NPV(hi) < 0. Newton steps that leave the bracket are replaced by bisection.
 */
function solveIrr(drawdownMinor: number, flows: readonly CashFlow[]): number {
  const [atZero] = netPresentValue(drawdownMinor, flows, 0);
  invariant(atZero >= 0, 'scheduled payments are less than the drawdown');
  if (atZero === 0) return 0;
  let lo = 0;
  let hi = 1;
  while (netPresentValue(drawdownMinor, flows, hi)[0] > 0) {
    hi *= 2;
    invariant(hi <= PERIODIC_RATE_MAX, 'IRR above the search bound');
  }
  let x = hi / 2;
  for (let step = 0; step < APR_ITERATIONS_MAX; step++) {
    const [value, slope] = netPresentValue(drawdownMinor, flows, x);
    if (value === 0) return x;
    if (value > 0) lo = x;
    else hi = x;
    const newtonStep = slope < 0 ? value / slope : Number.NaN;
    const newton = x - newtonStep;
    if (Math.abs(newtonStep) < APR_TOLERANCE && newton >= lo && newton <= hi) return newton;
    if (hi - lo < APR_TOLERANCE) return (lo + hi) / 2;
    x = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  invariant(false, 'IRR solver did not converge');
}

/** The APR of a representative drawdown under the product (default: 10,000.00 yuan on 2026-01-15). */
export function aprForProduct(
  product: Product,
  principalMinor: number = REPRESENTATIVE_PRINCIPAL_MINOR,
  startDay: Day = REPRESENTATIVE_START_DAY,
  options: AprOptions = {},
): string {
  return aprOf(buildSchedule(product, principalMinor, startDay), product, options);
}

/**
 * Refuses a product whose APR (all fees, `irr-nominal`) exceeds its `aprCap`, for the representative
 * drawdown or the one given. Fixed fees weigh more on small drawdowns: the CLI also checks each actual
 * schedule with `assertScheduleWithinAprCap`.
 */
export function assertWithinAprCap(
  product: Product,
  principalMinor: number = REPRESENTATIVE_PRINCIPAL_MINOR,
  startDay: Day = REPRESENTATIVE_START_DAY,
): void {
  assertScheduleWithinAprCap(buildSchedule(product, principalMinor, startDay), product);
}

/** Refuses a schedule whose APR (all fees, `irr-nominal`) exceeds the product's `aprCap`. */
export function assertScheduleWithinAprCap(schedule: Schedule, product: Product): void {
  const apr = aprOf(schedule, product);
  const cap = parseDecimal(product.aprCap, 'aprCap');
  // Compared exactly on the rounded decimal: an APR that rounds to the cap is at the cap.
  if (compare(parseDecimal(apr, 'apr'), cap) > 0) {
    const percent = (Number(apr) * 100).toFixed(2);
    throw new LedgerInputError(
      'apr_above_cap',
      'aprCap',
      `the APR including all fees is ${percent}% (${apr}), above the cap of ${(Number(product.aprCap) * 100).toFixed(2)}% (aprCap ${product.aprCap}); lower the rate or the fees, or raise aprCap if your licence allows`,
    );
  }
}

/**
 * The product's nominal annual contract rate as a decimal string (no fees, no compounding): a daily rate ×
 * the day count's days per year (0.0005/day at ACT/365F → "0.182500"), an annual rate as it is.
 */
export function nominalAnnualRateOf(product: Product): string {
  return formatDecimal(nominalAnnualRate(contractRate(product), product.dayCount), APR_DECIMALS, 'half-even');
}
