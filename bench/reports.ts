/**
 * Month-end reports benchmark (not a test): on PostgreSQL, a synthetic book with 24 months of history;
 * times building the 24 month ends (classification with restructuring floors), the roll-rate and vintage
 * reports, then exports the month-end rows and the drawn loans as CSV and times pandas computing the same
 * roll-rate matrix and M2+ vintage table from them (bench/reports_peer.py). Prints the figures.
 * Run: `npm run bench:reports`. Options (environment): BENCH_CUSTOMERS (default 20,000; about 2 loans each),
 * BENCH_PYTHON (default /usr/bin/python3), LENDGUARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REUSE=1 keeps the book,
 * BENCH_SCHEMA (default bench_reports). After the reports, the same work split: the month-end check, the rows
 * read, and the pure computation on rows already in memory — where a report's time goes.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildMonthEnd, ensureMonthEnds, loadReport, monthEndsBack, writeBook } from '../src/jobs/index.js';
import { addDays, formatDate, parseDate, startOfMonth } from '../src/money/index.js';
import {
  type MonthEndLoan,
  type MonthRows,
  monthKeyOfDay,
  ROLL_RATE_MONTHS,
  rollRatesReport,
  VINTAGE_COHORTS_MAX,
  vintageReport,
} from '../src/reporting/index.js';
import { migrate, openPostgres, readDrawnLoans, readMonthEnd, setBusinessDay } from '../src/store/index.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const PG_URL = process.env.LENDGUARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_reports';
const REUSE = process.env.BENCH_REUSE === '1';
/** Debian's python3 carries python3-pandas; a python3 earlier on the PATH may not. */
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const TODAY = parseDate('2026-06-15');
const AS_OF = parseDate('2026-05-31');

async function timed<T>(label: string, work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await work();
  const s = (performance.now() - t0) / 1000;
  console.log(`  ${label}: ${s.toFixed(2)} s`);
  return [r, s];
}

async function main(): Promise<void> {
  console.log(
    `Reports benchmark: ${CUSTOMERS} customers, 24 month ends to ${formatDate(AS_OF)}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = await admin.query('select 1 from information_schema.schemata where schema_name = $1', [
    SCHEMA,
  ]);
  if (!REUSE || exists.rowCount === 0) {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.query(`create schema ${SCHEMA}`);
  }
  await admin.end();
  const db = await openPostgres({ url: PG_URL, schema: SCHEMA });
  try {
    await migrate(db);
    const { rows } = await db.query<{ n: string }>('select count(*)::text as n from loans');
    if (Number(rows[0]?.n) === 0) {
      await timed('book written', () =>
        writeBook(
          db,
          {
            seed: 2026,
            customers: CUSTOMERS,
            loansPerCustomer_max: 3,
            drawFrom: addDays(TODAY, -760),
            drawTo: addDays(TODAY, -10),
            historyThrough: addDays(TODAY, -4),
          },
          { transactionsInFlight_max: 2 },
        ),
      );
    }
    await setBusinessDay(db, parseDate('2026-06-12'));
    const loans = Number((await db.query<{ n: string }>('select count(*)::text as n from loans')).rows[0]?.n);
    console.log(`  loans: ${loans}`);
    const months = monthEndsBack(AS_OF, 24);
    const [, buildS] = await timed('24 month ends built (classification)', async () => {
      for (const m of months) await buildMonthEnd(db, m, 'bench');
    });
    const rowsCount = Number(
      (await db.query<{ n: string }>('select count(*)::text as n from loan_month_ends')).rows[0]?.n,
    );
    console.log(`  month-end rows: ${rowsCount}`);
    const [roll, rollS] = await timed('roll-rates report', () =>
      loadReport(db, 'roll-rates', { asOf: formatDate(AS_OF) }),
    );
    const [, vintageS] = await timed('vintage report', () =>
      loadReport(db, 'vintage', { asOf: formatDate(AS_OF) }),
    );
    const [, classS] = await timed('classification report', () =>
      loadReport(db, 'classification', { asOf: formatDate(AS_OF) }),
    );

    // Where the report time goes: the month-end check, reading the rows, the pure computation.
    const rollMonths = monthEndsBack(AS_OF, ROLL_RATE_MONTHS + 1);
    const vintageMonths = monthEndsBack(AS_OF, VINTAGE_COHORTS_MAX);
    const [, checkS] = await timed('split: month ends checked (all built)', () =>
      ensureMonthEnds(db, vintageMonths, 'bench'),
    );
    const [rollRows, rollReadS] = await timed(
      `split: roll rates, ${rollMonths.length} month ends read`,
      async () => {
        const out: MonthRows[] = [];
        for (const m of rollMonths) out.push({ monthEnd: m, rows: await readMonthEnd(db, m) });
        return out;
      },
    );
    // The same rows in one statement, parsed the same way: statements against rows.
    const [, rollOneS] = await timed('split: the same rows in one statement', async () => {
      const { rows } = await db.query<Record<string, unknown>>(
        `select customer_id, loan_id, product_id, opened_day::text as opened_day, disbursed_minor::text as disbursed_minor,
           days_past_due, bucket, outstanding_principal_minor::text as outstanding_principal_minor,
           oldest_overdue_installment, class_by_dpd, asset_class, class_reasons, month_end::text as month_end
         from loan_month_ends where month_end = any($1::date[]) order by month_end, loan_id`,
        [rollMonths.map((m) => formatDate(m))],
      );
      return rows.length;
    });
    const [, rollComputeS] = await timed('split: roll rates computed in memory', async () =>
      rollRatesReport(rollRows),
    );
    const [vintageInput, vintageReadS] = await timed(
      `split: vintage, drawn loans and ${vintageMonths.length} month ends read`,
      async () => {
        const loans = await readDrawnLoans(db, startOfMonth(vintageMonths[0] as typeof AS_OF), AS_OF);
        const byMonth = new Map<number, MonthEndLoan[]>();
        for (const m of vintageMonths) byMonth.set(monthKeyOfDay(m), await readMonthEnd(db, m));
        return { monthEnd: AS_OF, loans, months: byMonth };
      },
    );
    const [, vintageComputeS] = await timed('split: vintage computed in memory', async () =>
      vintageReport(vintageInput),
    );
    console.log(
      `  split summary: check ${checkS.toFixed(2)} s; roll read ${rollReadS.toFixed(2)} s (one statement ${rollOneS.toFixed(2)} s) + compute ${rollComputeS.toFixed(2)} s; vintage read ${vintageReadS.toFixed(2)} s + compute ${vintageComputeS.toFixed(2)} s`,
    );

    const dir = tmpdir();
    const rowsFile = join(dir, 'bench-month-ends.csv');
    const loansFile = join(dir, 'bench-loans.csv');
    const [, exportS] = await timed('CSV export', async () => {
      const r = await db.query<{ line: string }>(
        `select loan_id || ',' || month_end::text || ',' || bucket || ',' || outstanding_principal_minor as line
         from loan_month_ends order by month_end, loan_id`,
      );
      writeFileSync(
        rowsFile,
        `loan_id,month_end,bucket,outstanding_principal_minor\n${r.rows.map((x) => x.line).join('\n')}\n`,
      );
      const l = await db.query<{ line: string }>(
        `select loan_id || ',' || opened_day::text || ',' || principal_minor as line from loans`,
      );
      writeFileSync(
        loansFile,
        `loan_id,opened_day,principal_minor\n${l.rows.map((x) => x.line).join('\n')}\n`,
      );
    });
    const t0 = performance.now();
    const peer = JSON.parse(
      execFileSync(
        PYTHON,
        [new URL('./reports_peer.py', import.meta.url).pathname, rowsFile, loansFile, formatDate(AS_OF)],
        {
          encoding: 'utf8',
        },
      ),
    ) as { read_s: number; roll_s: number; vintage_s: number; m0_to_m0: number; m0_total: number };
    const peerS = (performance.now() - t0) / 1000;
    const m0 = roll.tables.find((t) => t.name === 'matrix-count')?.rows.find((r) => r.from === 'M0');
    console.log(
      `  pandas: read ${peer.read_s.toFixed(2)} s, roll-rate matrix ${peer.roll_s.toFixed(2)} s, vintage ${peer.vintage_s.toFixed(2)} s (process ${peerS.toFixed(2)} s)`,
    );
    console.log(
      `  same figures: lendguard M0 row ${m0?.loans} loans, M0→M0 ${m0?.M0}; pandas M0 row ${peer.m0_total} loans, M0→M0 ${(peer.m0_to_m0 / peer.m0_total).toFixed(6)}`,
    );
    console.log(
      `  summary: build ${buildS.toFixed(1)} s + roll ${rollS.toFixed(1)} s + vintage ${vintageS.toFixed(1)} s + class ${classS.toFixed(1)} s; export ${exportS.toFixed(1)} s; pandas roll+vintage ${(peer.roll_s + peer.vintage_s).toFixed(2)} s`,
    );
  } finally {
    await db.close();
  }
}

await main();
