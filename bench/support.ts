/**
 * Pieces the benchmarks share: a deterministic valid ID number, a process's CPU time from /proc, the
 * statements and database time of the PostgreSQL server log (log_min_duration_statement = 0), and the
 * repayment benchmarks' book built through the API.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { writeBook } from '../src/jobs/index.js';
import { addDays, type Day } from '../src/money/index.js';
import { buildServer } from '../src/server/index.js';
import { type Db, insertToken, insertUser, type PiiCipher, setBusinessDay } from '../src/store/index.js';

/** A valid resident ID number (GB 11643 check digit), the same for the same sequence number. */
export function idNumberFor(sequence: number): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const birthDay = String(1 + Math.floor(sequence / 1000)).padStart(2, '0');
  const body = `440305199001${birthDay}${String(sequence % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return body + '10X98765432'[sum % 11];
}

/** CPU time (ms, user + system) of one process from /proc (Linux); 0 once it is gone. */
export function processCpu_ms(pid: number): number {
  const tick_ms = 10; // USER_HZ is 100 on Linux
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tick_ms;
  } catch {
    return 0;
  }
}

/**
 * The CPU time a changing set of processes (PostgreSQL backends found by a query) spends between `start`
 * and `stop`, in ms. The processes are polled, so a backend that exits during the measurement (a pooled
 * connection closed when idle) keeps its last reading instead of dropping out of the sum, and one that
 * starts during it counts from zero.
 */
export class PolledCpu {
  private readonly baseline = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly pids: () => Promise<number[]>,
    private readonly interval_ms = 200,
  ) {}
  async start(): Promise<void> {
    for (const pid of await this.pids()) {
      const cpu = processCpu_ms(pid);
      this.baseline.set(pid, cpu);
      this.last.set(pid, cpu);
    }
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.poll()
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    }, this.interval_ms);
  }
  private async poll(): Promise<void> {
    for (const pid of await this.pids()) {
      const cpu = processCpu_ms(pid);
      // 0 when the process has just gone: keep what was read before.
      if (cpu > 0 || !this.last.has(pid)) this.last.set(pid, Math.max(cpu, this.last.get(pid) ?? 0));
    }
  }
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.poll();
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.baseline.get(pid) ?? 0);
    return total;
  }
}

/** The server log written since byte `from` (the whole log may be far larger than a string can hold). */
export function logSince(file: string, from: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, statSync(file).size - from));
    readSync(fd, buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Statements and their database time in server log lines, by statement name or first words. */
export function statementsFromLog(text: string): {
  statements: number;
  db_ms: number;
  kinds: Map<string, { n: number; ms: number }>;
} {
  let statements = 0;
  let db_ms = 0;
  const kinds = new Map<string, { n: number; ms: number }>();
  for (const line of text.split('\n')) {
    const m = /duration: ([0-9.]+) ms {2}(statement|execute [^:]*|parse [^:]*|bind [^:]*):(.*)$/.exec(line);
    if (m === null) continue;
    const ms = Number(m[1]);
    const phase = m[2]!;
    // Named statements by their name; others by their first words (each phase logs the text).
    const kind = / (lendguard_[a-z_]+)/.exec(phase)?.[1] ?? m[3]!.trim().split(/\s+/).slice(0, 3).join(' ');
    const entry = kinds.get(kind) ?? { n: 0, ms: 0 };
    entry.ms += ms;
    db_ms += ms;
    // Parse and bind are steps of the statement that the execute line counts.
    if (!phase.startsWith('parse') && !phase.startsWith('bind')) {
      statements++;
      entry.n++;
    }
    kinds.set(kind, entry);
  }
  return { statements, db_ms, kinds };
}

/** A migrated database's book for the repayment benchmarks, with the server that built it still open. */
export interface ApiBook {
  app: Awaited<ReturnType<typeof buildServer>>;
  token: string;
  /** Loan ids in the order drawn. */
  loanIds: string[];
  /** POST through the server with the admin's token and a fresh Idempotency-Key; fails on a non-2xx. */
  post: (url: string, payload: object) => Promise<Record<string, string>>;
}

/**
 * Through the API on `day`: one 12-month product, `lines` customers with a credit line each, and `loans`
 * drawdowns of 12,000 yuan spread over them as evenly as they divide.
 */
export async function buildApiBook(
  db: Db,
  cipher: PiiCipher,
  o: { lines: number; loans: number; day: Day },
): Promise<ApiBook> {
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
  await setBusinessDay(db, o.day);
  await post('/products', { id: 'bench-12m', termCount: 12 });
  const loanIds: string[] = [];
  for (let l = 0; l < o.lines; l++) {
    const customer = await post('/customers', {
      name: '张三丰',
      idNumber: idNumberFor(l),
      phone: '13812345678',
      address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
      declaredMonthlyIncome: '12000.00',
    });
    const line = await post(`/customers/${customer.customerId}/credit-lines`, { limit: '10000000.00' });
    const perLine = Math.floor(o.loans / o.lines) + (l < o.loans % o.lines ? 1 : 0);
    for (let i = 0; i < perLine; i++) {
      loanIds.push(
        (await post(`/credit-lines/${line.lineId}/drawdowns`, { amount: '12000.00', productId: 'bench-12m' }))
          .loanId!,
      );
    }
  }
  return { app, token, loanIds, post };
}

/**
 * The collections benches' book: `customers` borrowers with one loan each, drawn 40–75 days before `day` and
 * never repaid, so every loan is past due on `day` (the same book for `bench/collections.ts` and
 * `bench/case-refresh.ts`, whose figures are compared).
 */
export function writePastDueBook(db: Db, day: Day, customers: number) {
  return writeBook(
    db,
    {
      seed: 7,
      customers,
      loansPerCustomer_max: 1,
      drawFrom: addDays(day, -75),
      drawTo: addDays(day, -40),
      historyThrough: addDays(day, -1),
      behaviourShares: [['never', 1]],
    },
    { customersPerTransaction: 2_000 },
  );
}
