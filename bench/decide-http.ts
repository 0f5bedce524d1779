/**
 * Decision benchmark over HTTP (not a test): the HTTP half of `npm run bench:decide`.
 *
 * `POST /applications` on a server in this process on 127.0.0.1, loaded from a second process
 * (bench/decide-http-load.cjs, autocannon) with CONNECTIONS connections for DURATION_S seconds. Every request
 * is a new applicant (bench/decide-http-applicants.cjs) with a fresh Idempotency-Key; INVITED_SHARE of them
 * hold an invitation, so that approvals open credit lines and the rest are declined as outside any
 * invitation. Each request runs the whole path: validation, the invitation, blacklist and history reads, the
 * scorecard and the shadow challenger, the five policy graphs, and the transaction that stores the
 * application, decision, flags and history (and, on approval, the customer and the line).
 *
 * Prints decisions per second, latency p50/p99, the outcome mix, server CPU per decision (process.cpuUsage)
 * and the load average, and checks that every approval opened exactly one line.
 *
 * Backend: the PostgreSQL server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test, in a fresh
 * schema dropped afterwards); BENCH_BACKENDS=postgres,pglite adds PGlite in memory. On PostgreSQL it also
 * prints the CPU time of the backends serving this process's pool per decision (/proc of their pids).
 *
 * BENCH_PG_LOG=<server log file> logs every statement of this process's connections with its duration
 * (log_min_duration_statement = 0 on those connections only) and prints statements and database time per
 * decision; that costs time, so use it for a breakdown, not for throughput.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server (this process) over the measured load.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { buildServer } from '../src/server/index.js';
import {
  type Db,
  generatePiiKey,
  insertInvitation,
  insertToken,
  insertUser,
  migrate,
  newId,
  openPglite,
  openPostgres,
  originationKeyOf,
  PiiCipher,
} from '../src/store/index.js';
import { logSince, processCpu_ms, statementsFromLog } from './support.js';

const require = createRequire(import.meta.url);
const { applicant } = require('./decide-http-applicants.cjs') as {
  applicant: (i: number) => { identity: { idNumber: string } };
};

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres').split(',');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
/** Applicants invited before the run: the first INVITED of those the load process will send. */
const INVITED = Number(process.env.BENCH_INVITED ?? 10_000);
/** Applicants sent while warming up (compiling the graphs, filling the caches and the pool). */
const WARMUP_APPLICATIONS = 200;
const PG_LOG = process.env.BENCH_PG_LOG;
const CPU_PROF = process.env.BENCH_CPU_PROF;
const APPLICATION_NAME = `lendguard_bench_decide_${process.pid}`;

interface Backend {
  db: Db;
  /** PostgreSQL backend pids serving this process's pool (none on PGlite). */
  backendPids(): Promise<number[]>;
  close(): Promise<void>;
}

async function openBackend(name: string): Promise<Backend> {
  if (name === 'pglite') {
    const db = await openPglite();
    return { db, backendPids: async () => [], close: () => db.close() };
  }
  const schema = `lg_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const settings = [`-c search_path=${schema}`];
  if (PG_LOG !== undefined) settings.push('-c log_min_duration_statement=0');
  const url = new URL(PG_URL);
  url.searchParams.set('options', settings.join(' '));
  url.searchParams.set('application_name', APPLICATION_NAME);
  const db = await openPostgres({ url: url.toString() });
  return {
    db,
    async backendPids() {
      const { rows } = await admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [APPLICATION_NAME],
      );
      return rows.map((r) => r.pid);
    },
    async close() {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
      await admin.end();
    },
  };
}

/** Starts a V8 CPU profile of this process; the returned function writes it to `dir`. */
async function startProfile(dir: string): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `decide-http-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

async function run(name: string): Promise<void> {
  const backend = await openBackend(name);
  const db = backend.db;
  await migrate(db);
  const cipher = new PiiCipher(generatePiiKey());
  const keyOf = originationKeyOf(cipher);
  const analyst = await insertUser(db, {
    username: 'bench-analyst',
    displayName: 'bench',
    role: 'risk_analyst',
  });
  const token = (await insertToken(db, { userId: analyst.userId, label: 'bench', expiresAt: null })).secret;
  const app = await buildServer({ db, cipher, config: {} });

  // Invite every other applicant of the run (the warm-up ones included).
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const validFrom = new Date(Date.now() - 86_400_000).toISOString();
  await db.transaction(async (tx) => {
    for (let i = 0; i < INVITED * 2; i += 2) {
      const idNumber = applicant(i).identity.idNumber;
      await insertInvitation(
        tx,
        cipher,
        {
          invitationId: newId('inv'),
          code: `BENCH-${i}`,
          idNumber,
          applicantKey: keyOf('id-number', idNumber),
          productIds: ['default'],
          limitCap_fen: 5_000_000,
          channels: [],
          validFrom,
          expiresAt,
        },
        analyst.userId,
      );
    }
  });

  for (let i = 0; i < WARMUP_APPLICATIONS; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/applications',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `warmup-${i}` },
      payload: applicant(i) as object,
    });
    if (res.statusCode !== 201) throw new Error(`warm-up application ${i}: ${res.statusCode} ${res.body}`);
  }

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const counted = async () =>
    (
      await db.query<{ outcome: string; n: string }>(
        'select outcome, count(*)::text as n from decisions group by outcome order by outcome',
      )
    ).rows.map((r) => ({ outcome: r.outcome, n: Number(r.n) }));
  const before = await counted();
  const pids = await backend.backendPids();
  const dbCpuBefore = new Map(pids.map((pid) => [pid, processCpu_ms(pid)]));
  const logFrom = PG_LOG === undefined ? 0 : statSync(PG_LOG).size;
  const stopProfile = CPU_PROF === undefined ? undefined : await startProfile(CPU_PROF);
  const cpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0]!;
  const input = JSON.stringify({
    url,
    token,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    first: WARMUP_APPLICATIONS,
  });
  const { stdout } = await promisify(execFile)(process.execPath, ['bench/decide-http-load.cjs', input], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; max: number; average: number };
    non2xx: number;
    errors: number;
    '2xx': number;
    statusCodeStats?: Record<string, { count: number }>;
    sent: number;
  };
  await app.close();
  // Handlers whose client went away (queued when the load stopped) still finish: wait until the count settles.
  const total = async () => (await counted()).reduce((sum, c) => sum + c.n, 0);
  for (let last = -1, now = await total(); now !== last; ) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    last = now;
    now = await total();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const profileFile = stopProfile === undefined ? undefined : await stopProfile();
  // Backends that joined the pool during the run count from zero (one that left is not counted).
  let dbCpu_ms = 0;
  const pidsAfter = await backend.backendPids();
  for (const pid of pidsAfter) dbCpu_ms += processCpu_ms(pid) - (dbCpuBefore.get(pid) ?? 0);
  const logText = PG_LOG === undefined ? '' : logSince(PG_LOG, logFrom);
  const loadAfter = loadavg()[0]!;
  const after = await counted();
  const made = after.map((a) => ({
    outcome: a.outcome,
    n: a.n - (before.find((b) => b.outcome === a.outcome)?.n ?? 0),
  }));
  const decisions = made.reduce((s, m) => s + m.n, 0);
  const approvals = made.find((m) => m.outcome === 'approve')?.n ?? 0;
  const lines = Number(
    (await db.query<{ n: string }>('select count(*)::text as n from credit_lines')).rows[0]?.n ?? 0,
  );
  const approvedAll = Number(
    (await db.query<{ n: string }>("select count(*)::text as n from decisions where outcome = 'approve'"))
      .rows[0]?.n ?? 0,
  );
  console.log(
    [
      `${name}: POST /applications, ${CONNECTIONS} connections, ${DURATION_S} s, every other applicant invited`,
      `  decisions/s (mean)   ${result.requests.average.toFixed(0)}`,
      `  latency p50 / p99    ${result.latency.p50} ms / ${result.latency.p99} ms (max ${result.latency.max} ms)`,
      `  outcomes             ${made.map((m) => `${m.outcome} ${m.n}`).join(', ')}`,
      `  server process CPU   ${((cpu.user + cpu.system) / 1000 / Math.max(1, decisions)).toFixed(2)} ms per decision (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s over the run)`,
      ...(name === 'pglite'
        ? []
        : [
            `  PostgreSQL CPU       ${(dbCpu_ms / Math.max(1, decisions)).toFixed(2)} ms per decision (${pidsAfter.length} backends of this process at the end, /proc)`,
          ]),
      `  load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
      `  2xx ${result['2xx']}, non-2xx ${result.non2xx}, socket errors ${result.errors}, status ${JSON.stringify(result.statusCodeStats ?? {})}`,
      `  credit lines ${lines} for ${approvedAll} approvals (${lines === approvedAll ? 'one each' : 'MISMATCH'}); ${approvals} approvals in the run`,
    ].join('\n'),
  );
  if (PG_LOG !== undefined && name !== 'pglite') {
    const s = statementsFromLog(logText);
    const per = (n: number) => (n / Math.max(1, decisions)).toFixed(2);
    console.log(
      `  statements per decision ${per(s.statements)}, database time ${per(s.db_ms)} ms per decision (server log)\n` +
        `  statements (count and database ms per decision): ${[...s.kinds]
          .sort((a, b) => b[1].n - a[1].n)
          .slice(0, 30)
          .map(([k, v]) => `${k} ×${per(v.n)} ${per(v.ms)} ms`)
          .join('; ')}`,
    );
  }
  if (profileFile !== undefined) console.log(`  CPU profile          ${profileFile}`);
  await backend.close();
}

for (const name of BACKENDS) await run(name.trim());
