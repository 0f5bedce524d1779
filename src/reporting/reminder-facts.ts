import type { LoanState } from '../ledger/index.js';
import {
  type Day,
  invariant,
  multiply,
  parseDecimal,
  rational,
  toExactDecimalString,
} from '../money/index.js';
import type {
  ReminderBorrower,
  ReminderDue,
  ReminderLang,
  ReminderLoanFacts,
  ReminderMootFacts,
} from '../monitoring/index.js';
import {
  DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  firstNegativeReportingDay,
  type NegativeInformationSettings,
  negativeNoticeDeadline,
  negativeSubmissionDay,
} from './credit-report.js';
import { type MilestoneExtra, textFor } from './impact-text.js';
import { DEFAULT_IMPACT_SETTINGS, overdueMilestones } from './milestones.js';

/** Days of milestones looked at for a reminder's consequence sentence (the first negative report is within a month). */
const CONSEQUENCE_HORIZON_DAYS = 120;

/**
 * The unpaid instalments a reminder may quote, oldest first: the billed ones, then the next one not yet
 * billed, less what a credit balance (money paid ahead) covers — the oldest amounts first.
 */
function owedDues(state: LoanState): ReminderDue[] {
  const dues: ReminderDue[] = state.dues.map((d) => ({
    dueDay: d.dueDay,
    amountMinor: d.principalMinor + d.interestMinor + d.feeMinor,
  }));
  const next = state.plan[state.nextInstallmentIndex];
  if (state.status === 'active' && next !== undefined && !dues.some((d) => d.dueDay === next.dueDay)) {
    dues.push({ dueDay: next.dueDay, amountMinor: next.totalMinor });
  }
  let credit = state.creditMinor;
  const owed: ReminderDue[] = [];
  for (const d of dues) {
    const covered = Math.min(credit, d.amountMinor);
    credit -= covered;
    if (d.amountMinor > covered) owed.push({ dueDay: d.dueDay, amountMinor: d.amountMinor - covered });
  }
  return owed;
}

/**
 * What the moot check (monitoring/ mootReminders) needs of a loan, from the same facts the planner reads:
 * no business day, no borrower — a repayment, a restructuring or a write-off changes only these.
 */
export function reminderMootFacts(state: LoanState): ReminderMootFacts {
  return {
    settled: state.status === 'settled',
    dues: owedDues(state),
    writtenOff: state.status === 'written-off',
    restructuredDay: state.restructuring?.records.at(-1)?.day ?? null,
  };
}

/**
 * The facts the reminder planner (monitoring/) needs of a loan on a day, from its ledger state: the unpaid
 * instalments with the amount owed on each, DPD, and — from the credit-report rules here — the deadline of
 * the notice before the first negative report (征信业管理条例 Art. 15) and what staying overdue means, in
 * the words of the impact view. Lives in reporting/ because only reporting/ knows those rules and it may
 * use monitoring/'s types (decision 0612).
 */
export function reminderLoanFacts(
  state: LoanState,
  day: Day,
  borrower: ReminderBorrower,
  segment: string,
  negative: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  /** False: the consequence sentence left empty, for a planner run without text (`withoutText`). */
  worded = true,
): ReminderLoanFacts {
  const owed = owedDues(state);
  const next = state.plan[state.nextInstallmentIndex];
  const oldest = state.dues[0];
  // DPD as the engine counts it on `day`: from the due date, once the grace period has passed unpaid.
  const dpd = oldest !== undefined && day > oldest.dueDay + state.product.graceDays ? day - oldest.dueDay : 0;
  let negativeNotice: ReminderLoanFacts['negativeNotice'] = null;
  const missedDueDay = oldest?.dueDay ?? next?.dueDay;
  if (oldest !== undefined && dpd > 0) {
    const reportDay = firstNegativeReportingDay(oldest.dueDay + state.product.graceDays + 1);
    const submission = negativeSubmissionDay(reportDay, negative);
    if (day <= submission)
      negativeNotice = { deadlineDay: negativeNoticeDeadline(submission, negative), reportDay };
  }
  return {
    loanId: state.loanId,
    customerId: state.customerId,
    productId: state.product.id,
    segment,
    currency: state.product.currency,
    settled: state.status === 'settled',
    dues: owed,
    daysPastDue: dpd,
    negativeNotice,
    consequence:
      !worded || missedDueDay === undefined || state.status === 'settled'
        ? { 'zh-CN': '', en: '' }
        : consequenceText(state, missedDueDay),
    borrower,
  };
}

/**
 * Sentences already worded, by everything they are worded from: the product's grace days, currency and
 * penalty terms, the delinquency settings and the two days. The same inputs give the same words, and a
 * planner run words the same sentence for many loans. Bounded: cleared past a fixed size.
 */
const consequences = new Map<string, Record<ReminderLang, string>>();
const delinquencyKeys = new WeakMap<object, string>();
const CONSEQUENCES_MAX = 10_000;

/** Penalty interest and the first negative credit report, as the impact view words them. */
function consequenceText(state: LoanState, missedDueDay: Day): Record<ReminderLang, string> {
  const product = state.product;
  let delinquency = delinquencyKeys.get(state.delinquency);
  if (delinquency === undefined) {
    delinquency = JSON.stringify(state.delinquency);
    delinquencyKeys.set(state.delinquency, delinquency);
  }
  const lastDueDay = Math.max(missedDueDay, state.plan[state.plan.length - 1]?.dueDay ?? missedDueDay);
  const key = `${missedDueDay}/${lastDueDay}/${product.graceDays}/${product.currency}/${product.penalty.uplift}/${product.penalty.base}/${delinquency}`;
  const seen = consequences.get(key);
  if (seen !== undefined) return { ...seen };
  const words = wordConsequence(state, missedDueDay);
  if (consequences.size >= CONSEQUENCES_MAX) consequences.clear();
  consequences.set(key, words);
  return { ...words };
}

function wordConsequence(state: LoanState, missedDueDay: Day): Record<ReminderLang, string> {
  const product = state.product;
  const milestones = overdueMilestones(
    {
      missedDueDay,
      lastDueDay: Math.max(missedDueDay, state.plan[state.plan.length - 1]?.dueDay ?? missedDueDay),
      horizonEndDay: missedDueDay + CONSEQUENCE_HORIZON_DAYS,
      graceDays: product.graceDays,
    },
    { ...DEFAULT_IMPACT_SETTINGS, delinquency: state.delinquency },
  );
  const picked = milestones.filter((m) => m.kind === 'penalty-start' || m.kind === 'first-negative-report');
  invariant(picked.length > 0, 'an overdue has a penalty start and a first negative report');
  const uplift = toExactDecimalString(multiply(parseDecimal(product.penalty.uplift), rational(100)));
  const extra: MilestoneExtra = {
    currency: product.currency,
    penaltyUplift: `${uplift ?? product.penalty.uplift}%`,
    penaltyBase: product.penalty.base,
    horizonEnd: '',
    chargeOffDays: state.delinquency.chargeOffDaysPastDue,
  };
  const en = textFor('en');
  const zh = textFor('zh');
  return {
    en: picked.map((m) => en.milestone(m, extra)).join(' '),
    'zh-CN': picked.map((m) => zh.milestone(m, extra)).join(''),
  };
}
