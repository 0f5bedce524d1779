import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountBalances,
  drawdown,
  engineReceivables,
  loanAsOf,
  loanPosition,
  openLine,
  parseProduct,
  planCommand,
  reconcileLoan,
  replay,
  trialBalance,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  accountTotalsThrough,
  advanceQuietLoans,
  applyLoanCommand,
  closeLoansThrough,
  type Db,
  findLine,
  findLoan,
  findProduct,
  insertLine,
  insertLoan,
  insertProductVersion,
  listPostings,
  loadLoanLog,
  loansNeedingEod,
  persistLoanChange,
  saveLine,
  VersionConflictError,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-01-10');

describe.each(backends)('ledger store on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function draw(lineId: string, loanId: string, customerId: string, principalMinor: number) {
    return db.transaction(async (tx) => {
      const product = (await findProduct(tx, 'p12'))!;
      let line = await findLine(tx, lineId, { forUpdate: true });
      if (line === undefined) {
        line = await insertLine(tx, openLine({ lineId, customerId, limitMinor: 5_000_000, day: D }).line);
      }
      const r = drawdown(line.state, { loanId, product: product.product, principalMinor, day: D });
      await saveLine(tx, line, r.line);
      return insertLoan(tx, { productVersion: product.version, opened: r.loan });
    });
  }

  it('stores product versions, and a drawdown, repayments and EOD keep state, log, line and journal in step', async () => {
    const p = parseProduct({ id: 'p12', termCount: 6 });
    const v1 = await insertProductVersion(db, p, 'usr_test');
    const v2 = await insertProductVersion(db, { ...p, name: 'renamed' }, 'usr_test');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await findProduct(db, 'p12', 1))?.product.name).toBe(p.name);

    await draw('cl_a', 'ln_a', 'cus_a', 1_200_000);
    expect((await findLine(db, 'cl_a'))?.state.usedMinor).toBe(1_200_000);

    // Repay on a day far after the drawdown: the loan is behind on EOD and is closed first.
    const repayDay = D + 45;
    const r = await db.transaction((tx) =>
      applyLoanCommand(tx, 'ln_a', { type: 'repay', amountMinor: 300_000, day: repayDay, clientId: 'r1' }),
    );
    expect(r.after.state.lastClosedDay).toBe(repayDay - 1);
    const loan = (await findLoan(db, 'ln_a'))!;
    const log = await loadLoanLog(db, 'cus_a', 'ln_a');
    expect(replay(log)).toEqual(loan.state);
    const principal = loanPosition(loan.state).outstandingPrincipalMinor;
    expect((await findLine(db, 'cl_a'))?.state.usedMinor).toBe(principal);

    // A backdated repayment supersedes and replays; the journal stays balanced and matches the engine.
    await db.transaction((tx) =>
      applyLoanCommand(tx, 'ln_a', { type: 'repay', amountMinor: 10_000, day: D + 20, clientId: 'r0' }),
    );
    const after = (await findLoan(db, 'ln_a'))!;
    expect(replay(await loadLoanLog(db, 'cus_a', 'ln_a'))).toEqual(after.state);
    const postings = await listPostings(db, { loanId: 'ln_a' }, 0, 1000);
    const tb = trialBalance(postings);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    expect(reconcileLoan(accountBalances(postings), engineReceivables(after.state))).toEqual([]);
    const totals = await accountTotalsThrough(db, D + 400);
    const debit = totals.reduce((s, t) => s + t.debitMinor, 0);
    expect(debit).toBe(totals.reduce((s, t) => s + t.creditMinor, 0));
    expect(debit).toBe(tb.totalDebitMinor);
    expect(loanAsOf(await loadLoanLog(db, 'cus_a', 'ln_a'), D + 30).lastClosedDay).toBe(D + 30);
  });

  it('EOD closes loans with work, advances quiet ones in bulk, and a rerun does nothing twice', async () => {
    await draw('cl_b', 'ln_b1', 'cus_b', 100_000);
    await draw('cl_b', 'ln_b2', 'cus_b', 200_000);
    const day = D + 3;
    // Nothing is due 3 days after the drawdown: every loan is quiet.
    const moved = await db.transaction((tx) => advanceQuietLoans(tx, day));
    expect(moved).toBeGreaterThanOrEqual(2);
    expect((await findLoan(db, 'ln_b1'))?.state.lastClosedDay).toBe(day);
    const due = D + 40;
    const ids = await loansNeedingEod(db, due, undefined, null, 100);
    expect(ids).toContain('ln_b1');
    const first = await db.transaction((tx) => closeLoansThrough(tx, ids, due));
    expect(first.loansClosed).toBe(ids.length);
    expect(first.eventsWritten).toBeGreaterThan(0);
    const again = await db.transaction((tx) => closeLoansThrough(tx, ids, due));
    expect(again).toEqual({ loansClosed: 0, eventsWritten: 0 });
    const b1 = (await findLoan(db, 'ln_b1'))!;
    expect(loanAsOf(await loadLoanLog(db, 'cus_b', 'ln_b1'), b1.state.lastClosedDay)).toEqual(b1.state);
  });

  it('a change made from a stale read is refused with a version conflict, writing nothing', async () => {
    await draw('cl_c', 'ln_c', 'cus_c', 100_000);
    const stale = (await findLoan(db, 'ln_c'))!;
    await db.transaction((tx) =>
      applyLoanCommand(tx, 'ln_c', { type: 'repay', amountMinor: 100, day: D + 1, clientId: 'c1' }),
    );
    const logBefore = await loadLoanLog(db, 'cus_c', 'ln_c');
    const line = (await findLine(db, stale.lineId))!;
    const change = planCommand(stale.state, line.state, {
      type: 'repay',
      amountMinor: 200,
      day: D + 1,
      clientId: 'c2',
    });
    await expect(db.transaction((tx) => persistLoanChange(tx, stale, change, line))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await loadLoanLog(db, 'cus_c', 'ln_c')).toEqual(logBefore);
  });

  it('the command log: a repeated client id applies nothing again; a different command is refused naming the field', async () => {
    const cmd = { type: 'repay', amountMinor: 300, day: D + 2, clientId: 'dup-1' } as const;
    const first = await db.transaction((tx) => applyLoanCommand(tx, 'ln_c', cmd));
    expect(first.repeated).toBe(false);
    const again = await db.transaction((tx) => applyLoanCommand(tx, 'ln_c', cmd));
    expect(again.repeated).toBe(true);
    expect(again.events).toEqual([]);
    expect((await findLoan(db, 'ln_c'))?.state).toEqual(first.after.state);
    await expect(
      db.transaction((tx) => applyLoanCommand(tx, 'ln_c', { ...cmd, amountMinor: 301 })),
    ).rejects.toThrow(/field "amountMinor" was 300, now 301/);
  });

  it('refuses to change an event or a posting', async () => {
    await expect(db.query("update loan_events set type = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.query('delete from postings')).rejects.toThrow(/append-only/);
  });
});
