/**
 * Where PostgreSQL's time per repayment goes (not a test): `node --import tsx bench/api-explain.ts`.
 * Figures and how to read them: docs/performance.md, "Repayment API".
 *
 * Builds a small book through the API in a fresh schema of the server at BENCH_PG_URL (BENCH_LOANS loans,
 * default 200, on BENCH_LINES lines, default 50), moves the business day 5 days on and repays every loan
 * once (its end-of-day catch-up), then repays each loan BENCH_EXPLAIN_ROUNDS more times (default 2)
 * through the API while the two statements of the repayment (decision 0212) run under
 * `EXPLAIN (ANALYZE, BUFFERS, WAL)`. Prints per statement: execution time, buffers hit, dirtied and
 * written, WAL records, full-page images and bytes (mean per repayment), the plan of the last write, the
 * rows and index entries each table gained per repayment, and its bytes per row. The schema is dropped
 * afterwards (BENCH_KEEP_SCHEMA=1 keeps it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parseDate } from '../src/money/index.js';
import {
  type Db,
  generatePiiKey,
  migrate,
  openPostgres,
  PiiCipher,
  type QueryOptions,
  setBusinessDay,
} from '../src/store/index.js';
import { buildApiBook, processCpu_ms } from './support.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOANS = Number(process.env.BENCH_LOANS ?? 200);
const LINES = Number(process.env.BENCH_LINES ?? 50);
const ROUNDS = Number(process.env.BENCH_EXPLAIN_ROUNDS ?? 2);
const DAY = parseDate('2026-03-02');

interface Figures {
  n: number;
  time_ms: number;
  hit: number;
  read: number;
  dirtied: number;
  written: number;
  walRecords: number;
  walFpi: number;
  walBytes: number;
}

const figures = new Map<string, Figures>();
/** WAL written by each table's part of the write, summed over the explained writes. */
const tableWal = new Map<string, { n: number; records: number; bytes: number }>();
const lastPlan = new Map<string, string>();
let explaining = false;
/** The repayment writes seen while `capturing`: replayed by the write loop (BENCH_WRITE_LOOP). */
const captured: { sql: string; params: unknown[] }[] = [];
let capturing = false;

function add(name: string, plan: string): void {
  const f = figures.get(name) ?? {
    n: 0,
    time_ms: 0,
    hit: 0,
    read: 0,
    dirtied: 0,
    written: 0,
    walRecords: 0,
    walFpi: 0,
    walBytes: 0,
  };
  f.n++;
  f.time_ms += Number(/Execution Time: ([0-9.]+)/.exec(plan)?.[1] ?? 0);
  // The top node's figures include its children's; planning buffers are listed apart.
  const top = plan.split('\n').slice(0, 4).join('\n');
  f.hit += Number(/shared hit=(\d+)/.exec(top)?.[1] ?? 0);
  f.read += Number(/read=(\d+)/.exec(top)?.[1] ?? 0);
  f.dirtied += Number(/dirtied=(\d+)/.exec(top)?.[1] ?? 0);
  f.written += Number(/written=(\d+)/.exec(top)?.[1] ?? 0);
  f.walRecords += Number(/WAL: records=(\d+)/.exec(top)?.[1] ?? 0);
  f.walFpi += Number(/fpi=(\d+)/.exec(top)?.[1] ?? 0);
  f.walBytes += Number(/bytes=(\d+)/.exec(top)?.[1] ?? 0);
  figures.set(name, f);
  lastPlan.set(name, plan);
  // Each table's insert or update, with its own WAL (a data-modifying CTE's figures are not its parent's).
  const lines = plan.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /-> {2}(Insert|Update) on (\w+)/.exec(lines[i]!);
    if (m === null) continue;
    for (let j = i + 1; j < lines.length && !lines[j]!.includes('->'); j++) {
      const w = /WAL: records=(\d+)(?: fpi=(\d+))? bytes=(\d+)/.exec(lines[j]!);
      if (w === null) continue;
      const t = tableWal.get(m[2]!) ?? { n: 0, records: 0, bytes: 0 };
      t.records += Number(w[1]);
      t.bytes += Number(w[3]);
      tableWal.set(m[2]!, t);
    }
  }
}

/** The database, with the repayment's two statements run under EXPLAIN ANALYZE while `explaining`. */
function explained(db: Db): Db {
  const query = async (q: Db['query'], sql: string, params?: readonly unknown[], options?: QueryOptions) => {
    const name = options?.name;
    if (capturing && name === 'lendguard_commands_write_guarded')
      captured.push({ sql, params: [...(params ?? [])] });
    if (!explaining || name === undefined || !name.startsWith('lendguard_command')) {
      return q(sql, params, options);
    }
    if (name.startsWith('lendguard_commands_write')) {
      const { rows } = await q<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers, wal, verbose off, costs off) ${sql}`,
        params,
      );
      add(name, rows.map((r) => r['QUERY PLAN']).join('\n'));
      // The statement ran: answer as it would have (a loan per element of $2, a line per element of the
      // credit line part's first array).
      const lineParam = /li as \(\s*update credit_lines[\s\S]*?from unnest\(\$(\d+)::text\[\]/.exec(sql)?.[1];
      const count = (n: string | undefined) =>
        n === undefined ? 0 : ((params ?? [])[Number(n) - 1] as unknown[]).length;
      return { rows: [{ loans: count('2'), lines: count(lineParam), unchanged: 1 }], rowCount: 1 } as never;
    }
    const { rows } = await q<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers, wal, costs off) ${sql}`,
      params,
    );
    add(name, rows.map((r) => r['QUERY PLAN']).join('\n'));
    return q(sql, params, options);
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, params?: readonly unknown[], options?: QueryOptions) =>
          query(target.query.bind(target) as Db['query'], sql, params, options);
      }
      if (prop === 'transaction') {
        return <T>(work: (tx: Db) => Promise<T>) =>
          target.transaction((tx) =>
            work(
              new Proxy(tx as Db, {
                get(t, p, r) {
                  if (p === 'query')
                    return (sql: string, params?: readonly unknown[], options?: QueryOptions) =>
                      query(t.query.bind(t) as Db['query'], sql, params, options);
                  return Reflect.get(t, p, r);
                },
              }),
            ),
          );
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const TABLES = [
  'ledger_commands',
  'loans',
  'loan_events',
  'postings',
  'credit_lines',
  'audit_log',
  'idempotency_keys',
];

async function tableFigures(admin: pg.Client, schema: string) {
  const { rows } = await admin.query<{
    relname: string;
    rows: string;
    bytes: string;
    indexes: string;
    index_bytes: string;
  }>(
    `select c.relname, s.n_tup_ins + s.n_tup_upd as rows,
       pg_table_size(c.oid) as bytes, (select count(*) from pg_index i where i.indrelid = c.oid) as indexes,
       pg_indexes_size(c.oid) as index_bytes
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     join pg_stat_user_tables s on s.relid = c.oid
     where n.nspname = $1 and c.relname = any($2)`,
    [schema, TABLES],
  );
  return new Map(rows.map((r) => [r.relname, r]));
}

const LOOP = Number(process.env.BENCH_WRITE_LOOP ?? 0);

/**
 * A schema change or a change of the write's text to measure against the write as it is: `sql` edits the
 * statement's text, `params` its parameters, `setup` and `teardown` run around it in the schema.
 */
interface Variant {
  name: string;
  setup?: string;
  teardown?: string;
  sql?: (sql: string) => string;
  params?: (params: unknown[]) => unknown[];
}

/**
 * The statement without its part `part` (a CTE): the part becomes a plain select of the parameters it
 * used, so that the statement keeps every parameter and its type. Unchanged when there is no such part.
 */
function withoutPart(sql: string, part: string): string {
  const start = sql.search(new RegExp(`(^|\\n|, *|with )${part} as \\(`));
  if (start < 0) return sql;
  const open = sql.indexOf('(', sql.indexOf(`${part} as`, start));
  let depth = 0;
  let end = open;
  for (; end < sql.length; end++) {
    if (sql[end] === '(') depth++;
    if (sql[end] === ')' && --depth === 0) break;
  }
  const body = sql.slice(open, end + 1);
  const params = new Map<string, string>();
  for (const m of body.matchAll(/\$(\d+)(::[a-z]+(\[\])?)?/g)) {
    if (!params.has(m[1]!) || m[2] !== undefined) params.set(m[1]!, m[0]);
  }
  return `${sql.slice(0, open)}(select ${[...params.values()].join(', ')})${sql.slice(end + 1)}`;
}

const VARIANTS: Variant[] = [
  { name: 'as it is' },
  { name: 'without the loan row update', sql: (s) => withoutPart(s, 'loan') },
  {
    name: 'response as text, not jsonb',
    setup: 'alter table idempotency_keys add column response_text text',
    teardown: 'alter table idempotency_keys drop column response_text',
    // Only where the response is still JSONB (before migration 7).
    sql: (s) =>
      s.includes('$49::jsonb,')
        ? s
            .replace('response_body,', 'response_body, response_text,')
            .replace('$49::jsonb,', "'{}'::jsonb, $49,")
        : s,
  },
  { name: 'without the audit entry', sql: (s) => withoutPart(s, 'au') },
  { name: 'without the idempotency record', sql: (s) => withoutPart(s, 'ik') },
  { name: 'without the command log entry', sql: (s) => withoutPart(s, 'cmd') },
  {
    name: 'without postings_day, postings_no, audit_log_actor, audit_log_customer, idempotency_keys_expiry',
    setup:
      'drop index postings_day, postings_no, audit_log_actor, audit_log_customer, idempotency_keys_expiry',
    teardown: `create index postings_day on postings (day, posting_no); create index postings_no on postings (posting_no);
      create index audit_log_customer on audit_log (customer_id, audit_id) where customer_id is not null;
      create index audit_log_actor on audit_log (actor_user_id, audit_id);
      create index idempotency_keys_expiry on idempotency_keys (expires_at)`,
  },
  {
    name: 'without the snapshot and credit line parts',
    sql: (s) => withoutPart(withoutPart(s, 'sn'), 'li'),
  },
  {
    name: 'loans without the trigger that keeps its list columns',
    setup: 'alter table loans disable trigger loans_derive_figures',
    teardown: 'alter table loans enable trigger loans_derive_figures',
  },
  {
    name: 'loans with fillfactor 50 (room for HOT updates)',
    setup: 'alter table loans set (fillfactor = 50); vacuum full loans',
    teardown: 'alter table loans reset (fillfactor); vacuum full loans',
  },
];

/**
 * Runs the captured repayment writes again and again on one connection (each its own transaction, as on
 * the fast path), with fresh client ids, keys and event numbers, and reads that backend's CPU time: the
 * database's cost of the write statement and its commit, per variant, alternating the variants.
 */
async function writeLoop(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path = ${schema}`);
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const cost = new Map<string, { cpu: number; wall: number; n: number }>();
  let round = 0;
  let serial = 0;
  const only = process.env.BENCH_VARIANTS?.split(',').map(Number);
  const variants = VARIANTS.filter((_, i) => only === undefined || i === 0 || only.includes(i));
  for (let pass = 0; pass < 2; pass++) {
    for (const v of variants) {
      for (const step of (v.setup ?? '').split(';').filter((t) => t.trim() !== '')) await client.query(step);
      const edited = (v.sql ?? ((s) => s))(captured[0]!.sql);
      // The same rows are written again and again: their versions are not checked.
      const text = edited.replace(/\w+\.row_version = u\.v returning 1/g, 'u.v is not null returning 1');
      if (edited === captured[0]!.sql && v.sql !== undefined) {
        // The statement has no such part (a shape without it): nothing to measure.
        for (const step of (v.teardown ?? '').split(';').filter((t) => t.trim() !== ''))
          await client.query(step);
        continue;
      }
      const name = `loop_${round++}`;
      const run = async (i: number) => {
        const c = captured[i % captured.length]!;
        const p = [...c.params];
        serial++;
        const tag = `${round}-${i}`;
        // In the order of writeSql (src/store/ledger/command-path.ts), each an array with an element per
        // loan, event or record: $1–$9 the loan rows, $10 the commands' client ids, $17 the events' seq.
        p[9] = (p[9] as string[]).map((id) => `${id}:${tag}`);
        // The idempotency records' arrays come last but for the retention hours: user, then key.
        const key = p.length - 10;
        p[key] = (p[key] as string[]).map((k) => `${k}-${tag}`);
        p[16] = (p[16] as number[]).map((seq) => seq + 1000 * serial);
        await client.query({ name, text, values: (v.params ?? ((x) => x))(p) });
      };
      for (let i = 0; i < 20; i++) await run(i); // prepared and generic plan
      const cpu0 = processCpu_ms(pid);
      const t0 = performance.now();
      for (let i = 20; i < LOOP + 20; i++) await run(i);
      const c = cost.get(v.name) ?? { cpu: 0, wall: 0, n: 0 };
      c.cpu += processCpu_ms(pid) - cpu0;
      c.wall += performance.now() - t0;
      c.n += LOOP;
      cost.set(v.name, c);
      for (const step of (v.teardown ?? '').split(';').filter((t) => t.trim() !== ''))
        await client.query(step);
    }
  }
  console.log(
    `\nThe write statement alone, ${LOOP} × 2 runs per variant on one connection (backend CPU, wall):`,
  );
  for (const [name, c] of cost) {
    console.log(
      `  ${name}: ${(c.cpu / c.n).toFixed(3)} ms CPU, ${(c.wall / c.n).toFixed(3)} ms wall per write`,
    );
  }
  await client.end();
}

async function main(): Promise<void> {
  const schema = `lg_explain_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const plain = await openPostgres({ url: PG_URL, schema });
  try {
    await migrate(plain);
    const db = explained(plain);
    const { app, loanIds, post } = await buildApiBook(db, new PiiCipher(generatePiiKey()), {
      lines: LINES,
      loans: LOANS,
      day: DAY,
    });
    await setBusinessDay(db, DAY + 5);
    for (const loanId of loanIds) await post(`/loans/${loanId}/repayments`, { amount: '1.00' });
    await admin.query(`analyze`);
    await admin.query(`checkpoint`);
    const before = await tableFigures(admin, schema);
    const walBefore = (await admin.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn'))
      .rows[0]!.lsn;
    explaining = process.env.BENCH_EXPLAIN !== '0';
    capturing = true;
    for (let r = 0; r < ROUNDS; r++) {
      for (const loanId of loanIds) await post(`/loans/${loanId}/repayments`, { amount: '1.00' });
    }
    explaining = false;
    capturing = false;
    const walAfter = (await admin.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!
      .lsn;
    await new Promise((resolve) => setTimeout(resolve, 800)); // statistics are sent at the end of a transaction
    const after = await tableFigures(admin, schema);
    const repayments = loanIds.length * ROUNDS;
    const wal = (
      await admin.query<{ d: string }>('select pg_wal_lsn_diff($1, $2)::text as d', [walAfter, walBefore])
    ).rows[0]!.d;
    console.log(
      `${repayments} repayments explained (${LOANS} loans on ${LINES} lines, after each loan's first)`,
    );
    console.log(
      `WAL of the whole server over them: ${Math.round(Number(wal) / repayments)} bytes per repayment`,
    );
    for (const [name, f] of figures) {
      const per = (v: number, d = 1) => (v / f.n).toFixed(d);
      console.log(
        `${name} ×${f.n}: ${per(f.time_ms, 3)} ms; buffers hit ${per(f.hit)}, read ${per(f.read)}, dirtied ${per(f.dirtied)}, written ${per(f.written)}; WAL records ${per(f.walRecords)}, fpi ${per(f.walFpi, 2)}, bytes ${per(f.walBytes, 0)}`,
      );
    }
    const writes = [...figures]
      .filter(([name]) => name.startsWith('lendguard_commands_write'))
      .reduce((n, [, f]) => n + f.n, 0);
    for (const [table, t] of tableWal) {
      console.log(
        `  WAL of the write's part on ${table}: ${(t.records / writes).toFixed(2)} records, ${(t.bytes / writes).toFixed(0)} bytes per repayment`,
      );
    }
    console.log(
      'table: rows written per repayment, indexes, table bytes and index bytes grown per repayment',
    );
    for (const t of TABLES) {
      const b = before.get(t);
      const a = after.get(t);
      if (a === undefined || b === undefined) continue;
      const d = (k: 'rows' | 'bytes' | 'index_bytes') =>
        ((Number(a[k]) - Number(b[k])) / repayments).toFixed(2);
      console.log(
        `  ${t}: ${d('rows')} rows, ${a.indexes} indexes, ${d('bytes')} table bytes, ${d('index_bytes')} index bytes`,
      );
    }
    const plans = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const { rows } = await plain.query<{ name: string; generic_plans: string; custom_plans: string }>(
        `select name, generic_plans::text, custom_plans::text from pg_prepared_statements where name like 'lendguard_command%'`,
      );
      for (const r of rows)
        plans.set(
          `${r.name} on connection ${i % 10}`,
          `generic ${r.generic_plans}, custom ${r.custom_plans}`,
        );
    }
    for (const [k, v] of plans) console.log(`plans of ${k}: ${v}`);
    for (const [name, plan] of lastPlan) console.log(`\n${name}:\n${plan}`);
    await app.close();
    if (LOOP > 0) await writeLoop(schema);
  } finally {
    if (process.env.BENCH_KEEP_SCHEMA !== '1') await admin.query(`drop schema ${schema} cascade`);
    else console.log(`schema ${schema} kept`);
    await plain.close();
    await admin.end();
  }
}

await main();
