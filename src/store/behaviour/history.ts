import type { LoanEvent } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import { type BehaviourLine, type BehaviourLoan, behaviourLoanOf } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, fromJsonText, sqlDate } from '../ledger/codec.js';

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

/** One page of customers after `afterCustomerId` (keyset order), with their lines' histories through `through`. */
export async function loadBehaviourPage(
  q: Queryable,
  through: Day,
  afterCustomerId: string,
  customers_max = BEHAVIOUR_CUSTOMERS_PER_PAGE,
): Promise<{ lines: BehaviourLine[]; lastCustomerId: string | null }> {
  const ids = await q.query<{ customer_id: string }>(
    `select distinct customer_id from credit_lines where customer_id > $1 order by customer_id limit $2`,
    [afterCustomerId, customers_max],
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
    q.query<{ customer_id: string; loan_id: string; payload: string }>(
      // A LoanOpened carries its whole product and schedule (about 2 KB, as much text as all the loan's
      // other events together); the fold reads five of its fields, so only those cross the wire and the
      // parser (docs/performance.md, the behaviour-score job).
      `select customer_id, loan_id,
              case when type = 'LoanOpened'
                   then jsonb_build_object('type', type, 'seq', seq, 'day', payload->'day', 'loanId', loan_id,
                          'lineId', payload->'lineId', 'principalMinor', payload->'principalMinor',
                          'product', jsonb_build_object('graceDays', payload->'product'->'graceDays'))::text
                   else payload::text end as payload
       from loan_events
       where customer_id >= $1 and customer_id <= $2 and day <= $3::date and type = any($4::text[])
       order by customer_id, loan_id, seq`,
      [first, lastCustomerId, sqlDate(through), EVENT_TYPES],
    ),
  ]);
  const loansByLine = new Map<string, BehaviourLoan[]>();
  let events: LoanEvent[] = [];
  let lineId = '';
  const flush = () => {
    if (events.length === 0) return;
    const loan = behaviourLoanOf(events);
    const list = loansByLine.get(lineId);
    if (list === undefined) loansByLine.set(lineId, [loan]);
    else list.push(loan);
    events = [];
  };
  let current = '';
  for (const row of eventRows.rows) {
    const key = `${row.customer_id}\u0000${row.loan_id}`;
    if (key !== current) {
      flush();
      current = key;
      lineId = '';
    }
    const event = fromJsonText<LoanEvent>(row.payload);
    if (event.type === 'LoanOpened') lineId = `${row.customer_id}\u0000${event.lineId}`;
    events.push(event);
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
): Promise<void> {
  let next = loadBehaviourPage(q, through, '', customers_max);
  for (;;) {
    const page = await next;
    if (page.lastCustomerId === null) return;
    next = loadBehaviourPage(q, through, page.lastCustomerId, customers_max);
    // A failure of `each` ends the walk; the read already under way must not go unhandled.
    next.catch(() => undefined);
    await each(page.lines);
  }
}
