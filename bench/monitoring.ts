/**
 * Monitoring benchmark (not a test). Two figures:
 * 1. Reminders planned per second by the core planner over a due-date wave: every loan has an instalment
 *    on the day's T−1 anchor (or is past due with the legal notice due), mixed zones, opt-outs and caps.
 * 2. Dispatch to a local webhook receiver: messages per second through the outbox (claim, signed POST,
 *    record) and the latency from a message being due to its delivery (p50/p99), on an embedded database,
 *    or with --pg on the PostgreSQL server of $LENDGUARD_BENCH_PG_URL in the schema `bench_dispatch`
 *    (`--pg-schema NAME` for another; the schema is dropped and made again at each run: give it a name of
 *    its own).
 * 3. The monthly behaviour-score job (B卡) on PostgreSQL: read the book's histories, compute features, score
 *    with reasons, store one row per line and the month's PSI, over a synthetic book written once into the
 *    schema `bench_behaviour` of $LENDGUARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *    and reused by later runs of the same size.
 * Run: `npm run bench:monitoring`. Options: --wave N (default 200,000), --messages M (default 5,000),
 * --concurrency K (default 64), --flow-rate R (messages due per second in the steady-flow figure, default 2,000), --behaviour-customers C (default 4,000; 0 skips the figure), --behaviour-workers W (worker
 * threads of the job, default 1: the job in the bench's own thread), --behaviour-runs R (runs in one process, default 1),
 * --behaviour-schema S (default bench_behaviour), --behaviour-copies K (default 1: the engine-written book of C customers
 * repeated K times in SQL with new ids, see `copyBook`; 112 copies of the 4,000-customer book are about 1,000,000 loans;
 * the schema then holds C × K customers and later runs with the same C and K reuse it), --behaviour-compare (June
 * read from every event, May keeping its loan folds, June going on from them; the md5 of June's scores either way;
 * --behaviour-skip-old and --behaviour-skip-may leave out the first two on a book that has them; --behaviour-from-april
 * keeps April's folds from every event and goes on from them through May, so that June goes on from two months of folds).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  parseMonth,
  runDispatcher,
  scoreBehaviourMonth,
  shippedCadence,
  writeBook,
} from '../src/jobs/index.js';
import { parseDate } from '../src/money/index.js';
import { planReminders, type ReminderLoanFacts } from '../src/monitoring/index.js';
import {
  createWebhookSubscription,
  type Db,
  enqueueBusinessEvents,
  generatePiiKey,
  migrate,
  openPglite,
  openPostgres,
  PiiCipher,
  type Queryable,
  setBusinessDay,
} from '../src/store/index.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const WAVE = option('wave', 200_000);
const BEHAVIOUR_CUSTOMERS = option('behaviour-customers', 4_000);
/** Runs of the job in the same process: the later ones run warm (compiled code, open connections). */
const BEHAVIOUR_RUNS = option('behaviour-runs', 1);
const BEHAVIOUR_WORKERS = option('behaviour-workers', 1);
/** The engine-written book repeated K times in SQL (new ids for every copy): a large book without the engine's hours. */
const BEHAVIOUR_COPIES = option('behaviour-copies', 1);
/**
 * `--behaviour-compare`: per run, June read from every event (the job without folds), then May from every
 * event keeping each loan's fold, then June going on from May's folds (decision 0647); the md5 of June's
 * scores either way. The bench's connections then run without parallel query workers, so that the server
 * CPU read from `/proc` is all of it.
 */
const BEHAVIOUR_COMPARE = process.argv.includes('--behaviour-compare');
/**
 * `--behaviour-day-order`: the copied book's events are written in day order (as a log appended day by day
 * lies on disk) rather than copy after copy of the engine's customer-by-customer writes.
 */
/** `--behaviour-month-read-pages P`: pages per read of the month's events going on from the folds (0: the job's default). */
const BEHAVIOUR_MONTH_READ_PAGES = option('behaviour-month-read-pages', 0);
const BEHAVIOUR_DAY_ORDER = process.argv.includes('--behaviour-day-order');
/** With `--behaviour-compare`: leave out the read of every event (its md5 taken from an earlier run). */
const BEHAVIOUR_SKIP_OLD = process.argv.includes('--behaviour-skip-old');
/** With `--behaviour-compare`: go on from May's folds kept by an earlier run. */
const BEHAVIOUR_SKIP_MAY = process.argv.includes('--behaviour-skip-may');
/**
 * With `--behaviour-compare`: April read from every event keeping its folds, then May going on from them,
 * so that June goes on from folds kept over two months (a loan's row of the month it last changed) as a
 * job in its second month and after does, rather than from one whole month of folds.
 */
const BEHAVIOUR_FROM_APRIL = process.argv.includes('--behaviour-from-april');
const BEHAVIOUR_SCHEMA = process.argv.includes('--behaviour-schema')
  ? process.argv[process.argv.indexOf('--behaviour-schema') + 1]!
  : 'bench_behaviour';
const PG_URL = process.env.LENDGUARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MESSAGES = option('messages', 5_000);
const CONCURRENCY = option('concurrency', 64);
const FLOW_RATE = option('flow-rate', 2_000);
/** The dispatch figure on a PostgreSQL server rather than the embedded database. */
const DISPATCH_PG = process.argv.includes('--pg');
const DISPATCH_SCHEMA = process.argv.includes('--pg-schema')
  ? process.argv[process.argv.indexOf('--pg-schema') + 1]!
  : 'bench_dispatch';
const DISPATCH_APP = 'lendguard_bench_dispatch';
const DAY = parseDate('2026-03-09');
/** `--only plan|dispatch|behaviour` runs one figure (side-by-side runs of two codes, profiles). */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
/** The measured span on the clock of `node --cpu-prof` (µs), so that a profile can be cut to it. */
function profileSpan(name: string, startUs: bigint): void {
  if (process.env.BENCH_PROFILE_SPAN === '1')
    console.log(`profile span ${name}: ${startUs} ${process.hrtime.bigint() / 1000n}`);
}
const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Europe/London', 'America/Los_Angeles'];

function wave(n: number): ReminderLoanFacts[] {
  return Array.from({ length: n }, (_, i) => {
    const overdue = i % 10 === 0;
    const dueDay = overdue ? parseDate('2026-02-10') : DAY + 1;
    return {
      loanId: `ln_${String(i).padStart(8, '0')}`,
      customerId: `cus_${String(Math.floor(i / 2)).padStart(8, '0')}`,
      productId: 'p',
      segment: '*',
      currency: 'CNY',
      settled: false,
      dues: [{ dueDay, amountMinor: 100_000 + i }],
      daysPastDue: overdue ? DAY - dueDay : 0,
      negativeNotice: overdue ? { deadlineDay: DAY + 2, reportDay: DAY + 22 } : null,
      consequence: {
        'zh-CN': '逾期将产生罚息并报送征信。',
        en: 'Penalty interest and a credit report follow.',
      },
      borrower: {
        timeZone: ZONES[i % ZONES.length]!,
        lang: i % 3 === 0 ? 'en' : 'zh-CN',
        optOuts: i % 7 === 0 ? ['sms'] : [],
      },
    };
  });
}

/** CPU (ms) used so far by the server backends of this bench's pool (same machine; `/proc`). */
async function backendCpu(
  db: {
    query: (sql: string) => Promise<{ rows: unknown[] }>;
  },
  app = BEHAVIOUR_APP,
): Promise<Map<number, number>> {
  const { rows } = await db.query(`select pid from pg_stat_activity where application_name = '${app}'`);
  const ticks = new Map<number, number>();
  for (const { pid } of rows as { pid: number }[]) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // not on this machine, or gone
    }
  }
  return ticks;
}
const BEHAVIOUR_APP = 'lendguard_bench_behaviour';

/**
 * The CPU of the bench's backends over a span, sampled every 250 ms from `/proc`, so that connections
 * opened and closed within it (worker threads') are counted: a backend first seen in the span counts from
 * zero; what a backend spends after its last sample is missed.
 */
async function backendCpuSampler(db: Db): Promise<() => Promise<number>> {
  const first = await backendCpu(db);
  const last = new Map(first);
  let stopped = false;
  const sample = async () => {
    for (const [pid, ms] of await backendCpu(db)) last.set(pid, ms);
  };
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 250));
      await sample().catch(() => undefined);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await sample();
    let total = 0;
    for (const [pid, ms] of last) total += ms - (first.get(pid) ?? 0);
    return total;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function planBench(): Promise<void> {
  const document = shippedCadence();
  const facts = wave(WAVE);
  planReminders({ document, day: DAY, loans: facts.slice(0, 2_000) }); // warm-up
  const span = process.hrtime.bigint() / 1000n;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = planReminders({ document, day: DAY, loans: facts });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  profileSpan('plan', span);
  console.log(
    `plan: ${out.length} reminders (${out.filter((r) => r.status === 'planned').length} to send) for ${WAVE} loans in ${ms.toFixed(0)} ms = ${Math.round((out.length * 1000) / ms)} reminders/s (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
  );
}

async function dispatchBench(): Promise<void> {
  const latencies: number[] = [];
  const dueAt = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      const due = dueAt.get(key);
      if (due !== undefined) latencies.push(Date.now() - due);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  let db: Db;
  if (DISPATCH_PG) {
    if (!/^[a-z_][a-z0-9_]*$/.test(DISPATCH_SCHEMA)) throw new Error(`--pg-schema ${DISPATCH_SCHEMA}`);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${DISPATCH_SCHEMA} cascade`);
    await admin.query(`create schema ${DISPATCH_SCHEMA}`);
    await admin.end();
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${DISPATCH_APP}`;
    db = await openPostgres({ url, schema: DISPATCH_SCHEMA, poolSize_max: 10 });
  } else db = await openPglite();
  const where = DISPATCH_PG ? `PostgreSQL, schema ${DISPATCH_SCHEMA}` : 'PGlite';
  /** CPU (ms) of the server backends of the pool, when on PostgreSQL. */
  const serverCpu = async () => {
    if (!DISPATCH_PG) return 0;
    let ms = 0;
    for (const v of (await backendCpu(db, DISPATCH_APP)).values()) ms += v;
    return ms;
  };
  try {
    await migrate(db);
    const cipher = new PiiCipher(generatePiiKey());
    const sub = await createWebhookSubscription(
      db,
      cipher,
      { url, eventTypes: ['loan.past_due'], description: '' },
      'bench',
    );
    await db.transaction((tx) =>
      enqueueBusinessEvents(
        tx,
        'loan.past_due',
        Array.from({ length: MESSAGES }, (_, i) => ({ subjectKey: `ln_${i}`, data: { n: i } })),
      ),
    );
    const start = Date.now();
    for (let i = 0; i < MESSAGES; i++)
      dueAt.set(`event:loan.past_due:ln_${i}:${sub.subscription.subscriptionId}`, start);
    const server0 = await serverCpu();
    const span = process.hrtime.bigint() / 1000n;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await runDispatcher(
      db,
      cipher,
      {
        webhooks: {},
        eventTimeout_ms: 5_000,
        retry: { attempts_max: 3, backoffBase_ms: 1000, backoffMax_ms: 1000 },
      },
      {
        untilIdle: true,
        concurrency: CONCURRENCY,
        batch: 500,
      },
    );
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    profileSpan('dispatch', span);
    const server = (await serverCpu()) - server0;
    latencies.sort((a, b) => a - b);
    console.log(
      `dispatch: ${report.sent} messages in ${ms.toFixed(0)} ms = ${Math.round((report.sent * 1000) / ms)} msg/s (${where}, concurrency ${CONCURRENCY}; CPU of this process, receiver included, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms = ${((cpu.user + cpu.system) / 1000 / report.sent).toFixed(3)} ms/msg${DISPATCH_PG ? `; server backends ${server.toFixed(0)} ms` : ''}); due → delivered p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (all due at once)`,
    );
    // A steady flow: the same number of messages falling due one after another at FLOW_RATE a second, the
    // dispatcher polling every 10 ms; the latency is that of a message due now, not of a queue's drain.
    latencies.length = 0;
    dueAt.clear();
    await db.transaction((tx) =>
      enqueueBusinessEvents(
        tx,
        'loan.past_due',
        Array.from({ length: MESSAGES }, (_, i) => ({ subjectKey: `flow_${i}`, data: { n: i } })),
      ),
    );
    // Far enough ahead that setting the due times (one statement) is over before the first falls due.
    const flowStart = Date.now() + 1_000;
    await db.query(
      `update outbox_messages o set next_attempt_at = $1::timestamptz + make_interval(secs => r.i / $2::double precision)
         from (select message_id, row_number() over (order by message_id) - 1 as i from outbox_messages
                where status = 'pending') r
        where o.message_id = r.message_id`,
      [new Date(flowStart).toISOString(), FLOW_RATE],
    );
    for (let i = 0; i < MESSAGES; i++)
      dueAt.set(
        `event:loan.past_due:flow_${i}:${sub.subscription.subscriptionId}`,
        Math.round(flowStart + (i * 1000) / FLOW_RATE),
      );
    const stop = new AbortController();
    let settled = 0;
    const flowServer0 = await serverCpu();
    const flowSpan = process.hrtime.bigint() / 1000n;
    const flowCpu0 = process.cpuUsage();
    const flowT0 = performance.now();
    const flow = await runDispatcher(
      db,
      cipher,
      {
        webhooks: {},
        eventTimeout_ms: 5_000,
        retry: { attempts_max: 3, backoffBase_ms: 1000, backoffMax_ms: 1000 },
      },
      {
        concurrency: CONCURRENCY,
        batch: 500,
        idle_ms: 10,
        signal: stop.signal,
        onSettled: () => {
          settled += 1;
          if (settled === MESSAGES) stop.abort();
        },
      },
    );
    const flowMs = performance.now() - flowT0;
    const flowCpu = process.cpuUsage(flowCpu0);
    profileSpan('dispatch flow', flowSpan);
    const flowServer = (await serverCpu()) - flowServer0;
    latencies.sort((a, b) => a - b);
    console.log(
      `dispatch, steady flow of ${FLOW_RATE} msg/s (${where}): ${flow.sent} messages in ${flowMs.toFixed(0)} ms (CPU ${((flowCpu.user + flowCpu.system) / 1000).toFixed(0)} ms, ${Math.round((100 * (flowCpu.user + flowCpu.system)) / 1000 / flowMs)}% of a core${DISPATCH_PG ? `; server backends ${flowServer.toFixed(0)} ms` : ''}); due → delivered p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
    );
  } finally {
    await db.close();
    server.close();
  }
}

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
/**
 * Repeats the book `copies` times over in SQL: every customer, credit line (and its limit changes), loan and
 * loan event is copied with new ids (the id's prefix and 28 hex digits of an MD5 of the old id and the copy
 * number, so the copies interleave with the originals in id order), and the ids inside the lines' and loans'
 * state and the events' payloads are rewritten to match. The copies are the engine's histories, repeated:
 * the same days, amounts and scores (so the same PSI). Ledger postings, snapshots and the rest of the book,
 * which the job does not read, are not copied.
 */
async function copyBook(db: Awaited<ReturnType<typeof openPostgres>>, copies: number): Promise<void> {
  await db.transaction((tx) => copyBookIn(tx, copies));
}

async function copyBookIn(tx: Queryable, copies: number): Promise<void> {
  // Copy 0 is the original (its ids unchanged): the events are rewritten with the copies, in day order.
  await tx.execScript(`create or replace function pg_temp.copy_id(id text, k int) returns text
    language sql immutable as $$ select case when k = 0 then id
      else split_part(id, '_', 1) || '_' || left(md5(id || '/' || k), 28) end $$`);
  const ids = (cols: string[]) => (text: string) =>
    cols.reduce((t, c) => `replace(${t}, ${c}, pg_temp.copy_id(${c}, k))`, text);
  const tables: [string, Record<string, string>][] = [
    ['customers', { external_ref: `external_ref || '/' || k` }],
    ['credit_lines', { state: `${ids(['customer_id', 'line_id'])('state::text')}::jsonb` }],
    ['credit_line_changes', {}],
    ['loans', { state: `${ids(['customer_id', 'line_id', 'loan_id'])('state::text')}::jsonb` }],
    [
      'loan_events',
      {
        payload: `(case when payload ? 'lineId' then replace(${ids(['customer_id', 'loan_id'])('payload::text')}, payload->>'lineId', pg_temp.copy_id(payload->>'lineId', k)) else ${ids(['customer_id', 'loan_id'])('payload::text')} end)::jsonb`,
      },
    ],
  ];
  for (const [table, special] of tables) {
    const { rows } = await tx.query<{ c: string }>(
      `select column_name as c from information_schema.columns
        where table_schema = current_schema() and table_name = $1 and is_generated = 'NEVER'
        order by ordinal_position`,
      [table],
    );
    const cols = rows.map((r) => r.c);
    const expr = cols.map(
      (c) =>
        special[c] ??
        (c === 'customer_id' || c === 'line_id' || c === 'loan_id' ? `pg_temp.copy_id(${c}, k)` : c),
    );
    if (table === 'loan_events' && BEHAVIOUR_DAY_ORDER) {
      // A lender's log is appended day by day, so its heap is in day order (the month's events in a narrow
      // band of blocks). The originals and their copies are written again together, one day after another.
      await tx.query('create temp table behaviour_events_0 as select * from loan_events');
      // The log refuses changes (its append-only trigger); the bench's own rewrite of it goes around that.
      await tx.query('set local session_replication_role = replica');
      await tx.query('truncate loan_events');
      await tx.query(
        `insert into loan_events (${cols.join(', ')}) overriding system value
         select ${expr.join(', ')}
         from (select * from behaviour_events_0 order by day, customer_id, loan_id, seq) loan_events,
              generate_series(0, $1::int) k
         order by day, customer_id, loan_id, seq`,
        [copies - 1],
      );
      await tx.query('set local session_replication_role = origin');
      await tx.query('drop table behaviour_events_0');
      continue;
    }
    // One statement a table: it reads the table as it was before the statement, so only the originals.
    await tx.query(
      `insert into ${table} (${cols.join(', ')}) overriding system value
       select ${expr.join(', ')} from ${table}, generate_series(1, $1::int) k`,
      [copies - 1],
    );
  }
}

/**
 * A written book as a live one lies after its day's close: vacuumed (a live book's autovacuum keeps the
 * visibility map of the pages nothing changed, so a read of keys alone need not visit them), then every
 * active loan's row written again, as each end of day writes it (those pages are not all-visible).
 */
async function asLiveBook(db: Db): Promise<void> {
  const t = performance.now();
  for (const table of ['loans', 'loan_events', 'credit_lines', 'credit_line_changes'])
    await db.query(`vacuum (analyze) ${table}`);
  const touched = await db.query(`update loans set state = state where status = 'active'`);
  console.log(
    `behaviour: book vacuumed and ${touched.rowCount} active loans written again as an end of day does, in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
}

async function behaviourBench(): Promise<void> {
  if (BEHAVIOUR_CUSTOMERS <= 0) return;
  const schema = BEHAVIOUR_SCHEMA;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${BEHAVIOUR_APP}`;
  const db = await openPostgres({ url, schema, poolSize_max: 4 });
  try {
    await migrate(db);
    const { rows } = await db.query<{ n: number }>(
      'select count(distinct customer_id)::int as n from credit_lines',
    );
    if (rows[0]!.n !== BEHAVIOUR_CUSTOMERS && rows[0]!.n !== BEHAVIOUR_CUSTOMERS * BEHAVIOUR_COPIES) {
      if (rows[0]!.n > 0)
        throw new Error(
          `schema ${schema} holds another book (${rows[0]!.n} customers); drop it or pass --behaviour-customers ${rows[0]!.n}`,
        );
      const t = performance.now();
      await writeBook(
        db,
        {
          seed: 7,
          customers: BEHAVIOUR_CUSTOMERS,
          loansPerCustomer_max: 4,
          drawFrom: parseDate('2025-07-01'),
          drawTo: parseDate('2026-05-31'),
          historyThrough: parseDate('2026-06-30'),
        },
        { transactionsInFlight_max: 2 },
      );
      await setBusinessDay(db, parseDate('2026-07-01'));
      console.log(
        `behaviour: book of ${BEHAVIOUR_CUSTOMERS} customers written in ${((performance.now() - t) / 1000).toFixed(0)} s`,
      );
    }
    if (BEHAVIOUR_COPIES > 1 && rows[0]!.n !== BEHAVIOUR_CUSTOMERS * BEHAVIOUR_COPIES) {
      const t = performance.now();
      await copyBook(db, BEHAVIOUR_COPIES);
      console.log(
        `behaviour: book copied to ${BEHAVIOUR_COPIES} times its size in ${((performance.now() - t) / 1000).toFixed(0)} s`,
      );
    }
    if (rows[0]!.n === 0 || (BEHAVIOUR_COPIES > 1 && rows[0]!.n !== BEHAVIOUR_CUSTOMERS * BEHAVIOUR_COPIES))
      await asLiveBook(db);
    // Fresh tables have no statistics yet; a live book's autovacuum keeps them.
    await db.query('analyze');
    const loans = (await db.query<{ n: number }>('select count(*)::int as n from loans')).rows[0]!.n;
    const events = (await db.query<{ n: number }>('select count(*)::int as n from loan_events')).rows[0]!.n;
    if (BEHAVIOUR_COMPARE) {
      // The schema goes with the other setting in the URL's options (the pool's own would replace them).
      const serial = `${url}&options=${encodeURIComponent(`-c search_path=${schema} -c max_parallel_workers_per_gather=0`)}`;
      BEHAVIOUR_SERIAL_URL = serial;
      const one = await openPostgres({ url: serial, poolSize_max: 4 });
      try {
        await compareBehaviour(one, loans, events);
      } finally {
        await one.close();
      }
      return;
    }
    for (let run = 1; run <= BEHAVIOUR_RUNS; run++) {
      const server0 = await backendCpu(db);
      const span = process.hrtime.bigint() / 1000n;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const report = await scoreBehaviourMonth(db, parseMonth('2026-06'), {
        workers: BEHAVIOUR_WORKERS,
        dbUrl: url,
      });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      profileSpan('behaviour', span);
      let serverMs = 0;
      for (const [pid, ms] of await backendCpu(db)) serverMs += ms - (server0.get(pid) ?? 0);
      console.log(
        `behaviour score job${BEHAVIOUR_RUNS > 1 ? ` (run ${run})` : ''}: ${report.linesScored} lines scored over ${loans} loans (${events} events) in ${ms.toFixed(0)} ms = ${Math.round((loans * 1000) / ms)} loans/s (node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, server backends' CPU ${serverMs.toFixed(0)} ms; PostgreSQL, ${BEHAVIOUR_WORKERS === 1 ? '1 thread' : `${BEHAVIOUR_WORKERS} worker threads`}); 1,000,000 loans at this rate: ${((1_000_000 / loans) * (ms / 1000)).toFixed(0)} s; PSI ${report.distribution.psi}`,
      );
    }
  } finally {
    await db.close();
  }
}

/** The compare runs' connection URL (worker threads connect with it too). */
let BEHAVIOUR_SERIAL_URL: string | undefined;

async function compareBehaviour(db: Db, loans: number, events: number): Promise<void> {
  const june = parseMonth('2026-06');
  const measure = async (
    label: string,
    run: () => Promise<{ linesScored: number; distribution: { psi: number } }>,
  ) => {
    const server = await backendCpuSampler(db);
    const load0 = loadavg()[0]!;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await run();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const serverMs = await server();
    const nodeMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `${label}: ${report.linesScored} lines, ${loans} loans (${events} events): wall ${ms.toFixed(0)} ms, node CPU ${nodeMs.toFixed(0)} ms, server CPU ${serverMs.toFixed(0)} ms, CPU per loan ${(((nodeMs + serverMs) * 1000) / loans).toFixed(1)} µs (node ${((nodeMs * 1000) / loans).toFixed(1)}, server ${((serverMs * 1000) / loans).toFixed(1)}); load ${load0.toFixed(1)}→${loadavg()[0]!.toFixed(1)}; PSI ${report.distribution.psi}`,
    );
  };
  const digest = async () =>
    (
      await db.query<{ h: string }>(
        `select md5(string_agg(customer_id || '|' || line_id || '|' || score || '|' || probability_bad || '|' || reasons::text,
                    E'\\n' order by customer_id, line_id)) as h
         from behaviour_scores where month = '2026-06-01'`,
      )
    ).rows[0]!.h;
  for (let run = 1; run <= BEHAVIOUR_RUNS; run++) {
    if (!BEHAVIOUR_SKIP_OLD)
      await measure(`run ${run} June, every event read (old)`, () =>
        scoreBehaviourMonth(db, june, { folds: false }),
      );
    const old = await digest();
    if (BEHAVIOUR_FROM_APRIL) {
      await db.query('delete from behaviour_fold_months');
      await db.query('delete from behaviour_loan_months');
      await measure(`run ${run} April, every event read, folds kept`, () =>
        scoreBehaviourMonth(db, parseMonth('2026-04')),
      );
      await measure(`run ${run} May, from April's folds`, () =>
        scoreBehaviourMonth(db, parseMonth('2026-05'), {
          workers: BEHAVIOUR_WORKERS,
          dbUrl: BEHAVIOUR_SERIAL_URL,
        }),
      );
    } else if (!BEHAVIOUR_SKIP_MAY)
      await measure(`run ${run} May, every event read, folds kept`, () =>
        scoreBehaviourMonth(db, parseMonth('2026-05')),
      );
    await measure(
      `run ${run} June, from May's folds (new${BEHAVIOUR_WORKERS > 1 ? `, ${BEHAVIOUR_WORKERS} worker threads` : ''})`,
      () =>
        scoreBehaviourMonth(db, june, {
          workers: BEHAVIOUR_WORKERS,
          dbUrl: BEHAVIOUR_SERIAL_URL,
          ...(BEHAVIOUR_MONTH_READ_PAGES > 0 ? { pagesPerMonthRead: BEHAVIOUR_MONTH_READ_PAGES } : {}),
        }),
    );
    const now = await digest();
    console.log(
      `run ${run} md5 of June's scores: old ${old}, new ${now}: ${old === now ? 'identical' : 'DIFFERENT'}`,
    );
  }
}

if (ONLY === undefined || ONLY === 'plan') await planBench();
if (ONLY === undefined || ONLY === 'dispatch') await dispatchBench();
if (ONLY === undefined || ONLY === 'behaviour') await behaviourBench();
