import { counted, type Day, formatDate, formatMinor, invariant } from '../../money/index.js';
import { planClose, planCommand, planOpening, principalOf } from '../change/plan.js';
import type { LoanChange, SeqPosting } from '../change/types.js';
import { drawdown } from '../credit-line/drawdown.js';
import { type CreditLineState, openLine, syncLoanPrincipal } from '../credit-line/line.js';
import { isLedgerInputError } from '../errors.js';
import {
  type LoanEvent,
  type LoanPosition,
  type LoanSnapshot,
  type LoanState,
  loanPosition,
} from '../loan/index.js';
import type { Product } from '../product.js';
import type { ImportLoan, StatedBalances } from './layout.js';

/**
 * 存量导入: each imported loan replayed through the engine as if it had been booked here from its first
 * day — the drawdown on its credit line, each repayment planned as the API plans it, every day closed as
 * end of day closes it — and reconciled against the balances the old system states on the way. Pure: the
 * shell gives the ids, the products and the day to run to.
 */

/** A balance field the import compares, in the order compared. */
export type ReconciledField = 'principal' | 'interest' | 'penalty' | 'fee' | 'daysPastDue';

/** The first figure where our replay and the old system disagree. */
export interface ImportDifference {
  readonly loanRef: string;
  readonly field: ReconciledField;
  /** Our figure: minor units (fen), or days for `daysPastDue`. */
  readonly ours: number;
  readonly theirs: number;
  /** The day of the statement (a repayment's day, or the as-of day of a balance record). */
  readonly day: Day;
  /** The last day the figures were known to agree (an earlier statement), or the drawdown day. */
  readonly agreedThroughDay: Day;
  /** Where the disagreeing statement is in the file. */
  readonly where: string;
}

/** What a loan on a line that cannot be imported ran into: a difference, or a refusal by the engine. */
export type ImportProblem =
  | ({ readonly kind: 'difference' } & ImportDifference)
  | {
      readonly kind: 'refused';
      readonly loanRef: string;
      readonly day: Day;
      readonly code: string;
      readonly message: string;
      readonly where: string;
    };

/** A replayed loan as the store keeps it: the state after its history, its events, postings and snapshots. */
export interface ImportedLoan {
  readonly loanRef: string;
  readonly state: LoanState;
  readonly events: readonly LoanEvent[];
  readonly postings: readonly SeqPosting[];
  readonly snapshots: readonly LoanSnapshot[];
}

/** A credit line of the file with the loans drawn on it, with the ids the shell gave. */
export interface ImportLineInput {
  readonly lineId: string;
  readonly customerId: string;
  /** Each loan with its new id and its product (the stored version, or the terms of the file). */
  readonly loans: readonly {
    readonly loanId: string;
    readonly loan: ImportLoan;
    readonly product: Product;
  }[];
}

/**
 * A line is the unit of an import: its loans share the line's limit and its used amount, so they are
 * written together or not at all. `problem` names the first loan that disagrees or is refused.
 */
export type ImportLineResult =
  | { readonly ok: true; readonly line: CreditLineState; readonly loans: readonly ImportedLoan[] }
  | { readonly ok: false; readonly problem: ImportProblem; readonly loanRefs: readonly string[] };

/** Our figure for each reconciled field, from a loan's position. */
export function reconciledFigures(p: LoanPosition): Record<ReconciledField, number> {
  return {
    principal: p.outstandingPrincipalMinor,
    interest: p.overdueInterestMinor + p.dueInterestMinor + p.accruedInterestMinor,
    penalty: p.penaltyOutstandingMinor,
    fee: p.overdueFeeMinor + p.dueFeeMinor,
    daysPastDue: p.daysPastDue,
  };
}

/** The first field where a position and a statement differ (fee only when stated), or null. */
export function firstBalanceDifference(
  p: LoanPosition,
  stated: StatedBalances,
): { field: ReconciledField; ours: number; theirs: number } | null {
  const ours = reconciledFigures(p);
  const theirs: Record<ReconciledField, number | null> = {
    principal: stated.principalMinor,
    interest: stated.interestMinor,
    penalty: stated.penaltyMinor,
    fee: stated.feeMinor,
    daysPastDue: stated.daysPastDue,
  };
  for (const field of ['principal', 'interest', 'penalty', 'fee', 'daysPastDue'] as const) {
    const t = theirs[field];
    if (t !== null && t !== ours[field]) return { field, ours: ours[field], theirs: t };
  }
  return null;
}

/** A figure as a person reads it: yuan for amounts, days for days past due. */
export function formatFigure(field: ReconciledField, value: number): string {
  return field === 'daysPastDue' ? counted(value, 'day') : formatMinor(value);
}

/** A stop in a loan's replay: a repayment (with the balances after it, if stated), or a statement. */
type Step =
  | { readonly kind: 'repayment'; readonly day: Day; readonly index: number }
  | { readonly kind: 'balance'; readonly day: Day; readonly stated: StatedBalances };

class Stop extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.kind);
  }
}

/** One loan being replayed: its state so far, its rows, and where it is in its own history. */
class LoanReplay {
  state: LoanState;
  readonly events: LoanEvent[] = [];
  readonly postings: SeqPosting[] = [];
  readonly snapshots: LoanSnapshot[] = [];
  private next = 0;
  private agreedThrough: Day;
  private readonly steps: Step[];

  constructor(
    readonly loan: ImportLoan,
    opened: LoanChange,
  ) {
    this.state = opened.state;
    this.add(opened);
    this.agreedThrough = loan.drawdown.day;
    const steps: Step[] = loan.repayments.map((r, index) => ({ kind: 'repayment', day: r.day, index }));
    for (const stated of loan.balances) steps.push({ kind: 'balance', day: stated.day, stated });
    // Repayments of a day before that day's end-of-day statement; the sort is stable otherwise.
    this.steps = steps
      .map((s, i) => ({ s, i }))
      .sort(
        (a, b) =>
          a.s.day - b.s.day || (a.s.kind === b.s.kind ? a.i - b.i : a.s.kind === 'repayment' ? -1 : 1),
      )
      .map((x) => x.s);
  }

  private add(change: LoanChange): void {
    for (const e of change.events) this.events.push(e);
    for (const p of change.postings) this.postings.push(p);
    for (const s of change.snapshots) this.snapshots.push(s);
    this.state = change.state;
  }

  private check(stated: StatedBalances): void {
    const d = firstBalanceDifference(loanPosition(this.state), stated);
    if (d !== null) {
      throw new Stop({
        kind: 'difference',
        loanRef: this.loan.loanRef,
        ...d,
        day: stated.day,
        agreedThroughDay: this.agreedThrough,
        where: stated.where,
      });
    }
    this.agreedThrough = stated.day;
  }

  /** Applies the repayments and statements dated through `day`, then closes the loan through `day`. */
  advance(day: Day): void {
    for (;;) {
      const step = this.steps[this.next];
      if (step === undefined || step.day > day) break;
      this.next += 1;
      if (step.kind === 'balance') {
        this.add(planClose(this.state, step.day));
        invariant(
          this.state.lastClosedDay >= step.day,
          () => `loan ${this.loan.loanRef}: not closed through ${formatDate(step.day)} for its statement`,
        );
        this.check(step.stated);
        continue;
      }
      const r = this.loan.repayments[step.index]!;
      try {
        this.add(
          planCommand(this.state, null, {
            type: 'repay',
            amountMinor: r.amountMinor,
            day: r.day,
            clientId: `import:${this.loan.loanRef}:${step.index + 1}`,
            excess: r.excess,
          }),
        );
      } catch (error) {
        if (!isLedgerInputError(error)) throw error;
        throw new Stop({
          kind: 'refused',
          loanRef: this.loan.loanRef,
          day: r.day,
          code: error.code,
          message: `repayment of ${formatMinor(r.amountMinor)} on ${formatDate(r.day)}: ${error.message}`,
          where: r.where,
        });
      }
      if (r.after !== null) this.check(r.after);
    }
    this.add(planClose(this.state, day));
  }

  rows(): ImportedLoan {
    return {
      loanRef: this.loan.loanRef,
      state: this.state,
      events: this.events,
      postings: this.postings,
      snapshots: this.snapshots,
    };
  }
}

/** The default limit of a line the file gives none for: the sum of the principals drawn on it. */
function limitOf(input: ImportLineInput): number {
  const stated = input.loans.find((l) => l.loan.lineLimitMinor !== null)?.loan.lineLimitMinor;
  return stated ?? input.loans.reduce((sum, l) => sum + l.loan.drawdown.principalMinor, 0);
}

/**
 * Replays the loans of one credit line through `closeThroughDay` (the day before the business day): the
 * line is opened on the first drawdown; before each drawdown the loans already drawn are brought to the
 * eve of its day and the line learns their principal, so that the limit is checked as it stood then;
 * at the end every loan is closed through `closeThroughDay` and the line brought in step.
 */
export function replayImportLine(input: ImportLineInput, closeThroughDay: Day): ImportLineResult {
  const loans = [...input.loans].sort((a, b) => a.loan.drawdown.day - b.loan.drawdown.day);
  const loanRefs = loans.map((l) => l.loan.loanRef);
  invariant(loans.length > 0, () => `line ${input.lineId} has no loans to import`);
  const drawn: LoanReplay[] = [];
  let line: CreditLineState | undefined;
  let current = loans[0]!.loan;
  try {
    for (const { loanId, loan, product } of loans) {
      current = loan;
      const day = loan.drawdown.day;
      if (line === undefined) {
        line = openLine({
          lineId: input.lineId,
          customerId: input.customerId,
          limitMinor: limitOf(input),
          day,
        }).line;
      }
      for (const earlier of drawn) {
        earlier.advance(day - 1);
        line = syncLoanPrincipal(line, earlier.state.loanId, principalOf(earlier.state), day).line;
      }
      const r = drawdown(line, {
        loanId,
        product,
        principalMinor: loan.drawdown.principalMinor,
        day,
        clientId: `import:${loan.loanRef}`,
      });
      line = r.line;
      drawn.push(new LoanReplay(loan, planOpening(r.loan)));
    }
    for (const replay of drawn) {
      current = replay.loan;
      replay.advance(closeThroughDay);
      line = syncLoanPrincipal(line!, replay.state.loanId, principalOf(replay.state), closeThroughDay).line;
    }
  } catch (error) {
    if (error instanceof Stop) return { ok: false, problem: error.problem, loanRefs };
    if (!isLedgerInputError(error)) throw error;
    return {
      ok: false,
      problem: {
        kind: 'refused',
        loanRef: current.loanRef,
        day: current.drawdown.day,
        code: error.code,
        message: `drawdown of ${formatMinor(current.drawdown.principalMinor)} on ${formatDate(current.drawdown.day)}: ${error.message}`,
        where: current.where,
      },
      loanRefs,
    };
  }
  return { ok: true, line: line!, loans: drawn.map((d) => d.rows()) };
}
