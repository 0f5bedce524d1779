import { type Bucket, type LoanPosition, worstBucket } from '../ledger/index.js';
import { type Day, invariant } from '../money/index.js';

/**
 * Collection cases (催收案件): one per borrower across their loans, opened when a loan first goes past due by
 * the lender's threshold, kept up to date from the ledger, and closed on cure or when nothing is owed. The
 * planner here decides what changes; the shell stores it. Pure: the positions and the day come in.
 */

export interface CaseSettings {
  /** A case opens when a loan of the borrower is at least this many days past due (convention; 1 = the first day). */
  readonly openFromDaysPastDue: number;
}

export const DEFAULT_CASE_SETTINGS: CaseSettings = Object.freeze({ openFromDaysPastDue: 1 });

export function checkCaseSettings(settings: CaseSettings): CaseSettings {
  invariant(
    Number.isSafeInteger(settings.openFromDaysPastDue) && settings.openFromDaysPastDue >= 1,
    'openFromDaysPastDue must be a whole number of days, at least 1',
  );
  return settings;
}

/** A borrower's loan as the case needs it: the ledger's position as of the day planned. */
export interface CaseLoan {
  readonly loanId: string;
  readonly position: LoanPosition;
}

/** The figures a case keeps of its borrower's loans. */
export interface CaseFigures {
  /** Loans with something past due, by id. */
  readonly pastDueLoanIds: readonly string[];
  readonly maxDaysPastDue: number;
  readonly bucket: Bucket;
  /** Overdue principal, interest and fees plus penalty interest outstanding, over all loans. */
  readonly overdueMinor: number;
  /** Everything owed on all the borrower's loans. */
  readonly totalOwedMinor: number;
}

/** An open case as stored. */
export interface OpenCase {
  readonly caseId: string;
  readonly customerId: string;
  readonly openedDay: Day;
  readonly figures: CaseFigures;
}

export type CaseCloseReason = 'cured' | 'paid-off';

export interface CasePlan {
  /** Borrowers who need a new case, with its figures. */
  readonly open: readonly { readonly customerId: string; readonly figures: CaseFigures }[];
  /** Open cases whose figures changed. */
  readonly update: readonly { readonly caseId: string; readonly figures: CaseFigures }[];
  /** Open cases to close, and why. */
  readonly close: readonly {
    readonly caseId: string;
    readonly reason: CaseCloseReason;
    readonly figures: CaseFigures;
  }[];
}

/** The figures of one borrower's loans. */
export function caseFigures(loans: readonly CaseLoan[]): CaseFigures {
  let maxDaysPastDue = 0;
  let overdueMinor = 0;
  let totalOwedMinor = 0;
  const pastDueLoanIds: string[] = [];
  for (const { loanId, position: p } of loans) {
    if (p.daysPastDue > 0) pastDueLoanIds.push(loanId);
    maxDaysPastDue = Math.max(maxDaysPastDue, p.daysPastDue);
    overdueMinor +=
      p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor;
    totalOwedMinor += p.totalOwedMinor;
  }
  invariant(
    Number.isSafeInteger(overdueMinor) && Number.isSafeInteger(totalOwedMinor),
    'case amounts overflow',
  );
  pastDueLoanIds.sort();
  return {
    pastDueLoanIds,
    maxDaysPastDue,
    // Each loan's bucket by its own product's boundaries; the case is in the worst of them.
    bucket: worstBucket(loans.map((l) => l.position.bucket)),
    overdueMinor,
    totalOwedMinor,
  };
}

function sameFigures(a: CaseFigures, b: CaseFigures): boolean {
  return (
    a.maxDaysPastDue === b.maxDaysPastDue &&
    a.bucket === b.bucket &&
    a.overdueMinor === b.overdueMinor &&
    a.totalOwedMinor === b.totalOwedMinor &&
    a.pastDueLoanIds.length === b.pastDueLoanIds.length &&
    a.pastDueLoanIds.every((id, i) => id === b.pastDueLoanIds[i])
  );
}

/**
 * Plans the cases of the borrowers given: `loansByCustomer` holds every loan of each borrower to look at
 * (those with a loan past due, and those with an open case); `openCases` their open cases (at most one each).
 */
export function planCases(
  loansByCustomer: ReadonlyMap<string, readonly CaseLoan[]>,
  openCases: readonly OpenCase[],
  settings: CaseSettings = DEFAULT_CASE_SETTINGS,
): CasePlan {
  checkCaseSettings(settings);
  const openByCustomer = new Map<string, OpenCase>();
  for (const c of openCases) {
    invariant(!openByCustomer.has(c.customerId), `borrower ${c.customerId} has two open cases`);
    openByCustomer.set(c.customerId, c);
  }
  const open: { customerId: string; figures: CaseFigures }[] = [];
  const update: { caseId: string; figures: CaseFigures }[] = [];
  const close: { caseId: string; reason: CaseCloseReason; figures: CaseFigures }[] = [];
  const customers = [...new Set([...loansByCustomer.keys(), ...openByCustomer.keys()])].sort();
  for (const customerId of customers) {
    const figures = caseFigures(loansByCustomer.get(customerId) ?? []);
    const current = openByCustomer.get(customerId);
    if (current === undefined) {
      if (figures.maxDaysPastDue >= settings.openFromDaysPastDue) open.push({ customerId, figures });
    } else if (figures.maxDaysPastDue === 0) {
      close.push({
        caseId: current.caseId,
        reason: figures.totalOwedMinor === 0 ? 'paid-off' : 'cured',
        figures,
      });
    } else if (!sameFigures(current.figures, figures)) {
      update.push({ caseId: current.caseId, figures });
    }
  }
  return { open, update, close };
}
