import {
  applyEvent,
  type CreditLineState,
  drawdown,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanPosition,
  openLine,
  type Posting,
  type Product,
  parseProduct,
  postingsForEvent,
  repay,
  syncLoanPrincipal,
} from '../ledger/index.js';
import type { Day } from '../money/index.js';
import type { Queryable } from '../store/index.js';
import { closeWithSnapshots, insertProductVersion, sqlDate, toJsonText } from '../store/ledger/index.js';

/**
 * A synthetic book for the demo, the reliability tests and the benchmark, written with bulk inserts.
 * Everything comes from the seed: the same spec gives the same ids, loans, events and postings.
 */

/** Rows per multi-row insert. */
const BULK_ROWS_MAX = 2_000;

/** mulberry32: a small seeded generator, enough for synthetic data (not for anything secret). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** An id in the project's shape (prefix, 28 hex digits) drawn from the generator. */
export function seededId(prefix: string, rand: () => number): string {
  let hex = '';
  while (hex.length < 28)
    hex += Math.floor(rand() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return `${prefix}_${hex.slice(0, 28)}`;
}

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
  /** The customer ids to use (e.g. customers already created); otherwise drawn from the seed. */
  customerIds?: readonly string[];
}

export const BOOK_PRODUCTS: readonly Product[] = [
  parseProduct({ id: 'cash-3m', name: 'Cash loan, 3 months', termCount: 3 }),
  parseProduct({ id: 'cash-6m', name: 'Cash loan, 6 months', termCount: 6 }),
  parseProduct({ id: 'cash-12m', name: 'Cash loan, 12 months', termCount: 12 }),
];

const BEHAVIOURS: readonly [Behaviour, number][] = [
  ['on_time', 0.62],
  ['early', 0.08],
  ['late', 0.18],
  ['stops', 0.08],
  ['never', 0.04],
];

function pickBehaviour(rand: () => number): Behaviour {
  let x = rand();
  for (const [b, share] of BEHAVIOURS) {
    if (x < share) return b;
    x -= share;
  }
  return 'on_time';
}

interface LoanRows {
  state: LoanState;
  productVersion: number;
  events: LoanEvent[];
  postings: { seq: number; posting: Posting }[];
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

/** Folds new events into `rows`, with their postings against the state before each. */
function append(rows: LoanRows, events: readonly LoanEvent[], before: LoanState): void {
  let s = before;
  for (const e of events) {
    for (const posting of postingsForEvent(e, s)) rows.postings.push({ seq: e.seq, posting });
    s = applyEvent(s, e);
    rows.events.push(e);
  }
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
    const closed = closeWithSnapshots(rows.state, day - 1);
    append(rows, closed.events, rows.state);
    rows.snapshots.push(...closed.snapshots);
    rows.state = closed.state;
    if (rows.state.status !== 'active') break;
    // Early payers settle the whole loan. The others pay the instalment as scheduled (before its due
    // date it waits as a credit balance, applied when it falls due) plus anything overdue.
    const owed = amountDue(rows.state);
    const early = behaviour === 'early';
    const amount = early
      ? loanPosition(rows.state).totalOwedMinor
      : behaviour === 'on_time'
        ? item.totalMinor + owed
        : Math.max(owed, item.totalMinor);
    if (amount <= 0) continue;
    const r = repay(rows.state, {
      amountMinor: amount,
      day,
      clientId: `sim-${rows.state.loanId}-${item.number}`,
      excess: early ? 'prepay' : 'credit',
    });
    append(rows, r.events, rows.state);
    rows.state = r.state;
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

async function bulkInsert(
  tx: Queryable,
  table: string,
  columns: readonly (readonly [name: string, type: string])[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BULK_ROWS_MAX) {
    const chunk = rows.slice(i, i + BULK_ROWS_MAX);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
    const names = columns.map(([n]) => n).join(', ');
    const unnest = columns.map(([, t], c) => `$${c + 1}::${t}[]`).join(', ');
    await tx.query(
      `insert into ${table} (${names}) select ${names} from unnest(${unnest}) as u(${names})`,
      arrays,
    );
  }
}

/** Writes lines, loans, events, postings and snapshots for a batch of customers. */
async function writeRows(tx: Queryable, lines: CreditLineState[], loans: LoanRows[]): Promise<void> {
  await bulkInsert(
    tx,
    'credit_lines',
    [
      ['customer_id', 'text'],
      ['line_id', 'text'],
      ['limit_minor', 'bigint'],
      ['used_minor', 'bigint'],
      ['status', 'text'],
      ['state', 'jsonb'],
    ],
    lines.map((l) => [l.customerId, l.lineId, l.limitMinor, l.usedMinor, l.status, toJsonText(l)]),
  );
  await bulkInsert(
    tx,
    'loans',
    [
      ['customer_id', 'text'],
      ['loan_id', 'text'],
      ['line_id', 'text'],
      ['product_id', 'text'],
      ['product_version', 'integer'],
      ['status', 'text'],
      ['principal_minor', 'bigint'],
      ['opened_day', 'date'],
      ['state', 'jsonb'],
      ['seq', 'integer'],
      ['last_closed_day', 'date'],
      ['next_event_day', 'date'],
    ],
    loans.map(({ state: s, productVersion }) => [
      s.customerId,
      s.loanId,
      s.lineId,
      s.product.id,
      productVersion,
      s.status,
      s.disbursedPrincipalMinor,
      sqlDate(s.startDay),
      toJsonText(s),
      s.seq,
      sqlDate(s.lastClosedDay),
      sqlDate(s.nextEventDay),
    ]),
  );
  await bulkInsert(
    tx,
    'loan_events',
    [
      ['customer_id', 'text'],
      ['loan_id', 'text'],
      ['seq', 'integer'],
      ['day', 'date'],
      ['type', 'text'],
      ['payload', 'jsonb'],
      ['client_id', 'text'],
    ],
    loans.flatMap(({ state, events }) =>
      events.map((e) => [
        state.customerId,
        e.loanId,
        e.seq,
        sqlDate(e.day),
        e.type,
        toJsonText(e),
        'clientId' in e && typeof e.clientId === 'string' ? e.clientId : null,
      ]),
    ),
  );
  await bulkInsert(
    tx,
    'postings',
    [
      ['customer_id', 'text'],
      ['loan_id', 'text'],
      ['day', 'date'],
      ['event_seq', 'integer'],
      ['event_ref', 'text'],
      ['lines', 'jsonb'],
      ['debit_minor', 'bigint'],
    ],
    loans.flatMap(({ state, postings }) =>
      postings.map(({ seq, posting }) => {
        let debit = 0;
        for (const l of posting.lines) if ('debitMinor' in l) debit += l.debitMinor;
        return [
          state.customerId,
          state.loanId,
          sqlDate(posting.day),
          seq,
          posting.eventRef,
          JSON.stringify(posting.lines),
          debit,
        ];
      }),
    ),
  );
  const snapshots = new Map<string, unknown[]>();
  for (const { snapshots: list } of loans) {
    for (const s of list) {
      const key = `${s.state.loanId}:${s.state.seq}`;
      if (!snapshots.has(key)) {
        snapshots.set(key, [
          s.state.customerId,
          s.state.loanId,
          s.state.seq,
          sqlDate(s.state.lastClosedDay),
          toJsonText(s.state),
        ]);
      }
    }
  }
  await bulkInsert(
    tx,
    'loan_snapshots',
    [
      ['customer_id', 'text'],
      ['loan_id', 'text'],
      ['seq', 'integer'],
      ['day', 'date'],
      ['state', 'jsonb'],
    ],
    [...snapshots.values()],
  );
}

export interface WriteBookOptions {
  /** Customers per transaction. */
  customersPerTransaction?: number;
  onProgress?: (customersDone: number) => void;
}

/**
 * Builds the book in memory with the pure engine, customer by customer, and writes it with bulk inserts
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
  const counts: BookCounts = { customers: 0, lines: 0, loans: 0, events: 0, postings: 0 };
  for (let start = 0; start < spec.customers; start += perTx) {
    const lines: CreditLineState[] = [];
    const loans: LoanRows[] = [];
    for (let c = start; c < Math.min(spec.customers, start + perTx); c += 1) {
      const customerId = spec.customerIds?.[c] ?? seededId('cus', rand);
      const behaviour = pickBehaviour(rand);
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
        // Opening events are posted as the loan store posts them: the first against no loan, the rest
        // against the opened state.
        r.loan.events.forEach((e, i) => {
          for (const posting of postingsForEvent(e, i === 0 ? null : r.loan.state))
            rows.postings.push({ seq: e.seq, posting });
          rows.events.push(e);
        });
        loans.push(rows);
        drawn.push(rows);
      }
      // Histories after all drawdowns, so that the line's events stay in date order.
      if (spec.historyThrough !== undefined) {
        for (const rows of drawn) {
          simulate(rows, behaviour, spec.historyThrough, rand);
          // Closed through the end of the history, as the daily batch would have left it.
          const closed = closeWithSnapshots(rows.state, spec.historyThrough);
          append(rows, closed.events, rows.state);
          rows.snapshots.push(...closed.snapshots);
          rows.state = closed.state;
          const outstanding = loanPosition(rows.state).outstandingPrincipalMinor;
          line = syncLoanPrincipal(line, rows.state.loanId, outstanding, spec.historyThrough).line;
        }
      }
      lines.push(line);
    }
    await db.transaction((tx) => writeRows(tx, lines, loans));
    counts.customers = Math.min(spec.customers, start + perTx);
    counts.lines += lines.length;
    counts.loans += loans.length;
    for (const l of loans) {
      counts.events += l.events.length;
      counts.postings += l.postings.length;
    }
    options.onProgress?.(counts.customers);
  }
  return counts;
}
