import {
  bucketForDaysPastDue,
  bucketRank,
  type CreditLineState,
  type LoanState,
  loanPosition,
  worstBucketEver,
} from '../ledger/index.js';

/**
 * The lender's own book on an applicant (本行表现): their lines and loans here, as facts for the policy
 * (`book.*`). Money in yuan like the other facts. A new applicant has the empty book.
 */
export interface OwnBook {
  readonly lines: number;
  readonly frozenLines: number;
  readonly closedLines: number;
  readonly loans: number;
  readonly openLoans: number;
  readonly pastDueLoans: number;
  /** Largest days past due over the applicant's loans now. */
  readonly maxDaysPastDue: number;
  /** Bucket rank of maxDaysPastDue: 0 = M0 … 7 = M7. */
  readonly worstBucketRank: number;
  /** Worst bucket a loan of theirs ever reached (rank), cured or not. */
  readonly worstBucketRankEver: number;
  readonly outstanding: number;
  /** Loans written off (核销) at this lender. */
  readonly writtenOffLoans: number;
  /** Loans restructured at this lender (协商分期, 展期, a holiday, a rate cut; relief-programme deferrals are none). */
  readonly restructuredLoans: number;
  /** Restructured loans whose latest plan broke (missed beyond the policy's tolerance). */
  readonly brokenRestructurings: number;
}

export const EMPTY_BOOK: OwnBook = {
  lines: 0,
  frozenLines: 0,
  closedLines: 0,
  loans: 0,
  openLoans: 0,
  pastDueLoans: 0,
  maxDaysPastDue: 0,
  worstBucketRank: 0,
  worstBucketRankEver: 0,
  outstanding: 0,
  writtenOffLoans: 0,
  restructuredLoans: 0,
  brokenRestructurings: 0,
};

/** The book facts from the applicant's lines and the states of their loans. */
export function ownBookOf(lines: readonly CreditLineState[], loans: readonly LoanState[]): OwnBook {
  let maxDaysPastDue = 0;
  let pastDueLoans = 0;
  let openLoans = 0;
  let worst = 0;
  let worstEver = 0;
  let outstanding = 0;
  let writtenOffLoans = 0;
  let restructuredLoans = 0;
  let brokenRestructurings = 0;
  for (const loan of loans) {
    if (loan.status === 'written-off') writtenOffLoans += 1;
    const r = loan.restructuring;
    if (r?.records.some((x) => x.relief !== true)) {
      restructuredLoans += 1;
      if (r.status === 'broken') brokenRestructurings += 1;
    }
    const p = loanPosition(loan);
    if (p.totalOwedMinor > 0) openLoans += 1;
    outstanding += p.outstandingPrincipalMinor;
    worstEver = Math.max(worstEver, bucketRank(worstBucketEver(loan.bucketHistory)));
    if (p.daysPastDue > 0) {
      pastDueLoans += 1;
      maxDaysPastDue = Math.max(maxDaysPastDue, p.daysPastDue);
      worst = Math.max(worst, bucketRank(bucketForDaysPastDue(p.daysPastDue, loan.delinquency)));
    }
  }
  return {
    lines: lines.length,
    frozenLines: lines.filter((l) => l.status === 'frozen').length,
    closedLines: lines.filter((l) => l.status === 'closed').length,
    loans: loans.length,
    openLoans,
    pastDueLoans,
    maxDaysPastDue,
    worstBucketRank: worst,
    worstBucketRankEver: Math.max(worstEver, worst),
    outstanding: outstanding / 100,
    writtenOffLoans,
    restructuredLoans,
    brokenRestructurings,
  };
}
