import { daysPastDue, LedgerInputError, type LoanState, receivablesOf } from '../ledger/index.js';
import { counted, type Day } from '../money/index.js';
import {
  type AssetClass,
  assetClassRank,
  BANKING_2023_CLASSIFICATION,
  type ClassificationSettings,
  CREDIT_CARD_2011_CLASSIFICATION,
  classByDaysPastDue,
} from './classification.js';

/**
 * 核销 eligibility: the lender's rule (domain.md §3 and §11) is data, not code — the days past due from which a
 * loan may be written off (180 is a convention), the five-category class it must have reached under the
 * classification the lender follows, and the evidence every write-off needs (财金〔2017〕90号). The rule only
 * proposes: a person proposes a batch and another approves it (decision 0372).
 */
export interface WriteOffRule {
  /** Days past due from which a loan is a candidate. */
  readonly daysPastDueMin: number;
  /** The least five-category class a candidate must have (by days past due under `classification`). */
  readonly assetClassMin: AssetClass;
  /** The DPD floors of the five classes: the credit-card rules (损失 > 180) or the banking rules (损失 > 360). */
  readonly classification: 'credit-card-2011' | 'banking-2023';
  /** Every loan of a proposal carries a reference to its case file (collection attempts, court, death …). */
  readonly evidenceRequired: true;
}

export const DEFAULT_WRITE_OFF_RULE: WriteOffRule = Object.freeze({
  daysPastDueMin: 180,
  assetClassMin: 'loss',
  classification: 'credit-card-2011',
  evidenceRequired: true,
});

const CLASSIFICATIONS: Record<WriteOffRule['classification'], ClassificationSettings> = {
  'credit-card-2011': CREDIT_CARD_2011_CLASSIFICATION,
  'banking-2023': BANKING_2023_CLASSIFICATION,
};

const DPD_MIN_FLOOR = 90;
const DPD_MIN_CEILING = 3650;

/** Validates a rule document (from the API or a file); refuses with the field and the fix. */
export function parseWriteOffRule(input: unknown): WriteOffRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LedgerInputError('write_off_rule_invalid', '', 'the write-off rule must be a JSON object');
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['daysPastDueMin', 'assetClassMin', 'classification', 'evidenceRequired'].includes(key)) {
      throw new LedgerInputError('write_off_rule_invalid', key, `unknown field ${key} in the write-off rule`);
    }
  }
  const dpd = o.daysPastDueMin ?? DEFAULT_WRITE_OFF_RULE.daysPastDueMin;
  if (typeof dpd !== 'number' || !Number.isInteger(dpd) || dpd < DPD_MIN_FLOOR || dpd > DPD_MIN_CEILING) {
    throw new LedgerInputError(
      'write_off_rule_invalid',
      'daysPastDueMin',
      `daysPastDueMin must be a whole number of days from ${DPD_MIN_FLOOR} to ${DPD_MIN_CEILING}; 180 is the usual convention`,
    );
  }
  const cls = o.assetClassMin ?? DEFAULT_WRITE_OFF_RULE.assetClassMin;
  if (cls !== 'substandard' && cls !== 'doubtful' && cls !== 'loss') {
    throw new LedgerInputError(
      'write_off_rule_invalid',
      'assetClassMin',
      'assetClassMin must be substandard, doubtful or loss (a written-off asset is non-performing)',
    );
  }
  const classification = o.classification ?? DEFAULT_WRITE_OFF_RULE.classification;
  if (classification !== 'credit-card-2011' && classification !== 'banking-2023') {
    throw new LedgerInputError(
      'write_off_rule_invalid',
      'classification',
      'classification must be credit-card-2011 (损失 > 180 days) or banking-2023 (损失 > 360 days)',
    );
  }
  if (o.evidenceRequired !== undefined && o.evidenceRequired !== true) {
    throw new LedgerInputError(
      'write_off_rule_invalid',
      'evidenceRequired',
      'evidenceRequired cannot be turned off: 财金〔2017〕90号 writes off only with documented evidence',
    );
  }
  return Object.freeze({ daysPastDueMin: dpd, assetClassMin: cls, classification, evidenceRequired: true });
}

/** One loan the rule makes a candidate, with what would leave the books. */
export interface WriteOffCandidate {
  readonly loanId: string;
  readonly customerId: string;
  readonly daysPastDue: number;
  readonly assetClass: AssetClass;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  readonly feeMinor: number;
  readonly totalMinor: number;
}

/** Why a loan is or is not a candidate under the rule on `day` (the loan closed through the day before). */
export function writeOffEligibility(
  state: LoanState,
  day: Day,
  rule: WriteOffRule,
): { eligible: true; candidate: WriteOffCandidate } | { eligible: false; reason: string } {
  if (state.status !== 'active') return { eligible: false, reason: `the loan is ${state.status}` };
  const dpd = daysPastDue(state, day - 1);
  if (dpd < rule.daysPastDueMin) {
    return {
      eligible: false,
      reason: `${counted(dpd, 'day')} past due, below the rule's ${rule.daysPastDueMin}`,
    };
  }
  const assetClass = classByDaysPastDue(dpd, CLASSIFICATIONS[rule.classification]);
  if (assetClassRank(assetClass) < assetClassRank(rule.assetClassMin)) {
    return { eligible: false, reason: `class ${assetClass}, below the rule's ${rule.assetClassMin}` };
  }
  const r = receivablesOf(state);
  const principalMinor = r.principalCurrentMinor + r.principalOverdueMinor;
  return {
    eligible: true,
    candidate: {
      loanId: state.loanId,
      customerId: state.customerId,
      daysPastDue: dpd,
      assetClass,
      principalMinor,
      interestMinor: r.interestMinor,
      penaltyMinor: r.penaltyMinor,
      feeMinor: r.feeMinor,
      totalMinor: principalMinor + r.interestMinor + r.penaltyMinor + r.feeMinor,
    },
  };
}

/** The candidates among `loans` on `day`, most days past due first (then by loan id). */
export function writeOffCandidates(
  loans: readonly LoanState[],
  day: Day,
  rule: WriteOffRule,
): WriteOffCandidate[] {
  const out: WriteOffCandidate[] = [];
  for (const state of loans) {
    const r = writeOffEligibility(state, day, rule);
    if (r.eligible) out.push(r.candidate);
  }
  return out.sort((a, b) => b.daysPastDue - a.daysPastDue || (a.loanId < b.loanId ? -1 : 1));
}
