import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../../src/money/index.js';
import { closeLoansThrough, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';
import { borrowerToken, customerWithPhone, DUE, loanFor } from './portal-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: a JSON answer read loosely in assertions
type Loose = any;

describe('what a borrower sees in the portal', () => {
  let api: TestApi;
  let tokenA = '';
  let tokenB = '';
  let loanA = '';
  let lineA = '';
  let loanB = '';
  const TODAY = addDays(DUE, 40);

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db, {}, () => new Date('2026-03-22T02:00:00Z'));
    const a = await customerWithPhone(api, '13500000001', 201);
    const b = await customerWithPhone(api, '13500000002', 202);
    ({ loanId: loanA, lineId: lineA } = await loanFor(api, a, 'a'.repeat(28)));
    ({ loanId: loanB } = await loanFor(api, b, 'b'.repeat(28)));
    // A missed the first instalment: 40 days past due (M2). B is current.
    await db.transaction((tx) => closeLoansThrough(tx, [loanA], TODAY - 1));
    await db.transaction((tx) => closeLoansThrough(tx, [loanB], DUE - 5));
    await db.transaction((tx) => setBusinessDay(tx, TODAY));
    tokenA = await borrowerToken(api, '13500000001');
    tokenB = await borrowerToken(api, '13500000002');
  });
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  const get = (url: string, token: string) => api.app.inject({ method: 'GET', url, headers: auth(token) });
  const staff = (url: string) => get(url, api.tokens.admin);

  it('shows the borrower’s own loans with overdue interest and penalty as the ledger has them, to the fen', async () => {
    const res = await get('/portal/loans', tokenA);
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Record<string, Loose>[] }).items;
    expect(items.map((i) => i.loan.loanId)).toEqual([loanA]);
    const ledger = (await staff(`/loans/${loanA}`)).json() as Record<string, string>;
    expect(items[0]!.loan.daysPastDue).toBeGreaterThan(30);
    expect(items[0]!.overdue).toEqual({
      principal: ledger.overduePrincipal,
      interest: ledger.overdueInterest,
      fee: ledger.overdueFee,
      penalty: ledger.penaltyOutstanding,
      total: expect.any(String),
    });
    expect(Number(items[0]!.overdue.penalty)).toBeGreaterThan(0);
    const sum = ['principal', 'interest', 'fee', 'penalty'].reduce(
      (s, k) => s + Math.round(Number(items[0]!.overdue[k]) * 100),
      0,
    );
    expect(Math.round(Number(items[0]!.overdue.total) * 100)).toBe(sum);
    expect(items[0]!.nextDue).toMatchObject({
      dueDate: formatDate(DUE),
      installmentNumber: 1,
      overdue: true,
    });
    // In arrears, what is still to come is the plan's next instalment not yet due, after the business day.
    const schedule = (await staff(`/loans/${loanA}/schedule`)).json() as Loose;
    const coming = schedule.plan.find((p: Loose) => p.dueDate > formatDate(TODAY - 1));
    expect(items[0]!.upcoming).toEqual({
      dueDate: coming.dueDate,
      amount: coming.total,
      installmentNumber: coming.number,
    });
    expect(items[0]!.upcoming.installmentNumber).toBeGreaterThan(1);
  });

  it('shows one loan with its schedule, and what is next for a current borrower', async () => {
    const res = await get(`/portal/loans/${loanB}`, tokenB);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Record<string, Loose>;
    expect(body.schedule).toEqual((await staff(`/loans/${loanB}/schedule`)).json());
    expect(body.overdue.total).toBe('0.00');
    expect(body.nextDue.overdue).toBe(false);
    expect(body.nextDue).toMatchObject({ dueDate: formatDate(DUE), installmentNumber: 1 });
    expect(body.nextDue.amount).toBe(body.schedule.plan[0].total);
    expect(body.upcoming).toEqual({
      dueDate: body.nextDue.dueDate,
      amount: body.nextDue.amount,
      installmentNumber: 1,
    });
  });

  it('refuses another borrower’s loan as if it did not exist', async () => {
    for (const url of [
      `/portal/loans/${loanA}`,
      `/portal/loans/${loanA}/impact`,
      `/portal/loans/${loanA}/repayment-quote`,
    ]) {
      expectProblem(await get(url, tokenB), {
        status: 404,
        code: 'loan_not_found',
        says: /no loan/,
        path: '/params/loanId',
      });
    }
    expect(((await get('/portal/loans', tokenB)).json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('shows month by month what staying overdue would mean, as the staff impact route does', async () => {
    const mine = await get(`/portal/loans/${loanA}/impact?months=6`, tokenA);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toEqual((await staff(`/loans/${loanA}/impact?months=6`)).json());
    expect(
      (mine.json() as { rows: { creditReportStatus: string }[] }).rows.at(-1)!.creditReportStatus,
    ).not.toBe('N');
  });

  it('offers the instalment, the overdue amount and the whole loan, with the payoff quote', async () => {
    const res = await get(`/portal/loans/${loanA}/repayment-quote`, tokenA);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      options: { purpose: string; amount: string }[];
      payoffQuote: { total: string };
    };
    const payoff = (await staff(`/loans/${loanA}/payoff-quote`)).json() as { total: string };
    expect(body.payoffQuote.total).toBe(payoff.total);
    expect(body.options.map((o) => o.purpose)).toEqual(['instalment', 'overdue', 'payoff']);
    expect(body.options[2]!.amount).toBe(payoff.total);
    // The overdue amount is the overdue instalment parts with the penalty to the day of payment.
    const loans = (await get('/portal/loans', tokenA)).json() as {
      items: { overdue: Record<string, string> }[];
    };
    const o = loans.items[0]!.overdue;
    const fen = (t: string) => Math.round(Number(t) * 100);
    const quoted = body.payoffQuote as unknown as { penalty: string };
    expect(fen(body.options[1]!.amount)).toBe(
      fen(o.principal!) + fen(o.interest!) + fen(o.fee!) + fen(quoted.penalty),
    );
    expect(fen(quoted.penalty)).toBeGreaterThanOrEqual(fen(o.penalty!));
  });

  it('tells why a line is frozen and who lifts it', async () => {
    const frozen = await api.app.inject({
      method: 'POST',
      url: `/credit-lines/${lineA}/freeze`,
      headers: {
        ...auth(api.tokens.admin),
        'idempotency-key': freshKey(),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ reason: 'fraud check pending' }),
    });
    expect(frozen.statusCode, frozen.body).toBe(200);
    const res = await get('/portal/lines', tokenA);
    expect(res.statusCode, res.body).toBe(200);
    const line = (res.json() as { items: Record<string, Loose>[] }).items[0]!;
    expect(line).toMatchObject({ lineId: lineA, status: 'frozen', available: '0.00' });
    expect(line.freeze).toMatchObject({ reason: 'fraud check pending', liftsOnCure: false });
  });

  it('audits every read as a staff read is, naming the borrower', async () => {
    const { rows } = await api.db.query<{ resource_type: string; n: number }>(
      `select resource_type, count(*)::int as n from audit_log
        where action = 'portal.read' and actor_role = 'borrower' group by resource_type order by resource_type`,
    );
    expect(rows.map((r) => r.resource_type)).toEqual(['credit_line', 'loan']);
  });
});
