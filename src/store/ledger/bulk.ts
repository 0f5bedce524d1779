import type {
  CreditLineState,
  LoanEvent,
  LoanSnapshot,
  LoanState,
  Posting,
  SeqPosting,
} from '../../ledger/index.js';
import { type CopyValue, copyRows } from '../copy.js';
import type { Queryable } from '../db.js';
import { loanDailyText, loanTermsText, sqlDate, toJsonText } from './codec.js';

/**
 * Bulk writing of ledger history: many loans' events, postings and snapshots, new loans and credit
 * lines, each table in one COPY per chunk. Used by the end-of-day batch (src/store/ledger/loans.ts
 * persistLoanChangesInBulk) and by the synthetic book writer (src/jobs/book.ts). The rows are exactly
 * those the `per-table` writers (persistLoanChange, insertLoan) store for the same planned changes.
 */

export type { SeqPosting };

/** New history of one loan: events in seq order, their postings, and month-end snapshots. */
export interface LoanHistory {
  customerId: string;
  loanId: string;
  events: readonly LoanEvent[];
  postings: readonly SeqPosting[];
  snapshots: readonly LoanSnapshot[];
}

function* eventRows(histories: readonly LoanHistory[]): Generator<CopyValue[]> {
  for (const h of histories) {
    for (const e of h.events) {
      const clientId = 'clientId' in e && typeof e.clientId === 'string' ? e.clientId : null;
      yield [h.customerId, e.loanId, e.seq, sqlDate(e.day), e.type, toJsonText(e), clientId];
    }
  }
}

/** The posting's debit total (the journal keeps it as a column for checks and sums). */
export function debitOf(posting: Posting): number {
  let debit = 0;
  for (const l of posting.lines) if ('debitMinor' in l) debit += l.debitMinor;
  return debit;
}

function* postingRows(histories: readonly LoanHistory[]): Generator<CopyValue[]> {
  for (const h of histories) {
    for (const { seq, posting } of h.postings) {
      yield [
        h.customerId,
        h.loanId,
        sqlDate(posting.day),
        seq,
        posting.eventRef,
        JSON.stringify(posting.lines),
        debitOf(posting),
      ];
    }
  }
}

function* snapshotRows(histories: readonly LoanHistory[]): Generator<CopyValue[]> {
  for (const h of histories) {
    // A quiet loan has the same seq at several month ends: the first snapshot of a seq serves them all
    // (as insertSnapshots' `on conflict do nothing` keeps the first).
    const seen = new Set<number>();
    for (const s of h.snapshots) {
      if (seen.has(s.state.seq)) continue;
      seen.add(s.state.seq);
      yield [h.customerId, s.state.loanId, s.state.seq, sqlDate(s.state.lastClosedDay), toJsonText(s.state)];
    }
  }
}

/**
 * Appends the histories in the caller's transaction. Snapshots must be new (a seq above any stored one
 * for the loan, as closing and simulating always make them): COPY has no `on conflict`.
 */
export async function appendLoanHistories(
  tx: Queryable,
  histories: readonly LoanHistory[],
): Promise<{ events: number; postings: number; snapshots: number }> {
  const events = await copyRows(
    tx,
    'loan_events',
    ['customer_id', 'loan_id', 'seq', 'day', 'type', 'payload', 'client_id'],
    eventRows(histories),
  );
  const postings = await copyRows(
    tx,
    'postings',
    ['customer_id', 'loan_id', 'day', 'event_seq', 'event_ref', 'lines', 'debit_minor'],
    postingRows(histories),
  );
  const snapshots = await copyRows(
    tx,
    'loan_snapshots',
    ['customer_id', 'loan_id', 'seq', 'day', 'state'],
    snapshotRows(histories),
  );
  return { events, postings, snapshots };
}

/** New loan rows (the book writer): the state after the loan's history, with its product version. */
export async function insertLoanRows(
  tx: Queryable,
  loans: readonly { state: LoanState; productVersion: number }[],
): Promise<number> {
  return copyRows(
    tx,
    'loans',
    [
      'customer_id',
      'loan_id',
      'line_id',
      'product_id',
      'product_version',
      'status',
      'principal_minor',
      'opened_day',
      'state',
      'terms',
      'seq',
      'last_closed_day',
      'next_event_day',
    ],
    (function* () {
      for (const { state: s, productVersion } of loans) {
        yield [
          s.customerId,
          s.loanId,
          s.lineId,
          s.product.id,
          productVersion,
          s.status,
          s.disbursedPrincipalMinor,
          sqlDate(s.startDay),
          loanDailyText(s),
          loanTermsText(s),
          s.seq,
          sqlDate(s.lastClosedDay),
          sqlDate(s.nextEventDay),
        ];
      }
    })(),
  );
}

/** New credit line rows (the book writer). */
export async function insertLineRows(tx: Queryable, lines: readonly CreditLineState[]): Promise<number> {
  return copyRows(
    tx,
    'credit_lines',
    ['customer_id', 'line_id', 'limit_minor', 'used_minor', 'status', 'state'],
    (function* () {
      for (const l of lines) {
        yield [l.customerId, l.lineId, l.limitMinor, l.usedMinor, l.status, toJsonText(l)];
      }
    })(),
  );
}
