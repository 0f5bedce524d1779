import { describe, expect, it } from 'vitest';
import {
  type CreditLineState,
  drawOnLine,
  isLedgerInputError,
  type LoanEvent,
  type LoanState,
  openLine,
  planClose,
  planCommand,
  planWriteOff,
  replay,
} from '../../../src/ledger/index.js';
import { openLoan } from '../../../src/ledger/loan/index.js';
import {
  accountBalances,
  openLoanBooks,
  reconcileBooks,
  trialBalance,
} from '../../../src/ledger/postings/index.js';
import {
  DEFAULT_WRITE_OFF_RULE,
  loanCreditReportStatus,
  parseWriteOffRule,
  writeOffCandidates,
  writeOffEligibility,
} from '../../../src/reporting/index.js';
import { d, product } from '../loan/driver.js';

/** A loan drawn on its line, kept with its log, driven through the planner as the store drives it. */
function start(): { state: LoanState; line: CreditLineState; log: LoanEvent[] } {
  const opened = openLoan({
    loanId: 'L-1',
    customerId: 'C-1',
    lineId: 'CL-1',
    product: product(),
    principalMinor: 300000,
    day: d('2026-01-15'),
  });
  const opened1 = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 500000, day: d('2026-01-15') });
  const line = drawOnLine(opened1.line, 'L-1', 300000, d('2026-01-15')).line;
  return { state: opened.state, line, log: [...opened.events] };
}

function refused(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isLedgerInputError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('write-off (核销) and recovery through the planner', () => {
  it('says why a loan one day past due is not a candidate, in the singular', () => {
    const { state } = start();
    const closed = planClose(state, d('2026-02-16')).state;
    expect(writeOffEligibility(closed, d('2026-02-17'), DEFAULT_WRITE_OFF_RULE)).toEqual({
      eligible: false,
      reason: "1 day past due, below the rule's 180",
    });
  });

  it('writes off a loan past 180 days, books recoveries as income, and accrues nothing afterwards', () => {
    let { state, line, log } = start();
    // Nothing is paid: instalment 1 (due 2026-02-15) is 181 days past due on 2026-08-15.
    const closed = planClose(state, d('2026-08-15'));
    state = closed.state;
    log.push(...closed.events);
    const rule = DEFAULT_WRITE_OFF_RULE;
    expect(writeOffEligibility(state, d('2026-08-15'), rule)).toEqual({
      eligible: false,
      reason: "class doubtful, below the rule's loss",
    });
    const [candidate] = writeOffCandidates([state], d('2026-08-16'), rule);
    expect(candidate).toMatchObject({
      loanId: 'L-1',
      daysPastDue: 181,
      assetClass: 'loss',
      principalMinor: 300000,
    });

    expect(
      refused(() => planWriteOff(state, line, { day: d('2026-08-16'), clientId: 'w', evidenceRef: ' ' })),
    ).toMatch(/^write_off_evidence_missing/);
    expect(
      refused(() =>
        planWriteOff(state, line, { day: d('2026-08-15'), clientId: 'w', evidenceRef: 'CASE-1' }),
      ),
    ).toMatch(/^day_already_closed/);
    const w = planWriteOff(state, line, { day: d('2026-08-16'), clientId: 'w-1', evidenceRef: 'CASE-1' });
    expect(w.events.map((e) => e.type)).toEqual(['LoanWrittenOff']);
    const wo = w.events[0]!;
    expect(wo).toMatchObject({ principalCurrentMinor: 0, principalOverdueMinor: 300000 });
    if (wo.type !== 'LoanWrittenOff') throw new Error('not a write-off');
    expect(w.state.status).toBe('written-off');
    expect(w.lineMove?.outstandingPrincipalMinor).toBe(0);
    expect(w.line?.after.usedMinor).toBe(0);
    state = w.state;
    line = w.line!.after;
    log.push(...w.events);
    const written = wo.principalOverdueMinor + wo.interestMinor + wo.penaltyMinor + wo.feeMinor;
    expect(state.writtenOff).toMatchObject({
      principalClaimedMinor: 300000,
      writtenOffMinor: written,
      recoveredMinor: 0,
    });
    expect(loanCreditReportStatus(state, d('2026-08-31'), false)).toBe('B');

    // EOD leaves it alone: nothing accrues on the books.
    const quiet = planClose(state, d('2026-12-31'));
    expect(quiet.events).toEqual([]);
    state = quiet.state;

    // A repayment on it is a recovery: cash against recoveries income, the memo reduced.
    const r = planCommand(state, line, {
      type: 'repay',
      amountMinor: 5000,
      day: d('2027-01-05'),
      clientId: 'r-1',
    });
    expect(r.events.map((e) => e.type)).toEqual(['RecoveredAfterWriteOff']);
    expect(r.lineMove).toBeNull();
    state = r.state;
    log.push(...r.events);
    expect(state.writtenOff).toMatchObject({ principalClaimedMinor: 295000, recoveredMinor: 5000 });

    expect(
      refused(() =>
        planCommand(state, line, {
          type: 'waive',
          component: 'penalty',
          amountMinor: 1,
          day: d('2027-01-06'),
          clientId: 'x',
        }),
      ),
    ).toMatch(/^loan_written_off/);
    expect(
      refused(() =>
        planCommand(
          state,
          line,
          { type: 'repay', amountMinor: 1, day: d('2026-12-01'), clientId: 'late' },
          { log, snapshots: [], postingsBySeq: new Map() },
        ),
      ),
    ).toMatch(/^loan_written_off/);

    const books = openLoanBooks(log).books;
    expect(reconcileBooks(books)).toEqual([]);
    const tb = trialBalance(books.postings);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    const b = accountBalances(books.postings);
    expect(b.writeOffLoss.balanceMinor).toBe(written);
    expect(b.recoveriesIncome.balanceMinor).toBe(5000);
    expect(b.writtenOffPrincipalMemo.balanceMinor).toBe(295000);
    expect(b.principalOverdue.balanceMinor).toBe(0);
    const { lastClosedDay: _a, nextEventDay: _b, ...folded } = replay(log);
    const { lastClosedDay: _c, nextEventDay: _d, ...incremental } = state;
    expect(folded).toEqual(incremental);
  });

  it('the rule is data: validated, with the fix in the message', () => {
    expect(parseWriteOffRule({})).toEqual(DEFAULT_WRITE_OFF_RULE);
    expect(parseWriteOffRule({ daysPastDueMin: 360, classification: 'banking-2023' })).toMatchObject({
      daysPastDueMin: 360,
    });
    expect(refused(() => parseWriteOffRule({ daysPastDueMin: 30 }))).toMatch(
      /^write_off_rule_invalid: daysPastDueMin must be/,
    );
    expect(refused(() => parseWriteOffRule({ evidenceRequired: false }))).toMatch(/cannot be turned off/);
    expect(refused(() => parseWriteOffRule({ assetClassMin: 'normal' }))).toMatch(/assetClassMin must be/);
    expect(refused(() => parseWriteOffRule({ nope: 1 }))).toMatch(/unknown field nope/);
    // Under the banking rules a loan 200 days past due is 次级, not 损失: no candidate.
    let { state } = start();
    state = planClose(state, d('2026-09-03')).state;
    const banking = parseWriteOffRule({ classification: 'banking-2023' });
    expect(writeOffEligibility(state, d('2026-09-04'), banking)).toEqual({
      eligible: false,
      reason: "class substandard, below the rule's loss",
    });
    expect(writeOffCandidates([state], d('2026-09-04'), DEFAULT_WRITE_OFF_RULE)).toHaveLength(1);
  });
});
