import { DEFAULT_PRODUCT, type Product } from '../../../src/ledger/index.js';
import {
  applyBackdated,
  applyEvent,
  type BackdatedCommand,
  type BackdatedResult,
  closeDaysThrough,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanPosition,
  openLoan,
  type RepayInput,
  repay,
  type WaiveInput,
  waive,
} from '../../../src/ledger/loan/index.js';
import { type Day, formatDate, parseDate } from '../../../src/money/index.js';

export const d = (text: string): Day => parseDate(text);

/** 3 monthly 等额本金 instalments at 0.05%/day, ACT/365F: interest is easy to derive by hand. */
export function product(overrides: Partial<Product> = {}): Product {
  return { ...DEFAULT_PRODUCT, method: 'equal-principal', termCount: 3, ...overrides };
}

/** Runs a loan through commands and end-of-day steps, keeping the stored log. */
export class Loan {
  state: LoanState;
  readonly log: LoanEvent[] = [];
  constructor(p: Product, principalMinor: number, start: string, loanId = 'L-1') {
    const r = openLoan({
      loanId,
      customerId: 'C-1',
      lineId: 'CL-1',
      product: p,
      principalMinor,
      day: d(start),
    });
    this.state = r.state;
    this.log.push(...r.events);
  }
  closeThrough(day: string): LoanEvent[] {
    const r = closeDaysThrough(this.state, d(day));
    this.state = r.state;
    this.log.push(...r.events);
    return r.events;
  }
  repay(amountMinor: number, day: string, extra: Partial<RepayInput> = {}): LoanEvent[] {
    const r = repay(this.state, { amountMinor, day: d(day), clientId: `r-${this.log.length}`, ...extra });
    this.state = r.state;
    this.log.push(...r.events);
    return r.events;
  }
  /** A command dated on a day already closed: appends the correction to the log. */
  backdate(command: BackdatedCommand, snapshots: readonly LoanSnapshot[] = []): BackdatedResult {
    const r = applyBackdated(this.log, snapshots, this.state.lastClosedDay, command);
    this.state = r.state;
    this.log.push(...r.appended);
    return r;
  }
  waive(component: WaiveInput['component'], amountMinor: number, day: string): LoanEvent[] {
    const r = waive(this.state, { component, amountMinor, day: d(day), clientId: `w-${this.log.length}` });
    this.state = r.state;
    this.log.push(...r.events);
    return r.events;
  }
}

/**
 * One row per event: the day, the event (with its instalment number), and the balances after it:
 * outstanding principal, accrued interest not yet billed, overdue principal, overdue interest, penalty
 * outstanding, days past due, bucket.
 */
export type Row = [string, string, number, number, number, number, number, number, string];

export function rows(log: readonly LoanEvent[]): Row[] {
  let state: LoanState | undefined;
  const out: Row[] = [];
  for (const e of log) {
    state = state === undefined ? openLoanState(e) : applyEvent(state, e);
    const p = loanPosition(state);
    const label = 'installmentNumber' in e ? `${e.type}#${e.installmentNumber}` : e.type;
    out.push([
      formatDate(e.day),
      label,
      p.outstandingPrincipalMinor,
      p.accruedInterestMinor,
      p.overduePrincipalMinor,
      p.overdueInterestMinor,
      p.penaltyOutstandingMinor,
      p.daysPastDue,
      p.bucket,
    ]);
  }
  return out;
}

function openLoanState(e: LoanEvent): LoanState {
  if (e.type !== 'LoanOpened') throw new Error('log must start with LoanOpened');
  return openLoan({
    loanId: e.loanId,
    customerId: e.customerId,
    lineId: e.lineId,
    product: e.product,
    principalMinor: e.principalMinor,
    day: e.day,
    clientId: e.clientId,
    delinquency: e.delinquency,
  }).state;
}

/** Prints rows as source, to read a table while writing a scenario. */
export function show(log: readonly LoanEvent[]): string {
  return rows(log)
    .map((r) => `      ${JSON.stringify(r).replaceAll(',', ', ')},`)
    .join('\n');
}
