import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, findLoan, type Role, setBusinessDay } from '../../src/store/index.js';
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
 * The reported case, over the API: 10,000.00 drawn on 2026-12-01 on the default product (12 monthly 等额本息
 * instalments at 0.05%/day), so instalment 1 (12-01 → 2027-01-01) is billed 917.90. The borrower pays
 * exactly that the day before its due date (answering the T−1 reminder). Five days after the due date the
 * loan is current (0 days past due, M0), not 5 days past due in M1, and instalment 2 is still the contract's.
 */
describe.each(backends)('paying the instalment before its due date over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let loanId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-12-01'));
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(7) }));
    const customerId = json(c).customerId as string;
    await createCash12mOverApi(call);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '20000.00',
    });
    expect(l.statusCode, l.body).toBe(201);
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('917.90 paid on 12-31 settles instalment 1: current on 2027-01-06, not M1', async () => {
    const schedule = json(await call('collector', 'GET', `/loans/${loanId}/schedule`));
    const plan = schedule.plan as { number: number; dueDate: string; total: string }[];
    expect(plan[0]).toMatchObject({ number: 1, dueDate: '2027-01-01', total: '917.90' });
    const planAfterFirst = plan.slice(1);

    await setBusinessDay(db, parseDate('2026-12-31'));
    const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '917.90' });
    expect(paid.statusCode, paid.body).toBe(201);
    const types = (json(paid).events as { type: string }[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['InstallmentDue', 'Repaid']));

    await setBusinessDay(db, parseDate('2027-01-06'));
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2027-01-06')));
    const stored = await findLoan(db, loanId);
    expect(stored?.state.lastClosedDay).toBe(parseDate('2027-01-06'));
    const loan = json(await call('auditor', 'GET', `/loans/${loanId}?asOf=2027-01-06`));
    expect(loan).toMatchObject({ daysPastDue: 0, bucket: 'M0', status: 'active' });
    const after = json(await call('collector', 'GET', `/loans/${loanId}/schedule`));
    expect(after.dues).toEqual([]);
    expect((after.plan as unknown[]).slice(1)).toEqual(planAfterFirst);
  });
});
