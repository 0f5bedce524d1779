import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import {
  callAs,
  closeDayOverApi,
  createCash12mOverApi,
  drawLoanOverApi,
  json,
  startApi,
  type TestApi,
} from './helpers.js';

/*
 * A case ages with its loan every day, including the days EOD does not write the loan (nothing to do before
 * its next event day, decision 0232): 10,000.00 drawn on 2026-10-01, instalment 1 due 2026-11-01 unpaid; the
 * loan's next event after the grace period is its next due date, 2026-11-30. Each EOD run from 11-04 to 11-08
 * must leave the case at the loan's days past due, overdue amount (with the penalty accrued to the day) and
 * total owed — and so must the refresh after a partial repayment during the day.
 */
describe.each(backends)('a case ages with its loan between ledger events, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let now = new Date('2026-11-04T04:00:00Z');
  let loanId: string;
  const call = (role: Role, method: string, url: string, payload?: unknown) =>
    callAs(api, role, method, url, payload);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    await createCash12mOverApi(call);
    ({ loanId } = await drawLoanOverApi(call, 31));
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  async function caseAndLoan() {
    const items = json(await call('collector', 'GET', `/collections/cases?loanId=${loanId}`)).items as Record<
      string,
      unknown
    >[];
    expect(items).toHaveLength(1);
    const loan = json(await call('admin', 'GET', `/loans/${loanId}`));
    return { kase: items[0]!, loan };
  }

  function expectCaseOfLoan(kase: Record<string, unknown>, loan: Record<string, unknown>) {
    // Amounts come as decimal text with two places: fen exactly, without floating point.
    const fen = (k: string) => Number(String(loan[k]).replace('.', ''));
    const overdue =
      fen('overduePrincipal') + fen('overdueInterest') + fen('overdueFee') + fen('penaltyOutstanding');
    expect(kase.maxDaysPastDue).toBe(loan.daysPastDue);
    expect(Number(String(kase.overdue).replace('.', ''))).toBe(overdue);
    expect(kase.totalOwed).toBe(loan.totalOwed);
  }

  it('every EOD run leaves the case at the loan’s days past due and amounts, though the loan is not written', async () => {
    let dpd = 3;
    for (const day of ['2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08']) {
      now = new Date(`${day}T15:00:00Z`); // 23:00 in Shanghai: the day has come
      await closeDayOverApi(call, day);
      const { kase, loan } = await caseAndLoan();
      expect(loan.lastClosedDay).toBe(day);
      expect(loan.nextEventDay).toBe('2026-11-30'); // EOD had nothing to do for it after 11-03
      expect(loan.daysPastDue).toBe(dpd);
      expectCaseOfLoan(kase, loan);
      dpd += 1;
    }
  });

  it('the refresh after a repayment during the day takes the quiet loan as closed through the last run', async () => {
    now = new Date('2026-11-09T04:00:00Z');
    const r = await call('admin', 'POST', `/loans/${loanId}/repayments`, { amount: '100.00' });
    expect(r.statusCode, r.body).toBe(201);
    const { kase, loan } = await caseAndLoan();
    expect(kase.status).toBe('open');
    expectCaseOfLoan(kase, loan);
  });
});
