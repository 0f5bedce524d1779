/**
 * API benchmark (not a test): `npm run bench:api`. Figures and how to read them: docs/performance.md,
 * "Repayment API".
 *
 * A book of BENCH_LOANS loans on BENCH_LINES credit lines is built through the API (in this process),
 * then the real `lendguard serve` runs in its own process (or `--processes N`, for each N in
 * BENCH_PROCESSES) and a second process (bench/api-load.cjs, autocannon) sends repayments of 1.00, each
 * with its own Idempotency-Key, spread over the loans in a shuffled order: BENCH_WARMUP_S seconds of
 * warm-up, then BENCH_DURATION_S measured seconds with BENCH_CONNECTIONS connections. Printed: throughput,
 * p50/p90/p99, errors and non-2xx, CPU time of the server processes, of the PostgreSQL backends serving
 * them and of the load generator, per repayment, and the machine's load average. Afterwards every
 * balance is checked (see `checkBooks`).
 *
 * BENCH_PG_LOG=<server log file> also logs every statement of the server's connections with its
 * duration (log_min_duration_statement = 0 on those connections only) and prints statements and
 * database time per repayment; that costs time, so use it for a breakdown, not for throughput.
 *
 * Backends: the PostgreSQL server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test, in
 * a fresh schema dropped afterwards) and, with BENCH_BACKENDS=postgres,pglite, PGlite in a temporary
 * folder (one process only).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import pg from 'pg';
import { type LoanEvent, loanPosition, replay } from '../src/ledger/index.js';
import { parseDate } from '../src/money/index.js';
import {
  type Db,
  generatePiiKey,
  loadLoanLog,
  loanStateFromColumns,
  migrate,
  openPglite,
  openPostgres,
  PiiCipher,
  setBusinessDay,
} from '../src/store/index.js';
import { buildApiBook, logSince, PolledCpu, statementsFromLog } from './support.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres').split(',').map((s) => s.trim());
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map((s) => Number(s.trim()));
/** `--writes-in-flight` values to run each process count with (default: the server's default). */
const WRITES_IN_FLIGHT = (process.env.BENCH_WRITES_IN_FLIGHT ?? '').split(',').filter((s) => s.trim() !== '');
const LOANS = Number(process.env.BENCH_LOANS ?? 1_000);
const LINES = Number(process.env.BENCH_LINES ?? 250);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const PG_LOG = process.env.BENCH_PG_LOG;
/** Requests a minute the one benchmark token may send (far above what the load reaches). */
const RATE_LIMIT_PER_TOKEN = 1_000_000;
/** Loans whose log is replayed and compared with the stored state after the load. */
const REPLAY_SAMPLE_LOANS = 50;
const APPLICATION_NAME = 'lendguard_bench_api';
const DAY = parseDate('2026-03-02');

/** Deterministic shuffle (so consecutive requests land on different credit lines, as in real traffic). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** CPU time (ms) of a process and its live descendants, from /proc (Linux). */
function processTreeCpu_ms(rootPid: number): number {
  const tick_ms = 10; // USER_HZ is 100 on Linux
  let total = 0;
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick_ms;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        for (const child of children === '' ? [] : children.split(' ')) visit(Number(child));
      }
    } catch {
      // the process ended meanwhile
    }
  };
  visit(rootPid);
  return total;
}

interface Backend {
  db: Db;
  /** What `lendguard serve --db` is given. */
  serveDb: string;
  /** Backend process ids serving the server processes (PostgreSQL only). */
  backendPids(): Promise<number[]>;
  /**
   * The server's WAL position in bytes and the bytes the bench schema's tables and indexes take
   * (PostgreSQL only; WAL is the whole server's, so other work on it counts too).
   */
  storage(): Promise<{ wal_bytes: bigint; schema_bytes: bigint } | undefined>;
  close(): Promise<void>;
}

async function openBackend(name: string): Promise<Backend> {
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'lg-bench-api-'));
    const backend: Backend = {
      db: await openPglite({ dataDir: dir }),
      serveDb: dir,
      backendPids: async () => [],
      storage: async () => undefined,
      async close() {
        await backend.db.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return backend;
  }
  const schema = `lg_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const db = await openPostgres({ url: PG_URL, schema });
  const settings = [`-c search_path=${schema}`];
  if (PG_LOG !== undefined) settings.push('-c log_min_duration_statement=0');
  const url = new URL(PG_URL);
  url.searchParams.set('options', settings.join(' '));
  url.searchParams.set('application_name', APPLICATION_NAME);
  return {
    db,
    serveDb: url.toString(),
    async backendPids() {
      const { rows } = await admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [APPLICATION_NAME],
      );
      return rows.map((r) => r.pid);
    },
    async storage() {
      const { rows } = await admin.query<{ wal: string; schema: string }>(
        `select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal,
           coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as schema
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = $1 and c.relkind = 'r'`,
        [schema],
      );
      const r = rows[0];
      return r === undefined ? undefined : { wal_bytes: BigInt(r.wal), schema_bytes: BigInt(r.schema) };
    },
    async close() {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
      await admin.end();
    },
  };
}

interface Book {
  token: string;
  loanIds: string[];
}

async function buildBook(db: Db, cipher: PiiCipher): Promise<Book> {
  await migrate(db);
  const { app, token, loanIds } = await buildApiBook(db, cipher, { lines: LINES, loans: LOANS, day: DAY });
  // Repayments five days after the drawdowns: the first on each loan also runs its end-of-day catch-up.
  await setBusinessDay(db, DAY + 5);
  await app.close();
  return { token, loanIds: shuffled(loanIds, 20_261_128) };
}

async function startServer(
  serveDb: string,
  processes: number,
  writesInFlight: string | undefined,
  cipherKey: string,
): Promise<{ child: ChildProcess; url: string }> {
  const args = [
    'serve',
    '--db',
    serveDb,
    '--port',
    '0',
    ...(processes > 1 ? ['--processes', String(processes)] : []),
    ...(writesInFlight === undefined ? [] : ['--writes-in-flight', writesInFlight]),
    // One token sends every repayment: the per-token throttle's default (30,000 a minute) would answer 429.
    '--rate-limit-per-token',
    String(RATE_LIMIT_PER_TOKEN),
  ];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...serverNodeOptions(), 'bench/api-serve.ts', ...args],
    {
      env: { ...process.env, LENDGUARD_PII_KEY: cipherKey },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on (http:\/\/[^ ]+)/.exec(text);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`lendguard serve exited (${code}): ${text}`)));
  });
  return { child, url };
}

/** BENCH_CPU_PROF=<dir>: a V8 CPU profile of the (first) server process. */
function serverNodeOptions(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/**
 * BENCH_PG_PERF=<file>: `perf record` (call graphs) of the PostgreSQL backends serving the server during
 * the measured load, for `perf report -i <file>`.
 */
function startPerf(pids: readonly number[]): { stop(): Promise<void> } | undefined {
  const file = process.env.BENCH_PG_PERF;
  if (file === undefined || pids.length === 0) return undefined;
  const child = spawn('perf', ['record', '-F', '499', '-g', '-o', file, '-p', pids.join(',')], {
    stdio: 'ignore',
  });
  child.once('error', (error) => console.error(`BENCH_PG_PERF: perf did not start (${error.message})`));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  duration: number;
  loadCpu_us: number;
}

async function load(url: string, book: Book, duration_s: number, keyPrefix: string): Promise<LoadResult> {
  const input = JSON.stringify({
    url,
    token: book.token,
    loanIds: book.loanIds,
    connections: CONNECTIONS,
    duration_s,
    keyPrefix,
  });
  const { stdout } = await promisify(execFile)(process.execPath, ['bench/api-load.cjs', input], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LoadResult;
}

async function countRepaid(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "select count(*)::text as n from loan_events where type = 'Repaid'",
  );
  return Number(rows[0]?.n ?? 0);
}

/** Handlers whose client went away still finish their write: wait until the count stops moving. */
async function settledRepaid(db: Db): Promise<number> {
  let last = -1;
  let now = await countRepaid(db);
  while (now !== last) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = now;
    now = await countRepaid(db);
  }
  return now;
}

/**
 * The books after the load, exact to the fen: every Repaid event is 1.00 and its allocation plus credit
 * adds up to it; each loan's principal paid (disbursed − outstanding, from the stored state) equals the
 * principal its Repaid events allocated; each credit line's `used` equals its loans' outstanding
 * principal; the journal balances (debits = credits); and a sample of loans replays from their log to
 * exactly the stored state. Returns the problems found (none: the books are exact).
 */
async function checkBooks(db: Db, sampleLoanIds: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const events = await db.query<{ loan_id: string; payload: string }>(
    "select loan_id, payload::text as payload from loan_events where type = 'Repaid'",
  );
  const principalRepaid = new Map<string, number>();
  for (const row of events.rows) {
    const e = JSON.parse(row.payload) as {
      amountMinor: number;
      creditMinor: number;
      allocation: { penaltyMinor: number; feeMinor: number; interestMinor: number; principalMinor: number };
    };
    const a = e.allocation;
    const parts = a.penaltyMinor + a.feeMinor + a.interestMinor + a.principalMinor + e.creditMinor;
    if (e.amountMinor !== 100 || parts !== e.amountMinor) {
      problems.push(`loan ${row.loan_id}: a repayment of ${e.amountMinor} fen allocates ${parts}`);
    }
    principalRepaid.set(row.loan_id, (principalRepaid.get(row.loan_id) ?? 0) + a.principalMinor);
  }
  const loans = await db.query<{ loan_id: string; line_id: string; state: string; terms: string }>(
    'select loan_id, line_id, state::text as state, terms::text as terms from loans',
  );
  const outstandingByLine = new Map<string, number>();
  for (const row of loans.rows) {
    const state = loanStateFromColumns(row.state, row.terms);
    const outstanding = loanPosition(state).outstandingPrincipalMinor;
    const paid = state.disbursedPrincipalMinor - outstanding;
    if (paid !== (principalRepaid.get(row.loan_id) ?? 0)) {
      problems.push(
        `loan ${row.loan_id}: principal paid ${paid} ≠ ${principalRepaid.get(row.loan_id) ?? 0} repaid`,
      );
    }
    outstandingByLine.set(row.line_id, (outstandingByLine.get(row.line_id) ?? 0) + outstanding);
  }
  const lines = await db.query<{ line_id: string; used_minor: string | number }>(
    'select line_id, used_minor from credit_lines',
  );
  for (const row of lines.rows) {
    if (Number(row.used_minor) !== (outstandingByLine.get(row.line_id) ?? 0)) {
      problems.push(
        `line ${row.line_id}: used ${row.used_minor} ≠ outstanding ${outstandingByLine.get(row.line_id)}`,
      );
    }
  }
  const journal = await db.query<{ debit: string; credit: string }>(
    `select coalesce(sum((l->>'debitMinor')::bigint), 0)::text as debit,
       coalesce(sum((l->>'creditMinor')::bigint), 0)::text as credit
     from postings p cross join lateral jsonb_array_elements(p.lines) as l`,
  );
  const j = journal.rows[0];
  if (j === undefined || j.debit !== j.credit)
    problems.push(`journal: debits ${j?.debit} ≠ credits ${j?.credit}`);
  for (const loanId of sampleLoanIds) {
    const row = loans.rows.find((r) => r.loan_id === loanId);
    if (row === undefined) continue;
    const state = loanStateFromColumns(row.state, row.terms);
    const log: LoanEvent[] = await loadLoanLog(db, state.customerId, loanId);
    const replayed = replay(log);
    if (!isDeepStrictEqual(replayed, { ...state, lastClosedDay: replayed.lastClosedDay })) {
      problems.push(`loan ${loanId}: replaying its log does not give the stored state`);
    }
  }
  return problems;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function run(name: string): Promise<void> {
  const key = generatePiiKey();
  const backend = await openBackend(name);
  const setupStart = performance.now();
  const book = await buildBook(backend.db, new PiiCipher(key));
  console.log(
    `${name}: book of ${book.loanIds.length} loans on ${LINES} lines built in ${fmt((performance.now() - setupStart) / 1000, 1)} s`,
  );
  const processCounts = name === 'pglite' ? [1] : PROCESSES;
  const runs = processCounts.flatMap((processes) =>
    (WRITES_IN_FLIGHT.length === 0 ? [undefined] : WRITES_IN_FLIGHT).map((writes) => ({ processes, writes })),
  );
  if (name === 'pglite') await backend.db.close();
  let repaidSoFar = 0;
  let answered = 0;
  for (const { processes, writes } of runs) {
    const server = await startServer(backend.serveDb, processes, writes, key.toString('base64'));
    try {
      const label = `${processes}-${writes ?? 'default'}`;
      const warm = await load(server.url, book, WARMUP_S, `warm-${label}`);
      answered += warm['2xx'];
      const pids = await backend.backendPids();
      const logFrom = PG_LOG === undefined ? 0 : statSync(PG_LOG).size;
      const serverCpuBefore = processTreeCpu_ms(server.child.pid!);
      const dbCpu = new PolledCpu(() => backend.backendPids());
      await dbCpu.start();
      const storageBefore = await backend.storage();
      const perf = startPerf(pids);
      const result = await load(server.url, book, DURATION_S, `run-${label}`);
      await perf?.stop();
      const serverCpu_ms = processTreeCpu_ms(server.child.pid!) - serverCpuBefore;
      const dbCpu_ms = await dbCpu.stop();
      const storageAfter = await backend.storage();
      const load1 = loadavg()[0]!;
      answered += result['2xx'];
      const done = Math.max(1, result['2xx']);
      const lines = [
        `  --processes ${processes}${writes === undefined ? '' : ` --writes-in-flight ${writes}`}: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${DURATION_S} s measured; load average ${fmt(load1, 1)} (${loadavg()
          .map((l) => fmt(l, 1))
          .join(', ')})`,
        `    repayments/s          ${fmt(result['2xx'] / result.duration, 0)} (${result['2xx']} answered 2xx in ${fmt(result.duration, 1)} s)`,
        `    latency p50/p90/p99   ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} ms (max ${result.latency.max} ms)`,
        `    non-2xx ${result.non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts}`,
        `    CPU per repayment     server ${fmt(serverCpu_ms / done, 2)} ms, PostgreSQL backends ${fmt(dbCpu_ms / done, 2)} ms, load generator ${fmt(result.loadCpu_us / 1000 / done, 2)} ms`,
      ];
      if (storageBefore !== undefined && storageAfter !== undefined) {
        const wal = Number(storageAfter.wal_bytes - storageBefore.wal_bytes);
        const stored = Number(storageAfter.schema_bytes - storageBefore.schema_bytes);
        lines.push(
          `    WAL per repayment     ${fmt(wal / done, 0)} bytes (whole server); tables and indexes grew ${fmt(stored / done, 0)} bytes per repayment`,
        );
      }
      if (PG_LOG !== undefined) {
        const text = logSince(PG_LOG, logFrom);
        const s = statementsFromLog(text);
        lines.push(
          `    statements per repayment ${fmt(s.statements / done, 2)}, database time ${fmt(s.db_ms / done, 2)} ms per repayment (server log)`,
          `    statements (count and database ms per repayment): ${[...s.kinds]
            .sort((a, b) => b[1].ms - a[1].ms)
            .slice(0, 12)
            .map(([k, v]) => `${k} ×${fmt(v.n / done, 2)} ${fmt(v.ms / done, 2)} ms`)
            .join('; ')}`,
        );
      }
      console.log(lines.join('\n'));
    } finally {
      await stopServer(server.child);
    }
  }
  if (name === 'pglite') backend.db = await openPglite({ dataDir: backend.serveDb });
  repaidSoFar = await settledRepaid(backend.db);
  const problems = await checkBooks(backend.db, book.loanIds.slice(0, REPLAY_SAMPLE_LOANS));
  const inFlight_max = CONNECTIONS * 2 * runs.length;
  const countOk = repaidSoFar >= answered && repaidSoFar <= answered + inFlight_max;
  console.log(
    `  books: ${repaidSoFar} Repaid events for ${answered} 2xx answers (${countOk ? `the rest were in flight when a load stopped, at most ${inFlight_max}` : 'MISMATCH'}); ${problems.length === 0 ? 'every balance exact (allocations, principal per loan, used per line, journal, replay of a sample)' : `${problems.length} PROBLEMS:\n    ${problems.slice(0, 10).join('\n    ')}`}`,
  );
  await backend.close();
}

for (const name of BACKENDS) await run(name);
