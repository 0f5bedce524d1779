/**
 * Collections benchmark (not a test). Three figures, on an embedded database (PGlite) in a temporary folder:
 * 1. Case refresh after EOD: a book of N borrowers who never pay (all past due) — the first refresh opens N
 *    cases (figures, assessment, priority and the strategy's step for each), the next one updates them.
 *    Cases per second (aim ≥ 20,000).
 * 2. Allocation of the N open cases to 200 collectors in 4 teams by bucket (aim < 10 s for 100,000).
 * 3. A collector's list for today at N open cases: latency of GET-equivalent reads, p50 and p99 (aim p99
 *    < 50 ms).
 * Run: `npm run bench:collections`. Options: --past-due N (default 100,000), --lists L (default 400), --pg to
 * run on the PostgreSQL server at LENDGUARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test) in
 * schema --schema S (default lg_bench_collections, dropped and created anew) rather than on PGlite,
 * --refresh-partitions P (default 0: the refresh in one transaction; P > 0: `refreshCasesPartitioned` over P
 * ranges of partition keys, each in its own transaction — on PGlite they run one after the other).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { addDays, parseDate } from '../src/money/index.js';
import {
  allocateOpenCases,
  closeLoansThrough,
  migrate,
  openPglite,
  openPostgres,
  refreshCases,
  refreshCasesPartitioned,
  saveTeam,
  worklist,
} from '../src/store/index.js';
import { processCpu_ms, writePastDueBook } from './support.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const PAST_DUE = option('past-due', 100_000);
const PG = process.argv.includes('--pg');
const PG_URL = process.env.LENDGUARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = process.argv.includes('--schema')
  ? process.argv[process.argv.indexOf('--schema') + 1]!
  : 'lg_bench_collections';
const LISTS = option('lists', 400);
const REFRESH_PARTITIONS = option('refresh-partitions', 0);
const COLLECTORS = 200;
const D = parseDate('2026-03-10');

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lg-bench-collections-'));
  if (PG) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.query(`create schema ${SCHEMA}`);
    await admin.end();
  }
  const db = PG ? await openPostgres({ url: PG_URL, schema: SCHEMA }) : await openPglite({ dataDir: dir });
  try {
    await migrate(db);
    const started = performance.now();
    const counts = await writePastDueBook(db, D, PAST_DUE);
    await db.query('vacuum analyze');
    console.log(
      `book: ${counts.loans} loans of ${counts.customers} borrowers, all past due, built in ${((performance.now() - started) / 1000).toFixed(0)} s (load average ${loadavg()[0]?.toFixed(1)})`,
    );

    // 1. Opening: every borrower gets a case with its step.
    let t0 = performance.now();
    const refresh = (day: number) =>
      REFRESH_PARTITIONS > 0
        ? refreshCasesPartitioned(db, day, { partitions: REFRESH_PARTITIONS })
        : db.transaction((tx) => refreshCases(tx, day, null));
    const opened = await refresh(addDays(D, -1));
    let s = (performance.now() - t0) / 1000;
    console.log(
      `case refresh (open): ${opened.opened} cases opened and stepped in ${s.toFixed(2)} s = ${Math.round(opened.opened / s)} cases/s (aim ≥ 20,000)`,
    );
    // Update: one more day closed on every loan, then the refresh moves each case's figures and step.
    const ids = (await db.query<{ loan_id: string }>('select loan_id from loans order by loan_id')).rows.map(
      (r) => r.loan_id,
    );
    for (let i = 0; i < ids.length; i += 5_000)
      await db.transaction((tx) => closeLoansThrough(tx, ids.slice(i, i + 5_000), D));
    t0 = performance.now();
    const updated = await refresh(D);
    s = (performance.now() - t0) / 1000;
    console.log(
      `case refresh (update): ${updated.updated} cases updated, ${updated.stepped} stepped in ${s.toFixed(2)} s = ${Math.round(updated.stepped / s)} cases/s (aim ≥ 20,000)`,
    );

    // 2. Allocation to 200 collectors: four teams by bucket, capacity enough for all.
    const teams = [
      { teamId: 'm1', buckets: ['M1'] as const },
      { teamId: 'm2', buckets: ['M2'] as const },
      { teamId: 'm3', buckets: ['M3'] as const },
      { teamId: 'late', buckets: ['M4', 'M5', 'M6', 'M7'] as const },
    ];
    await db.transaction(async (tx) => {
      for (const [k, team] of teams.entries()) {
        const members = Array.from({ length: COLLECTORS / teams.length }, (_, i) => ({
          userId: `usr_${(k * 1000 + i).toString(16).padStart(28, '0')}`,
          capacity: Math.ceil(PAST_DUE / 10),
        }));
        await saveTeam(tx, {
          teamId: team.teamId,
          name: team.teamId,
          buckets: [...team.buckets],
          lead: null,
          members,
        });
      }
    });
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let serverCpu = '';
    const plan = await db.transaction(async (tx) => {
      const pid = PG ? Number((await tx.query<{ p: number }>('select pg_backend_pid() as p')).rows[0]!.p) : 0;
      const before = PG ? processCpu_ms(pid) : 0;
      const result = await allocateOpenCases(tx, D);
      if (PG) serverCpu = `, server backend ${((processCpu_ms(pid) - before) / 1000).toFixed(2)} s`;
      return result;
    });
    s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const loads = plan.loads.filter((l) => l.cases > 0).map((l) => l.cases);
    console.log(
      `allocation: ${plan.changes.length} cases to ${COLLECTORS} collectors in ${s.toFixed(2)} s (aim < 10 s); cases per collector with work ${Math.min(...loads)}–${Math.max(...loads)}; CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s${serverCpu}`,
    );

    // 3. Today's list of a collector, at N open cases.
    const busy = plan.loads.filter((l) => l.cases > 0).map((l) => l.userId);
    const times: number[] = [];
    for (let i = 0; i < LISTS; i++) {
      const who = busy[i % busy.length]!;
      const t = performance.now();
      await worklist(db, who, D, 100);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `work list (100 rows of a collector's ~${Math.round(PAST_DUE / busy.length)} cases, ${LISTS} reads): p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms (aim p99 < 50 ms); load average ${loadavg()[0]?.toFixed(1)}`,
    );
  } finally {
    await db.close();
    if (PG) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${SCHEMA} cascade`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
