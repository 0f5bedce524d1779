import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installmentPaymentMinor } from '../../src/ledger/loan/index.js';
import { type Day, formatDate, formatMinor, parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  findLoan,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
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
 * Two of the borrowers the project started from, end to end over the API:
 * - 李四: his restaurant closed in the pandemic. A 3-month payment holiday (interest accruing), then, unable
 *   to pay when it ended, a 协商分期 negotiated plan over 24 months (penalty waived) approved by a second
 *   person; he keeps it through the observation period and his loan is upgraded to normal.
 * - 王五: his income fell. A 6-month term extension lowers his instalment; he is never past due.
 * Both on 12 monthly 等额本息 instalments at 0.05%/day.
 */
describe.each(backends)('李四 and 王五 restructured over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  /**
   * Moves the business day to `day` with the loan's end of day run through the day before, and the collection
   * cases refreshed as the end of day does.
   */
  async function dayOf(loanId: string, day: Day): Promise<void> {
    await db.transaction(async (tx) => {
      await closeLoansThrough(tx, [loanId], day - 1);
      await refreshCases(tx, day - 1, null);
    });
    await setBusinessDay(db, day);
  }

  /** The borrower's collection case, as the auditor reads it. */
  async function caseOfLoan(loanId: string): Promise<Record<string, unknown> | undefined> {
    const list = json(await call('auditor', 'GET', `/collections/cases?loanId=${loanId}`)).items as Record<
      string,
      unknown
    >[];
    expect(list.length).toBeLessThanOrEqual(1);
    return list[0];
  }

  /** The borrower pays on its due date what the instalment asks (as the reminder quotes it). */
  async function payNextOnItsDueDate(loanId: string): Promise<Day> {
    const stored = await findLoan(db, loanId);
    const next = stored!.state.plan[stored!.state.nextInstallmentIndex]!;
    await dayOf(loanId, next.dueDay);
    const state = (await findLoan(db, loanId))!.state;
    const amount = formatMinor(installmentPaymentMinor(state, next.dueDay));
    const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount });
    expect(paid.statusCode, paid.body).toBe(201);
    return next.dueDay;
  }

  async function drawLoan(sequence: number, name: string, amount: string, day: string): Promise<string> {
    await setBusinessDay(db, parseDate(day));
    const c = await call(
      'admin',
      'POST',
      '/customers',
      validCustomer({ name, idNumber: idNumberFor(sequence) }),
    );
    const l = await call('risk_analyst', 'POST', `/customers/${json(c).customerId as string}/credit-lines`, {
      limit: '50000.00',
    });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount,
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    return json(d).loanId as string;
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    await createCash12mOverApi(call);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('李四: a payment holiday, then a negotiated plan kept through observation and upgraded', async () => {
    const loanId = await drawLoan(31, '李四', '20000.00', '2026-01-10');
    await payNextOnItsDueDate(loanId); // 2026-02-10
    // The pandemic closes the restaurant: 3 months without instalments, interest accruing (relief).
    await dayOf(loanId, parseDate('2026-02-20'));
    const holiday = await call('collector', 'POST', `/loans/${loanId}/restructurings`, {
      kind: 'payment-holiday',
      holidayMonths: 3,
      holidayInterest: 'accrue',
      relief: true,
    });
    expect(holiday.statusCode, holiday.body).toBe(201);
    expect(json(holiday)).toMatchObject({ status: 'applied', monthsExtended: 3, forgiven: '0.00' });
    const plan = json(await call('auditor', 'GET', `/loans/${loanId}/schedule`)).plan as {
      dueDate: string;
    }[];
    expect(plan[1]?.dueDate).toBe('2026-06-10'); // the 03-10 instalment moved 3 months later

    // When the holiday ends he still cannot pay: 20 days past due at the end of 2026-06-30, 21 on 07-01.
    await dayOf(loanId, parseDate('2026-07-01'));
    const late = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(late).toMatchObject({ asOf: '2026-06-30', daysPastDue: 20, bucket: 'M1' });
    // The end of day opened his collection case; the collector records why he cannot pay, and the next
    // refresh assesses it as inability (还款能力), not unwillingness.
    const opened = (await caseOfLoan(loanId))!;
    expect(opened).toMatchObject({ status: 'open', bucket: 'M1', maxDaysPastDue: 20 });
    const caseId = opened.caseId as string;
    const hardship = await call('collector', 'POST', `/collections/cases/${caseId}/evidence`, {
      kind: 'hardship',
      cause: 'business-failure',
      note: 'restaurant closed in the pandemic; now a food stall',
    });
    expect(hardship.statusCode, hardship.body).toBe(201);
    await db.transaction((tx) => refreshCases(tx, parseDate('2026-06-30'), null));
    expect(await caseOfLoan(loanId)).toMatchObject({ status: 'open', verdict: 'inability' });

    // 协商分期 over 24 months, penalty waived: the maturity moves more than 6 months, so a second person approves.
    const proposed = await call('collector', 'POST', `/loans/${loanId}/restructurings`, {
      kind: 'negotiated-plan',
      months: 24,
      penalty: 'waive',
      monthlyIncome: '5000.00',
      note: '李四 reopened as a food stall; income statement checked',
    });
    expect(proposed.statusCode, proposed.body).toBe(202);
    const id = json(proposed).restructuringId as string;
    const approved = await call('risk_analyst', 'POST', `/loans/${loanId}/restructurings/${id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const after = json(approved).loan as Record<string, unknown>;
    expect(after).toMatchObject({
      daysPastDue: 0,
      bucket: 'M0',
      overduePrincipal: '0.00',
      penaltyOutstanding: '0.00',
      restructuring: {
        status: 'active',
        count: 2,
        latestKind: 'negotiated-plan',
        specialTransactionCode: '14',
        daysPastDueBefore: 21,
        inObservation: true,
        assetClass: 'special-mention',
      },
    });
    const observationEnd = (after.restructuring as { observationEndDate: string }).observationEndDate;
    expect(observationEnd).toBe('2027-08-01'); // first due 2026-08-01 + 12 months
    // Nothing is past due now, but the case is not cured: it is held, without collection, through observation.
    expect(await caseOfLoan(loanId)).toMatchObject({
      status: 'open',
      maxDaysPastDue: 0,
      bucket: 'M0',
      strategyStep: 'CS_RESTRUCTURING_OBSERVATION',
      nextAction: 'hold',
    });

    // He pays every instalment on its due date through the observation period.
    let last = parseDate('2026-07-01');
    while (last < parseDate(observationEnd)) {
      last = await payNextOnItsDueDate(loanId);
      const loan = json(await call('auditor', 'GET', `/loans/${loanId}`));
      expect(loan.daysPastDue, formatDate(last)).toBe(0);
      if (last < parseDate(observationEnd)) {
        expect((loan.restructuring as { assetClass: string }).assetClass).toBe('special-mention');
        expect(await caseOfLoan(loanId), formatDate(last)).toMatchObject({
          status: 'open',
          nextAction: 'hold',
        });
      }
    }
    // The day after the observation period ends (closed through it), the floor is gone.
    await dayOf(loanId, parseDate(observationEnd) + 2);
    // Kept through observation: the case closes as such.
    expect(await caseOfLoan(loanId)).toMatchObject({
      status: 'closed',
      closeReason: 'restructuring-kept',
      closedDate: formatDate(parseDate(observationEnd) + 1),
    });
    const upgraded = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(upgraded.restructuring).toMatchObject({
      status: 'active',
      missedInstallments: 0,
      inObservation: false,
      assetClass: 'normal',
    });
    const events = json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as {
      type: string;
    }[];
    expect(events.filter((e) => e.type === 'LoanRestructured')).toHaveLength(2);
    expect(events.some((e) => e.type === 'RestructuringBroken')).toBe(false);
  });

  it('王五: a term extension and a lower instalment, never past due', async () => {
    const loanId = await drawLoan(32, '王五', '30000.00', '2026-01-05');
    for (let k = 0; k < 3; k++) await payNextOnItsDueDate(loanId);
    const before = json(await call('auditor', 'GET', `/loans/${loanId}/schedule`)).plan as {
      total: string;
    }[];
    const oldInstallment = Number(before[3]!.total);
    // His income fell: 6 more months, applied at once (within what one person may grant).
    await dayOf(loanId, parseDate('2026-04-20'));
    const refused = await call('collector', 'POST', `/loans/${loanId}/restructurings`, {
      kind: 'negotiated-plan',
      months: 12,
      monthlyIncome: '4000.00',
    });
    expect(refused.statusCode).toBe(422);
    const extended = await call('collector', 'POST', `/loans/${loanId}/restructurings`, {
      kind: 'term-extension',
      extensionMonths: 6,
      monthlyIncome: '4000.00',
    });
    expect(extended.statusCode, extended.body).toBe(201);
    expect(json(extended)).toMatchObject({ status: 'applied', monthsExtended: 6, forgiven: '0.00' });
    const plan = json(await call('auditor', 'GET', `/loans/${loanId}/schedule`)).plan as {
      number: number;
      total: string;
    }[];
    const newPlan = plan.slice(3);
    expect(newPlan).toHaveLength(15);
    expect(Number(newPlan[1]!.total)).toBeLessThan(oldInstallment * 0.75);
    // He pays all 15 on their due dates and is never past due; the loan settles.
    for (let k = 0; k < 15; k++) {
      const day = await payNextOnItsDueDate(loanId);
      const loan = json(await call('auditor', 'GET', `/loans/${loanId}`));
      expect(loan.daysPastDue, formatDate(day)).toBe(0);
    }
    const done = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(done).toMatchObject({ status: 'settled', bucket: 'M0', totalOwed: '0.00' });
    const events = json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as {
      type: string;
    }[];
    expect(events.some((e) => e.type === 'InstallmentOverdue' || e.type === 'DelinquencyChanged')).toBe(
      false,
    );
  });
});
