/**
 * Loan list and portfolio benchmark (not a test): `npm run bench:loan-list`.
 *
 * Fills `loans` with BENCH_LOANS rows (default 1,000,000) whose state carries what the columns of
 * migration 0005 are set from (bucket, principal not yet due, dues), spread over buckets, products, customers
 * and draw days by a seeded rule, then times the dashboard's reads: the first page and a page deep into
 * every filter and sort order of `GET /loans` (the store's `listLoansPage`, the query the route runs), and
 * the portfolio summary's aggregate. For each it prints the plan's access path (EXPLAIN ANALYZE), the
 * server's execution time, and this process's wall and CPU time (the load average is printed too: the
 * figures are from a shared machine).
 *
 * Then the price on writes: the bulk end-of-day step (`advanceQuietLoans`: every quiet loan's marker
 * moves, which updates every index of `loans`) timed side by side on two copies of a BENCH_EOD_LOANS-loan
 * book (default 200,000), one migrated without migration 0005 and one with it, alternating, three
 * rounds each; and the time migration 0005 takes on the first copy.
 *
 * Backend: the PostgreSQL server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test, in a
 * fresh schema dropped afterwards), or PGlite in memory with BENCH_BACKENDS=pglite.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { parseDate } from '../src/money/index.js';
import {
  type Db,
  type LoanListQuery,
  listLoansPage,
  migrate,
  migrations,
  openPglite,
  openPostgres,
  portfolioCells,
} from '../src/store/index.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BACKEND = process.env.BENCH_BACKENDS ?? 'postgres';
const LOANS = Number(process.env.BENCH_LOANS ?? 1_000_000);
/** Rows per insert statement. */
const INSERT_ROWS = 100_000;
/** Pages walked before the timed "deep" page. */
const DEEP_PAGES = 50;
const PAGE_ROWS = 20;

const EOD_LOANS = Number(process.env.BENCH_EOD_LOANS ?? 200_000);
const EOD_ROUNDS = 3;

async function open(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (BACKEND === 'pglite') {
    const db = await openPglite();
    return { db, drop: () => db.close() };
  }
  const schema = `lg_bench_list_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openPostgres({ url: PG_URL, schema, poolSize_max: 2 });
  return {
    db,
    drop: async () => {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    },
  };
}

/**
 * Synthetic loans by generate_series: loan i is in bucket M(i mod 13 capped at 7 → about 54% M0), product
 * i mod 3, customer i / 2, drawn on one of 365 days, with 1,000–100,000 yuan outstanding.
 */
async function fill(db: Db, loans: number = LOANS): Promise<void> {
  for (let from = 0; from < loans; from += INSERT_ROWS) {
    const to = Math.min(loans, from + INSERT_ROWS) - 1;
    await db.query(
      `insert into loans (customer_id, loan_id, line_id, product_id, product_version, status, principal_minor,
         opened_day, state, terms, seq, last_closed_day, next_event_day)
       select 'cus_' || lpad(to_hex(i / 2), 28, '0'), 'ln_' || lpad(to_hex(i::bigint * 7919 % 1000003), 28, '0'),
         'crl_' || lpad(to_hex(i / 2), 28, '0'), (array['cash-3m', 'cash-6m', 'cash-12m'])[i % 3 + 1], 1,
         case when i % 17 = 0 then 'settled' else 'active' end, 10000000,
         date '2025-06-01' + (i % 365),
         jsonb_build_object(
           'bucket', 'M' || least(greatest(i % 13 - 5, 0), 7),
           'lastClosedDay', 0,
           'notDuePrincipalMinor', 100000 + (i * 37 % 9900000),
           'dues', case when i % 13 > 5
             then jsonb_build_array(jsonb_build_object('principalMinor', 50000, 'overdue', true))
             else '[]'::jsonb end),
         '{}'::jsonb, 1, date '2026-06-10', date '2026-06-30'
       from generate_series($1::int, $2::int) as i`,
      [from, to],
    );
  }
  await db.query('analyze loans');
}

interface Case {
  name: string;
  query: Omit<LoanListQuery, 'after' | 'limit'>;
}

const CASES: Case[] = [
  { name: 'all, by loan id', query: { sort: 'loanId', order: 'asc' } },
  { name: 'bucket M3', query: { buckets: ['M3'], sort: 'loanId', order: 'asc' } },
  {
    name: 'past due M1–M7, active',
    query: {
      buckets: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'],
      status: 'active',
      sort: 'loanId',
      order: 'asc',
    },
  },
  { name: 'product cash-6m', query: { productId: 'cash-6m', sort: 'loanId', order: 'asc' } },
  {
    name: 'drawn in May 2026',
    query: {
      drawnFrom: parseDate('2026-05-01'),
      drawnTo: parseDate('2026-05-31'),
      sort: 'loanId',
      order: 'asc',
    },
  },
  { name: 'by draw day, newest first', query: { sort: 'openedDay', order: 'desc' } },
  { name: 'by outstanding, largest first', query: { sort: 'outstandingPrincipal', order: 'desc' } },
  {
    name: 'active by outstanding, largest first',
    query: { status: 'active', sort: 'outstandingPrincipal', order: 'desc' },
  },
];

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

/** The plan's access paths (Index Scan using …, Seq Scan …) and the server's execution time. */
async function explain(
  db: Db,
  sql: string,
  params: readonly unknown[],
): Promise<{ plan: string; exec_ms: number }> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off) ${sql}`, params);
  const lines = rows.map((r) => r['QUERY PLAN']);
  const paths = lines
    .map((l) => l.trim().replace(/^->\s*/, ''))
    .filter((l) => /Scan|Sort|Aggregate/.test(l))
    .map((l) => l.replace(/\s+\(actual.*$/, ''));
  const exec = lines.find((l) => l.startsWith('Execution Time'));
  return { plan: paths.join(' → '), exec_ms: Number(exec?.match(/([0-9.]+) ms/)?.[1] ?? Number.NaN) };
}

/** Captures the SQL that listLoansPage sends, to explain it. */
function recording(db: Db): { db: Db; last: () => { sql: string; params: readonly unknown[] } } {
  let last = { sql: '', params: [] as readonly unknown[] };
  return {
    db: {
      ...db,
      query: (sql, params) => {
        last = { sql, params: params ?? [] };
        return db.query(sql, params);
      },
    },
    last: () => last,
  };
}

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; backend ${BACKEND}; ${LOANS} loans`,
  );
  const { db, drop } = await open();
  try {
    await migrate(db);
    let t = Date.now();
    let c = process.cpuUsage();
    await fill(db);
    console.log(
      `filled in ${((Date.now() - t) / 1000).toFixed(1)} s wall (${(cpuMs(c) / 1000).toFixed(1)} s CPU here)`,
    );
    const rec = recording(db);
    console.log('| list | page | rows | wall ms | CPU ms here | server ms | plan |');
    console.log('|---|---|---:|---:|---:|---:|---|');
    for (const k of CASES) {
      let after: LoanListQuery['after'] = null;
      for (let page = 1; page <= DEEP_PAGES; page++) {
        t = performance.now();
        c = process.cpuUsage();
        const rows = await listLoansPage(rec.db, { ...k.query, after, limit: PAGE_ROWS + 1 });
        const wall = performance.now() - t;
        const cpu = cpuMs(c);
        if (page === 1 || page === DEEP_PAGES) {
          const { sql, params } = rec.last();
          const e = await explain(db, sql, params);
          console.log(
            `| ${k.name} | ${page} | ${Math.min(rows.length, PAGE_ROWS)} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${e.exec_ms.toFixed(2)} | ${e.plan} |`,
          );
        }
        const last = rows[PAGE_ROWS - 1];
        if (last === undefined) break;
        const s = last.state as unknown as {
          notDuePrincipalMinor: number;
          dues: { principalMinor: number }[];
        };
        after = {
          loanId: last.loanId,
          value:
            k.query.sort === 'openedDay'
              ? (
                  await db.query<{ d: string }>(
                    'select opened_day::text as d from loans where loan_id = $1',
                    [last.loanId],
                  )
                ).rows[0]!.d
              : k.query.sort === 'outstandingPrincipal'
                ? s.notDuePrincipalMinor + s.dues.reduce((a, d) => a + d.principalMinor, 0)
                : null,
        };
      }
    }
    t = performance.now();
    c = process.cpuUsage();
    const cells = await portfolioCells(rec.db);
    const wall = performance.now() - t;
    const cpu = cpuMs(c);
    const e = await explain(db, rec.last().sql, rec.last().params);
    console.log(
      `| portfolio summary | – | ${cells.length} cells | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${e.exec_ms.toFixed(2)} | ${e.plan} |`,
    );
  } finally {
    await drop();
  }
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

/** The bulk EOD update (as advanceQuietLoans) on every loan. */
async function bulkAdvance(db: Db, day: string): Promise<number> {
  const t = performance.now();
  await db.query('update loans set last_closed_day = $1::date, row_version = row_version + 1', [day]);
  return performance.now() - t;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function eodPrice(): Promise<void> {
  console.log(`\nbulk EOD update of ${EOD_LOANS} loans; load average ${load()}`);
  const without = await open();
  const withIt = await open();
  try {
    await migrate(
      without.db,
      migrations.filter((m) => m.name !== 'loan_list_and_portfolio'),
    );
    await migrate(withIt.db);
    await fill(without.db, EOD_LOANS);
    await fill(withIt.db, EOD_LOANS);
    await without.db.query('vacuum analyze loans');
    await withIt.db.query('vacuum analyze loans');
    const times: { without: number[]; with: number[] } = { without: [], with: [] };
    for (let round = 0; round < EOD_ROUNDS; round++) {
      const day = `2026-07-${String(round + 1).padStart(2, '0')}`;
      times.without.push(await bulkAdvance(without.db, day));
      times.with.push(await bulkAdvance(withIt.db, day));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    console.log('| book | rounds (ms) | median ms |');
    console.log('|---|---|---:|');
    for (const [name, xs] of [
      ['without 0005', times.without],
      ['with 0005', times.with],
    ] as const) {
      console.log(`| ${name} | ${xs.map((x) => x.toFixed(0)).join(', ')} | ${median(xs).toFixed(0)} |`);
    }
    console.log(`ratio with/without: ${(median(times.with) / median(times.without)).toFixed(2)}`);
    const t = performance.now();
    await migrate(without.db);
    console.log(`migration 0005 on ${EOD_LOANS} loans: ${(performance.now() - t).toFixed(0)} ms`);
  } finally {
    await without.drop();
    await withIt.drop();
  }
  console.log(`load average ${load()}`);
}

if (process.env.BENCH_PART !== 'eod') await main();
if (process.env.BENCH_PART !== 'list') await eodPrice();
