import { type Product, parseProduct } from '../ledger/index.js';
import type { Day } from '../money/index.js';

/**
 * The seeded demo book's plan: its products, the shares of payer behaviours and the spec of a book. The
 * book itself is built with the ledger and written by jobs/book.ts.
 */

/** How a customer pays: on time, late, stops after some instalments, never, or pays off early. */
export type Behaviour = 'on_time' | 'late' | 'stops' | 'never' | 'early';

export interface BookSpec {
  seed: number;
  customers: number;
  loansPerCustomer_max: number;
  /** Loans are drawn on days in [drawFrom, drawTo]. */
  drawFrom: Day;
  drawTo: Day;
  /**
   * Repayments are simulated through this day (the loans are closed through the day before each
   * payment); without it, loans stay as opened.
   */
  historyThrough?: Day;
  /**
   * Repayments are simulated through this later day (default `historyThrough`): borrowers keep paying on
   * the days the end-of-day runs then close, as they would in a live book. A loan paid on such a day is
   * closed through the day before its payment.
   */
  paymentsThrough?: Day;
  /** The customer ids to use (e.g. customers already created); otherwise drawn from the seed. */
  customerIds?: readonly string[];
  /** Shares of the payer behaviours (default `BEHAVIOURS`; the demo uses `DEMO_BEHAVIOURS`). */
  behaviourShares?: readonly (readonly [Behaviour, number])[];
}

export const BOOK_PRODUCTS: readonly Product[] = [
  parseProduct({ id: 'cash-3m', name: 'Cash loan, 3 months', termCount: 3 }),
  parseProduct({ id: 'cash-6m', name: 'Cash loan, 6 months', termCount: 6 }),
  parseProduct({ id: 'cash-12m', name: 'Cash loan, 12 months', termCount: 12 }),
];

/**
 * Shares of the behaviours. A late payer pays each instalment 3–45 days late, so about half of them are
 * past due on any day; those who stop or never pay stay past due until written off. With these shares a
 * year-old book has roughly a fifth of its active loans past due — more than a healthy lender's book, so
 * that every bucket has loans to look at.
 */
export const BEHAVIOURS: readonly (readonly [Behaviour, number])[] = [
  ['on_time', 0.72],
  ['early', 0.1],
  ['late', 0.1],
  ['stops', 0.05],
  ['never', 0.03],
];

/**
 * The demo's mix, calibrated on the reference figures of domain.md §13 (a near-prime online consumer book:
 * a few per cent past due, 1–5 % past 90 days): most borrowers pay on time or early; 1.5 % pay each
 * instalment 3–45 days late; 2.5 % stop after one to four instalments and 1 % never pay. Loans of those who
 * stop or never pay pass 180 days past due within the year and are written off by the lender's rule, which
 * takes them out of the active book. See docs/demo.md.
 */
export const DEMO_BEHAVIOURS: readonly (readonly [Behaviour, number])[] = [
  ['on_time', 0.85],
  ['early', 0.1],
  ['late', 0.015],
  ['stops', 0.025],
  ['never', 0.01],
];

/** Draws a customer's behaviour by the shares given (default the shares above). */
export function pickBehaviour(
  rand: () => number,
  shares: readonly (readonly [Behaviour, number])[] = BEHAVIOURS,
): Behaviour {
  let x = rand();
  for (const [b, share] of shares) {
    if (x < share) return b;
    x -= share;
  }
  return 'on_time';
}
