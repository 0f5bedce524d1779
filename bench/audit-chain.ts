/**
 * The audit chain's cost per audit row on PostgreSQL, side by side: the row trigger of migration 0011, the
 * one of migration 0024 (lock per schema, the chain's head read once per transaction) and no trigger at all.
 * Each variant inserts the same rows in one rolled-back transaction in its own schema, one statement per
 * row ("single", as a lone repayment writes it) or BENCH_BATCH rows per statement ("batched", as the write
 * batches of concurrent repayments do); the backend's CPU time comes from /proc. Rounds alternate the
 * variants so that a busy machine weighs on each alike.
 *
 *   node --import tsx bench/audit-chain.ts    (BENCH_PG_URL, BENCH_ROWS = 10000, BENCH_BATCH = 8, BENCH_ROUNDS = 3)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openPostgres } from '../src/store/index.js';
import { sql as chain0011 } from '../src/store/migrations/0011_lender_day_and_audit_chain.js';
import { processCpu_ms } from './support.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Variant = '0011' | '0024' | 'none';

/** The trigger function of migration 0011, taken from its text, to put back in a schema migrated past it. */
function triggerOf0011(): string {
  const start = chain0011.indexOf('create function audit_log_chain()');
  const end = chain0011.indexOf('$f$;', start) + 4;
  return chain0011.slice(start, end).replace('create function', 'create or replace function');
}

async function schemaFor(variant: Variant): Promise<string> {
  const schema = `lg_bench_audit_${variant}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openPostgres({ url: PG_URL, schema, poolSize_max: 1 });
  await migrate(db);
  if (variant === '0011') await db.execScript(triggerOf0011());
  if (variant === 'none') await db.query('alter table audit_log disable trigger audit_log_chain');
  await db.close();
  return schema;
}

const insertOne = `insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id, customer_id, details)
  values ($1, 'collector', 'loan.repayment', $2, 'loan', $3, $4, $5::jsonb)`;

function insertMany(rows: number): string {
  const values = Array.from({ length: rows }, (_, i) => {
    const p = i * 5;
    return `($${p + 1}, 'collector', 'loan.repayment', $${p + 2}, 'loan', $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
  });
  return `insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id, customer_id, details) values ${values.join(', ')}`;
}

function rowParams(i: number): unknown[] {
  return [
    `usr_${i % 50}`,
    `req-${i}`,
    `lon_${i}`,
    `cus_${i % 997}`,
    JSON.stringify({ amount: `${i}.00`, n: i }),
  ];
}

async function measure(schema: string, shape: 'single' | 'batched'): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path to ${schema}`);
  const pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
  const many = insertMany(BATCH);
  await client.query('begin');
  const before = processCpu_ms(pid);
  if (shape === 'single') {
    for (let i = 0; i < ROWS; i += 1)
      await client.query({ name: 'one', text: insertOne, values: rowParams(i) });
  } else {
    for (let i = 0; i < ROWS; i += BATCH) {
      const values = Array.from({ length: BATCH }, (_, k) => rowParams(i + k)).flat();
      await client.query({ name: 'many', text: many, values });
    }
  }
  const cpu = processCpu_ms(pid) - before;
  await client.query('rollback');
  await client.end();
  return (cpu * 1000) / ROWS;
}

const variants: Variant[] = ['0011', '0024', 'none'];
const schemas = new Map<Variant, string>();
for (const v of variants) schemas.set(v, await schemaFor(v));
const results = new Map<string, number[]>();
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const shape of ['single', 'batched'] as const) {
      for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
        const us = await measure(schemas.get(v)!, shape);
        const key = `${shape} ${v}`;
        results.set(key, [...(results.get(key) ?? []), us]);
      }
    }
  }
} finally {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const s of schemas.values()) await admin.query(`drop schema ${s} cascade`);
  await admin.end();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `backend CPU per audit row (µs), ${ROWS} rows per run, ${ROUNDS} rounds, batches of ${BATCH}; median [all]`,
);
for (const [key, xs] of results)
  console.log(
    `${key.padEnd(16)} ${median(xs).toFixed(1).padStart(7)}  [${xs.map((x) => x.toFixed(1)).join(', ')}]`,
  );
