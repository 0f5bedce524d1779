import type { Application, DerivedMeasures, PolicySettings } from './types.js';

const RATIO_DECIMALS = 4;

function round(x: number, decimals = RATIO_DECIMALS): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Whole years from a `YYYY-MM-DD` birth date to the local date of an ISO instant. */
export function ageInYears(birthDate: string, instant: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = instant.slice(0, 10).split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * Monthly instalment of an equal-instalment loan of `principal_fen` over `months` at the monthly rate
 * `aprCap / 12`, rounded up to the fen: the most a drawdown of the requested line could cost each month
 * under the policy, used for debt-service coverage before the price is known.
 */
export function plannedInstalment(principal_fen: number, months: number, aprCap: number): number {
  if (principal_fen === 0 || months === 0) return 0;
  const i = aprCap / 12;
  const payment = i === 0 ? principal_fen / months : (principal_fen * i) / (1 - (1 + i) ** -months);
  return Math.ceil(payment - 1e-9);
}

/** Income a document supports, when it is of a verified kind. */
export function verifiedMonthlyIncome(application: Application): number {
  let best = 0;
  for (const e of application.income.evidence) {
    if (e.kind !== 'self-declared' && e.monthlyAmount_fen > best) best = e.monthlyAmount_fen;
  }
  // Evidence supports at most what was declared: a larger document does not raise the declaration.
  return Math.min(best, application.income.declaredMonthly_fen);
}

/** Measures derived from an application for the rules (age, verified income, DTI, DSCR, cash runway). */
export function deriveMeasures(
  application: Application,
  settings: PolicySettings,
  businessTime: string,
): DerivedMeasures {
  const verified = verifiedMonthlyIncome(application);
  const monthlyDebtPayments_fen = application.debts.reduce((s, d) => s + d.monthlyPayment_fen, 0);
  const incomeForRatios = verified > 0 ? verified : application.income.declaredMonthly_fen;
  const longestTerm = Math.max(0, ...settings.termOptions_months);
  const requestedInstalment_fen = plannedInstalment(
    application.requestedLimit_fen,
    longestTerm,
    Number(settings.aprCap),
  );
  const isBusiness = application.employment.occupation === 'business-owner';
  const statements = application.business?.statements;
  let debtServiceCoverage: number | null = null;
  let cashRunwayMonths: number | null = null;
  if (isBusiness && statements) {
    const service = statements.monthlyDebtService_fen + requestedInstalment_fen;
    debtServiceCoverage = service > 0 ? round(statements.monthlyOperatingCashFlow_fen / service) : null;
    cashRunwayMonths =
      statements.monthlyOperatingCashFlow_fen < 0
        ? round(statements.cashBalance_fen / -statements.monthlyOperatingCashFlow_fen, 2)
        : null;
  }
  return {
    ageYears: ageInYears(application.identity.birthDate, businessTime),
    verifiedMonthlyIncome_fen: verified,
    incomeVerified: verified > 0,
    monthlyDebtPayments_fen,
    assetsTotal_fen: application.assets.reduce((s, a) => s + a.value_fen, 0),
    debtsOutstanding_fen: application.debts.reduce((s, d) => s + d.outstanding_fen, 0),
    debtToIncome: incomeForRatios > 0 ? round(monthlyDebtPayments_fen / incomeForRatios) : null,
    debtServiceCoverage,
    cashRunwayMonths,
    businessMonthsTrading: isBusiness ? (statements?.monthsTrading ?? null) : null,
    businessStatementsRequired:
      isBusiness && application.requestedLimit_fen > settings.businessStatementsAbove_fen,
    businessStatementsSupplied:
      isBusiness && statements !== undefined && application.business?.plan !== undefined,
    requestedInstalment_fen,
  };
}
