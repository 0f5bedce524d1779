import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import {
  callAs,
  createCash12mOverApi,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * The drawdown pattern before default, read by the EOD run that opens the cases. Both borrowers have a line of
 * 20,000.00 and miss the instalment due 2026-11-01 of a 2,000.00 loan drawn on 2026-10-01.
 * - The bust-out borrower drew 17,000.00 more on 2026-10-25: 85% of the line drawn in the 30 days to the
 *   missed date, 95% used on it — the case shows AS_BUST_OUT and reads as unwillingness.
 * - The steady borrower drew 2,000.00 at the start of March, April, May and June, repaying each in full within
 *   the month, and 2,000.00 more on 2026-10-20: a steady history, nothing drawn heavily — no drawdown reason.
 */
describe.each(backends)('drawdown pattern before default over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z');
  const active = new Set<string>();
  const customers: Record<'bustOut' | 'steady', string> = { bustOut: '', steady: '' };
  const lines: Record<'bustOut' | 'steady', string> = { bustOut: '', steady: '' };

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }
  /** Closes every active loan through the day before `date` and makes `date` the business day. */
  async function advance(date: string) {
    const day = parseDate(date);
    await db.transaction((tx) => closeLoansThrough(tx, [...active], day - 1));
    await setBusinessDay(db, day);
  }
  async function draw(who: 'bustOut' | 'steady', amount: string): Promise<string> {
    const d = await call('admin', 'POST', `/credit-lines/${lines[who]}/drawdowns`, {
      amount,
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    const loanId = json(d).loanId as string;
    active.add(loanId);
    return loanId;
  }
  async function payOff(loanId: string) {
    const quote = json(await call('admin', 'GET', `/loans/${loanId}/payoff-quote`));
    const r = await call('admin', 'POST', `/loans/${loanId}/repayments`, {
      amount: quote.total,
      excess: 'prepay',
    });
    expect(r.statusCode, r.body).toBe(201);
    const loan = json(await call('admin', 'GET', `/loans/${loanId}`));
    expect(loan.status).toBe('settled');
    active.delete(loanId);
  }
  async function assessmentOf(who: 'bustOut' | 'steady') {
    const cases = json(
      await call('collector', 'GET', `/collections/cases?customerId=${customers[who]}&status=open`),
    );
    const items = cases.items as { caseId: string }[];
    expect(items).toHaveLength(1);
    const r = await call('collector', 'GET', `/collections/cases/${items[0]!.caseId}/assessment`);
    expect(r.statusCode, r.body).toBe(200);
    return json(r);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-03-02'));
    await createCash12mOverApi(call);
    for (const [who, n] of [
      ['bustOut', 41],
      ['steady', 42],
    ] as const) {
      const c = json(await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(n) })));
      customers[who] = c.customerId as string;
      const l = await call('risk_analyst', 'POST', `/customers/${customers[who]}/credit-lines`, {
        limit: '20000.00',
      });
      expect(l.statusCode, l.body).toBe(201);
      lines[who] = json(l).lineId as string;
    }
    // The steady borrower's history: a draw each month from March to June, each repaid within the month.
    for (const month of ['03', '04', '05', '06']) {
      await advance(`2026-${month}-02`);
      const loanId = await draw('steady', '2000.00');
      await advance(`2026-${month}-20`);
      await payOff(loanId);
    }
    await advance('2026-10-01');
    await draw('steady', '2000.00');
    await draw('bustOut', '2000.00');
    await advance('2026-10-20');
    await draw('steady', '2000.00');
    await advance('2026-10-25');
    await draw('bustOut', '17000.00');
    // Nobody pays the instalment due 2026-11-01; the EOD run of 2026-11-04 opens both cases.
    await advance('2026-11-04');
    const run = await call('admin', 'POST', '/eod-runs', { businessDate: '2026-11-04' });
    expect([200, 202], run.body).toContain(run.statusCode);
    for (let i = 0; i < 2000; i++) {
      const r = json(await call('admin', 'GET', `/eod-runs/${json(run).runId as string}`));
      if (r.status === 'succeeded') break;
      expect(r.status).toBe('running');
      await new Promise((res) => setTimeout(res, 50));
    }
  }, 600_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('the borrower who drew their line to full days before default gets the bust-out reason, in both languages', async () => {
    const a = await assessmentOf('bustOut');
    const assessment = a.assessment as { verdict: string; reasons: Record<string, unknown>[] };
    expect(assessment.reasons).toContainEqual({
      code: 'AS_BUST_OUT',
      side: 'unwillingness',
      points: 3,
      text: 'the line was drawn to near full just before the first missed payment',
      textZh: '首次逾期前不久将额度几乎用满',
      seen: '85% of the 2000000 fen limit drawn in 1 draw in the 30 days to 2026-11-01; 95% used on 2026-11-01',
    });
    expect(assessment.verdict).toBe('unwillingness');
    expect(a.verdict).toBe('unwillingness');
  });

  it('the borrower with a steady history of use gets no drawdown reason', async () => {
    const a = await assessmentOf('steady');
    const codes = (a.assessment as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(codes.filter((c) => c.startsWith('AS_DRAW') || c === 'AS_BUST_OUT')).toEqual([]);
    expect(a.verdict).toBe('undetermined');
  });
});
