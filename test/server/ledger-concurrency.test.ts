import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountBalances,
  engineReceivables,
  loanPosition,
  reconcileLoan,
  replay,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  type Db,
  findLine,
  findLoan,
  listPostings,
  loadLoanLog,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/**
 * Reliability (b): concurrent repayments. On PostgreSQL the full counts run: 50 at once on one loan and
 * 1,000 at once over 100 loans. PGlite is one connection in this process, so every transaction already runs
 * alone; the same checks run there with 50 on one loan and 200 over 20 loans to keep the suite short —
 * the interleaving under test only exists on the server.
 */
const COUNTS = {
  pglite: { oneLoan: 50, loans: 20, perLoan: 10 },
  postgres: { oneLoan: 50, loans: 100, perLoan: 10 },
} as const;

const D = parseDate('2026-03-02');
const PAYMENT_FEN = 1_000; // 10.00 yuan each: never enough to settle a loan of 6,000.00

describe.each(backends)('concurrent repayments on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const counts = COUNTS[backend.name];

  async function post(role: 'admin' | 'risk_analyst' | 'collector', url: string, payload: object) {
    return api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      payload,
    });
  }

  async function makeLoans(n: number, seq: number): Promise<{ lineId: string; loanIds: string[] }> {
    const c = json(await post('admin', '/customers', validCustomer({ idNumber: idNumberFor(seq) })));
    const line = json(
      await post('risk_analyst', `/customers/${c.customerId as string}/credit-lines`, {
        limit: '9000000.00',
      }),
    );
    const lineId = line.lineId as string;
    const loanIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await post('admin', `/credit-lines/${lineId}/drawdowns`, {
        amount: '6000.00',
        productId: 'p6',
      });
      expect(res.statusCode, res.body).toBe(201);
      loanIds.push(json(res).loanId as string);
    }
    return { lineId, loanIds };
  }

  /** Every loan's books agree with the payments accepted for it, to the fen. */
  async function checkLoan(loanId: string, acceptedFen: number, acceptedCount: number) {
    const loan = (await findLoan(db, loanId))!;
    const log = await loadLoanLog(db, loan.customerId, loanId);
    // No lost update: the stored state is exactly the fold of the stored log.
    expect(replay(log)).toEqual(loan.state);
    const repaid = log.filter((e) => e.type === 'Repaid');
    expect(repaid.length).toBe(acceptedCount);
    expect(repaid.reduce((s, e) => s + (e.type === 'Repaid' ? e.amountMinor : 0), 0)).toBe(acceptedFen);
    const s = loan.state;
    expect(
      s.principalPaidTotalMinor +
        s.interestPaidTotalMinor +
        s.feePaidTotalMinor +
        s.penaltyPaidMinor +
        s.creditMinor,
    ).toBe(acceptedFen);
    expect(loanPosition(s).outstandingPrincipalMinor).toBe(600_000 - s.principalPaidTotalMinor);
    const postings = await listPostings(db, { loanId }, 0, 10_000);
    const books = accountBalances(postings);
    expect(reconcileLoan(books, engineReceivables(s))).toEqual([]);
    expect(books.cashClearing.debitMinor).toBe(acceptedFen + 0);
    return loanPosition(s).outstandingPrincipalMinor;
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, D);
    expect((await post('risk_analyst', '/products', { id: 'p6', termCount: 6 })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it(`${counts.oneLoan} repayments at once on one loan: all accepted, none lost, books exact`, async () => {
    await setBusinessDay(db, D);
    const { lineId, loanIds } = await makeLoans(1, 1);
    const loanId = loanIds[0]!;
    await setBusinessDay(db, D + 5);
    const results = await Promise.all(
      Array.from({ length: counts.oneLoan }, () =>
        post('collector', `/loans/${loanId}/repayments`, { amount: '10.00' }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const outstanding = await checkLoan(loanId, counts.oneLoan * PAYMENT_FEN, counts.oneLoan);
    expect((await findLine(db, lineId))?.state.usedMinor).toBe(outstanding);
  }, 120_000);

  it(`${counts.loans * counts.perLoan} repayments at once over ${counts.loans} loans of one line`, async () => {
    await setBusinessDay(db, D);
    const { lineId, loanIds } = await makeLoans(counts.loans, 2);
    await setBusinessDay(db, D + 5);
    const requests = loanIds.flatMap((loanId) =>
      Array.from({ length: counts.perLoan }, () =>
        post('collector', `/loans/${loanId}/repayments`, { amount: '10.00' }),
      ),
    );
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.statusCode >= 500).map((r) => r.body)).toEqual([]);
    expect(results.filter((r) => r.statusCode !== 201).map((r) => r.body)).toEqual([]);
    let used = 0;
    for (const loanId of loanIds)
      used += await checkLoan(loanId, counts.perLoan * PAYMENT_FEN, counts.perLoan);
    expect((await findLine(db, lineId))?.state.usedMinor).toBe(used);
    const tb = json(
      await api.app.inject({ method: 'GET', url: '/trial-balance', headers: auth(api.tokens.finance) }),
    );
    expect(tb.balanced).toBe(true);
  }, 300_000);
});
