/** The ledger's values as the API shows them: money as decimal strings of yuan, days as ISO dates. */
import {
  type CreditLineState,
  type Installment,
  type LoanEvent,
  type LoanPosition,
  type LoanState,
  loanPosition,
  type PayoffQuote,
} from '../../ledger/index.js';
import { type Day, endOfMonth, formatDate, formatMinor as formatFen } from '../../money/index.js';
import { loanCreditReportStatus } from '../../reporting/index.js';
import type {
  AccountTotals,
  StoredEvent,
  StoredLoan,
  StoredPosting,
  StoredProduct,
} from '../../store/index.js';
import { presentLoanRestructuring } from './restructuring-present.js';

export function presentLine(line: CreditLineState) {
  return {
    lineId: line.lineId,
    customerId: line.customerId,
    status: line.status,
    currency: line.currency,
    limit: formatFen(line.limitMinor),
    used: formatFen(line.usedMinor),
    available: formatFen(Math.max(0, line.limitMinor - line.usedMinor)),
    openedOn: formatDate(line.openedDay),
    loanCount: Object.keys(line.loanPrincipalMinor).length,
  };
}

export function presentLoan(loan: StoredLoan, position: LoanPosition, lastClosedDay: Day, nextEventDay: Day) {
  const s = loan.state;
  return {
    loanId: loan.loanId,
    customerId: loan.customerId,
    lineId: loan.lineId,
    productId: loan.productId,
    productVersion: loan.productVersion,
    status: position.status,
    openedOn: formatDate(s.startDay),
    principal: formatFen(s.disbursedPrincipalMinor),
    asOf: formatDate(position.asOfDay),
    lastClosedDay: formatDate(lastClosedDay),
    nextEventDay: nextEventDay >= Number.MAX_SAFE_INTEGER ? null : formatDate(nextEventDay),
    daysPastDue: position.daysPastDue,
    bucket: position.bucket,
    outstandingPrincipal: formatFen(position.outstandingPrincipalMinor),
    overduePrincipal: formatFen(position.overduePrincipalMinor),
    overdueInterest: formatFen(position.overdueInterestMinor),
    overdueFee: formatFen(position.overdueFeeMinor),
    duePrincipal: formatFen(position.duePrincipalMinor),
    dueInterest: formatFen(position.dueInterestMinor),
    dueFee: formatFen(position.dueFeeMinor),
    accruedInterest: formatFen(position.accruedInterestMinor),
    penaltyOutstanding: formatFen(position.penaltyOutstandingMinor),
    credit: formatFen(position.creditMinor),
    totalOwed: formatFen(position.totalOwedMinor),
    ...restructuringOf(s, position),
    creditReportStatus: loanCreditReportStatus(
      s,
      position.asOfDay,
      s.plan.some((i) => endOfMonth(i.dueDay) === endOfMonth(position.asOfDay)),
    ),
    writeOff:
      s.writtenOff === undefined || s.writtenOff === null
        ? null
        : {
            writtenOffOn: formatDate(s.writtenOff.day),
            evidenceRef: s.writtenOff.evidenceRef,
            writtenOff: formatFen(s.writtenOff.writtenOffMinor),
            principalClaimed: formatFen(s.writtenOff.principalClaimedMinor),
            recovered: formatFen(s.writtenOff.recoveredMinor),
          },
  };
}

function restructuringOf(s: LoanState, position: LoanPosition) {
  const r = presentLoanRestructuring(s.restructuring, s, position.daysPastDue, position.asOfDay);
  return r === undefined ? {} : { restructuring: r };
}

export function presentInstallment(i: Installment) {
  return {
    number: i.number,
    startDate: formatDate(i.startDay),
    dueDate: formatDate(i.dueDay),
    principal: formatFen(i.principalMinor),
    interest: formatFen(i.interestMinor),
    fee: formatFen(i.feeMinor),
    total: formatFen(i.totalMinor),
    remainingPrincipal: formatFen(i.remainingPrincipalMinor),
  };
}

/**
 * An engine event or posting for the API: `…Minor` integer fields become decimal strings of yuan without
 * the suffix, `…Day` numbers become ISO dates; the product document inside LoanOpened is left out (it is
 * at GET /products/{id}).
 */
export function presentDetail(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => presentDetail(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'product' && key === '') continue;
      if (k.endsWith('Minor') && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
        out[k.slice(0, -'Minor'.length)] = formatFen(v);
      } else if (k.endsWith('Day') && typeof v === 'number') {
        out[k.slice(0, -'Day'.length) === '' ? k : k] = v >= Number.MAX_SAFE_INTEGER ? null : formatDate(v);
      } else if (k === 'day' && typeof v === 'number') {
        out[k] = formatDate(v);
      } else {
        out[k] = presentDetail(v, k);
      }
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A loan as it stands (its own last closed day and next event day). */
export function presentStoredLoan(loan: StoredLoan) {
  return presentLoan(loan, loanPosition(loan.state), loan.state.lastClosedDay, loan.state.nextEventDay);
}

/** The answer of a repayment or waiver. */
export function presentCommandDone(done: {
  command: { day: Day; amountMinor: number };
  before: StoredLoan;
  after: StoredLoan;
  events: readonly LoanEvent[];
}) {
  return {
    loan: presentStoredLoan(done.after),
    effectiveDate: formatDate(done.command.day),
    amount: formatFen(done.command.amountMinor),
    backdated: done.command.day <= done.before.state.lastClosedDay,
    events: done.events.map((e) => presentDetail(e) as Record<string, unknown>),
  };
}

export function presentSchedule(s: LoanState) {
  return {
    loanId: s.loanId,
    plan: s.plan.map(presentInstallment),
    dues: s.dues.map((d) => ({
      installmentNumber: d.installmentNumber,
      dueDate: formatDate(d.dueDay),
      principal: formatFen(d.principalMinor),
      interest: formatFen(d.interestMinor),
      fee: formatFen(d.feeMinor),
      overdue: d.overdue,
    })),
  };
}

export function presentPayoffQuote(loanId: string, q: PayoffQuote) {
  return {
    loanId,
    date: formatDate(q.day),
    principal: formatFen(q.principalMinor),
    interest: formatFen(q.interestMinor),
    fee: formatFen(q.feeMinor),
    penalty: formatFen(q.penaltyMinor),
    credit: formatFen(q.creditMinor),
    total: formatFen(q.totalMinor),
  };
}

export function presentEvent(e: StoredEvent) {
  return {
    seq: e.seq,
    day: formatDate(e.day),
    type: e.type,
    clientId: e.clientId,
    recordedAt: e.recordedAt,
    detail: presentDetail(e.event as LoanEvent) as Record<string, unknown>,
  };
}

export function presentPosting(p: StoredPosting) {
  return {
    postingNo: p.postingNo,
    customerId: p.customerId,
    loanId: p.loanId,
    day: formatDate(p.day),
    eventSeq: p.eventSeq,
    eventRef: p.eventRef,
    lines: p.lines.map((l) =>
      'debitMinor' in l
        ? { account: l.account, debit: formatFen(l.debitMinor) }
        : { account: l.account, credit: formatFen(l.creditMinor) },
    ),
  };
}

export function presentTrialBalance(day: Day, totals: readonly AccountTotals[]) {
  let debit = 0;
  let credit = 0;
  for (const t of totals) {
    debit += t.debitMinor;
    credit += t.creditMinor;
  }
  return {
    date: formatDate(day),
    accounts: totals.map((t) => ({
      account: t.account,
      debit: formatFen(t.debitMinor),
      credit: formatFen(t.creditMinor),
    })),
    totalDebit: formatFen(debit),
    totalCredit: formatFen(credit),
    balanced: debit === credit,
  };
}

export function presentProduct(p: StoredProduct) {
  return { productId: p.productId, version: p.version, createdAt: p.createdAt, product: p.product };
}
