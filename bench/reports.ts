/**
 * Month-end reports benchmark (not a test): on PostgreSQL, a book with 24 months of history written by the
 * engine; times building the 24 month ends (classification with restructuring floors), then the roll-rate,
 * vintage and classification reports (summed in the database), and the ECL report; exports the month-end rows
 * and the drawn loans as CSV and times pandas computing the same tables from them (bench/reports_peer.py),
 * comparing the figures. Prints wall time, this process's CPU time and its PostgreSQL backends' CPU time.
 * Run: `npm run bench:reports`. Options (environment):
 *   BENCH_CUSTOMERS  customers the engine writes (default 20,000; about 1.8 loans each)
 *   BENCH_COPIES     after the book is written and its month ends built, repeat it in SQL until it holds
 *                    this many copies (default 1): customers, credit lines, loans, their EOD index rows and
 *                    the month-end rows are inserted again (INSERT … SELECT) with every customer, line and
 *                    loan id suffixed `~NNN`, keys consistent across the tables, and the month ends' recorded
 *                    loan counts updated. The copies are the engine's histories repeated; their events,
 *                    postings and snapshots are not copied, so a multiplied book serves the month-end
 *                    reports only (the ECL report, which reads the events and the defaulted loans' journal,
 *                    runs only when BENCH_COPIES is 1 or BENCH_COPY_HISTORY is 1, and no month end of a
 *                    multiplied book may be rebuilt).
 *   BENCH_COPY_HISTORY  1: the copies also carry the loans' events and postings (their journal), so the ECL
 *                    report runs on the multiplied book (default 0: the copies are much quicker without)
 *   BENCH_ECL_REPLAY 1 (default): the ECL report is also computed by replaying every loan's journal and terms
 *                    (as before month-end rows kept the balance), timed, and compared with the report as JSON
 *   BENCH_SPLIT      1 (default) also reads the rows into Node and computes the reports in memory as before
 *                    the database sums (the old path), timed and checked cell for cell against the new one
 *   BENCH_PYTHON     default /usr/bin/python3 (Debian's python3 carries python3-pandas)
 *   BENCH_SCHEMA     default bench_reports; BENCH_REUSE=1 keeps the book (and its copies) between runs
 *   BENCH_PANDAS     1 (default): export the rows as CSV and time pandas on them; 0 skips it
 *   BENCH_TOGETHER   1 (default): after the four reports one after another, load them again at once as
 *                    `lendguard report month-end` does (loadMonthEndReports: each on its own connection), timed,
 *                    and compared with the reports loaded one by one as JSON
 *   BENCH_BUILD_ONLY 1: stop once the book (and its copies) is written and its month ends built, before any
 *                    report is timed (a large book built once, its reports timed in later runs with BENCH_REUSE)
 *   LENDGUARD_BENCH_PG_URL  default postgres://postgres@127.0.0.1:5432/postgres
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  buildMonthEnd,
  computeEcl,
  ensureMonthEnds,
  loadMonthEndReports,
  loadReport,
  monthEndsBack,
  writeBook,
} from '../src/jobs/index.js';
import { loadBookAsOf } from '../src/jobs/reports/book-inputs.js';
import { rollForwardFromStored } from '../src/jobs/reports/ecl.js';
import { addDays, formatDate, parseDate, startOfMonth } from '../src/money/index.js';
import {
  applyOverrides,
  buildEclReport,
  classificationReport,
  type MonthEndLoan,
  type MonthRows,
  monthKeyOfDay,
  type Report,
  ROLL_RATE_MONTHS,
  ratioText,
  rollRatesReport,
  sharesText,
  VINTAGE_COHORTS_MAX,
  vintageReport,
} from '../src/reporting/index.js';
import {
  approvedOverrides,
  type Db,
  loadReportJournalDays,
  migrate,
  openPostgres,
  readDrawnLoans,
  readMonthEnd,
  setBusinessDay,
} from '../src/store/index.js';
import { PolledCpu } from './support.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const COPIES = Number(process.env.BENCH_COPIES ?? 1);
const SPLIT = process.env.BENCH_SPLIT !== '0';
const COPY_HISTORY = process.env.BENCH_COPY_HISTORY === '1';
const ECL_REPLAY = process.env.BENCH_ECL_REPLAY !== '0';
const PG_URL = process.env.LENDGUARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_reports';
const REUSE = process.env.BENCH_REUSE === '1';
const BUILD_ONLY = process.env.BENCH_BUILD_ONLY === '1';
const PANDAS = process.env.BENCH_PANDAS !== '0';
const TOGETHER = process.env.BENCH_TOGETHER !== '0';
/** Debian's python3 carries python3-pandas; a python3 earlier on the PATH may not. */
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const TODAY = parseDate('2026-06-15');
const AS_OF = parseDate('2026-05-31');
const APP = `bench_reports_${process.pid}`;
/** Copies inserted per statement while the book is multiplied. */
const COPIES_PER_STATEMENT = 15;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** This process's backends and their parallel workers. */
async function backendPids(admin: pg.Client): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1
       or leader_pid in (select pid from pg_stat_activity where application_name = $1)`,
    [APP],
  );
  return rows.map((r) => r.pid);
}

interface Step {
  wall_s: number;
  node_s: number;
  pg_s: number;
}

async function timed<T>(admin: pg.Client, label: string, work: () => Promise<T>): Promise<[T, Step]> {
  const pgCpu = new PolledCpu(() => backendPids(admin), 100);
  await pgCpu.start();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await work();
  const wall_s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const pg_s = (await pgCpu.stop()) / 1000;
  const node_s = (c.user + c.system) / 1e6;
  console.log(
    `  ${label}: ${wall_s.toFixed(2)} s wall (CPU: node ${node_s.toFixed(2)} s, PostgreSQL ${pg_s.toFixed(2)} s; load ${load()})`,
  );
  return [r, { wall_s, node_s, pg_s }];
}

const ID_COLUMNS = new Set(['customer_id', 'loan_id', 'line_id']);
const COPIED_TABLES: readonly { table: string; key: string }[] = [
  { table: 'customers', key: 'customer_id' },
  { table: 'credit_lines', key: 'customer_id' },
  { table: 'loans', key: 'customer_id' },
  { table: 'loan_eod', key: 'customer_id' },
  { table: 'loan_month_ends', key: 'customer_id' },
  ...(COPY_HISTORY
    ? [
        { table: 'loan_events', key: 'customer_id' },
        { table: 'postings', key: 'customer_id' },
      ]
    : []),
];

/** Repeats the book until it holds `copies` copies (see BENCH_COPIES). */
async function multiply(db: Db, copies: number): Promise<void> {
  for (const { table, key } of COPIED_TABLES) {
    const { rows: cols } = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns
       where table_schema = current_schema() and table_name = $1 and is_generated = 'NEVER'
         and is_identity = 'NO'
       order by ordinal_position`,
      [table],
    );
    const names = cols.map((c) => c.column_name);
    const exprs = names.map((n) => (ID_COLUMNS.has(n) ? `b.${n} || '~' || lpad(k::text, 3, '0')` : `b.${n}`));
    for (let lo = 1; lo < copies; lo += COPIES_PER_STATEMENT) {
      const hi = Math.min(copies - 1, lo + COPIES_PER_STATEMENT - 1);
      await db.transaction(async (tx) => {
        // The copies carry the derived columns of their originals: no trigger recomputes them.
        await tx.query('set local session_replication_role = replica');
        await tx.query(
          `insert into ${table} (${names.join(', ')})
           select ${exprs.join(', ')} from ${table} b cross join generate_series(${lo}, ${hi}) as k
           where strpos(b.${key}, '~') = 0`,
        );
      });
      process.stdout.write(`\r    ${table}: copies ${hi + 1}/${copies}`);
    }
    process.stdout.write('\n');
  }
  await db.query(
    `update month_end_builds set loans = (select count(*) from loan_month_ends m
       where m.month_end = month_end_builds.month_end)`,
  );
  for (const { table } of COPIED_TABLES) await db.query(`vacuum (analyze) ${table}`);
}

/** The journal read as ECL made it before each posting's lines were summed first (JIT-compiled on a large book). */
const EARLIER_JOURNAL_SQL = `select p.loan_id, p.day::text as day,
   coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
     filter (where l->>'account' in ('principalCurrent', 'principalOverdue', 'interestReceivable',
                                     'penaltyReceivable', 'feeReceivable')), 0)::text as rec,
   coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
     filter (where l->>'account' in ('principalCurrent', 'principalOverdue')), 0)::text as pri,
   coalesce(sum((l->>'debitMinor')::bigint) filter (where l->>'account' = 'cashClearing'), 0)::text as cash
 from postings p cross join lateral jsonb_array_elements(p.lines) as l
 where p.day <= $1::date and p.customer_id <> ''
 group by p.loan_id, p.day order by p.loan_id, p.day`;

function same(a: Report, b: Report): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Peer {
  read_s: number;
  roll_s: number;
  vintage_s: number;
  class_s: number;
  rows: number;
  /** Last transition: from bucket → target → [loans, balance]. */
  matrix: Record<string, Record<string, [number, number]>>;
  /** `segment/YYYY-MM` → [loans, disbursed, fpd30, M2+ by MOB, M4+ by MOB]. */
  vintage: Record<string, [number, number, number, number[], number[]]>;
  /** class → [loans, balance]. */
  classes: Record<string, [number, number]>;
}

/** Cells of lendguard's tables that pandas' figures give, and how many of them differ. */
function comparePeer(
  roll: Report,
  vintage: Report,
  cls: Report,
  peer: Peer,
): { cells: number; differ: string[] } {
  const differ: string[] = [];
  let cells = 0;
  const check = (where: string, ours: unknown, theirs: unknown) => {
    cells += 1;
    if (ours !== theirs && differ.length < 10) differ.push(`${where}: lendguard ${ours}, pandas ${theirs}`);
  };
  const targets = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'out'];
  for (const by of ['count', 'balance'] as const) {
    const t = roll.tables.find((x) => x.name === `matrix-${by}`);
    for (const row of t?.rows ?? []) {
      const from = String(row.from);
      const weights = targets.map((to) => BigInt(peer.matrix[from]?.[to]?.[by === 'count' ? 0 : 1] ?? 0));
      const shares = sharesText(weights);
      targets.forEach((to, i) => {
        check(`matrix-${by} ${from}→${to}`, row[to], shares[i]);
      });
    }
  }
  for (const [i, name] of ['vintage-m2', 'vintage-m4'].entries()) {
    const t = vintage.tables.find((x) => x.name === name);
    for (const row of t?.rows ?? []) {
      const p = peer.vintage[String(row.row)];
      check(`${name} ${row.row} loans`, row.loans, p?.[0]);
      for (const key of Object.keys(row).filter((k) => k.startsWith('mob'))) {
        if (row[key] === null) continue;
        const mob = Number(key.slice(3));
        const bad = (p?.[3 + i] as number[] | undefined)?.[mob] ?? 0;
        check(`${name} ${row.row} ${key}`, row[key], ratioText(BigInt(bad), BigInt(p?.[1] ?? 0)));
      }
    }
  }
  const fpd = vintage.tables.find((x) => x.name === 'fpd');
  for (const row of fpd?.rows ?? []) {
    if (row.fpd30 !== null) check(`fpd ${row.row}`, row.fpd30, peer.vintage[String(row.row)]?.[2]);
  }
  const byClass = cls.tables.find((x) => x.name === 'by-class');
  for (const row of byClass?.rows ?? []) {
    if (row.class === 'total') continue;
    const p = peer.classes[String(row.class)] ?? [0, 0];
    check(`class ${row.class} loans`, row.loans, p[0]);
    check(`class ${row.class} balance`, row.balance, (p[1] / 100).toFixed(2));
  }
  return { cells, differ };
}

async function main(): Promise<void> {
  console.log(
    `Reports benchmark: ${CUSTOMERS} customers × ${COPIES} copies, 24 month ends to ${formatDate(AS_OF)}; load ${load()}`,
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
  const sep = PG_URL.includes('?') ? '&' : '?';
  const db = await openPostgres({ url: `${PG_URL}${sep}application_name=${APP}`, schema: SCHEMA });
  const steps: Record<string, Step> = {};
  try {
    await migrate(db);
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
    if ((await count('select count(*)::text as n from loans')) === 0) {
      await timed(admin, 'book written', () =>
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
    const months = monthEndsBack(AS_OF, 24);
    const copiesNow = await count(
      `select (count(*) / nullif(count(*) filter (where strpos(loan_id, '~') = 0), 0))::text as n from loans`,
    );
    if (copiesNow <= 1) {
      [, steps.build] = await timed(admin, '24 month ends built (classification)', async () => {
        for (const m of months) await buildMonthEnd(db, m, 'bench');
      });
      console.log(
        `  month-end rows built: ${await count('select count(*)::text as n from loan_month_ends')} (${(
          (await count('select count(*)::text as n from loan_month_ends')) / (steps.build?.wall_s ?? 1)
        ).toFixed(0)} rows/s)`,
      );
    }
    if (COPIES > 1 && copiesNow < COPIES) {
      if (copiesNow > 1) throw new Error(`the book holds ${copiesNow} copies already; start afresh`);
      [, steps.multiply] = await timed(admin, `book repeated to ${COPIES} copies in SQL (and vacuumed)`, () =>
        multiply(db, COPIES),
      );
    }
    const loans = await count('select count(*)::text as n from loans');
    const rowsCount = await count('select count(*)::text as n from loan_month_ends');
    console.log(
      `  book: ${loans} loans, ${rowsCount} month-end rows over ${months.length} month ends; loan_month_ends ${
        (await admin.query(`select pg_size_pretty(pg_total_relation_size('${SCHEMA}.loan_month_ends')) as s`))
          .rows[0]?.s
      }`,
    );
    if (BUILD_ONLY) {
      console.log(`  built (BENCH_BUILD_ONLY): ${JSON.stringify(steps)}`);
      return;
    }
    const asOf = { asOf: formatDate(AS_OF) };
    const [, check] = await timed(admin, 'month ends checked (all built)', () =>
      ensureMonthEnds(db, months, 'bench'),
    );
    steps.check = check;
    const [cls, classS] = await timed(admin, 'classification report', () =>
      loadReport(db, 'classification', asOf),
    );
    const [roll, rollS] = await timed(admin, 'roll-rates report', () => loadReport(db, 'roll-rates', asOf));
    const [vintage, vintageS] = await timed(admin, 'vintage report', () => loadReport(db, 'vintage', asOf));
    steps.classification = classS;
    steps.roll = rollS;
    steps.vintage = vintageS;
    let eclSeq: Report | undefined;
    if (COPIES <= 1 || COPY_HISTORY) {
      const [ecl, eclS] = await timed(admin, 'ECL report (balances from the month end)', () =>
        loadReport(db, 'ecl', asOf),
      );
      steps.ecl = eclS;
      eclSeq = ecl;
      if (ECL_REPLAY) {
        const [replayed, replayS] = await timed(
          admin,
          'ECL report replayed (every journal and terms)',
          async () => {
            const run = await computeEcl(db, AS_OF, {}, loadBookAsOf);
            return buildEclReport({
              asOf: AS_OF,
              model: run.model,
              rows: run.rows,
              rollForward: await rollForwardFromStored(db, run),
            });
          },
        );
        steps.eclReplay = replayS;
        console.log(
          `  ECL report identical to the replay (JSON): ${JSON.stringify(ecl) === JSON.stringify(replayed)}`,
        );
      }
      if (SPLIT) {
        // The journal read ECL makes, against the earlier statement that grouped every posting line at once.
        const [days] = await timed(
          admin,
          'ECL journal read (each posting summed, then by loan and day)',
          () => loadReportJournalDays(db, AS_OF),
        );
        const [earlier] = await timed(admin, 'ECL journal read, earlier statement (every line grouped)', () =>
          db.query<{ loan_id: string; day: string; rec: string; pri: string; cash: string }>(
            EARLIER_JOURNAL_SQL,
            [formatDate(AS_OF)],
          ),
        );
        const a = days.map((d) => [
          d.loanId,
          d.day,
          d.receivableNetMinor,
          d.principalNetMinor,
          d.cashInMinor,
        ]);
        const b = earlier.rows.map((r) => [
          r.loan_id,
          parseDate(r.day),
          Number(r.rec),
          Number(r.pri),
          Number(r.cash),
        ]);
        console.log(
          `  ECL journal read identical to the earlier statement, ${a.length} loan days: ${JSON.stringify(a) === JSON.stringify(b)}`,
        );
      }
    } else {
      console.log(
        '  ECL report: not run on a multiplied book (its copies have no events or journal; BENCH_COPY_HISTORY)',
      );
    }

    if (TOGETHER && (COPIES <= 1 || COPY_HISTORY)) {
      const [together, togetherS] = await timed(admin, 'the four reports at once (loadMonthEndReports)', () =>
        loadMonthEndReports(db, formatDate(AS_OF)),
      );
      steps.together = togetherS;
      const one = { classification: cls, 'roll-rates': roll, vintage, ecl: eclSeq };
      console.log(
        `  the four at once identical to each loaded alone (JSON): ${Object.entries(one)
          .map(([k, r]) => `${k} ${r !== undefined && same(r, together.reports[k as keyof typeof one])}`)
          .join(', ')}`,
      );
    }

    if (SPLIT) {
      // The old path: every row read into Node as typed objects and the reports computed in memory.
      const rollMonths = monthEndsBack(AS_OF, ROLL_RATE_MONTHS + 1);
      const [oldRoll, oldRollS] = await timed(
        admin,
        'old path: roll rates from 13 month ends of rows',
        async () => {
          const out: MonthRows[] = [];
          for (const m of rollMonths) out.push({ monthEnd: m, rows: await readMonthEnd(db, m) });
          return rollRatesReport(out);
        },
      );
      const [oldVintage, oldVintageS] = await timed(
        admin,
        'old path: vintage from drawn loans and 24 month ends of rows',
        async () => {
          const vintageMonths = monthEndsBack(AS_OF, VINTAGE_COHORTS_MAX);
          const drawn = await readDrawnLoans(db, startOfMonth(vintageMonths[0] as typeof AS_OF), AS_OF);
          const byMonth = new Map<number, MonthEndLoan[]>();
          for (const m of vintageMonths) byMonth.set(monthKeyOfDay(m), await readMonthEnd(db, m));
          return vintageReport({ monthEnd: AS_OF, loans: drawn, months: byMonth });
        },
      );
      const [oldClass, oldClassS] = await timed(admin, 'old path: classification from rows', async () =>
        classificationReport(
          AS_OF,
          applyOverrides(await readMonthEnd(db, AS_OF), await approvedOverrides(db, AS_OF)),
        ),
      );
      steps.oldRoll = oldRollS;
      steps.oldVintage = oldVintageS;
      steps.oldClass = oldClassS;
      console.log(
        `  identical to the old path, every cell: roll-rates ${same(roll, oldRoll)}, vintage ${same(vintage, oldVintage)}, classification ${same(cls, oldClass)}`,
      );
    }

    let peer: (Peer & { cpu_s: number }) | undefined;
    if (PANDAS) {
      const dir = tmpdir();
      const rowsFile = join(dir, `${SCHEMA}-month-ends.csv`);
      const loansFile = join(dir, `${SCHEMA}-loans.csv`);
      const monthList = months.map((m) => `'${formatDate(m)}'`).join(',');
      [, steps.export] = await timed(
        admin,
        'CSV export for pandas (psql \\copy … to, both files)',
        async () => {
          const psql = (sql: string) =>
            execFileSync('psql', [
              PG_URL,
              '-q',
              '-v',
              'ON_ERROR_STOP=1',
              '-c',
              `set search_path to ${SCHEMA}`,
              '-c',
              sql,
            ]);
          psql(
            `\\copy (select loan_id, month_end, bucket, days_past_due, outstanding_principal_minor, asset_class, oldest_overdue_installment from loan_month_ends where month_end in (${monthList})) to '${rowsFile}' with (format csv, header)`,
          );
          psql(
            `\\copy (select loan_id, product_id, opened_day, principal_minor from loans where opened_day between '${formatDate(startOfMonth(months[0] as typeof AS_OF))}' and '${formatDate(AS_OF)}') to '${loansFile}' with (format csv, header)`,
          );
        },
      );
      console.log(
        `  CSV files: ${(statSync(rowsFile).size / 1e6).toFixed(0)} MB rows, ${(statSync(loansFile).size / 1e6).toFixed(0)} MB loans`,
      );
      const [startS] = (() => {
        const t0 = performance.now();
        execFileSync(PYTHON, ['-c', 'import pandas']);
        return [(performance.now() - t0) / 1000];
      })();
      const t0 = performance.now();
      const result = JSON.parse(
        execFileSync(
          PYTHON,
          [new URL('./reports_peer.py', import.meta.url).pathname, rowsFile, loansFile, formatDate(AS_OF)],
          { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
        ),
      ) as Peer & { cpu_s: number; import_s: number };
      peer = result;
      const peerS = (performance.now() - t0) / 1000;
      console.log(
        `  pandas (${result.rows} rows): start with pandas imported ${startS.toFixed(2)} s (in the run: import ${result.import_s.toFixed(2)} s); CSV read ${result.read_s.toFixed(2)} s; classification ${result.class_s.toFixed(2)} s, roll-rate matrices ${result.roll_s.toFixed(2)} s, vintage ${result.vintage_s.toFixed(2)} s; process ${peerS.toFixed(2)} s wall, ${result.cpu_s.toFixed(2)} s CPU`,
      );
      const { cells, differ } = comparePeer(roll, vintage, cls, result);
      console.log(
        `  same figures as pandas: ${cells - differ.length} of ${cells} cells compared agree${differ.length === 0 ? '' : `; differ: ${differ.join('; ')}`}`,
      );
    }
    const ours =
      (steps.classification?.wall_s ?? 0) + (steps.roll?.wall_s ?? 0) + (steps.vintage?.wall_s ?? 0);
    const oursCpu = ['classification', 'roll', 'vintage'].reduce(
      (a, k) => a + (steps[k]?.node_s ?? 0) + (steps[k]?.pg_s ?? 0),
      0,
    );
    console.log(
      `  summary: classification + roll rates + vintage ${ours.toFixed(1)} s wall (${oursCpu.toFixed(1)} s CPU, node + PostgreSQL)${
        steps.ecl === undefined ? '' : ` + ECL ${steps.ecl.wall_s.toFixed(1)} s`
      }${
        steps.together === undefined
          ? ''
          : `; the four at once ${steps.together.wall_s.toFixed(1)} s wall (${(steps.together.node_s + steps.together.pg_s).toFixed(1)} s CPU)`
      } against the 60 s aim${
        peer === undefined
          ? ''
          : `; pandas the same tables ${(peer.class_s + peer.roll_s + peer.vintage_s).toFixed(1)} s + CSV read ${peer.read_s.toFixed(1)} s (+ export ${steps.export?.wall_s.toFixed(1)} s)`
      }${
        steps.oldRoll === undefined
          ? ''
          : `; old path ${((steps.oldRoll?.wall_s ?? 0) + (steps.oldVintage?.wall_s ?? 0) + (steps.oldClass?.wall_s ?? 0)).toFixed(1)} s`
      }`,
    );
    console.log(`  steps: ${JSON.stringify(steps)}`);
  } finally {
    await db.close();
    await admin.end();
  }
}

await main();
