/**
 * EOD batch benchmark (not a test): `npm run bench:eod`.
 *
 * Builds a synthetic book with bulk inserts (multi-row INSERT … SELECT FROM unnest, 2,000 rows a
 * statement): customers with one or two loans drawn over the 60 days before the business date, repaid by
 * their behaviour and closed through the day before. Then the real command (`node bin/lendguard.js eod`,
 * compiled code in dist/) closes one business date, under /usr/bin/time for the peak resident memory of
 * the largest process:
 *   - PostgreSQL with 1 worker (in the command's process) on date D,
 *   - PostgreSQL with 2 worker processes on date D + 1 (a day of the same kind: no month end, due dates
 *     spread evenly), so that both runs start from a closed book without a copy of it,
 *   - PGlite (embedded, one process) on a smaller book.
 * Figures: loans per second (loans whose marker moved to D, closed by the engine or advanced by the bulk
 * path, ÷ run time from the command's JSON summary) and peak memory.
 *
 * Environment: BENCH_LOANS (default 1000000; 0 skips PostgreSQL), BENCH_PGLITE_LOANS (default 100000; 0
 * skips PGlite), BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_REUSE=1 keeps a
 * PostgreSQL book built earlier, BENCH_BUILD_ONLY=1 builds it and stops, BENCH_DAY_OFFSET=n measures the
 * dates D + n and D + n + 1 (to measure a reused book again), BENCH_SCHEMA (default lg_bench_eod) names
 * the PostgreSQL schema of the book, so that several books can stand side by side.
 *
 * On PostgreSQL it also reports the CPU time of the server backends serving the command (read from
 * /proc while it runs; the server must be on this machine) and the WAL written during the run
 * (pg_current_wal_lsn before and after: the whole server's, so other work on it counts too).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeBook } from '../src/jobs/index.js';
import { addDays, formatDate, parseDate } from '../src/money/index.js';
import { type Db, migrate, openPglite, openPostgres, setBusinessDay } from '../src/store/index.js';
import { PolledCpu } from './support.js';

const LOANS = Number(process.env.BENCH_LOANS ?? 1_000_000);
const PGLITE_LOANS = Number(process.env.BENCH_PGLITE_LOANS ?? 100_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REUSE = process.env.BENCH_REUSE === '1';
/** Builds the PostgreSQL book and stops (measure later with BENCH_REUSE=1). */
const BUILD_ONLY = process.env.BENCH_BUILD_ONLY === '1';
/** Days after D of the first measured date: a reused book is measured again on later dates (2 a run). */
const DAY_OFFSET = Number(process.env.BENCH_DAY_OFFSET ?? 0);
const SCHEMA = process.env.BENCH_SCHEMA ?? 'lg_bench_eod';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(SCHEMA))
  throw new Error('BENCH_SCHEMA: lower-case letters, digits and _');
/** The command's connections carry this name, so that their server backends can be found. */
const APPLICATION_NAME = `lg_bench_eod_${process.pid}`;
/** How often the backends' CPU is read while a run goes on. */
const BACKEND_POLL_MS = 200;
/** Loans per customer average 1.5 (one or two). */
const LOANS_PER_CUSTOMER_AVG = 1.5;
const D = parseDate('2026-03-10');

async function build(db: Db, loans: number): Promise<void> {
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const counts = await writeBook(
    db,
    {
      seed: 42,
      customers: Math.round(loans / LOANS_PER_CUSTOMER_AVG),
      loansPerCustomer_max: 2,
      drawFrom: addDays(D, -60),
      drawTo: addDays(D, -2),
      historyThrough: addDays(D, -1),
    },
    {
      customersPerTransaction: 2_000,
      transactionsInFlight_max: db.kind === 'postgres' ? 2 : 1,
      onProgress: (done) => {
        if (done % 50_000 < 2_000) process.stderr.write(`  built ${done} customers\n`);
      },
    },
  );
  // The book is closed through D - 1, so that is its business day: EOD refuses a date before it.
  await setBusinessDay(db, addDays(D, -1));
  const cpu = process.cpuUsage(cpu0);
  const s = (Date.now() - started) / 1000;
  // As a served database is kept: vacuumed (visibility map set, hint bits written) and analysed. A
  // freshly loaded table would make the first run pay for the hint bits of every row it reads.
  await db.query('vacuum analyze');
  console.log(
    `  book: ${counts.loans} loans, ${counts.events} events, ${counts.postings} postings in ${s.toFixed(0)} s (${Math.round(counts.loans / s)} loans/s written; this process's CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s; load average ${loadavg()[0]?.toFixed(1)})`,
  );
}

interface Measured {
  label: string;
  /** Loans the engine closed (they had work); the rest were advanced by the bulk path. */
  closed: number;
  loans: number;
  elapsed_ms: number;
  loansPerSecond: number;
  peakRss_mb: number;
  /** User + system CPU of the command and the worker processes it waited for. */
  cpu_s: number;
  load_before: number;
  load_after: number;
  events: number;
  /** CPU of the server backends that served the run (PostgreSQL only). */
  backendCpu_s?: number;
  /** WAL the server wrote during the run (all of its work). */
  wal_bytes?: number;
}

async function walLsn(admin: pg.Client): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  return rows[0]?.lsn ?? '0/0';
}

async function walSince(admin: pg.Client, lsn: string): Promise<number> {
  const { rows } = await admin.query<{ bytes: string }>(
    'select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint::text as bytes',
    [lsn],
  );
  return Number(rows[0]?.bytes ?? 0);
}

function sh(cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** Runs the command under /usr/bin/time (its report goes to a file with the command's stderr). */
async function runEodWithMemory(
  label: string,
  dbArg: string,
  date: number,
  workers: number,
  admin?: pg.Client,
): Promise<Measured> {
  const stderrFile = join(tmpdir(), `lg-bench-eod-${process.pid}.err`);
  try {
    const load_before = loadavg()[0] ?? 0;
    const backends =
      admin === undefined
        ? undefined
        : new PolledCpu(async () => {
            const { rows } = await admin.query<{ pid: number }>(
              'select pid from pg_stat_activity where application_name = $1',
              [APPLICATION_NAME],
            );
            return rows.map((r) => r.pid);
          }, BACKEND_POLL_MS);
    const lsn = admin === undefined ? undefined : await walLsn(admin);
    await backends?.start();
    const cmd = `/usr/bin/time -f 'PEAK_RSS_KB=%M CPU_S=%U+%S' ${JSON.stringify(process.execPath)} ${JSON.stringify(join(process.cwd(), 'bin', 'lendguard.js'))} eod --date ${formatDate(date)} --db ${JSON.stringify(dbArg)} --workers ${workers} --json 2>${JSON.stringify(stderrFile)}`;
    let out: string;
    let backendCpu_s: number | undefined;
    try {
      out = await sh(cmd);
    } finally {
      // Backends that ended with the command keep their last reading.
      const backendCpu_ms = await backends?.stop();
      backendCpu_s = backendCpu_ms === undefined ? undefined : backendCpu_ms / 1000;
    }
    const wal_bytes = admin === undefined || lsn === undefined ? undefined : await walSince(admin, lsn);
    const err = readFileSync(stderrFile, 'utf8');
    const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(err)?.[1] ?? 0);
    const cpuMatch = /CPU_S=([\d.]+)\+([\d.]+)/.exec(err);
    const cpu_s = Number(cpuMatch?.[1] ?? 0) + Number(cpuMatch?.[2] ?? 0);
    const summary = JSON.parse(out) as {
      loansClosed: number;
      loansAdvanced: number;
      eventsWritten: number;
      elapsed_ms: number;
      status: string;
    };
    if (summary.status !== 'succeeded') throw new Error(`${label}: run ${summary.status}: ${err}`);
    const loans = summary.loansClosed + summary.loansAdvanced;
    return {
      label,
      closed: summary.loansClosed,
      loans,
      elapsed_ms: summary.elapsed_ms,
      loansPerSecond: Math.round((loans * 1000) / summary.elapsed_ms),
      peakRss_mb: Math.round(kb / 1024),
      cpu_s,
      load_before,
      load_after: loadavg()[0] ?? 0,
      events: summary.eventsWritten,
      ...(backendCpu_s === undefined ? {} : { backendCpu_s }),
      ...(wal_bytes === undefined ? {} : { wal_bytes }),
    };
  } finally {
    rmSync(stderrFile, { force: true });
  }
}

function print(m: Measured): void {
  console.log(
    `  ${m.label}: ${m.loans} loans in ${(m.elapsed_ms / 1000).toFixed(1)} s = ${m.loansPerSecond} loans/s (${m.closed} closed by the engine, ${m.loans - m.closed} counted as quiet); ${m.events} events; peak RSS of the largest process ${m.peakRss_mb} MB; CPU of the command and its workers ${m.cpu_s.toFixed(1)} s; load average ${m.load_before.toFixed(1)} before, ${m.load_after.toFixed(1)} after`,
  );
  if (m.closed > 0) {
    const perLoan = (x: number) => ((x * 1000) / m.closed).toFixed(3);
    const server =
      m.backendCpu_s === undefined
        ? ''
        : `; server backends' CPU ${m.backendCpu_s.toFixed(1)} s = ${perLoan(m.backendCpu_s)} ms`;
    const wal =
      m.wal_bytes === undefined
        ? ''
        : `; server WAL ${(m.wal_bytes / 1e6).toFixed(0)} MB = ${Math.round(m.wal_bytes / m.closed)} bytes`;
    console.log(
      `    per loan with work: wall ${perLoan(m.elapsed_ms / 1000)} ms; command + workers CPU ${perLoan(m.cpu_s)} ms${server}${wal}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`EOD batch benchmark, business date ${formatDate(D)}`);
  if (LOANS > 0) await benchPostgres();
  if (!BUILD_ONLY && PGLITE_LOANS > 0) await benchPglite();
}

async function benchPostgres(): Promise<void> {
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${SCHEMA}`);
  url.searchParams.set('application_name', APPLICATION_NAME);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = await admin.query(`select 1 from information_schema.schemata where schema_name = $1`, [
    SCHEMA,
  ]);
  if (!REUSE || exists.rowCount === 0) {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.query(`create schema ${SCHEMA}`);
    const db = await openPostgres({ url: PG_URL, schema: SCHEMA });
    await migrate(db);
    console.log(`PostgreSQL: building ${LOANS} loans`);
    await build(db, LOANS);
    await db.close();
  }
  try {
    if (BUILD_ONLY) return;
    console.log(`PostgreSQL (schema ${SCHEMA}):`);
    const first = addDays(D, DAY_OFFSET);
    print(await runEodWithMemory(`1 worker, date ${formatDate(first)}`, url.toString(), first, 1, admin));
    print(
      await runEodWithMemory(
        `2 workers, date ${formatDate(addDays(first, 1))}`,
        url.toString(),
        addDays(first, 1),
        2,
        admin,
      ),
    );
  } finally {
    await admin.end();
  }
}

async function benchPglite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lg-bench-eod-'));
  try {
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    console.log(`PGlite: building ${PGLITE_LOANS} loans`);
    await build(db, PGLITE_LOANS);
    await db.close();
    console.log('PGlite:');
    print(await runEodWithMemory('1 process, date D', dir, D, 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
