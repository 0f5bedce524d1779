import {
  AMOUNT_MINOR_MAX,
  add,
  addDays,
  addMonths,
  CURRENCIES,
  civilFromDay,
  DAY_MAX,
  DAY_MIN,
  type Day,
  dayCountDays,
  divide,
  divideRounded,
  formatMinor,
  type InterestRate,
  invariant,
  multiply,
  nominalAnnualRate,
  ONE,
  parseDecimal,
  type Rational,
  type RoundingMode,
  rational,
  subtract,
  yearFraction,
} from '../money/index.js';
import { LedgerInputError } from './errors.js';
import type { FeeSettings, Frequency, Product } from './product.js';
import type { Installment, Schedule } from './schedule-types.js';

/**
 * Repayment schedules (还款计划) for the five methods. Pure and exact: rates are rationals, amounts are
 * integer fen, and every rounding is the product's named mode at the product's scale. The formulas are
 * written out in docs/ledger-products.md.
 */

/** Periods in a year for the `nominal` periodic-rate basis (annual nominal rate ÷ this). */
export const PERIODS_PER_YEAR: Readonly<Record<Frequency, number>> = {
  monthly: 12,
  biweekly: 26,
  weekly: 52,
};

/** Days between due dates for the weekly frequencies. */
const FREQUENCY_DAYS: Readonly<Record<Exclude<Frequency, 'monthly'>, number>> = { biweekly: 14, weekly: 7 };

/** The product's contract rate as an exact rational. */
export function contractRate(product: Product): InterestRate {
  return { value: parseDecimal(product.rate.value, 'rate.value'), per: product.rate.per };
}

/**
 * The minor units one step of the product's rounding scale is worth: scale 2 → 1 fen, 1 → 10 fen (a jiao),
 * 0 → 100 fen (a yuan).
 */
export function roundingUnitMinor(product: Product): bigint {
  const currencyScale = CURRENCIES[product.currency].scale;
  invariant(
    product.rounding.scale <= currencyScale,
    () => `rounding scale ${product.rounding.scale} exceeds ${product.currency}'s ${currencyScale} decimals`,
  );
  return 10n ** BigInt(currencyScale - product.rounding.scale);
}

/** An exact amount in minor units rounded to a whole number of `unitMinor` by the named mode. */
export function roundToUnit(valueMinor: Rational, unitMinor: bigint, mode: RoundingMode): bigint {
  return divideRounded(valueMinor.num, valueMinor.den * unitMinor, mode) * unitMinor;
}

/**
 * Due dates of a schedule. Monthly: the start day's day-of-month k months on, clamped to the month's end
 * (a 31 January start falls due on 28/29 February, then 31 March). Weekly/biweekly: every 7/14 days.
 * Pay any time: one maturity date `termCount` months on.
 */
export function dueDays(product: Product, startDay: Day): Day[] {
  const anchor = civilFromDay(startDay).day;
  if (product.method === 'pay-any-time') return [addMonths(startDay, product.termCount, anchor)];
  const days: Day[] = [];
  for (let k = 1; k <= product.termCount; k++) {
    days.push(
      product.frequency === 'monthly'
        ? addMonths(startDay, k, anchor)
        : addDays(startDay, k * FREQUENCY_DAYS[product.frequency]),
    );
  }
  return days;
}

/**
 * The exact interest rate of one period [periodStart, periodEnd).
 * - `actual-days`: a daily rate × the days the day count counts (actual days, or 30 a month between
 *   same-numbered days for 30/360 — February due dates clamped to the month end count 28 to 30); an
 *   annual rate × the day count's year fraction (annual ÷ 365, ÷ 360 or per calendar year for ACT/ACT,
 *   per day). This is exactly what daily accrual charges over the period.
 * - `nominal`: the nominal annual rate (a daily rate × the day count's days per year) ÷ periods per year;
 *   for pay-any-time, ÷ 12 × the months of the term.
 */
export function periodRate(
  product: Product,
  periodStart: Day,
  periodEnd: Day,
  rate: InterestRate = contractRate(product),
): Rational {
  if (product.periodicRateBasis === 'nominal') {
    const annual = nominalAnnualRate(rate, product.dayCount);
    if (product.method === 'pay-any-time') return multiply(annual, rational(product.termCount, 12));
    return divide(annual, rational(PERIODS_PER_YEAR[product.frequency]));
  }
  if (rate.per === 'day')
    return multiply(rate.value, rational(dayCountDays(periodStart, periodEnd, product.dayCount)));
  return multiply(rate.value, yearFraction(periodStart, periodEnd, product.dayCount));
}

/** The fee amounts of a drawdown, rounded by the product's mode and scale. */
export function feeAmounts(
  product: Product,
  principalMinor: number,
): { upfrontMinor: bigint; perInstallmentMinor: bigint } {
  const unit = roundingUnitMinor(product);
  let upfrontMinor = 0n;
  let perInstallmentMinor = 0n;
  for (const fee of product.fees) {
    const amount = feeAmountMinor(fee, product, principalMinor, unit);
    if (fee.kind === 'upfront') upfrontMinor += amount;
    else perInstallmentMinor += amount;
  }
  return { upfrontMinor, perInstallmentMinor };
}

function feeAmountMinor(fee: FeeSettings, product: Product, principalMinor: number, unit: bigint): bigint {
  const value = parseDecimal(fee.value, `fees.${fee.name}.value`);
  if (fee.basis === 'fixed') {
    // A fixed fee is written in major units; it is charged as written (validation keeps it to the currency's decimals).
    const minor = multiply(value, rational(10n ** BigInt(CURRENCIES[product.currency].scale)));
    invariant(
      minor.den === 1n,
      () => `fixed fee ${fee.name} = ${fee.value} is finer than the currency's minor unit`,
    );
    return minor.num;
  }
  return roundToUnit(multiply(value, rational(principalMinor)), unit, product.rounding.mode);
}

/**
 * The level payment of an equal-instalment schedule, exactly. With per-period rates r_1…r_n (equal under
 * `nominal`, each period's own under `actual-days`), the balance after paying A each period is
 *   B_n = P·Π(1+r_j) − A·Σ_k Π_{j>k}(1+r_j),
 * and the A that makes B_n exactly 0 is
 *   A = P·Π_{j=1..n}(1+r_j) / Σ_{k=1..n} Π_{j=k+1..n}(1+r_j).
 * With equal rates this is the textbook P·r(1+r)^n / ((1+r)^n − 1); with all rates 0 it is P/n.
 */
export function levelPayment(principalMinor: number, rates: readonly Rational[]): Rational {
  const { num, den } = levelPaymentFraction(principalMinor, rates);
  return rational(num, den);
}

/**
 * The level payment as a fraction not reduced to lowest terms (den > 0): rounding needs only the quotient, and
 * the gcd of the two products of all the periods' rates was most of a schedule's cost.
 */
function levelPaymentFraction(
  principalMinor: number,
  rates: readonly Rational[],
): { num: bigint; den: bigint } {
  invariant(rates.length > 0, 'levelPayment needs at least one period');
  // With r_j = a_j / b_j, put everything over Π b_j so that no step needs a gcd of huge numbers:
  //   Π_{j=1..n}(1+r_j)            = Π(a_j + b_j) / Π b_j
  //   Σ_k Π_{j=k+1..n}(1+r_j)      = Σ_k [Π_{j≤k} b_j · Π_{j>k}(a_j + b_j)] / Π b_j
  // so A = P · Π(a_j + b_j) / Σ_k [Π_{j≤k} b_j · Π_{j>k}(a_j + b_j)] (levelPayment reduces it once).
  const n = rates.length;
  const headDen: bigint[] = new Array<bigint>(n + 1); // headDen[k] = Π_{j<k} b_j (0-based j)
  headDen[0] = 1n;
  for (let j = 0; j < n; j++) headDen[j + 1] = headDen[j]! * rates[j]!.den;
  let tail = 1n; // Π_{j≥k}(a_j + b_j), built from the last period backwards
  let annuity = 0n;
  for (let k = n; k >= 1; k--) {
    // Term for instalment k (1-based): Π_{j≤k} b_j · Π_{j>k}(a_j + b_j).
    annuity += headDen[k]! * tail;
    const r = rates[k - 1]!;
    tail *= r.num + r.den;
  }
  return { num: BigInt(principalMinor) * tail, den: annuity };
}

/** Largest number of instalments a schedule may have (30 years of months; 360 weeks). */
export const TERM_COUNT_MAX = 360;

function checkInputs(product: Product, principalMinor: number, startDay: Day): void {
  if (!Number.isSafeInteger(principalMinor) || principalMinor <= 0 || principalMinor > AMOUNT_MINOR_MAX) {
    throw new LedgerInputError(
      'principal_out_of_range',
      'principalMinor',
      `principal must be a whole number of fen from 1 to ${AMOUNT_MINOR_MAX}, got ${principalMinor}; give the amount borrowed, e.g. 1000000 for 10,000.00 yuan`,
    );
  }
  if (!Number.isInteger(startDay) || startDay < DAY_MIN || startDay > DAY_MAX) {
    throw new LedgerInputError(
      'start_out_of_range',
      'startDay',
      `start day ${startDay} is outside 1900-01-01 … 2199-12-31; give the drawdown date`,
    );
  }
  invariant(
    Number.isInteger(product.termCount) && product.termCount >= 1 && product.termCount <= TERM_COUNT_MAX,
    () => `product termCount ${product.termCount} was not validated (parseProduct refuses it)`,
  );
}

/**
 * The repayment schedule of a drawdown of `principalMinor` on `startDay` under `product`.
 *
 * - equal-instalment (等额本息): the level payment A (see `levelPayment`) rounded once by the product's mode
 *   and scale; each period's interest is the remaining principal × the period's rate, rounded the same way;
 *   principal = A − interest; the last instalment takes whatever principal remains, so the principals sum
 *   exactly to the principal and the remaining principal ends at 0.
 * - equal-principal (等额本金): principal P/n rounded by the product, the last takes the remainder; interest
 *   on the remaining principal. When the rounded share would leave the last instalment nothing, the
 *   principal is split evenly instead (`evenShares`).
 * - flat-rate (等本等息): principal parts as equal-principal; each period's interest is the principal borrowed
 *   × the period's rate, rounded the same way (the APR, as an IRR, is nearly twice the quoted rate).
 * - interest-first (先息后本): interest each period, all the principal with the last.
 * - pay-any-time (随借随还): one instalment at maturity (`termCount` months on) with the interest that accrues
 *   if nothing is repaid early; the engine accrues daily on what is actually outstanding.
 *
 * Fees: upfront fees are charged on the drawdown day (`upfrontFeeMinor`, in no instalment); per-instalment
 * fees are added to every instalment. Throws `LedgerInputError` for an impossible drawdown (principal out
 * of range, upfront fees not below the principal, a due date past 2199-12-31).
 *
 * `options.dueDays` replaces the due dates the product would give (and so the number of instalments):
 * re-amortising the rest of a loan over its contract's remaining due dates keeps each period's actual
 * days, where a fresh schedule from a mid-loan start day could anchor on a different day of the month.
 */
export function buildSchedule(
  product: Product,
  principalMinor: number,
  startDay: Day,
  options: ScheduleOptions = {},
): Schedule {
  checkInputs(product, principalMinor, startDay);
  const unit = roundingUnitMinor(product);
  const mode = product.rounding.mode;
  const fees = feeAmounts(product, principalMinor);
  if (fees.upfrontMinor >= BigInt(principalMinor)) {
    throw new LedgerInputError(
      'upfront_fee_exceeds_principal',
      'fees',
      `upfront fees of ${formatMinor(Number(fees.upfrontMinor), product.currency)} are not below the principal ${formatMinor(principalMinor, product.currency)}; lower the fees or borrow more`,
    );
  }
  const dues =
    options.dueDays === undefined
      ? dueDays(product, startDay)
      : checkedDueDays(product, startDay, options.dueDays);
  const lastDue = dues[dues.length - 1]!;
  if (lastDue > DAY_MAX) {
    throw new LedgerInputError(
      'maturity_out_of_range',
      'termCount',
      `the last instalment would fall due after 2199-12-31; start earlier or shorten the term`,
    );
  }
  const starts = dues.map((_, k) => (k === 0 ? startDay : dues[k - 1]!));
  const rate = contractRate(product);
  const rates = dues.map((due, k) => periodRate(product, starts[k]!, due, rate));
  const n = dues.length;
  const principal = BigInt(principalMinor);
  const flat = product.method === 'flat-rate';
  const interestOf = (remainingMinor: bigint, r: Rational): bigint =>
    divideRounded((flat ? principal : remainingMinor) * r.num, r.den * unit, mode) * unit;
  const principals = scheduledPrincipals(product, principal, rates, unit, interestOf);

  const installments: Installment[] = [];
  let remaining = principal;
  let totalInterest = 0n;
  let totalFee = 0n;
  for (let k = 0; k < n; k++) {
    // Interest on what is left before this instalment (for 等本等息: on the principal borrowed).
    const interest = remaining === 0n ? 0n : interestOf(remaining, rates[k]!);
    const principalPart = principals[k]!;
    remaining -= principalPart;
    const fee = fees.perInstallmentMinor;
    totalInterest += interest;
    totalFee += fee;
    installments.push(
      Object.freeze({
        number: k + 1,
        startDay: starts[k]!,
        dueDay: dues[k]!,
        principalMinor: toMinor(principalPart, 'principal'),
        interestMinor: toMinor(interest, 'interest'),
        feeMinor: toMinor(fee, 'fee'),
        totalMinor: toMinor(principalPart + interest + fee, 'instalment total'),
        remainingPrincipalMinor: toMinor(remaining, 'remaining principal'),
      }),
    );
  }
  const schedule: Schedule = Object.freeze({
    principalMinor,
    startDay,
    installments: Object.freeze(installments),
    totalInterestMinor: toMinor(totalInterest, 'total interest'),
    totalFeeMinor: toMinor(totalFee, 'total fee'),
    upfrontFeeMinor: toMinor(fees.upfrontMinor, 'upfront fee'),
  });
  assertScheduleInvariants(schedule);
  return schedule;
}

export interface ScheduleOptions {
  /** Due dates to use instead of the product's: strictly increasing, after the start day. */
  readonly dueDays?: readonly Day[];
}

function checkedDueDays(product: Product, startDay: Day, given: readonly Day[]): Day[] {
  const fault = (message: string): never => {
    throw new LedgerInputError('invalid_due_days', 'dueDays', `dueDays ${message}`);
  };
  if (given.length === 0 || given.length > TERM_COUNT_MAX) fault(`must list 1 to ${TERM_COUNT_MAX} dates`);
  if (product.method === 'pay-any-time' && given.length !== 1)
    fault('must be one maturity date for pay-any-time');
  let previous = startDay;
  for (const day of given) {
    if (!Number.isInteger(day) || day <= previous)
      fault('must be whole days, each after the one before and after the start day');
    previous = day;
  }
  return [...given];
}

/**
 * The principal part of each instalment. Equal shares (等额本金, 等本等息, and 等额本息 at a zero rate, where
 * the level payment is P/n): P/n rounded by the product's mode and scale, the last taking the remainder —
 * unless that leaves the last nothing or less (P/n rounded up by more than the last can bear, e.g. 5.94
 * over 36: 0.17 × 35 > 5.94); then `evenShares`. Level payments (等额本息): see `levelPrincipals`.
 */
function scheduledPrincipals(
  product: Product,
  principal: bigint,
  rates: readonly Rational[],
  unit: bigint,
  interestOf: (remaining: bigint, r: Rational) => bigint,
): bigint[] {
  const n = rates.length;
  const mode = product.rounding.mode;
  switch (product.method) {
    case 'equal-installment':
      if (rates.every((r) => r.num === 0n)) return equalShares(principal, n, unit, mode);
      return levelPrincipals(principal, rates, unit, mode, interestOf);
    case 'equal-principal':
    case 'flat-rate':
      return equalShares(principal, n, unit, mode);
    case 'interest-first':
    case 'pay-any-time': {
      const amounts = new Array<bigint>(n).fill(0n);
      amounts[n - 1] = principal;
      return amounts;
    }
  }
}

/** P/n rounded by `mode` to whole `unit`s, the last taking the remainder; `evenShares` if the last would get nothing. */
export function equalShares(principal: bigint, n: number, unit: bigint, mode: RoundingMode): bigint[] {
  const each = roundToUnit(rational(principal, n), unit, mode);
  const last = principal - each * BigInt(n - 1);
  if (last <= 0n) return evenShares(principal, n, unit);
  const amounts = new Array<bigint>(n).fill(each);
  amounts[n - 1] = last;
  return amounts;
}

/**
 * The principal split into `n` parts of whole `unit`s as even as can be: each gets ⌊P ÷ unit ÷ n⌋ units,
 * the first (P ÷ unit mod n) one unit more, and the last also the part of P below one unit. No part is
 * zero when P is at least n units (5.94 over 36 at the fen: eighteen 0.17, then eighteen 0.16). Parts
 * fall by at most one unit, so no instalment is larger than the first.
 */
export function evenShares(principal: bigint, n: number, unit: bigint): bigint[] {
  const units = principal / unit;
  const base = units / BigInt(n);
  const extra = Number(units % BigInt(n));
  const amounts: bigint[] = [];
  for (let k = 0; k < n; k++) amounts.push((base + (k < extra ? 1n : 0n)) * unit);
  amounts[n - 1]! += principal % unit;
  return amounts;
}

/**
 * 等额本息 principal parts: the level payment A (see `levelPayment`) rounded by the product's mode and scale,
 * each part A − that period's interest, the last taking what remains. Rounding A up can repay the principal
 * before the last due date (at a near-zero rate, or rounding to whole yuan), which would leave instalments
 * of 0.00: then A is lowered one unit at a time until the principal lasts to the last instalment (which
 * then takes the few units more).
 */
function levelPrincipals(
  principal: bigint,
  rates: readonly Rational[],
  unit: bigint,
  mode: RoundingMode,
  interestOf: (remaining: bigint, r: Rational) => bigint,
): bigint[] {
  const n = rates.length;
  // Rounded from the unreduced fraction: the same quotient, so the same payment, without the gcd.
  let payment = roundToUnit(levelPaymentFraction(Number(principal), rates), unit, mode);
  for (;;) {
    const amounts: bigint[] = [];
    let remaining = principal;
    for (let k = 0; k < n - 1 && remaining > 0n; k++) {
      let part = payment - interestOf(remaining, rates[k]!);
      if (part < 0n) part = 0n;
      if (part > remaining) part = remaining;
      amounts.push(part);
      remaining -= part;
    }
    if (remaining > 0n || payment <= 0n) {
      amounts.push(remaining);
      while (amounts.length < n) amounts.push(0n);
      return amounts;
    }
    payment -= unit;
  }
}

function toMinor(value: bigint, what: string): number {
  invariant(value >= 0n, () => `schedule ${what} is negative: ${value}`);
  const result = Number(value);
  invariant(Number.isSafeInteger(result), () => `schedule ${what} ${value} is not a safe integer`);
  return result;
}

/**
 * The invariants every schedule keeps, asserted whenever one is built: principals sum exactly to the
 * principal; no amount is negative; each total is principal + interest + fee; the remaining principal
 * never rises and ends at 0; due dates strictly increase; the totals are the sums of the instalments.
 */
export function assertScheduleInvariants(schedule: Schedule): void {
  let remaining = schedule.principalMinor;
  let previousDue = schedule.startDay;
  let principalSum = 0;
  let interestSum = 0;
  let feeSum = 0;
  for (const item of schedule.installments) {
    invariant(item.dueDay > previousDue, () => `instalment ${item.number} is not due after the previous one`);
    invariant(
      item.principalMinor >= 0 && item.interestMinor >= 0 && item.feeMinor >= 0,
      () => `instalment ${item.number} has a negative amount`,
    );
    invariant(
      item.totalMinor === item.principalMinor + item.interestMinor + item.feeMinor,
      () => `instalment ${item.number} total is not principal + interest + fee`,
    );
    invariant(
      item.remainingPrincipalMinor === remaining - item.principalMinor,
      () => `instalment ${item.number} remaining principal does not follow from the previous one`,
    );
    invariant(
      item.remainingPrincipalMinor <= remaining,
      () => `instalment ${item.number} raises the principal`,
    );
    remaining = item.remainingPrincipalMinor;
    previousDue = item.dueDay;
    principalSum += item.principalMinor;
    interestSum += item.interestMinor;
    feeSum += item.feeMinor;
  }
  invariant(principalSum === schedule.principalMinor, 'schedule principals do not sum to the principal');
  invariant(remaining === 0, 'schedule does not end with the principal repaid');
  invariant(interestSum === schedule.totalInterestMinor, 'schedule total interest is not the sum');
  invariant(feeSum === schedule.totalFeeMinor, 'schedule total fee is not the sum');
}

/** Exact residual used by tests and docs: the balance left after paying `payment` each period. */
export function residualAfterLevelPayments(
  principalMinor: number,
  rates: readonly Rational[],
  payment: Rational,
): Rational {
  let balance = rational(principalMinor);
  for (const r of rates) balance = subtract(multiply(balance, add(ONE, r)), payment);
  return balance;
}
