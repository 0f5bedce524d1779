import type { Day } from '../../money/index.js';
import {
  type BehaviourLine,
  type BehaviourLoan,
  type BehaviourLoanEvent,
  behaviourLoanOf,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
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
interface EventRow {
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
function eventOf(r: EventRow): BehaviourLoanEvent {
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

/** One page of customers after `afterCustomerId` (keyset order), with their lines' histories through `through`. */
export async function loadBehaviourPage(
  q: Queryable,
  through: Day,
  afterCustomerId: string,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
  options: BehaviourPageOptions = {},
): Promise<{ lines: BehaviourLine[]; lastCustomerId: string | null }> {
  const upTo = options.lastCustomerId;
  const ids = await q.query<{ customer_id: string }>(
    upTo === undefined
      ? `select distinct customer_id from credit_lines where customer_id > $1 order by customer_id limit $2`
      : `select distinct customer_id from credit_lines where customer_id > $1 and customer_id <= $3
         order by customer_id limit $2`,
    upTo === undefined ? [afterCustomerId, customers_max] : [afterCustomerId, customers_max, upTo],
  );
  if (ids.rows.length === 0) return { lines: [], lastCustomerId: null };
  const customerIds = ids.rows.map((r) => r.customer_id);
  const lastCustomerId = customerIds.at(-1)!;
  const first = customerIds[0]!;
  const [lineRows, changeRows, eventRows] = await Promise.all([
    q.query<{ customer_id: string; line_id: string; limit_minor: number; opened_day: number }>(
      `select customer_id, line_id, limit_minor, (state->>'openedDay')::int as opened_day
       from credit_lines where customer_id >= $1 and customer_id <= $2 order by customer_id, line_id`,
      [first, lastCustomerId],
    ),
    q.query<{
      customer_id: string;
      line_id: string;
      day: string;
      from_limit_minor: number;
      to_limit_minor: number;
    }>(
      `select customer_id, line_id, day::text as day, from_limit_minor, to_limit_minor
       from credit_line_changes
       where customer_id >= $1 and customer_id <= $2 and kind = 'limit-changed'
       order by customer_id, line_id, change_no`,
      [first, lastCustomerId],
    ),
    q.query<EventRow>(
      `select ${EVENT_COLUMNS}
       from loan_events e
       where e.customer_id >= $1 and e.customer_id <= $2 and e.day <= $3::date and e.type = any($4::text[])
       order by e.customer_id, e.loan_id, e.seq`,
      [first, lastCustomerId, sqlDate(through), EVENT_TYPES],
    ),
  ]);
  const loansByLine = new Map<string, BehaviourLoan[]>();
  let events: BehaviourLoanEvent[] = [];
  let lineId = '';
  const flush = () => {
    if (events.length === 0) return;
    const loan = behaviourLoanOf(events);
    const list = loansByLine.get(lineId);
    if (list === undefined) loansByLine.set(lineId, [loan]);
    else list.push(loan);
    events = [];
  };
  let customer = '';
  let loanId = '';
  for (const row of eventRows.rows) {
    if (row.loan_id !== loanId || row.customer_id !== customer) {
      flush();
      customer = row.customer_id;
      loanId = row.loan_id;
      lineId = '';
    }
    if (row.line !== null) lineId = `${row.customer_id}\u0000${row.line}`;
    events.push(eventOf(row));
  }
  flush();
  const changesByLine = new Map<string, { day: Day; from: number; to: number }[]>();
  for (const c of changeRows.rows) {
    const key = `${c.customer_id}\u0000${c.line_id}`;
    const list = changesByLine.get(key) ?? [];
    list.push({ day: dayFromSql(c.day), from: Number(c.from_limit_minor), to: Number(c.to_limit_minor) });
    changesByLine.set(key, list);
  }
  const lines: BehaviourLine[] = [];
  for (const l of lineRows.rows) {
    const key = `${l.customer_id}\u0000${l.line_id}`;
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
  return { lines, lastCustomerId };
}

/**
 * Calls `each` with every page of the book's line histories through `through`, in customer order. The next
 * page is read while `each` works on the current one (a server has the connections for it; an embedded
 * database takes the queries in turn).
 */
export async function forEachBehaviourPage(
  q: Queryable,
  through: Day,
  each: (lines: BehaviourLine[]) => Promise<void> | void,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
  options: BehaviourPageOptions & { readonly afterCustomerId?: string } = {},
): Promise<void> {
  let next = loadBehaviourPage(q, through, options.afterCustomerId ?? '', customers_max, options);
  for (;;) {
    const page = await next;
    if (page.lastCustomerId === null) return;
    next = loadBehaviourPage(q, through, page.lastCustomerId, customers_max, options);
    // A failure of `each` ends the walk; the read already under way must not go unhandled.
    next.catch(() => undefined);
    await each(page.lines);
  }
}
