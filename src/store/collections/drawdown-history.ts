import type { DrawdownHistory } from '../../collections/index.js';
import type { LoanState } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/index.js';

/**
 * The first missed due date of a borrower: the oldest due date still unpaid and overdue on their loans; null
 * when none is (a case held open through a restructuring's observation, say).
 */
export function firstMissedDueDay(states: readonly LoanState[]): Day | null {
  let first: Day | null = null;
  for (const s of states) {
    const oldest = s.dues[0];
    if (oldest?.overdue === true && (first === null || oldest.dueDay < first)) first = oldest.dueDay;
  }
  return first;
}

/**
 * The drawdown histories of borrowers, each read against the borrower's first missed due date, in three
 * set-based queries: every loan drawn (its day and principal), the lines' limits in force on that date (a
 * line's limit and status before its first change on or after the date, else its current ones; a line closed
 * then counts nothing), and the principal outstanding at the close of that date (the journal's principal
 * accounts, current and overdue, through the date).
 */
export async function drawdownHistoriesOf(
  tx: Queryable,
  firstMissed: ReadonlyMap<string, Day>,
): Promise<Map<string, DrawdownHistory>> {
  const out = new Map<string, DrawdownHistory>();
  if (firstMissed.size === 0) return out;
  const customers = [...firstMissed.keys()];
  const days = customers.map((c) => sqlDate(firstMissed.get(c)!));
  const draws = await tx.query<{ customer_id: string; day: string; principal_minor: string }>(
    `select customer_id, opened_day::text as day, principal_minor::text as principal_minor
       from loans where customer_id = any($1::text[])`,
    [customers],
  );
  const limits = await tx.query<{ customer_id: string; limit_minor: string }>(
    `select l.customer_id, coalesce(sum(coalesce(ch.from_limit_minor, l.limit_minor))
              filter (where coalesce(ch.from_status, l.status) <> 'closed'), 0)::text as limit_minor
       from credit_lines l
       join unnest($1::text[], $2::date[]) as u(customer_id, missed) on l.customer_id = u.customer_id
       left join lateral (
         select c.from_limit_minor, c.from_status from credit_line_changes c
          where c.customer_id = l.customer_id and c.line_id = l.line_id and c.day >= u.missed
          order by c.change_no limit 1) ch on true
      group by l.customer_id`,
    [customers, days],
  );
  const used = await tx.query<{ customer_id: string; used_minor: string }>(
    `select p.customer_id,
            coalesce(sum(coalesce((e->>'debitMinor')::bigint, 0) - coalesce((e->>'creditMinor')::bigint, 0)), 0)::text
              as used_minor
       from postings p
       join unnest($1::text[], $2::date[]) as u(customer_id, missed) on p.customer_id = u.customer_id
       cross join lateral jsonb_array_elements(p.lines) as e
      where p.day <= u.missed and e->>'account' in ('principalCurrent', 'principalOverdue')
      group by p.customer_id`,
    [customers, days],
  );
  const drawsOf = new Map<string, { day: Day; principalMinor: number }[]>();
  for (const r of draws.rows) {
    const list = drawsOf.get(r.customer_id) ?? [];
    list.push({ day: dayFromSql(r.day), principalMinor: Number(r.principal_minor) });
    drawsOf.set(r.customer_id, list);
  }
  const limitOf = new Map(limits.rows.map((r) => [r.customer_id, Number(r.limit_minor)]));
  const usedOf = new Map(used.rows.map((r) => [r.customer_id, Number(r.used_minor)]));
  for (const [customerId, day] of firstMissed) {
    const list = (drawsOf.get(customerId) ?? []).sort((a, b) => a.day - b.day);
    out.set(customerId, {
      firstMissedDueDay: day,
      draws: list,
      limitMinor: limitOf.get(customerId) ?? 0,
      usedOnMissedDayMinor: usedOf.get(customerId) ?? 0,
    });
  }
  return out;
}
