/**
 * API benchmark (not a test): `npm run bench:api`.
 *
 * Repayments through the HTTP API: a server in this process on 127.0.0.1, loaded from a second process
 * (bench/api-load.cjs, autocannon) with CONNECTIONS connections for DURATION_S seconds, each request a
 * repayment of 1.00 on one of LOANS loans (spread over LINES credit lines), each with a fresh
 * Idempotency-Key. Prints requests per second, latency p50/p99, non-2xx count, and checks afterwards that
 * the loans hold exactly one Repaid event per 2xx answer.
 *
 * Backends: the PostgreSQL server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test, in a
 * fresh schema dropped afterwards) and PGlite in memory. BENCH_BACKENDS=postgres,pglite picks them.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { parseDate } from '../src/money/index.js';
import { buildServer } from '../src/server/index.js';
import {
  type Db,
  generatePiiKey,
  insertToken,
  insertUser,
  migrate,
  openPglite,
  openPostgres,
  PiiCipher,
  setBusinessDay,
} from '../src/store/index.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
const LOANS = Number(process.env.BENCH_LOANS ?? 400);
const LINES = Number(process.env.BENCH_LINES ?? 40);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const DAY = parseDate('2026-03-02');

function idNumberFor(sequence: number): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `44030519900101${String(sequence).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return body + '10X98765432'[sum % 11];
}

async function openBackend(name: string): Promise<Db> {
  if (name === 'pglite') return openPglite();
  const schema = `lg_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openPostgres({ url: PG_URL, schema });
  return {
    ...db,
    async close() {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    },
  };
}

async function run(name: string): Promise<void> {
  const db = await openBackend(name);
  await migrate(db);
  const cipher = new PiiCipher(generatePiiKey());
  const admin = await insertUser(db, { username: 'bench-admin', displayName: 'bench', role: 'admin' });
  const token = (await insertToken(db, { userId: admin.userId, label: 'bench', expiresAt: null })).secret;
  const app = await buildServer({ db, cipher, config: {} });
  let seq = 0;
  const post = async (url: string, payload: object) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `setup-${seq++}` },
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, string>;
  };
  await setBusinessDay(db, DAY);
  await post('/products', { id: 'bench-12m', termCount: 12 });
  const loanIds: string[] = [];
  for (let l = 0; l < LINES; l++) {
    const customer = await post('/customers', {
      name: '张三丰',
      idNumber: idNumberFor(l),
      phone: '13812345678',
      address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
      declaredMonthlyIncome: '12000.00',
    });
    const line = await post(`/customers/${customer.customerId}/credit-lines`, { limit: '10000000.00' });
    for (let i = 0; i < LOANS / LINES; i++) {
      loanIds.push(
        (await post(`/credit-lines/${line.lineId}/drawdowns`, { amount: '12000.00', productId: 'bench-12m' }))
          .loanId!,
      );
    }
  }
  // Repayments five days after the drawdowns: the first on each loan also runs its end-of-day catch-up.
  await setBusinessDay(db, DAY + 5);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const cpuBefore = process.cpuUsage();
  const input = JSON.stringify({ url, token, loanIds, connections: CONNECTIONS, duration_s: DURATION_S });
  const { stdout } = await promisify(execFile)(process.execPath, ['bench/api-load.cjs', input], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; max: number; average: number };
    non2xx: number;
    errors: number;
    '2xx': number;
  };
  // Requests still in flight when the load stopped are answered before counting (autocannon no longer
  // counts them, so the stored count may exceed its 2xx count by at most the connections).
  await app.close();
  // Handlers whose client went away still finish their write: wait until the count stops moving.
  const countRepaid = async () =>
    Number(
      (await db.query<{ n: string }>("select count(*)::text as n from loan_events where type = 'Repaid'"))
        .rows[0]?.n ?? 0,
    );
  for (let last = -1, now = await countRepaid(); now !== last; ) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    last = now;
    now = await countRepaid();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const { rows } = await db.query<{ n: string }>(
    "select count(*)::text as n from loan_events where type = 'Repaid'",
  );
  const repaid = Number(rows[0]?.n ?? 0);
  console.log(
    [
      `${name}: ${LOANS} loans on ${LINES} lines, ${CONNECTIONS} connections, ${DURATION_S} s`,
      `  repayments/s (mean)  ${result.requests.average.toFixed(0)}`,
      `  latency p50 / p99    ${result.latency.p50} ms / ${result.latency.p99} ms (max ${result.latency.max} ms)`,
      `  server process CPU   ${((cpu.user + cpu.system) / 1000 / Math.max(1, repaid)).toFixed(1)} ms per repayment`,
      `  2xx ${result['2xx']}, non-2xx ${result.non2xx}, socket errors ${result.errors}`,
      `  Repaid events stored ${repaid} (${repaid >= result['2xx'] && repaid <= result['2xx'] + CONNECTIONS ? 'one per answered repayment' : 'MISMATCH with 2xx answers'})`,
    ].join('\n'),
  );
  await db.close();
}

for (const name of BACKENDS) await run(name.trim());
