import {
  type CreditLineState,
  drawdown,
  type LoanChange,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanPosition,
  openLine,
  payoffQuote,
  planClose,
  planCommand,
  planOpening,
  principalOf,
  type SeqPosting,
  syncLoanPrincipal,
} from '../ledger/index.js';
import type { Day } from '../money/index.js';
import {
  type Behaviour,
  BOOK_PRODUCTS,
  type BookSpec,
  pickBehaviour,
  randomInt,
  seededId,
  seededRandom,
} from '../simulation/index.js';
import type { Queryable } from '../store/index.js';
import { appendLoanHistories, insertLineRows, insertLoanRows, insertProductVersion } from '../store/index.js';

/**
 * A synthetic book for the demo, the reliability tests and the benchmark, written with COPY
 * (src/store/ledger/bulk.ts). Everything comes from the seed: the same spec gives the same ids, loans,
 * events and postings.
 */

interface LoanRows {
  state: LoanState;
  productVersion: number;
  events: LoanEvent[];
  postings: SeqPosting[];
  snapshots: LoanSnapshot[];
}

function amountDue(state: LoanState): number {
  const p = loanPosition(state);
  return (
    p.overduePrincipalMinor +
    p.overdueInterestMinor +
    p.overdueFeeMinor +
    p.duePrincipalMinor +
    p.dueInterestMinor +
    p.dueFeeMinor +
    p.penaltyOutstandingMinor
  );
}

/** Adds a planned change to the loan's rows (the line is brought in step once, at the end of the history). */
function append(rows: LoanRows, change: LoanChange): void {
  rows.events.push(...change.events);
  rows.postings.push(...change.postings);
  rows.snapshots.push(...change.snapshots);
  rows.state = change.state;
}

/** Simulates the loan's repayments by behaviour through `through`: the loan closed before each payment. */
function simulate(rows: LoanRows, behaviour: Behaviour, through: Day, rand: () => number): void {
  const stopAfter = behaviour === 'stops' ? randomInt(rand, 1, 4) : Number.POSITIVE_INFINITY;
  let paid = 0;
  for (const item of rows.state.plan) {
    if (behaviour === 'never' || paid >= stopAfter) break;
    const offset =
      behaviour === 'late'
        ? randomInt(rand, 3, 45)
        : behaviour === 'early'
          ? -randomInt(rand, 5, 20)
          : -randomInt(rand, 0, 3);
    const day = Math.max(item.dueDay + offset, rows.state.lastClosedDay + 1);
    if (day > through) break;
    append(rows, planClose(rows.state, day - 1));
    if (rows.state.status !== 'active') break;
    // Early payers settle the whole loan. The others pay what is due: an instalment not yet billed is
    // paid ahead as the plan states it (kept as a credit balance until it falls due) with anything
    // overdue; one already billed (paid on or after its due date) is in what is owed. The last
    // instalment is paid with the payoff amount, so that no credit balance is left on a settled loan.
    const owed = amountDue(rows.state);
    // On the due date itself the loan is closed only through the eve, so the instalment is not billed yet
    // (the repayment bills it first): it is paid as the plan states it, like one paid ahead.
    const ahead = item.dueDay >= day;
    const last = item.number === rows.state.plan.at(-1)?.number;
    const early = behaviour === 'early';
    const payoff = early || last;
    // The instalment as the plan states it now: a payment ahead or a late one may have re-amortised the plan
    // since the loop began, and the borrower pays the bill the app shows today.
    const current = rows.state.plan.find((p) => p.number === item.number) ?? item;
    const amount = payoff
      ? payoffQuote(rows.state, day).totalMinor
      : ahead
        ? current.totalMinor + owed
        : owed;
    if (amount <= 0) continue;
    const repaid = planCommand(rows.state, null, {
      type: 'repay',
      amountMinor: amount,
      day,
      clientId: `sim-${rows.state.loanId}-${item.number}`,
      excess: payoff ? 'prepay' : 'credit',
    });
    append(rows, repaid);
    paid += 1;
    if (rows.state.status !== 'active') break;
  }
}

export interface BookCounts {
  customers: number;
  lines: number;
  loans: number;
  events: number;
  postings: number;
}

/** Writes lines, loans, events, postings and snapshots for a batch of customers (COPY per table). */
async function writeRows(tx: Queryable, lines: CreditLineState[], loans: LoanRows[]): Promise<void> {
  await insertLineRows(tx, lines);
  await insertLoanRows(tx, loans);
  await appendLoanHistories(
    tx,
    loans.map((l) => ({
      customerId: l.state.customerId,
      loanId: l.state.loanId,
      events: l.events,
      postings: l.postings,
      snapshots: l.snapshots,
    })),
  );
}

/** Customers computed between two turns of the event loop while a write is in flight. */
const YIELD_EVERY_CUSTOMERS = 200;

export interface WriteBookOptions {
  /** Customers per transaction. */
  customersPerTransaction?: number;
  /**
   * Transactions writing at once (default 1). On a PostgreSQL server 2 lets the server store one chunk
   * while this process computes the next; an embedded database has one connection, so keep 1 there.
   */
  transactionsInFlight_max?: number;
  onProgress?: (customersDone: number) => void;
}

/**
 * Builds the book in memory with the pure engine, customer by customer, and writes it with COPY
 * in transactions of `customersPerTransaction` customers. Products are stored first (version 1 each).
 */
export async function writeBook(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable,
  spec: BookSpec,
  options: WriteBookOptions = {},
): Promise<BookCounts> {
  const rand = seededRandom(spec.seed);
  const versions = new Map<string, number>();
  for (const p of BOOK_PRODUCTS) {
    const existing = await db.query<{ version: number }>(
      'select max(version) as version from products where product_id = $1',
      [p.id],
    );
    const v = existing.rows[0]?.version ?? null;
    versions.set(p.id, v ?? (await insertProductVersion(db, p, 'demo')).version);
  }
  const perTx = options.customersPerTransaction ?? 2_000;
  const inFlight_max = Math.max(1, options.transactionsInFlight_max ?? 1);
  const inFlight: Promise<void>[] = [];
  let failure: unknown;
  const counts: BookCounts = { customers: 0, lines: 0, loans: 0, events: 0, postings: 0 };
  for (let start = 0; start < spec.customers; start += perTx) {
    const lines: CreditLineState[] = [];
    const loans: LoanRows[] = [];
    for (let c = start; c < Math.min(spec.customers, start + perTx); c += 1) {
      // Lets a chunk being written stream its COPY data while this one is computed.
      if (inFlight.length > 0 && c % YIELD_EVERY_CUSTOMERS === 0) await new Promise((r) => setImmediate(r));
      const customerId = spec.customerIds?.[c] ?? seededId('cus', rand);
      const behaviour = pickBehaviour(rand, spec.behaviourShares);
      const limitMinor = randomInt(rand, 10, 100) * 100_000;
      const loanCount = randomInt(rand, 1, spec.loansPerCustomer_max);
      const days = Array.from({ length: loanCount }, () => randomInt(rand, spec.drawFrom, spec.drawTo)).sort(
        (a, b) => a - b,
      );
      let line = openLine({ lineId: seededId('cl', rand), customerId, limitMinor, day: days[0]! }).line;
      const drawn: LoanRows[] = [];
      for (const day of days) {
        const product = BOOK_PRODUCTS[randomInt(rand, 0, BOOK_PRODUCTS.length - 1)]!;
        const principalMinor = randomInt(rand, 5, 200) * 10_000;
        if (line.limitMinor - line.usedMinor < principalMinor) continue;
        const r = drawdown(line, { loanId: seededId('ln', rand), product, principalMinor, day });
        line = r.line;
        const rows: LoanRows = {
          state: r.loan.state,
          productVersion: versions.get(product.id)!,
          events: [],
          postings: [],
          snapshots: [],
        };
        // Opening events are posted as the loan store posts them (the same planned change).
        const opening = planOpening(r.loan);
        rows.events.push(...opening.events);
        rows.postings.push(...opening.postings);
        loans.push(rows);
        drawn.push(rows);
      }
      // Histories after all drawdowns, so that the line's events stay in date order.
      if (spec.historyThrough !== undefined) {
        const paymentsThrough = Math.max(spec.historyThrough, spec.paymentsThrough ?? spec.historyThrough);
        for (const rows of drawn) {
          simulate(rows, behaviour, paymentsThrough, rand);
          // Closed through the end of the history, as the daily batch would have left it.
          append(rows, planClose(rows.state, spec.historyThrough));
        }
        // One restoration per loan for the whole history, dated its last day or the latest payment after
        // it (the line's events stay in date order).
        const syncDay = Math.max(spec.historyThrough, ...drawn.map((r) => r.state.lastEventDay));
        for (const rows of drawn) {
          line = syncLoanPrincipal(line, rows.state.loanId, principalOf(rows.state), syncDay).line;
        }
      }
      lines.push(line);
    }
    inFlight.push(
      db
        .transaction((tx) => writeRows(tx, lines, loans))
        .then(
          () => undefined,
          (error: unknown) => {
            failure ??= error;
          },
        ),
    );
    if (inFlight.length >= inFlight_max) await inFlight.shift();
    if (failure !== undefined) break;
    counts.customers = Math.min(spec.customers, start + perTx);
    counts.lines += lines.length;
    counts.loans += loans.length;
    for (const l of loans) {
      counts.events += l.events.length;
      counts.postings += l.postings.length;
    }
    options.onProgress?.(counts.customers);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return counts;
}
