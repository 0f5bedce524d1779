import {
  addMonths,
  compare,
  type Day,
  formatDate,
  formatMinor,
  monthsBetween,
  parseDecimal,
  type Rational,
  rational,
} from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import type { Product, RepaymentMethod } from '../product.js';
import { buildSchedule } from '../schedule.js';
import type { Installment } from '../schedule-types.js';
import { penaltyOutstandingMinor } from './accrual.js';
import { allocatePayment } from './allocation.js';
import type { EventBuilder } from './builder.js';
import { begin, type CommandResult, checkActive, checkAmount } from './commands.js';
import { daysPastDue } from './days-past-due.js';
import { emitAccrued, emitBucketChange } from './eod.js';
import {
  type ArrearsAmounts,
  DEFAULT_RESTRUCTURING_POLICY,
  type DownPayment,
  RESTRUCTURING_KINDS,
  type RestructureRequest,
  type RestructuringPolicy,
} from './restructure-types.js';
import { settlementOf } from './settlement-types.js';
import type { LoanState } from './state.js';

export interface RestructureInput extends RestructureRequest {
  /** Business day the change takes effect (never a closed day). */
  readonly day: Day;
  readonly clientId: string;
  /** The lender's rules; default `DEFAULT_RESTRUCTURING_POLICY`. */
  readonly policy?: RestructuringPolicy;
}

/** A restructuring as a loan command (the shape the change planner and the command log take). */
export type RestructureCommand = { readonly type: 'restructure' } & RestructureInput;

function refuse(
  code: string,
  field: string,
  message: string,
  params: Readonly<Record<string, string | number>> = {},
): never {
  throw new LedgerInputError(code, field, message, params);
}

function wholeIn(value: number | undefined, min: number, max: number, field: string, what: string): number {
  if (value === undefined) refuse('restructure_field_missing', field, `${field} is required: ${what}`);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    refuse(
      'restructure_months_invalid',
      field,
      `${field} must be a whole number from ${min} to ${max}, got ${value}: ${what}`,
    );
  }
  return value;
}

/** The request's rate, checked below (or, for a rate reduction, strictly below) the current one. */
function newRate(product: Product, request: RestructureRequest): Product['rate'] | null {
  if (request.rateValue === undefined) {
    if (request.kind === 'rate-reduction')
      refuse('restructure_field_missing', 'rateValue', 'rateValue is required: the new rate, e.g. "0.0003"');
    return null;
  }
  let value: Rational;
  try {
    value = parseDecimal(request.rateValue, 'rateValue');
  } catch {
    return refuse(
      'rate_invalid',
      'rateValue',
      `rateValue must be a decimal string such as "0.0003", got ${JSON.stringify(request.rateValue)}`,
    );
  }
  const current = parseDecimal(product.rate.value, 'rate.value');
  const lower = compare(value, current) < 0;
  if (
    compare(value, rational(0)) < 0 ||
    !(lower || (request.kind !== 'rate-reduction' && compare(value, current) === 0))
  ) {
    refuse(
      'restructure_rate_not_lower',
      'rateValue',
      `rateValue ${request.rateValue} per ${product.rate.per} is not below the current rate ${product.rate.value}; give a rate from 0 up to below it`,
    );
  }
  return { value: request.rateValue, per: product.rate.per };
}

function checkRequest(product: Product, input: RestructureInput, policy: RestructuringPolicy): void {
  switch (input.kind) {
    case 'negotiated-plan':
      wholeIn(
        input.months,
        1,
        policy.negotiatedMonthsMax,
        'months',
        'the monthly instalments of the new plan',
      );
      break;
    case 'term-extension':
      wholeIn(
        input.extensionMonths,
        1,
        policy.extensionMonthsMax,
        'extensionMonths',
        'the months added to the term',
      );
      break;
    case 'payment-holiday':
      wholeIn(
        input.holidayMonths,
        1,
        policy.holidayMonthsMax,
        'holidayMonths',
        'the months without instalments',
      );
      if (
        (input.holidayInterest ?? policy.holidayInterest) === 'accrue' &&
        product.periodicRateBasis === 'nominal'
      ) {
        refuse(
          'restructure_holiday_interest_basis',
          'holidayInterest',
          `product ${product.id} charges a nominal rate per period, which cannot charge a holiday's days; give holidayInterest "waive" or restructure with a term extension`,
        );
      }
      break;
    case 'rate-reduction':
      break;
    default:
      refuse(
        'restructure_kind_invalid',
        'kind',
        `kind must be negotiated-plan, term-extension, payment-holiday or rate-reduction, got ${JSON.stringify((input as { kind: unknown }).kind)}`,
      );
  }
  if (
    input.kind !== 'negotiated-plan' &&
    product.frequency !== 'monthly' &&
    product.method !== 'pay-any-time'
  ) {
    refuse(
      'restructure_needs_monthly_plan',
      'kind',
      `product ${product.id} has ${product.frequency} instalments; extensions, holidays and rate reductions re-plan monthly loans only — use a negotiated plan, which is monthly`,
    );
  }
  if (input.relief !== undefined && typeof input.relief !== 'boolean')
    refuse(
      'restructure_field_invalid',
      'relief',
      `relief must be true or false, got ${JSON.stringify(input.relief)}`,
    );
  if (input.downPaymentMinor !== undefined) checkAmount(input.downPaymentMinor, 'downPaymentMinor');
  if (input.monthlyIncomeMinor !== undefined) checkAmount(input.monthlyIncomeMinor, 'monthlyIncomeMinor');
  for (const [field, value] of [
    ['penalty', input.penalty],
    ['interestArrears', input.interestArrears],
    ['feeArrears', input.feeArrears],
  ] as const) {
    if (value !== undefined && value !== 'waive' && value !== 'capitalise')
      refuse(
        'restructure_field_invalid',
        field,
        `${field} must be "waive" or "capitalise", got ${JSON.stringify(value)}`,
      );
  }
}

/** The down payment's allocation: bills first (penalty, fees, interest, principal), then principal not yet due. */
function downPaymentOf(s: LoanState, amountMinor: number | undefined): DownPayment | null {
  if (amountMinor === undefined) return null;
  let owed = penaltyOutstandingMinor(s) + s.notDuePrincipalMinor;
  for (const d of s.dues) owed += d.principalMinor + d.interestMinor + d.feeMinor;
  if (amountMinor >= owed) {
    refuse(
      'down_payment_settles_loan',
      'downPaymentMinor',
      `a down payment of ${formatMinor(amountMinor)} pays all ${formatMinor(owed)} owed on loan ${s.loanId}; record it as a repayment instead`,
    );
  }
  const a = allocatePayment(s, amountMinor, true, 0);
  return { amountMinor, allocation: a.allocation, byInstallment: a.byInstallment };
}

interface NewPlan {
  product: Product;
  installments: Installment[];
  accrualFromDay: Day;
}

/** The re-planned terms and instalments of a restructuring over `principalMinor`, dated from `day`. */
function newPlanOf(
  s: LoanState,
  input: RestructureInput,
  policy: RestructuringPolicy,
  principalMinor: number,
): NewPlan {
  const day = input.day;
  const tail = s.plan.slice(s.nextInstallmentIndex);
  const current = tail[0];
  const product = s.product;
  // The current period keeps running: the interest it accrued so far is billed with the first new instalment.
  const periodStart = current?.startDay ?? day;
  const remaining =
    current === undefined
      ? 0
      : product.method === 'pay-any-time'
        ? Math.max(1, monthsBetween(current.startDay, current.dueDay))
        : tail.length;
  const rate = newRate(product, input) ?? product.rate;
  let method: RepaymentMethod = product.method;
  let count: number;
  let planStart: Day;
  let firstStart: Day;
  let accrualFromDay = day;
  switch (input.kind) {
    case 'negotiated-plan':
      if (method === 'interest-first' || method === 'pay-any-time') method = 'equal-installment';
      count = input.months!;
      planStart = day;
      firstStart = day;
      break;
    case 'term-extension':
      count = remaining + input.extensionMonths!;
      planStart = current === undefined ? day : periodStart;
      firstStart = planStart;
      break;
    case 'payment-holiday': {
      const months = input.holidayMonths!;
      count = Math.max(1, remaining);
      planStart = addMonths(periodStart, months);
      if ((input.holidayInterest ?? policy.holidayInterest) === 'accrue') {
        firstStart = periodStart;
      } else {
        accrualFromDay = addMonths(day, months);
        firstStart = accrualFromDay;
      }
      break;
    }
    case 'rate-reduction':
      count = Math.max(1, remaining);
      planStart = current === undefined ? day : periodStart;
      firstStart = planStart;
      break;
  }
  const terms: Product = {
    ...product,
    method,
    rate,
    termCount: count,
    frequency: input.kind === 'negotiated-plan' ? 'monthly' : product.frequency,
    fees: [],
  };
  const schedule = buildSchedule(terms, principalMinor, planStart);
  // Days already charged (an instalment paid before its due date with interest to it) are not charged again.
  if (s.accrualSegmentDay > accrualFromDay) accrualFromDay = s.accrualSegmentDay;
  if (accrualFromDay > day && firstStart < accrualFromDay) firstStart = accrualFromDay;
  const first = s.plan.at(-1)?.number ?? 0;
  const installments = schedule.installments.map((item, k) =>
    Object.freeze({ ...item, number: first + 1 + k, startDay: k === 0 ? firstStart : item.startDay }),
  );
  if (installments[0]!.dueDay <= Math.max(day, firstStart)) {
    refuse(
      'restructure_first_due_passed',
      'kind',
      `the new plan's first instalment would fall due on ${formatDate(installments[0]!.dueDay)}, not after ${formatDate(Math.max(day, firstStart))}; restructure on another day`,
    );
  }
  return { product: terms, installments, accrualFromDay };
}

/** Refuses a plan whose largest instalment is above the policy's share of the borrower's monthly income. */
function checkAffordability(
  installments: readonly Installment[],
  interestCarriedMinor: number,
  incomeMinor: number,
  policy: RestructuringPolicy,
): void {
  let largest = 0;
  installments.forEach((item, k) => {
    const total = item.totalMinor + (k === 0 ? interestCarriedMinor : 0);
    if (total > largest) largest = total;
  });
  const cap = parseDecimal(policy.affordabilityRatioMax, 'affordabilityRatioMax');
  if (BigInt(largest) * cap.den <= BigInt(incomeMinor) * cap.num) return;
  const percent = ((largest / incomeMinor) * 100).toFixed(1);
  const capPercent = (Number((cap.num * 10000n) / cap.den) / 100).toFixed(1);
  refuse(
    'restructure_unaffordable',
    'monthlyIncomeMinor',
    `the largest instalment of the new plan, ${formatMinor(largest)}, is ${percent}% of the monthly income ${formatMinor(incomeMinor)}, above the cap of ${capPercent}%; choose more months, a lower rate or a larger down payment`,
    { largest: formatMinor(largest), percent, income: formatMinor(incomeMinor), capPercent },
  );
}

/**
 * 重组: restructures a loan on business day `day` (see `RestructuringKind`). The loan is brought to the start
 * of the day, interest and penalty are posted to it, the down payment (if any) pays the bills, and what is
 * still owed is re-planned: principal owed plus capitalised amounts become the new plan's principal; waived
 * amounts are the concessions. A negotiated plan needs a loan past due and passes the affordability check
 * (the largest new instalment against the borrower's monthly income); other kinds check it when an income
 * is given. `replay` re-runs a recorded restructuring (a backdated payment before it): the agreement stands,
 * so eligibility and affordability are not checked again.
 */
export function restructure(
  state: LoanState,
  input: RestructureInput,
  options: { replay?: boolean } = {},
): CommandResult {
  const policy = input.policy ?? DEFAULT_RESTRUCTURING_POLICY;
  checkActive(state, 'restructuring');
  checkRequest(state.product, input, policy);
  const b = begin(state, input.day, input.clientId);
  checkActive(b.state, 'restructuring');
  emitAccrued(b, input.day, 'restructuring');
  emitRestructured(b, input, policy, options.replay === true);
  emitBucketChange(b, input.day);
  return { state: b.state, events: b.events };
}

function emitRestructured(
  b: EventBuilder,
  input: RestructureInput,
  policy: RestructuringPolicy,
  replay: boolean,
): void {
  const s = b.state;
  const day = input.day;
  const offer = settlementOf(s);
  if (offer !== null && !replay) {
    refuse(
      'restructure_settlement_in_force',
      'kind',
      `loan ${s.loanId} has a settlement offer in force through ${formatDate(offer.validThroughDay)}; a restructuring would change what the offer settles — wait until it is paid or lapses`,
      { validThrough: formatDate(offer.validThroughDay) },
    );
  }
  const dpd = daysPastDue(s, day);
  if (input.kind === 'negotiated-plan' && dpd === 0 && !replay) {
    refuse(
      'restructure_not_past_due',
      'kind',
      `loan ${s.loanId} is not past due on ${formatDate(day)}; a negotiated plan (协商分期) is for a loan past due — use a term extension, payment holiday or rate reduction`,
    );
  }
  const down = downPaymentOf(s, input.downPaymentMinor);
  const paid = (n: number, field: 'principalMinor' | 'interestMinor' | 'feeMinor') =>
    down?.byInstallment.find((l) => l.installmentNumber === n)?.[field] ?? 0;
  let principal = s.notDuePrincipalMinor - paid(0, 'principalMinor');
  let interest = 0;
  let fee = 0;
  let overduePrincipal = 0;
  for (const d of s.dues) {
    const p = d.principalMinor - paid(d.installmentNumber, 'principalMinor');
    principal += p;
    if (d.overdue) overduePrincipal += p;
    interest += d.interestMinor - paid(d.installmentNumber, 'interestMinor');
    fee += d.feeMinor - paid(d.installmentNumber, 'feeMinor');
  }
  const penalty = penaltyOutstandingMinor(s) - (down?.allocation.penaltyMinor ?? 0);
  const waive = (t: 'waive' | 'capitalise', amount: number) => (t === 'waive' ? amount : 0);
  const penaltyT = input.penalty ?? 'waive';
  const interestT = input.interestArrears ?? 'capitalise';
  const feeT = input.feeArrears ?? 'capitalise';
  const waived: ArrearsAmounts = {
    penaltyMinor: waive(penaltyT, penalty),
    interestMinor: waive(interestT, interest),
    feeMinor: waive(feeT, fee),
  };
  const capitalised: ArrearsAmounts = {
    penaltyMinor: penalty - waived.penaltyMinor,
    interestMinor: interest - waived.interestMinor,
    feeMinor: fee - waived.feeMinor,
  };
  const principalMinor =
    principal + capitalised.penaltyMinor + capitalised.interestMinor + capitalised.feeMinor;
  if (principalMinor <= 0) {
    refuse(
      'restructure_nothing_to_replan',
      'kind',
      `loan ${s.loanId} has no principal left to re-plan on ${formatDate(day)}; waive or collect what is owed instead`,
    );
  }
  const plan = newPlanOf(s, input, policy, principalMinor);
  const carried = s.periodInterestPostedMinor - s.periodInterestPrepaidMinor;
  if (input.monthlyIncomeMinor !== undefined && !replay) {
    checkAffordability(plan.installments, carried, input.monthlyIncomeMinor, policy);
  } else if (input.kind === 'negotiated-plan' && !replay) {
    refuse(
      'restructure_field_missing',
      'monthlyIncomeMinor',
      "monthlyIncomeMinor is required for a negotiated plan: the borrower's verified monthly income, for the affordability check",
    );
  }
  const oldMaturity = s.plan.at(-1)?.dueDay ?? day;
  const newMaturity = plan.installments.at(-1)!.dueDay;
  // The request as asked, without what frames it: a command's `type` (the change planner passes the whole
  // command) must not enter the event.
  const {
    policy: _policy,
    day: _day,
    clientId: _clientId,
    type: _type,
    ...request
  } = input as RestructureInput & { readonly type?: string };
  b.emit({
    type: 'LoanRestructured',
    day,
    clientId: input.clientId,
    request,
    policy,
    downPayment: down,
    waived,
    capitalised,
    overduePrincipalToCurrentMinor: overduePrincipal,
    principalMinor,
    product: plan.product,
    installments: plan.installments,
    closedInstallmentNumbers: [
      ...s.dues.map((d) => d.installmentNumber),
      ...s.plan.slice(s.nextInstallmentIndex).map((i) => i.number),
    ],
    accrualFromDay: plan.accrualFromDay,
    daysPastDueBefore: dpd,
    bucketBefore: s.bucket,
    forgivenMinor: waived.penaltyMinor + waived.interestMinor + waived.feeMinor,
    monthsExtended: newMaturity > oldMaturity ? monthsBetween(oldMaturity, newMaturity) : 0,
    specialTransactionCode: policy.specialTransactionCodes[input.kind],
  });
}

/** Checks the lender's restructuring rules once, when they are configured. */
export function checkRestructuringPolicy(p: RestructuringPolicy): void {
  const whole = (value: number, max: number, field: string) => {
    if (!Number.isSafeInteger(value) || value < 1 || value > max)
      refuse(
        'restructuring_policy_invalid',
        field,
        `${field} must be a whole number from 1 to ${max}, got ${value}`,
      );
  };
  whole(p.negotiatedMonthsMax, 120, 'negotiatedMonthsMax');
  whole(p.extensionMonthsMax, 120, 'extensionMonthsMax');
  whole(p.holidayMonthsMax, 36, 'holidayMonthsMax');
  whole(p.missedInstallmentsToBreak, 60, 'missedInstallmentsToBreak');
  if (p.holidayInterest !== 'accrue' && p.holidayInterest !== 'waive')
    refuse('restructuring_policy_invalid', 'holidayInterest', 'holidayInterest must be "accrue" or "waive"');
  let ratio: Rational | undefined;
  try {
    ratio = parseDecimal(p.affordabilityRatioMax, 'affordabilityRatioMax');
  } catch {
    ratio = undefined;
  }
  if (ratio === undefined || compare(ratio, rational(0)) <= 0 || compare(ratio, rational(1)) > 0)
    refuse(
      'restructuring_policy_invalid',
      'affordabilityRatioMax',
      `affordabilityRatioMax must be a decimal above 0 and at most 1, e.g. "0.5"; got ${JSON.stringify(p.affordabilityRatioMax)}`,
    );
  for (const kind of RESTRUCTURING_KINDS) {
    const code = p.specialTransactionCodes?.[kind];
    if (typeof code !== 'string' || !/^[0-9A-Za-z]{1,4}$/.test(code))
      refuse(
        'restructuring_policy_invalid',
        `specialTransactionCodes.${kind}`,
        `specialTransactionCodes.${kind} must be a credit-report code such as "14"`,
      );
  }
}
