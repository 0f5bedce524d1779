import type { PostingLine } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate, toJsonText } from '../ledger/codec.js';

/** One exposure of a stored month-end ECL run. */
export interface StoredEclExposure {
  customerId: string;
  exposureId: string;
  stage: 1 | 2 | 3;
  eadMinor: number;
  eclMinor: number;
}

export interface StoredEclRun {
  monthEnd: Day;
  scenarioSet: string;
  exposures: number;
  eadMinor: number;
  eclMinor: number;
}

export interface StoredEclPosting {
  monthEnd: Day;
  postingNo: number | null;
  openingMinor: number;
  closingMinor: number;
  usedMinor: number;
  chargeMinor: number;
}

/** The customer id of the book's own journal rows (the monthly allowance entry is no customer's). */
export const BOOK_CUSTOMER_ID = '';

export async function findEclRun(q: Queryable, monthEnd: Day): Promise<StoredEclRun | null> {
  const { rows } = await q.query<{ scenario_set: string; exposures: number; ead: string; ecl: string }>(
    `select scenario_set, exposures, ead_minor::text as ead, ecl_minor::text as ecl from ecl_runs
     where month_end = $1::date`,
    [sqlDate(monthEnd)],
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    monthEnd,
    scenarioSet: r.scenario_set,
    exposures: r.exposures,
    eadMinor: Number(r.ead),
    eclMinor: Number(r.ecl),
  };
}

export async function listEclRunExposures(q: Queryable, monthEnd: Day): Promise<StoredEclExposure[]> {
  const { rows } = await q.query<{
    customer_id: string;
    exposure_id: string;
    stage: number;
    ead: string;
    ecl: string;
  }>(
    `select customer_id, exposure_id, stage, ead_minor::text as ead, ecl_minor::text as ecl
     from ecl_run_exposures where month_end = $1::date order by exposure_id`,
    [sqlDate(monthEnd)],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    exposureId: r.exposure_id,
    stage: r.stage as 1 | 2 | 3,
    eadMinor: Number(r.ead),
    eclMinor: Number(r.ecl),
  }));
}

/** Stores a run and its exposures (one multi-row insert per 1,000 exposures). */
export async function insertEclRun(
  tx: Queryable,
  run: StoredEclRun,
  exposures: readonly StoredEclExposure[],
): Promise<void> {
  await tx.query(
    `insert into ecl_runs (month_end, scenario_set, exposures, ead_minor, ecl_minor) values ($1::date, $2, $3, $4, $5)`,
    [sqlDate(run.monthEnd), run.scenarioSet, run.exposures, run.eadMinor, run.eclMinor],
  );
  const CHUNK = 1_000;
  for (let i = 0; i < exposures.length; i += CHUNK) {
    const chunk = exposures.slice(i, i + CHUNK);
    await tx.query(
      `insert into ecl_run_exposures (customer_id, month_end, exposure_id, stage, ead_minor, ecl_minor)
       select c, $1::date, e, s, ead, ecl
       from unnest($2::text[], $3::text[], $4::smallint[], $5::bigint[], $6::bigint[]) as t(c, e, s, ead, ecl)`,
      [
        sqlDate(run.monthEnd),
        chunk.map((x) => x.customerId),
        chunk.map((x) => x.exposureId),
        chunk.map((x) => x.stage),
        chunk.map((x) => String(x.eadMinor)),
        chunk.map((x) => String(x.eclMinor)),
      ],
    );
  }
}

export async function findEclPosting(q: Queryable, monthEnd: Day): Promise<StoredEclPosting | null> {
  const { rows } = await q.query<{
    posting_no: string | null;
    opening: string;
    closing: string;
    used: string;
    charge: string;
  }>(
    `select posting_no::text as posting_no, opening_minor::text as opening, closing_minor::text as closing,
       used_minor::text as used, charge_minor::text as charge
     from ecl_postings where month_end = $1::date`,
    [sqlDate(monthEnd)],
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    monthEnd,
    postingNo: r.posting_no === null ? null : Number(r.posting_no),
    openingMinor: Number(r.opening),
    closingMinor: Number(r.closing),
    usedMinor: Number(r.used),
    chargeMinor: Number(r.charge),
  };
}

/** The loss allowance's credit balance on the books at the end of `day`. */
export async function allowanceOnBooks(q: Queryable, day: Day): Promise<number> {
  const { rows } = await q.query<{ balance: string }>(
    `select coalesce(sum(coalesce((l->>'creditMinor')::bigint, 0) - coalesce((l->>'debitMinor')::bigint, 0)), 0)::text
       as balance
     from postings p cross join lateral jsonb_array_elements(p.lines) as l
     where p.customer_id = $2 and p.day <= $1::date and l->>'account' = 'lossAllowance'`,
    [sqlDate(day), BOOK_CUSTOMER_ID],
  );
  return Number(rows[0]?.balance ?? 0);
}

/** Writes the month's allowance entry to the journal (when it moves anything) and records it. */
export async function insertEclPosting(
  tx: Queryable,
  entry: Omit<StoredEclPosting, 'postingNo'> & { eventRef: string; lines: readonly PostingLine[] | null },
): Promise<StoredEclPosting> {
  let postingNo: number | null = null;
  if (entry.lines !== null) {
    const debit = entry.lines.reduce((a, l) => a + ('debitMinor' in l ? l.debitMinor : 0), 0);
    const { rows } = await tx.query<{ posting_no: string }>(
      `insert into postings (customer_id, loan_id, day, event_seq, event_ref, lines, debit_minor)
       values ($1, $2, $3::date, 0, $2, $4::jsonb, $5) returning posting_no::text as posting_no`,
      [BOOK_CUSTOMER_ID, entry.eventRef, sqlDate(entry.monthEnd), toJsonText(entry.lines), debit],
    );
    postingNo = Number(rows[0]?.posting_no);
  }
  await tx.query(
    `insert into ecl_postings (month_end, posting_no, opening_minor, closing_minor, used_minor, charge_minor)
     values ($1::date, $2, $3, $4, $5, $6)`,
    [
      sqlDate(entry.monthEnd),
      postingNo,
      entry.openingMinor,
      entry.closingMinor,
      entry.usedMinor,
      entry.chargeMinor,
    ],
  );
  return {
    monthEnd: entry.monthEnd,
    postingNo,
    openingMinor: entry.openingMinor,
    closingMinor: entry.closingMinor,
    usedMinor: entry.usedMinor,
    chargeMinor: entry.chargeMinor,
  };
}

/** The latest stored run before `monthEnd` (the roll-forward's opening). */
export async function previousEclRunMonth(q: Queryable, monthEnd: Day): Promise<Day | null> {
  const { rows } = await q.query<{ month_end: string }>(
    'select month_end::text as month_end from ecl_runs where month_end < $1::date order by month_end desc limit 1',
    [sqlDate(monthEnd)],
  );
  return rows[0] === undefined ? null : dayFromSql(rows[0].month_end);
}

export interface FundingOutflow {
  outflowId: string;
  day: Day;
  amountMinor: number;
  label: string;
}

export async function insertFundingOutflows(
  tx: Queryable,
  rows: readonly FundingOutflow[],
  createdBy: string,
): Promise<number> {
  for (const r of rows) {
    await tx.query(
      `insert into funding_outflows (outflow_id, day, amount_minor, label, created_by) values ($1, $2::date, $3, $4, $5)
       on conflict (outflow_id) do update set day = excluded.day, amount_minor = excluded.amount_minor,
         label = excluded.label, created_by = excluded.created_by`,
      [r.outflowId, sqlDate(r.day), r.amountMinor, r.label, createdBy],
    );
  }
  return rows.length;
}

export async function listFundingOutflows(q: Queryable, fromDay: Day, toDay: Day): Promise<FundingOutflow[]> {
  const { rows } = await q.query<{ outflow_id: string; day: string; amount: string; label: string }>(
    `select outflow_id, day::text as day, amount_minor::text as amount, label from funding_outflows
     where day >= $1::date and day <= $2::date order by day, outflow_id`,
    [sqlDate(fromDay), sqlDate(toDay)],
  );
  return rows.map((r) => ({
    outflowId: r.outflow_id,
    day: dayFromSql(r.day),
    amountMinor: Number(r.amount),
    label: r.label,
  }));
}

/** The month ends posted, newest first (at most `limit`). */
export async function listEclPostings(q: Queryable, limit: number): Promise<StoredEclPosting[]> {
  const { rows } = await q.query<{
    month_end: string;
    posting_no: string | null;
    opening: string;
    closing: string;
    used: string;
    charge: string;
  }>(
    `select month_end::text as month_end, posting_no::text as posting_no, opening_minor::text as opening,
       closing_minor::text as closing, used_minor::text as used, charge_minor::text as charge
     from ecl_postings order by month_end desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    monthEnd: dayFromSql(r.month_end),
    postingNo: r.posting_no === null ? null : Number(r.posting_no),
    openingMinor: Number(r.opening),
    closingMinor: Number(r.closing),
    usedMinor: Number(r.used),
    chargeMinor: Number(r.charge),
  }));
}

/** The journal lines of one posting of the book's own entries (the monthly allowance entry). */
export async function eclPostingLines(q: Queryable, postingNo: number): Promise<PostingLine[]> {
  const { rows } = await q.query<{ lines: string }>(
    'select lines::text as lines from postings where posting_no = $1 and customer_id = $2',
    [postingNo, BOOK_CUSTOMER_ID],
  );
  return rows[0] === undefined ? [] : (JSON.parse(rows[0].lines) as PostingLine[]);
}

/** Loans written off after `from` through `to` (their ECL exposures leave the book as write-offs). */
export async function loansWrittenOffBetween(q: Queryable, from: Day, to: Day): Promise<Set<string>> {
  const { rows } = await q.query<{ loan_id: string }>(
    `select distinct loan_id from loan_events where type = 'LoanWrittenOff' and day > $1::date and day <= $2::date`,
    [sqlDate(from), sqlDate(to)],
  );
  return new Set(rows.map((r) => r.loan_id));
}

/** An outflow as stored, with who entered it. */
export interface StoredFundingOutflow extends FundingOutflow {
  createdBy: string;
}

/** Stored outflows by day (optionally from/through a day), at most `limit`. */
export async function listStoredFundingOutflows(
  q: Queryable,
  range: { from?: Day; to?: Day },
  limit: number,
): Promise<StoredFundingOutflow[]> {
  const { rows } = await q.query<{
    outflow_id: string;
    day: string;
    amount: string;
    label: string;
    by: string;
  }>(
    `select outflow_id, day::text as day, amount_minor::text as amount, label, created_by as by
     from funding_outflows
     where ($1::date is null or day >= $1::date) and ($2::date is null or day <= $2::date)
     order by day, outflow_id limit $3`,
    [
      range.from === undefined ? null : sqlDate(range.from),
      range.to === undefined ? null : sqlDate(range.to),
      limit,
    ],
  );
  return rows.map((r) => ({
    outflowId: r.outflow_id,
    day: dayFromSql(r.day),
    amountMinor: Number(r.amount),
    label: r.label,
    createdBy: r.by,
  }));
}
