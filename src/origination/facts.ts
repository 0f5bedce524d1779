import { EMPTY_BOOK, type OwnBook } from './book.js';
import type { Application, DerivedMeasures, Occupation, ScoreResult } from './types.js';

/** 客群 segment of the score cut-offs, by occupation. */
export type Segment = 'employed' | 'self-employed' | 'business' | 'student' | 'retired' | 'other';

export const SEGMENT_OF: Record<Occupation, Segment> = {
  salaried: 'employed',
  'civil-servant': 'employed',
  freelancer: 'self-employed',
  'business-owner': 'business',
  student: 'student',
  retired: 'retired',
  other: 'other',
};

const yuan = (fen: number): number => fen / 100;

/**
 * What the policy graphs see (docs/origination.md and policies/default/README.md list every field). Money is
 * in yuan as numbers so that analysts write `>= 10000`; ratios are plain numbers or null when undefined.
 */
export function policyFacts(
  application: Application,
  derived: DerivedMeasures,
  score: ScoreResult,
  book: OwnBook = EMPTY_BOOK,
) {
  return {
    applicant: {
      ageYears: derived.ageYears,
      occupation: application.employment.occupation,
      industry: application.employment.industry,
      segment: SEGMENT_OF[application.employment.occupation],
      monthsInRole: application.employment.monthsInRole,
      housing: application.housing,
      maritalStatus: application.maritalStatus,
      dependants: application.dependants,
      channel: application.channel,
    },
    request: { limit: yuan(application.requestedLimit_fen), productId: application.productId },
    income: {
      declaredMonthly: yuan(application.income.declaredMonthly_fen),
      verifiedMonthly: yuan(derived.verifiedMonthlyIncome_fen),
      verified: derived.incomeVerified,
    },
    debt: {
      toIncome: derived.debtToIncome,
      monthlyPayments: yuan(derived.monthlyDebtPayments_fen),
      outstanding: yuan(derived.debtsOutstanding_fen),
    },
    assets: { total: yuan(derived.assetsTotal_fen) },
    bureau: {
      outstandingBalance: yuan(application.bureau.outstandingBalance_fen),
      lenders3m: application.bureau.lenders3m,
      lenders6m: application.bureau.lenders6m,
      lenders12m: application.bureau.lenders12m,
      worstDaysPastDue: application.bureau.worstDaysPastDue,
      overdueMonths24m: application.bureau.overdueMonths24m,
      historyMonths: application.bureau.historyMonths,
    },
    business: {
      statementsRequired: derived.businessStatementsRequired,
      statementsSupplied: derived.businessStatementsSupplied,
      debtServiceCoverage: derived.debtServiceCoverage,
      cashRunwayMonths: derived.cashRunwayMonths,
      monthsTrading: derived.businessMonthsTrading,
    },
    score: { value: score.score, probabilityBad: score.probabilityBad },
    book,
  };
}
