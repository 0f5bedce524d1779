import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { PERMISSIONS } from '../../src/server/index.js';
import { LEDGER_WRITE_ATTEMPTS_MAX } from '../../src/server/ledger/write.js';
import { type Db, findLoan, ROLES, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

const D = parseDate('2026-03-02');

describe.each(backends)('ledger API on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let customerId: string;
  let lineId: string;
  let loanId: string;
  let injectedDeadlocks = 0;
  let transactionsRefused = 0;

  async function call(
    role: Role,
    method: string,
    url: string,
    payload?: unknown,
    key: string | null = freshKey(),
  ) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(api.tokens[role]), ...(key === null ? {} : { 'idempotency-key': key }) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    // Transactions can be made to fail as a deadlock would, to exercise the bounded retries.
    const refuse = () => {
      injectedDeadlocks--;
      transactionsRefused++;
      return Promise.reject(Object.assign(new Error('deadlock detected (injected)'), { code: '40P01' }));
    };
    const wrapped: Db = {
      ...db,
      transaction: (work) => (injectedDeadlocks > 0 ? refuse() : db.transaction(work)),
      // A repayment's write may also run as one statement of its own, outside a transaction.
      query: (sql, params, options) =>
        injectedDeadlocks > 0 && options?.name?.includes('write') === true
          ? refuse()
          : db.query(sql, params, options),
    };
    api = await startApi(wrapped);
    await setBusinessDay(db, D);
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(1) }));
    customerId = json(c).customerId as string;
    const p = await call('risk_analyst', 'POST', '/products', { id: 'cash-6m', termCount: 6 });
    expect(p.statusCode, p.body).toBe(201);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '20000.00',
    });
    expect(l.statusCode, l.body).toBe(201);
    lineId = json(l).lineId as string;
    const d = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '6000.00',
      productId: 'cash-6m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a drawdown makes a loan, uses the line, and posts a balanced journal', async () => {
    const loan = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(loan).toMatchObject({
      principal: '6000.00',
      outstandingPrincipal: '6000.00',
      status: 'active',
      lineId,
    });
    const line = json(await call('collector', 'GET', `/credit-lines/${lineId}`));
    expect(line).toMatchObject({ limit: '20000.00', used: '6000.00', available: '14000.00' });
    const schedule = json(await call('collector', 'GET', `/loans/${loanId}/schedule`));
    expect((schedule.plan as unknown[]).length).toBe(6);
    const tb = json(await call('finance', 'GET', '/trial-balance?date=2026-03-02'));
    expect(tb).toMatchObject({ balanced: true, totalDebit: '6000.00' });
  });

  it('refuses a drawdown above the available amount, saying the available amount', async () => {
    const res = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '14000.01',
      productId: 'cash-6m',
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('limit_exceeded');
    expect(json(res).detail).toMatch(/available 14000\.00/);
  });

  it('a late repayment runs the loan’s EOD first; asOf, events, payoff and postings agree', async () => {
    await setBusinessDay(db, D + 40);
    const res = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '1200.00' });
    expect(res.statusCode, res.body).toBe(201);
    const body = json(res);
    expect(body.effectiveDate).toBe('2026-04-11');
    expect((body.loan as { lastClosedDay: string }).lastClosedDay).toBe('2026-04-10');
    const types = (body.events as { type: string }[]).map((e) => e.type);
    expect(types).toContain('InstallmentDue');
    expect(types).toContain('Repaid');
    const earlier = json(await call('auditor', 'GET', `/loans/${loanId}?asOf=2026-03-10`));
    expect(earlier).toMatchObject({ asOf: '2026-03-10', outstandingPrincipal: '6000.00' });
    const notYet = await call('auditor', 'GET', `/loans/${loanId}?asOf=2026-05-01`);
    expect(notYet.statusCode).toBe(400);
    expect(json(notYet).code).toBe('date_out_of_range');
    const events = json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=2`));
    expect((events.items as unknown[]).length).toBe(2);
    expect(events.nextCursor).not.toBeNull();
    const quote = json(await call('collector', 'GET', `/loans/${loanId}/payoff-quote?date=2026-04-20`));
    expect(Number(quote.total)).toBeGreaterThan(0);
    const postings = json(await call('finance', 'GET', `/postings?loanId=${loanId}&limit=200`));
    expect((postings.items as unknown[]).length).toBeGreaterThan(2);
    const tb = json(await call('finance', 'GET', '/trial-balance'));
    expect(tb.balanced).toBe(true);
    const line = json(await call('collector', 'GET', `/credit-lines/${lineId}`));
    const loan = json(await call('collector', 'GET', `/loans/${loanId}`));
    expect(line.used).toBe(loan.outstandingPrincipal);
  });

  it('a backdated repayment supersedes and replays; the journal still balances', async () => {
    const res = await call('finance', 'POST', `/loans/${loanId}/repayments`, {
      amount: '10.00',
      effectiveDate: '2026-03-20',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).backdated).toBe(true);
    expect((json(res).events as { type: string }[])[0]?.type).toBe('EventsSuperseded');
    expect(json(await call('finance', 'GET', '/trial-balance')).balanced).toBe(true);
  });

  it('lines: limit change, freeze refuses drawdowns, unfreeze, close', async () => {
    expect(
      json(await call('risk_analyst', 'PATCH', `/credit-lines/${lineId}`, { limit: '30000.00' })).limit,
    ).toBe('30000.00');
    expect(
      (await call('risk_analyst', 'POST', `/credit-lines/${lineId}/freeze`, { reason: 'fraud check' }))
        .statusCode,
    ).toBe(200);
    const refused = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '1.00',
      productId: 'cash-6m',
    });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('line_frozen');
    expect(json(refused).detail).toMatch(/fraud check.*until an operator unfreezes it/);
    expect(json(await call('risk_analyst', 'POST', `/credit-lines/${lineId}/unfreeze`, {})).status).toBe(
      'active',
    );
    const list = json(await call('auditor', 'GET', `/credit-lines?customerId=${customerId}`));
    expect((list.items as unknown[]).length).toBe(1);
  });

  it('a waiver of penalty on an overdue loan lowers what is owed by exactly its amount', async () => {
    await setBusinessDay(db, D + 70);
    const before = json(await call('auditor', 'GET', `/loans/${loanId}/payoff-quote`));
    const res = await call('risk_analyst', 'POST', `/loans/${loanId}/waivers`, {
      amount: '0.50',
      component: 'penalty',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((json(res).events as { type: string }[]).map((e) => e.type)).toContain('Waived');
    const after = json(await call('auditor', 'GET', `/loans/${loanId}/payoff-quote`));
    expect(Math.round(Number(before.penalty) * 100) - Math.round(Number(after.penalty) * 100)).toBe(50);
    expect(json(await call('finance', 'GET', '/trial-balance')).balanced).toBe(true);
  });

  it('a write that meets deadlocks is retried; past the bound it is a 409 conflict, never a 500', async () => {
    injectedDeadlocks = 3;
    transactionsRefused = 0;
    const ok = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '1.00' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(transactionsRefused).toBe(3);
    injectedDeadlocks = LEDGER_WRITE_ATTEMPTS_MAX;
    transactionsRefused = 0;
    const before = await dumpTables(db);
    const refused = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '1.00' });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('conflict');
    expect(json(refused).detail).toMatch(/same Idempotency-Key/);
    expect(transactionsRefused).toBe(LEDGER_WRITE_ATTEMPTS_MAX);
    expect(await dumpTables(db)).toEqual(before);
    injectedDeadlocks = 0;
  });

  describe('idempotency (c)', () => {
    it('a repeated key on a repayment returns the first response and writes once', async () => {
      const key = freshKey();
      const first = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '5.00' }, key);
      expect(first.statusCode, first.body).toBe(201);
      const before = await dumpTables(db);
      const again = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '5.00' }, key);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await dumpTables(db)).toEqual(before);
    });

    it('a reused key with a different body is refused, naming the field, and writes nothing', async () => {
      const key = freshKey();
      expect(
        (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '6.00' }, key)).statusCode,
      ).toBe(201);
      const before = await dumpTables(db);
      const other = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '7.00' }, key);
      expect(other.statusCode).toBe(422);
      expect(json(other).code).toBe('idempotency_key_reused');
      expect(json(other).detail).toContain('/body/amount');
      expect(await dumpTables(db)).toEqual(before);
    });

    it('a repeated key on a drawdown makes one loan; a different amount is refused naming it', async () => {
      // The first line's loan is past due by now and the line controls froze it: draw on a line of its own.
      const opened = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '1000.00',
      });
      const lineId = json(opened).lineId as string;
      const key = freshKey();
      const body = { amount: '100.00', productId: 'cash-6m' };
      const first = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, body, key);
      expect(first.statusCode, first.body).toBe(201);
      const again = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, body, key);
      expect(again.json()).toEqual(first.json());
      expect(await findLoan(db, json(first).loanId as string)).toBeDefined();
      const loans = json(await call('auditor', 'GET', `/loans?lineId=${lineId}`));
      expect((loans.items as unknown[]).length).toBe(1);
      const other = await call(
        'admin',
        'POST',
        `/credit-lines/${lineId}/drawdowns`,
        { ...body, amount: '101.00' },
        key,
      );
      expect(other.statusCode).toBe(422);
      expect((json(other).errors as { path: string }[]).map((e) => e.path)).toEqual(['/body/amount']);
    });
  });

  describe('roles', () => {
    const probes: { permission: keyof typeof PERMISSIONS; method: string; url: () => string }[] = [
      { permission: 'products.manage', method: 'POST', url: () => '/products' },
      { permission: 'products.read', method: 'GET', url: () => '/products' },
      { permission: 'lines.manage', method: 'PATCH', url: () => `/credit-lines/${lineId}` },
      { permission: 'lines.read', method: 'GET', url: () => '/credit-lines' },
      { permission: 'loans.draw', method: 'POST', url: () => `/credit-lines/${lineId}/drawdowns` },
      { permission: 'loans.repay', method: 'POST', url: () => `/loans/${loanId}/repayments` },
      { permission: 'loans.waive', method: 'POST', url: () => `/loans/${loanId}/waivers` },
      { permission: 'loans.read', method: 'GET', url: () => '/loans' },
      { permission: 'journal.read', method: 'GET', url: () => '/postings' },
      { permission: 'journal.read', method: 'GET', url: () => '/trial-balance' },
    ];
    it.each(probes)('$method is open exactly to the roles of $permission', async (probe) => {
      for (const role of ROLES) {
        const res = await call(role, probe.method, probe.url(), probe.method === 'GET' ? undefined : {});
        const allowed = (PERMISSIONS[probe.permission] as readonly Role[]).includes(role);
        if (allowed) expect(res.statusCode, `${role}: ${res.body}`).not.toBe(403);
        else {
          expect(res.statusCode, role).toBe(403);
          expect(json(res).code).toBe('forbidden');
        }
      }
    });
  });
});
