import type { Day } from '../../money/index.js';
import {
  type BehaviourFold,
  type BehaviourLine,
  type BehaviourLoan,
  type BehaviourLoanEvent,
  behaviourFoldEvents,
  behaviourFoldFromJson,
  behaviourFoldStart,
  behaviourLoanOfFold,
} from '../../monitoring/index.js';
import type { Db, Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

/**
 * Reads the lender's own book as behaviour histories (monitoring/behaviour): each credit line with its limits
 * through time (credit_line_changes) and its loans' events through a day. Only the event types the features
 * read are loaded: accruals and bucket changes, most of a log, are left in the database.
 */

/** Customers per page: one query for their lines, one for their limit changes, one for their loans' events. */
export const BEHAVIOUR_CUSTOMERS_PER_PAGE = 2_000;

const EVENT_TYPES = [
  'LoanOpened',
  'InstallmentDue',
  'UpfrontFeeBilled',
  'Repaid',
  'CreditApplied',
  'Waived',
  'PrincipalWaived',
  'LoanSettled',
  'EventsSuperseded',
];

/**
 * Each event's fields that the fold reads, as columns: `a`, `b` and `c` hold what its type needs (see
 * `eventOf`), `parts` the allocation by instalment (its JSON array). JSON parsing of whole payloads was the
 * largest cost of the job (docs/performance.md, the behaviour-score job).
 */
export interface EventRow {
  customer_id: string;
  loan_id: string;
  seq: number;
  type: string;
  day: number;
  line: string | null;
  a: number | null;
  b: number | null;
  c: number | null;
  parts: string | null;
}

const num = (path: string) => `(payload${path})::bigint`;
const EVENT_COLUMNS = `e.customer_id, e.loan_id, e.seq, e.type, (payload->>'day')::int as day,
  case when e.type = 'LoanOpened' then payload->>'lineId' end as line,
  case e.type
    when 'LoanOpened' then ${num("->>'principalMinor'")}
    when 'InstallmentDue' then ${num("->>'principalMinor'")} + ${num("->>'interestMinor'")} + ${num("->>'feeMinor'")}
    when 'UpfrontFeeBilled' then ${num("->>'feeMinor'")}
    when 'Repaid' then ${num("->>'amountMinor'")}
    when 'PrincipalWaived' then ${num("->>'amountMinor'")}
    when 'EventsSuperseded' then ${num("->>'fromSeq'")} end as a,
  case e.type
    when 'LoanOpened' then ${num("->'product'->>'graceDays'")}
    when 'InstallmentDue' then ${num("->>'installmentNumber'")}
    when 'UpfrontFeeBilled' then ${num("->>'installmentNumber'")}
    when 'Repaid' then ${num("->'allocation'->>'principalMinor'")}
    when 'CreditApplied' then ${num("->'allocation'->>'principalMinor'")}
    when 'EventsSuperseded' then ${num("->>'toSeq'")} end as b,
  case when e.type = 'InstallmentDue' then ${num("->'billedEarly'->>'dueDay'")} end as c,
  case when e.type in ('Repaid', 'CreditApplied', 'Waived', 'PrincipalWaived') then (payload->'byInstallment')::text end as parts`;

type Allocation = {
  installmentNumber: number;
  principalMinor: number;
  interestMinor: number;
  feeMinor: number;
};
/** An allocation's array: small (often empty), so parsed as JSON; building it as text in SQL cost the server more. */
function partsOf(text: string | null): readonly Allocation[] {
  return text === null || text === '[]' ? [] : (JSON.parse(text) as Allocation[]);
}

/** The fold's record of one event row (an instalment's bill and each allocation are read as their sums). */
export function eventOf(r: EventRow): BehaviourLoanEvent {
  const { seq, day } = r;
  switch (r.type) {
    case 'LoanOpened':
      return {
        type: 'LoanOpened',
        seq,
        day,
        loanId: r.loan_id,
        principalMinor: Number(r.a),
        product: { graceDays: Number(r.b) },
      };
    case 'InstallmentDue':
      return {
        type: 'InstallmentDue',
        seq,
        day,
        installmentNumber: Number(r.b),
        principalMinor: Number(r.a),
        interestMinor: 0,
        feeMinor: 0,
        billedEarly: r.c === null ? null : { dueDay: Number(r.c) },
      };
    case 'UpfrontFeeBilled':
      return { type: 'UpfrontFeeBilled', seq, day, installmentNumber: Number(r.b), feeMinor: Number(r.a) };
    case 'Repaid':
      return {
        type: 'Repaid',
        seq,
        day,
        amountMinor: Number(r.a),
        allocation: { principalMinor: Number(r.b) },
        byInstallment: partsOf(r.parts),
      };
    case 'CreditApplied':
      return {
        type: 'CreditApplied',
        seq,
        day,
        allocation: { principalMinor: Number(r.b) },
        byInstallment: partsOf(r.parts),
      };
    case 'Waived':
      return { type: 'Waived', seq, day, byInstallment: partsOf(r.parts) };
    case 'PrincipalWaived':
      return { type: 'PrincipalWaived', seq, day, amountMinor: Number(r.a), byInstallment: partsOf(r.parts) };
    case 'LoanSettled':
      return { type: 'LoanSettled', seq, day };
    case 'EventsSuperseded':
      return { type: 'EventsSuperseded', seq, day, fromSeq: Number(r.a), toSeq: Number(r.b) };
    default:
      throw new Error(`assertion: behaviour read an event of type ${r.type}`);
  }
}

export interface BehaviourPageOptions {
  /** Stop after this customer id (inclusive): a worker's range. */
  readonly lastCustomerId?: string;
}

/** A loan's fold as the page built it, with its line: what the month's summary row stores. */
export interface PageFold {
  readonly customerId: string;
  readonly loanId: string;
  readonly lineId: string;
  readonly fold: BehaviourFold;
}

export interface BehaviourPage {
  readonly lines: BehaviourLine[];
  /** The loans of the page's lines opened by the day read through whose fold is to be stored. */
  readonly folds: PageFold[];
  readonly lastCustomerId: string | null;
  /** The stored rows that the page's folds leave unread, to be removed as they are written. */
  readonly superseded?: FoldsSuperseded;
}

type LineRow = { customer_id: string; line_id: string; limit_minor: number; opened_day: number };
type ChangeRow = {
  customer_id: string;
  line_id: string;
  day: string;
  from_limit_minor: number;
  to_limit_minor: number;
};

/** The page's customer ids after `afterCustomerId` (keyset order). */
async function pageCustomers(
  q: Queryable,
  afterCustomerId: string,
  customers_max: number,
  upTo: string | undefined,
): Promise<string[]> {
  const ids = await q.query<{ customer_id: string }>(
    upTo === undefined
      ? `select distinct customer_id from credit_lines where customer_id > $1 order by customer_id limit $2`
      : `select distinct customer_id from credit_lines where customer_id > $1 and customer_id <= $3
         order by customer_id limit $2`,
    upTo === undefined ? [afterCustomerId, customers_max] : [afterCustomerId, customers_max, upTo],
  );
  return ids.rows.map((r) => r.customer_id);
}

function readLines(q: Queryable, first: string, last: string) {
  return q.query<LineRow>(
    `select customer_id, line_id, limit_minor, (state->>'openedDay')::int as opened_day
     from credit_lines where customer_id >= $1 and customer_id <= $2 order by customer_id, line_id`,
    [first, last],
  );
}

function readLimitChanges(q: Queryable, first: string, last: string) {
  return q.query<ChangeRow>(
    `select customer_id, line_id, day::text as day, from_limit_minor, to_limit_minor
     from credit_line_changes
     where customer_id >= $1 and customer_id <= $2 and kind = 'limit-changed'
     order by customer_id, line_id, change_no`,
    [first, last],
  );
}

const lineKey = (customerId: string, lineId: string) => `${customerId}\u0000${lineId}`;

/** The page's lines with their limits through time and their loans (by line key). */
function linesOf(
  lineRows: readonly LineRow[],
  changeRows: readonly ChangeRow[],
  loansByLine: ReadonlyMap<string, BehaviourLoan[]>,
  through: Day,
): BehaviourLine[] {
  const changesByLine = new Map<string, { day: Day; from: number; to: number }[]>();
  for (const c of changeRows) {
    const key = lineKey(c.customer_id, c.line_id);
    const list = changesByLine.get(key) ?? [];
    list.push({ day: dayFromSql(c.day), from: Number(c.from_limit_minor), to: Number(c.to_limit_minor) });
    changesByLine.set(key, list);
  }
  const lines: BehaviourLine[] = [];
  for (const l of lineRows) {
    const key = lineKey(l.customer_id, l.line_id);
    const changes = changesByLine.get(key) ?? [];
    const openedDay = Number(l.opened_day);
    if (openedDay > through) continue;
    const limits = [
      { day: openedDay, limitMinor: changes[0]?.from ?? Number(l.limit_minor) },
      ...changes.map((c) => ({ day: c.day, limitMinor: c.to })),
    ];
    const loans = (loansByLine.get(key) ?? []).sort(
      (a, b) => a.openedDay - b.openedDay || (a.loanId < b.loanId ? -1 : 1),
    );
    lines.push({ customerId: l.customer_id, lineId: l.line_id, openedDay, limits, loans });
  }
  return lines;
}

/**
 * Folds event rows (in customer, loan, sequence order) loan by loan: `start` gives each loan's fold to go on
 * from (a fresh one when it returns undefined). Calls `each` with the loan's key, its line id (from its
 * `LoanOpened`, or `lineOf`) and its fold.
 */
function foldRows(
  rows: readonly EventRow[],
  each: (customerId: string, loanId: string, lineId: string, fold: BehaviourFold) => void,
  start: (customerId: string, loanId: string) => { fold: BehaviourFold; lineId: string } | undefined = () =>
    undefined,
): void {
  let events: BehaviourLoanEvent[] = [];
  let customer = '';
  let loanId = '';
  let lineId = '';
  const flush = () => {
    if (events.length === 0) return;
    const from = start(customer, loanId);
    const fold = behaviourFoldEvents(from?.fold ?? behaviourFoldStart(), events);
    each(customer, loanId, lineId !== '' ? lineId : (from?.lineId ?? ''), fold);
    events = [];
  };
  for (const row of rows) {
    if (row.loan_id !== loanId || row.customer_id !== customer) {
      flush();
      customer = row.customer_id;
      loanId = row.loan_id;
      lineId = '';
    }
    if (row.line !== null) lineId = row.line;
    events.push(eventOf(row));
  }
  flush();
}

/** Collects folds as the page's loans by line key, and as summary rows. */
function collector() {
  const loansByLine = new Map<string, BehaviourLoan[]>();
  const folds: PageFold[] = [];
  const add = (customerId: string, loanId: string, lineId: string, fold: BehaviourFold) => {
    if (lineId === '') return;
    folds.push({ customerId, loanId, lineId, fold });
    const key = lineKey(customerId, lineId);
    const loan = behaviourLoanOfFold(fold);
    const list = loansByLine.get(key);
    if (list === undefined) loansByLine.set(key, [loan]);
    else list.push(loan);
  };
  return { loansByLine, folds, add };
}

const EVENTS_OF_RANGE = `select ${EVENT_COLUMNS}
  from loan_events e
  where e.customer_id >= $1 and e.customer_id <= $2 and e.day <= $3::date and e.type = any($4::text[])
  order by e.customer_id, e.loan_id, e.seq`;

/** One page of customers after `afterCustomerId` (keyset order), with their lines' histories through `through`. */
export async function loadBehaviourPage(
  q: Queryable,
  through: Day,
  afterCustomerId: string,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
  options: BehaviourPageOptions = {},
): Promise<BehaviourPage> {
  const customerIds = await pageCustomers(q, afterCustomerId, customers_max, options.lastCustomerId);
  if (customerIds.length === 0) return { lines: [], folds: [], lastCustomerId: null };
  const lastCustomerId = customerIds.at(-1)!;
  const first = customerIds[0]!;
  const [lineRows, changeRows, eventRows] = await Promise.all([
    readLines(q, first, lastCustomerId),
    readLimitChanges(q, first, lastCustomerId),
    q.query<EventRow>(EVENTS_OF_RANGE, [first, lastCustomerId, sqlDate(through), EVENT_TYPES]),
  ]);
  const out = collector();
  foldRows(eventRows.rows, out.add);
  return {
    lines: linesOf(lineRows.rows, changeRows.rows, out.loansByLine, through),
    folds: out.folds,
    lastCustomerId,
    superseded: { kind: 'range', firstCustomerId: first, lastCustomerId },
  };
}

/** Where an incremental page starts from: the folds stored at the end of the month before. */
export interface FoldedPageSource {
  /** The month (its first day) whose stored folds the page goes on from. */
  readonly foldMonth: Day;
  /** That month's last day: the page reads the events after it. */
  readonly foldAsOf: Day;
}

/**
 * The stored rows a page's new folds leave unread (`insertMonthFolds` removes them). `range`: every loan of
 * the customer range was folded from its whole log, so no row before the month written is read again.
 * `loans`: each changed loan keeps its row of the month before's end (`months`: the month of that row; a
 * rerun of the month goes on from it) and nothing older.
 */
export type FoldsSuperseded =
  | { readonly kind: 'range'; readonly firstCustomerId: string; readonly lastCustomerId: string }
  | {
      readonly kind: 'loans';
      readonly customerIds: readonly string[];
      readonly loanIds: readonly string[];
      readonly months: readonly Day[];
    };

/** The events of the days after the stored folds through the day read, of a page's customers, each loan's in order. */
export type MonthEvents = (customerIds: readonly string[]) => Promise<EventRow[]>;

/**
 * Pages whose month's events one read fetches (200,000 customers by default): each read is a scan, not by
 * key, so fewer reads scan less; a month's events are a few per loan, so the read's rows stay few.
 */
export const BEHAVIOUR_PAGES_PER_MONTH_READ = 100;

/**
 * Reads the month's events for many pages at a time, in the table's physical order (the customer range is
 * written so that the primary key cannot serve it): reading a page's events by customer key is random heap
 * access on a log appended day after day, a page of blocks per event. A log appended by day puts the
 * month's events in a narrow band of blocks, which the BRIN index on the day finds; where it does not (the
 * bench's copied book), the read is a sequential scan of the table per range of customers.
 *
 * The ranges follow one another in customer order, and the next range's read starts as soon as the current
 * one's rows have arrived, so that the server reads it while the current range's pages are scored rather
 * than the job waiting for it (two ranges' rows are held at most).
 */
export function monthEventsReader(
  q: Queryable | Db,
  source: FoldedPageSource,
  through: Day,
  customersPerPage: number,
  lastCustomerId?: string,
  pagesPerRead = BEHAVIOUR_PAGES_PER_MONTH_READ,
): MonthEvents {
  type Range = {
    /** Its last customer (null: none from where it starts). */
    readonly upTo: Promise<string | null>;
    readonly rows: Promise<Map<string, EventRow[]>>;
  };
  const n = customersPerPage * pagesPerRead;
  const rangeEnd = async (from: string, inclusive: boolean): Promise<string | null> => {
    const op = inclusive ? '>=' : '>';
    const ids = await q.query<{ last: string | null }>(
      lastCustomerId === undefined
        ? `select max(customer_id) as last from (select distinct customer_id from credit_lines
             where customer_id ${op} $1 order by customer_id limit $2) c`
        : `select max(customer_id) as last from (select distinct customer_id from credit_lines
             where customer_id ${op} $1 and customer_id <= $3 order by customer_id limit $2) c`,
      lastCustomerId === undefined ? [from, n] : [from, n, lastCustomerId],
    );
    return ids.rows[0]?.last ?? null;
  };
  const readRange = async (from: string, inclusive: boolean, upTo: string | null) => {
    const byCustomer = new Map<string, EventRow[]>();
    if (upTo === null) return byCustomer;
    const read = (c: Queryable) =>
      c.query<EventRow>(
        `select ${EVENT_COLUMNS}
         from loan_events e
         where e.day > $3::date and e.day <= $4::date and (e.customer_id || '') ${inclusive ? '>=' : '>'} $1
           and (e.customer_id || '') <= $2 and e.type = any($5::text[])`,
        [from, upTo, sqlDate(source.foldAsOf), sqlDate(through), EVENT_TYPES],
      );
    // The planner costs a scan of the BRIN index on the day as if the month's rows lay all over the table
    // (it does not know they lie together) and chooses a sequential scan of the whole log: at a million
    // loans that read every block of the log for a month's band, four times the time (docs/performance.md).
    // Without the sequential scan it reads the month's blocks; on a log not in day order, every block.
    const { rows } =
      'transaction' in q
        ? await q.transaction(async (tx) => {
            await tx.query('set local enable_seqscan = off');
            return read(tx);
          })
        : await read(q);
    for (const r of rows) {
      const list = byCustomer.get(r.customer_id);
      if (list === undefined) byCustomer.set(r.customer_id, [r]);
      else list.push(r);
    }
    return byCustomer;
  };
  /** The range of customers from `from` (after it unless `inclusive`). */
  const range = (from: string, inclusive: boolean, after?: Promise<unknown>): Range => {
    const upTo = rangeEnd(from, inclusive);
    const rows = (async () => {
      const last = await upTo;
      // The read of a range that follows starts once the range before it has arrived.
      if (after !== undefined) await after.catch(() => undefined);
      return readRange(from, inclusive, last);
    })();
    // Prefetched: a failure surfaces when (if) the job reaches this range.
    rows.catch(() => undefined);
    return { upTo, rows };
  };
  let current: Range | undefined;
  let following: Promise<Range | undefined> | undefined;
  /** The range after `r`, its read starting once `r`'s rows are in (none when `r` reaches the end). */
  const after = async (r: Range): Promise<Range | undefined> => {
    const upTo = await r.upTo;
    if (upTo === null || (lastCustomerId !== undefined && upTo >= lastCustomerId)) return undefined;
    return range(upTo, false, r.rows);
  };
  return async (customerIds) => {
    if (customerIds.length === 0) return [];
    const first = customerIds[0]!;
    const last = customerIds.at(-1)!;
    // The ranges holding the page's customers (pages and ranges both go on in customer order).
    const parts: Map<string, EventRow[]>[] = [];
    if (current === undefined) {
      current = range(first, true);
      following = after(current);
    }
    for (;;) {
      const upTo = await current.upTo;
      if (upTo === null) break;
      if (first <= upTo) parts.push(await current.rows);
      if (last <= upTo) break;
      const next: Range | undefined = await following;
      if (next === undefined) break;
      current = next;
      following = after(current);
    }
    const out: EventRow[] = [];
    for (const id of customerIds) {
      let list: EventRow[] | undefined;
      for (const m of parts) {
        list = m.get(id);
        if (list !== undefined) break;
      }
      if (list === undefined) continue;
      list.sort((a, b) => (a.loan_id < b.loan_id ? -1 : a.loan_id > b.loan_id ? 1 : a.seq - b.seq));
      for (const r of list) out.push(r);
    }
    return out;
  };
}

const keyOf = (customerId: string, loanId: string) => `${customerId}\u0000${loanId}`;

/**
 * The page of `loadBehaviourPage` as the job needs it, read from the folds stored at the end of the month
 * before and the events of the days after it through `through`, instead of every event of the page's loans:
 * every line that may have a loan open at `through`, with the same loans and histories. A line whose stored
 * loans were all settled and that has no event since is left out (it has nothing open to score); its folds
 * are not even read. `folds` are the loans whose fold changed (the others' stored rows still hold).
 *
 * A loan goes on from its stored fold only when the log has no supersession marker after the fold's last
 * event (a backdated correction reaches back before it); such a loan, and a loan opened before the month
 * without a stored fold (a book migrated mid-life), is folded again from its whole log.
 */
export async function loadFoldedBehaviourPage(
  q: Queryable,
  source: FoldedPageSource,
  through: Day,
  afterCustomerId: string,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
  options: BehaviourPageOptions = {},
  monthEvents?: MonthEvents,
): Promise<BehaviourPage> {
  const customerIds = await pageCustomers(q, afterCustomerId, customers_max, options.lastCustomerId);
  if (customerIds.length === 0) return { lines: [], folds: [], lastCustomerId: null };
  const lastCustomerId = customerIds.at(-1)!;
  const first = customerIds[0]!;
  const foldMonth = sqlDate(source.foldMonth);
  const [lineRows, changeRows, storedRows, eventRows, markerRows, loanRows] = await Promise.all([
    readLines(q, first, lastCustomerId),
    readLimitChanges(q, first, lastCustomerId),
    // Each loan's row of the latest month on or before the fold month; the fold only of lines with a loan
    // still open (the others' are read below if the line drew again).
    q.query<{ customer_id: string; loan_id: string; line_id: string; month: string; fold: string | null }>(
      `select customer_id, loan_id, line_id, month::text as month,
              case when bool_or(open) over (partition by customer_id, line_id) then fold end as fold
       from (select distinct on (customer_id, loan_id) customer_id, loan_id, line_id, month, open, fold
             from behaviour_loan_months
             where customer_id >= $2 and customer_id <= $3 and month <= $1::date
             order by customer_id, loan_id, month desc) s`,
      [foldMonth, first, lastCustomerId],
    ),
    (monthEvents ?? monthEventsReader(q, source, through, customers_max, options.lastCustomerId))(
      customerIds,
    ),
    q.query<{ customer_id: string; loan_id: string; seq: number }>(
      `select customer_id, loan_id, max(seq) as seq from loan_events
       where type = 'EventsSuperseded' and customer_id >= $1 and customer_id <= $2
       group by customer_id, loan_id`,
      [first, lastCustomerId],
    ),
    q.query<{ customer_id: string; loan_id: string }>(
      'select customer_id, loan_id from loans where customer_id >= $1 and customer_id <= $2',
      [first, lastCustomerId],
    ),
  ]);
  const stored = new Map<
    string,
    { customerId: string; loanId: string; lineId: string; month: string; text: string | null }
  >();
  for (const r of storedRows.rows)
    stored.set(keyOf(r.customer_id, r.loan_id), {
      customerId: r.customer_id,
      loanId: r.loan_id,
      lineId: r.line_id,
      month: r.month,
      text: r.fold,
    });
  const lastMarker = new Map<string, number>();
  for (const r of markerRows.rows) lastMarker.set(keyOf(r.customer_id, r.loan_id), Number(r.seq));
  // The month's events by loan.
  const groups = new Map<string, EventRow[]>();
  for (const row of eventRows) {
    const key = keyOf(row.customer_id, row.loan_id);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [row]);
    else list.push(row);
  }
  // Loans folded again from their whole log: a marker after the stored fold (checked once the fold is
  // read), no stored fold though opened before the month, or in the book with neither fold nor event.
  const again: { customerId: string; loanId: string }[] = [];
  const needLines = new Set<string>();
  for (const [key, rows] of groups) {
    const s = stored.get(key);
    if (s !== undefined) needLines.add(lineKey(s.customerId, s.lineId));
    else if (rows[0]!.type === 'LoanOpened' && rows[0]!.line !== null && !lastMarker.has(key))
      needLines.add(lineKey(rows[0]!.customer_id, rows[0]!.line));
    else again.push({ customerId: rows[0]!.customer_id, loanId: rows[0]!.loan_id });
  }
  for (const [key, seq] of lastMarker) {
    const s = stored.get(key);
    if (s !== undefined && !groups.has(key)) {
      // Without the fold its last event is unknown: read the fold, then decide.
      if (s.text === null || behaviourFoldFromJson(s.text).seq < seq)
        again.push({ customerId: s.customerId, loanId: s.loanId });
    }
  }
  for (const r of loanRows.rows) {
    const key = keyOf(r.customer_id, r.loan_id);
    if (!groups.has(key) && !stored.has(key)) again.push({ customerId: r.customer_id, loanId: r.loan_id });
  }
  const out = collector();
  const changed = new Set<string>();
  const add = (customerId: string, loanId: string, lineId: string, fold: BehaviourFold) => {
    changed.add(keyOf(customerId, loanId));
    out.add(customerId, loanId, lineId, fold);
  };
  const wholeLog = async (loans: readonly { customerId: string; loanId: string }[]) => {
    if (loans.length === 0) return;
    const rows = await q.query<EventRow>(
      `select ${EVENT_COLUMNS}
       from loan_events e
       join unnest($1::text[], $2::text[]) as a(c, l) on e.customer_id = a.c and e.loan_id = a.l
       where e.day <= $3::date and e.type = any($4::text[])
       order by e.customer_id, e.loan_id, e.seq`,
      [loans.map((a) => a.customerId), loans.map((a) => a.loanId), sqlDate(through), EVENT_TYPES],
    );
    foldRows(rows.rows, (c, l, n, fold) => {
      needLines.add(lineKey(c, n));
      add(c, l, n, fold);
    });
  };
  await wholeLog(again);
  // A loan with events whose stored fold ends after a marker is folded again too (found as its fold is read).
  const withheld: { customerId: string; loanId: string }[] = [];
  for (const s of stored.values())
    if (
      s.text === null &&
      !changed.has(keyOf(s.customerId, s.loanId)) &&
      needLines.has(lineKey(s.customerId, s.lineId))
    )
      withheld.push(s);
  if (withheld.length > 0) {
    const { rows } = await q.query<{ customer_id: string; loan_id: string; fold: string }>(
      `select distinct on (s.customer_id, s.loan_id) s.customer_id, s.loan_id, s.fold
       from behaviour_loan_months s
       join unnest($2::text[], $3::text[]) as a(c, l) on s.customer_id = a.c and s.loan_id = a.l
       where s.month <= $1::date
       order by s.customer_id, s.loan_id, s.month desc`,
      [foldMonth, withheld.map((w) => w.customerId), withheld.map((w) => w.loanId)],
    );
    for (const r of rows) stored.get(keyOf(r.customer_id, r.loan_id))!.text = r.fold;
  }
  const late: { customerId: string; loanId: string }[] = [];
  for (const [key, s] of stored) {
    if (changed.has(key) || s.text === null) continue;
    needLines.add(lineKey(s.customerId, s.lineId));
    const fold = behaviourFoldFromJson(s.text);
    if ((lastMarker.get(key) ?? 0) > fold.seq) {
      late.push(s);
      continue;
    }
    const rows = groups.get(key)?.filter((r) => r.seq > fold.seq) ?? [];
    if (rows.length === 0) out.add(s.customerId, s.loanId, s.lineId, fold);
    else foldRows(rows, add, () => ({ fold, lineId: s.lineId }));
  }
  await wholeLog(late);
  // Loans opened in the month.
  for (const [key, rows] of groups)
    if (!stored.has(key) && !changed.has(key) && rows[0]!.type === 'LoanOpened' && !lastMarker.has(key))
      foldRows(rows, add);
  const lines = linesOf(
    lineRows.rows.filter((l) => needLines.has(lineKey(l.customer_id, l.line_id))),
    changeRows.rows,
    out.loansByLine,
    through,
  );
  const folds = out.folds.filter((f) => changed.has(keyOf(f.customerId, f.loanId)));
  // Each changed loan's older rows than the one it went on from are read by no month to come.
  const superseded = {
    kind: 'loans' as const,
    customerIds: [] as string[],
    loanIds: [] as string[],
    months: [] as Day[],
  };
  for (const f of folds) {
    const s = stored.get(keyOf(f.customerId, f.loanId));
    if (s === undefined) continue;
    superseded.customerIds.push(f.customerId);
    superseded.loanIds.push(f.loanId);
    superseded.months.push(dayFromSql(s.month));
  }
  return { lines, folds, lastCustomerId, superseded };
}

/**
 * Calls `each` with every page of the book's line histories through `through`, in customer order. The next
 * page is read while `each` works on the current one (a server has the connections for it; an embedded
 * database takes the queries in turn). With `folded`, pages go on from the folds stored at the end of the
 * month before (`loadFoldedBehaviourPage`); the lines are the same.
 */
export async function forEachBehaviourPage(
  q: Queryable | Db,
  through: Day,
  each: (lines: BehaviourLine[], folds: PageFold[], superseded?: FoldsSuperseded) => Promise<void> | void,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
  options: BehaviourPageOptions & {
    readonly afterCustomerId?: string;
    readonly folded?: FoldedPageSource;
    /** Pages per read of the month's events (`BEHAVIOUR_PAGES_PER_MONTH_READ`). */
    readonly pagesPerMonthRead?: number;
  } = {},
): Promise<void> {
  const { folded } = options;
  const monthEvents =
    folded === undefined
      ? undefined
      : monthEventsReader(
          q,
          folded,
          through,
          customers_max,
          options.lastCustomerId,
          options.pagesPerMonthRead,
        );
  const load = (after: string) =>
    folded === undefined
      ? loadBehaviourPage(q, through, after, customers_max, options)
      : loadFoldedBehaviourPage(q, folded, through, after, customers_max, options, monthEvents);
  let next = load(options.afterCustomerId ?? '');
  for (;;) {
    const page = await next;
    if (page.lastCustomerId === null) return;
    next = load(page.lastCustomerId);
    // A failure of `each` ends the walk; the read already under way must not go unhandled.
    next.catch(() => undefined);
    await each(page.lines, page.folds, page.superseded);
  }
}
