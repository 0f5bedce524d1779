/**
 * The case refresh alone, on a PostgreSQL book kept between runs (not a test). Two steps:
 * - `--build`: writes `bench/collections.ts`'s book (borrowers who never pay) into schema `--schema S` at
 *   LENDGUARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test), `--past-due N` borrowers
 *   (default 20,000); with `--phase update` it then opens the cases (committed) and closes one more day, so
 *   the measured refresh updates them.
 * - otherwise: runs the refresh `--runs K` times (default 1) on that book, each in a transaction rolled back
 *   (then `vacuum` of the tables it writes), printing wall time, this process's CPU and GC pauses, the server
 *   backend's CPU (from /proc) and all PostgreSQL processes', the load average, with `--statements` the time
 *   and backend CPU of each statement, with `--profile F` a V8 profile of the refresh, and an md5 of every
 *   `collection_cases` row (all columns but timestamps; the case id left out for a case opened by the run),
 *   of `collection_promises`, `collection_step_actions` (without its key and case id), `reminders` and
 *   `outbox_messages`. `--code old|new|alternate` (default new): `old` imports the refresh from the tree at
 *   LENDGUARD_BENCH_OLD_SRC (a copy of the code before), `alternate` runs old and new in turn.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import pg from 'pg';
import { addDays, type Day, parseDate } from '../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  migrate,
  openPostgres,
  type Queryable,
  refreshCases,
  sqlDate,
} from '../src/store/index.js';
import { processCpu_ms, writePastDueBook } from './support.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const PG_URL = process.env.LENDGUARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = option('schema', 'refresh_bench');
const PAST_DUE = Number(option('past-due', '20000'));
const PHASE = option('phase', 'open') as 'open' | 'update';
const RUNS = Number(option('runs', '1'));
const CODE = option('code', 'new') as 'old' | 'new' | 'alternate';
const STATEMENTS = process.argv.includes('--statements');
/** A V8 CPU profile of the refresh alone (the main thread) written to this file. */
const PROFILE = option('profile', '');
const D = parseDate('2026-03-10');
const DAY: Day = PHASE === 'open' ? addDays(D, -1) : D;

type Refresh = (tx: Queryable, day: Day, customerIds: readonly string[] | null) => Promise<unknown>;

async function build(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.query(`create schema ${SCHEMA}`);
  await admin.end();
  const db = await openPostgres({ url: PG_URL, schema: SCHEMA });
  try {
    await migrate(db);
    const t = performance.now();
    const counts = await writePastDueBook(db, D, PAST_DUE);
    console.log(`book: ${counts.loans} loans in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    if (PHASE === 'update') {
      await db.transaction((tx) => refreshCases(tx, addDays(D, -1), null));
      const ids = (
        await db.query<{ loan_id: string }>('select loan_id from loans order by loan_id')
      ).rows.map((r) => r.loan_id);
      for (let i = 0; i < ids.length; i += 5_000)
        await db.transaction((tx) => closeLoansThrough(tx, ids.slice(i, i + 5_000), D));
      console.log('cases opened, one more day closed');
    }
    await db.query('vacuum analyze');
  } finally {
    await db.close();
  }
}

/** CPU (ms) of every PostgreSQL process on this machine (the backend, its parallel workers, the WAL writer). */
function postgresCpu_ms(): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') total += processCpu_ms(Number(d));
    } catch {
      // gone
    }
  }
  return total;
}

/** A transaction whose statements are timed, with the backend's CPU around each. */
function timed(tx: Queryable, pid: number, stats: Map<string, { n: number; wall: number; cpu: number }>) {
  return {
    ...tx,
    async query(sql: string, params?: readonly unknown[], options?: unknown) {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
      const c0 = processCpu_ms(pid);
      const t0 = performance.now();
      try {
        return await (tx.query as (...a: unknown[]) => Promise<never>)(sql, params, options);
      } finally {
        const s = stats.get(key) ?? { n: 0, wall: 0, cpu: 0 };
        s.n++;
        s.wall += performance.now() - t0;
        s.cpu += processCpu_ms(pid) - c0;
        stats.set(key, s);
      }
    },
    execScript: tx.execScript,
    copyFrom: tx.copyFrom,
  } as Queryable;
}

async function digest(tx: Queryable, day: Day): Promise<string> {
  const { rows } = await tx.query<{
    n: string;
    cases: string;
    promises: string;
    actions: string;
    reminders: string;
    outbox: string;
  }>(
    `select (select count(*) from collection_cases)::text as n,
       (select md5(string_agg(t, E'\\n' order by t)) from (
         select concat_ws(',', case when opened_day = $1::date then null else case_id end, customer_id, status,
           opened_day, closed_day, close_reason, bucket, max_days_past_due, overdue_minor, total_owed_minor,
           past_due_loan_ids::text, borrower_zone, lost_contact, assignee, updated_day, row_version, strategy_arm,
           strategy_version, strategy_step, next_action, next_action_channel, next_action_reason,
           next_action_due_day, behaviour_score, assessment::text, assessment_version, assessment_override::text,
           vulnerabilities::text, complaint_open, cure_bp, priority_minor, opening_overdue_minor,
           paid_at_open_minor, paid_to_date_minor, team_id, agency_id) as t from collection_cases) x) as cases,
       (select md5(coalesce(string_agg(t, E'\\n' order by t), '')) from (
         select concat_ws(',', promise_id, case_id, status, amount_minor, promised_day, made_day, decided_day,
           paid_minor, paid_baseline_minor) as t from collection_promises) y) as promises,
       (select count(*) || ' ' || md5(coalesce(string_agg(t, E'\\n' order by t), '')) from (
         select concat_ws(',', customer_id, kind, step_code, day, status, outcome, reference, updated_day) as t
           from collection_step_actions) z) as actions,
       (select count(*) || ' ' || md5(coalesce(string_agg(t, E'\\n' order by t), '')) from (
         select concat_ws(',', r.customer_id, r.loan_id, r.reminder_key, r.cadence_version, r.cadence_id, r.stage_id,
           r.channel, r.legally_required, r.anchor_due_day, r.plan_day, r.scheduled_at, r.amount_due_minor,
           r.currency, r.lang, r.subject, r.body, r.status, r.cancel_reason) as t from reminders r) w) as reminders,
       (select count(*) || ' ' || md5(coalesce(string_agg(t, E'\\n' order by t), '')) from (
         select concat_ws(',', idempotency_key, kind, channel, customer_id, loan_id, reminder_key, payload::text,
           contact_zone, status) as t from outbox_messages) v) as outbox`,
    [PHASE === 'open' ? sqlDate(day) : '1900-01-01'],
  );
  const r = rows[0]!;
  const short = (x: string) => x.replace(/ (\w{8})\w+$/, ' $1');
  return `${r.n} cases ${r.cases.slice(0, 8)} promises ${r.promises.slice(0, 8)} step actions ${short(r.actions)} reminders ${short(r.reminders)} outbox ${short(r.outbox)}`;
}

/** Time (ms) the garbage collector paused this process, summed. */
let gc_ms = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gc_ms += e.duration;
}).observe({ entryTypes: ['gc'] });

async function runOnce(db: Db, label: string, refresh: Refresh): Promise<void> {
  const stats = new Map<string, { n: number; wall: number; cpu: number }>();
  let line = '';
  await db
    .transaction(async (tx) => {
      const pid = Number((await tx.query<{ p: number }>('select pg_backend_pid() as p')).rows[0]!.p);
      const load = loadavg()[0]!;
      const server0 = processCpu_ms(pid);
      const all0 = postgresCpu_ms();
      const cpu0 = process.cpuUsage();
      const session = PROFILE === '' ? undefined : new Session();
      if (session !== undefined) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      const gc0 = gc_ms;
      const t0 = performance.now();
      const counts = (await refresh(STATEMENTS ? timed(tx, pid, stats) : tx, DAY, null)) as {
        opened: number;
        stepped: number;
      };
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      if (session !== undefined) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(`${PROFILE}.${label.replace(/\W+/g, '')}.cpuprofile`, JSON.stringify(profile));
        session.disconnect();
      }
      const node = (cpu.user + cpu.system) / 1e6;
      // Entries arrive after the pause; let them in.
      await new Promise((resolve) => setImmediate(resolve));
      const gc = (gc_ms - gc0) / 1000;
      const server = (processCpu_ms(pid) - server0) / 1000;
      const all = (postgresCpu_ms() - all0) / 1000;
      const n = counts.stepped;
      line = `${label}: ${PHASE} ${n} cases in ${wall.toFixed(2)} s = ${Math.round(n / wall)} cases/s; CPU node ${node.toFixed(2)} s (${Math.round((node * 1e6) / n)} µs/case; GC pauses ${gc.toFixed(2)} s), server backend ${server.toFixed(2)} s (${Math.round((server * 1e6) / n)} µs/case), all postgres ${all.toFixed(2)} s; load ${load.toFixed(1)}→${loadavg()[0]!.toFixed(1)}; ${await digest(tx, DAY)}`;
      throw new Error('rollback');
    })
    .catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
  console.log(line);
  if (STATEMENTS) {
    const sorted = [...stats.entries()].sort((a, b) => b[1].wall - a[1].wall);
    for (const [k, s] of sorted.slice(0, 25))
      console.log(
        `  ${String(s.n).padStart(5)} × ${s.wall.toFixed(0).padStart(6)} ms wall ${s.cpu.toFixed(0).padStart(6)} ms server  ${k}`,
      );
  }
  // Every table the refresh writes, so that the next run does not meet this one's dead rows.
  for (const table of [
    'collection_cases',
    'collection_promises',
    'collection_step_actions',
    'reminders',
    'outbox_messages',
    'collection_placements',
    'collection_legal_actions',
  ])
    await db.query(`vacuum ${table}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--build')) return build();
  const db = await openPostgres({ url: PG_URL, schema: SCHEMA });
  try {
    const oldSrc = process.env.LENDGUARD_BENCH_OLD_SRC ?? '/tmp/refresh-old/src';
    const old: Refresh | undefined =
      CODE === 'new'
        ? undefined
        : ((await import(`${oldSrc}/store/index.ts`)) as { refreshCases: Refresh }).refreshCases;
    for (let i = 0; i < RUNS; i++) {
      if (CODE !== 'new') await runOnce(db, `old #${i + 1}`, old!);
      if (CODE !== 'old') await runOnce(db, `new #${i + 1}`, refreshCases as Refresh);
    }
  } finally {
    await db.close();
  }
}

await main();
