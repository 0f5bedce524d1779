/**
 * The seeded randomised run: many loans over several years of business days, with early, partial, late,
 * backdated and duplicate repayments, driven through the ledger's commands (credit lines, idempotent
 * command log, books) and checked at every month end against the independent reference model.
 *
 * Replay a failure: SIM_SEED=<seed> [SIM_LOAN=<loan id>] npx vitest run test/simulation/ledger-against-reference.test.ts
 * (each loan draws from its own random stream, so one loan replays alone exactly as in the full run).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accountBalances,
  CommandConflictError,
  closeBusinessDaysThrough,
  EMPTY_LEDGER_BOOK,
  emptyCommandLog,
  handleCommand,
  isLedgerInputError,
  type LedgerBook,
  type LedgerCommand,
  type LedgerCommandResult,
  type LoanOpened,
  loanPosition,
  reconcileBooks,
  trialBalance,
} from '../../src/ledger/index.js';
import { addDays, type Day, endOfMonth, formatDate, parseDate, weekday } from '../../src/money/index.js';
import { type ReferenceBalances, ReferenceLoan, seededRandom } from '../../src/simulation/index.js';

const SEED = Number(process.env.SIM_SEED ?? 20261128);
const ONLY_LOAN = process.env.SIM_LOAN;
const LOANS = 300;
const FIRST_DAY = parseDate('2026-01-05');
/** Loans are drawn over the first 14 months; the run goes on long enough for late ones to age into M7. */
const DRAW_WINDOW_DAYS = 420;
const LAST_DAY = parseDate('2028-12-31');

type Behaviour = 'on-time' | 'early' | 'late' | 'partial' | 'stops' | 'overpays';
const BEHAVIOURS: readonly Behaviour[] = ['on-time', 'early', 'late', 'partial', 'stops', 'overpays'];

interface PlannedPayment {
  /** Day the money is effective. */
  readonly day: Day;
  /** Day it reaches the ledger (later than `day` for a backdated payment). */
  readonly arrives: Day;
  readonly amountMinor: number;
  readonly clientId: string;
  /** Send it a second time (a client retry), and once more with another amount under the same id. */
  readonly duplicate: boolean;
  readonly conflicting: boolean;
}

interface SimLoan {
  readonly loanId: string;
  readonly lineId: string;
  readonly drawDay: Day;
  readonly principalMinor: number;
  readonly product: Record<string, unknown>;
  readonly excess: 'prepay' | 'credit';
  readonly behaviour: Behaviour;
  readonly rng: () => number;
  payments: PlannedPayment[];
  reference?: ReferenceLoan;
  refusedSettledSince?: Day;
  /** Set when written off: the reference balances written off, and what was recovered since. */
  writtenOff?: { day: Day; balances: ReferenceBalances; recoveredMinor: number; recoveryDay: Day };
}

const isBusinessDay = (day: Day) => weekday(day) >= 1 && weekday(day) <= 5;

function nextBusinessDay(day: Day): Day {
  let d = day;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

function makeLoan(index: number): SimLoan {
  // mulberry32 from simulation/: the run depends on the seed only.
  const rng = seededRandom((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const method = pick(['equal-installment', 'equal-principal', 'interest-first', 'pay-any-time'] as const);
  const allAtEnd = method === 'interest-first' || method === 'pay-any-time';
  const fees: Record<string, string>[] = [];
  if (rng() < 0.3) fees.push({ name: 'service', kind: 'upfront', basis: 'principal-rate', value: '0.01' });
  // No per-instalment fees where principal is prepaid: the reference model keeps the contract's due dates
  // after a payoff and would bill their fees, while the engine's plan ends with the payoff.
  if (!allAtEnd && rng() < 0.3)
    fees.push({ name: 'account', kind: 'per-installment', basis: 'fixed', value: '2.50' });
  const product = {
    id: `p-${index}`,
    method,
    termCount: pick([3, 6, 12, 12, 24]),
    rate: { value: pick(['0.0002', '0.0003', '0.0004', '0.0005']), per: 'day' },
    graceDays: pick([0, 0, 1, 3]),
    rounding: { mode: pick(['half-up', 'half-even', 'down']), scale: 2 },
    penalty: {
      uplift: pick(['0.3', '0.5']),
      base: pick(['overdue-principal', 'overdue-principal-and-interest']),
      compounding: false,
    },
    allocation: {
      order: pick([
        ['penalty', 'fee', 'interest', 'principal'],
        ['fee', 'interest', 'principal', 'penalty'],
      ]),
      across: pick(['oldest-due-first', 'component-first']),
    },
    fees,
    // Short loans with upfront fees pass 24%; the cap is a setting, raised for the run.
    aprCap: '0.5',
  };
  return {
    loanId: `L-${String(index).padStart(3, '0')}`,
    lineId: `CL-${String(index % 100).padStart(3, '0')}`,
    drawDay: nextBusinessDay(addDays(FIRST_DAY, Math.floor(rng() * DRAW_WINDOW_DAYS))),
    principalMinor: 100_000 + Math.floor(rng() * 49) * 100_000 + Math.floor(rng() * 100),
    product,
    // Early principal only where the plan puts all principal at the end (the reference's scope).
    excess: method === 'interest-first' || method === 'pay-any-time' ? 'prepay' : 'credit',
    behaviour: pick(BEHAVIOURS),
    rng,
    payments: [],
  };
}

/** The loan's repayments, planned from its contract schedule and its borrower's behaviour. */
function planPayments(loan: SimLoan, opened: LoanOpened): PlannedPayment[] {
  const { rng, behaviour } = loan;
  const out: PlannedPayment[] = [];
  let n = 0;
  const stopAfter =
    behaviour === 'stops' ? Math.floor(rng() * opened.installments.length) : Number.POSITIVE_INFINITY;
  opened.installments.forEach((inst, i) => {
    if (i >= stopAfter) return;
    let total = inst.totalMinor + (i === 0 ? opened.upfrontFeeMinor : 0);
    let offset = 0;
    if (behaviour === 'early') offset = -Math.floor(rng() * 20) - 1;
    if (behaviour === 'late') offset = Math.floor(rng() * 75);
    if (behaviour === 'partial') total = Math.max(1, Math.floor(total * (0.3 + rng() * 0.6)));
    if (behaviour === 'overpays') total = Math.floor(total * (1 + rng() * 0.8));
    if (rng() < 0.08) offset += Math.floor(rng() * 40); // occasionally late anyway
    const day = nextBusinessDay(Math.max(loan.drawDay + 1, inst.dueDay + offset));
    // Some payments reach the ledger days after their effective day (a channel's late file): backdated.
    const arrives = rng() < 0.12 ? nextBusinessDay(addDays(day, 1 + Math.floor(rng() * 25))) : day;
    out.push({
      day,
      arrives,
      amountMinor: Math.max(1, total),
      clientId: `${loan.loanId}-pay-${n++}`,
      duplicate: rng() < 0.1,
      conflicting: rng() < 0.03,
    });
  });
  // Late payers settle late; everyone but the ones who stop may pay off the rest some day.
  if (behaviour !== 'stops' && rng() < 0.5) {
    const last = opened.installments.at(-1)!;
    out.push({
      day: nextBusinessDay(last.dueDay + 30 + Math.floor(rng() * 90)),
      arrives: 0,
      amountMinor: loan.principalMinor,
      clientId: `${loan.loanId}-payoff`,
      duplicate: false,
      conflicting: false,
    });
  }
  // Some borrowers who may prepay pay the whole loan off within days of drawing it, before the first due
  // date: the upfront fee is then billed on the day (decision 0340).
  if (loan.excess === 'prepay' && rng() < 0.1) {
    out.push({
      day: nextBusinessDay(loan.drawDay + 1 + Math.floor(rng() * 15)),
      arrives: 0,
      amountMinor: Math.floor(loan.principalMinor * 1.05),
      clientId: `${loan.loanId}-early-payoff`,
      duplicate: false,
      conflicting: false,
    });
  }
  return out.map((p) => (p.arrives === 0 ? { ...p, arrives: p.day } : p));
}

function fail(loanId: string, day: Day, what: string): never {
  throw new Error(
    `simulation seed ${SEED}, loan ${loanId}, day ${formatDate(day)}: ${what}\n` +
      `replay: SIM_SEED=${SEED} SIM_LOAN=${loanId} npx vitest run test/simulation/ledger-against-reference.test.ts`,
  );
}

describe('seeded simulation against the reference model', () => {
  it(`${LOANS} loans over three years of business days (seed ${SEED})`, () => {
    let loans = Array.from({ length: LOANS }, (_, i) => makeLoan(i));
    if (ONLY_LOAN) loans = loans.filter((l) => l.loanId === ONLY_LOAN);
    let book: LedgerBook = EMPTY_LEDGER_BOOK;
    let log = emptyCommandLog<LedgerCommandResult>();
    let arrival = 0;
    const stats = {
      payments: 0,
      backdated: 0,
      duplicates: 0,
      conflicts: 0,
      refusedSettled: 0,
      checks: 0,
      writeOffs: 0,
      recoveries: 0,
    };
    const send = (command: LedgerCommand) => {
      const r = handleCommand(book, log, command);
      book = r.book;
      log = r.log;
      return r;
    };
    const byDrawDay = new Map<Day, SimLoan[]>();
    const byArrival = new Map<Day, { loan: SimLoan; payment: PlannedPayment }[]>();
    for (const loan of loans) byDrawDay.set(loan.drawDay, [...(byDrawDay.get(loan.drawDay) ?? []), loan]);
    for (const lineId of new Set(loans.map((l) => l.lineId))) {
      send({
        kind: 'open-line',
        clientId: `open-${lineId}`,
        lineId,
        customerId: `C-${lineId}`,
        limitMinor: 100_000_000,
        day: FIRST_DAY,
      });
    }

    for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
      if (isBusinessDay(day)) {
        for (const loan of byDrawDay.get(day) ?? []) {
          const r = send({
            kind: 'draw',
            clientId: `draw-${loan.loanId}`,
            lineId: loan.lineId,
            loanId: loan.loanId,
            product: loan.product,
            principalMinor: loan.principalMinor,
            day,
          });
          const opened = r.result.loanEvents[0] as LoanOpened;
          loan.reference = new ReferenceLoan({
            product: opened.product,
            principalMinor: opened.principalMinor,
            startDay: opened.day,
            installments: opened.installments,
            upfrontFeeMinor: opened.upfrontFeeMinor,
          });
          loan.payments = planPayments(loan, opened);
          for (const payment of loan.payments) {
            byArrival.set(payment.arrives, [...(byArrival.get(payment.arrives) ?? []), { loan, payment }]);
          }
        }
        for (const { loan, payment } of byArrival.get(day) ?? []) {
          if (loan.writtenOff !== undefined) continue;
          const command: LedgerCommand = {
            kind: 'repay',
            clientId: payment.clientId,
            loanId: loan.loanId,
            amountMinor: payment.amountMinor,
            day: payment.day,
            excess: loan.excess,
          };
          const books = book.loans[loan.loanId]!;
          if (books.state.status === 'settled') {
            // The engine would refuse it: the reference must agree that nothing is owed.
            loan.refusedSettledSince ??= day;
            stats.refusedSettled++;
            continue;
          }
          let accepted: ReturnType<typeof send>;
          try {
            accepted = send(command);
          } catch (error) {
            if (isLedgerInputError(error) && error.code === 'loan_settled') {
              loan.refusedSettledSince ??= day;
              stats.refusedSettled++;
              continue;
            }
            fail(loan.loanId, day, `repayment ${payment.clientId} refused: ${String(error)}`);
          }
          stats.payments++;
          if (payment.day < day) stats.backdated++;
          if (
            loan.reference!.addPayment({
              day: payment.day,
              amountMinor: payment.amountMinor,
              excess: loan.excess,
              arrival: arrival++,
            })
          ) {
            loan.reference = ReferenceLoan.rebuild(loan.reference!);
          }
          if (payment.duplicate) {
            const before = book;
            const again = send(command);
            if (
              !again.repeated ||
              again.book !== before ||
              JSON.stringify(again.result) !== JSON.stringify(accepted.result)
            ) {
              fail(loan.loanId, day, `duplicate ${payment.clientId} changed something`);
            }
            stats.duplicates++;
          }
          if (payment.conflicting) {
            try {
              send({ ...command, amountMinor: payment.amountMinor + 1 });
              fail(loan.loanId, day, `conflicting ${payment.clientId} was accepted`);
            } catch (error) {
              if (!(error instanceof CommandConflictError) || error.field !== 'amountMinor') throw error;
            }
            stats.conflicts++;
          }
        }
      }
      for (const loan of loans) {
        const w = loan.writtenOff;
        if (w === undefined || w.recoveryDay !== day) continue;
        // Collections recover part of a written-off loan (已核销贷款收回).
        const amountMinor = 1 + Math.floor(loan.rng() * loan.principalMinor * 0.4);
        send({ kind: 'recover', clientId: `${loan.loanId}-recovery`, loanId: loan.loanId, amountMinor, day });
        w.recoveredMinor += amountMinor;
        stats.recoveries++;
      }
      book = closeBusinessDaysThrough(book, day).book;
      if (day === endOfMonth(day)) {
        for (const loan of loans) {
          if (loan.reference === undefined) continue;
          if (loan.writtenOff === undefined) loan.reference.advanceTo(day);
          checkLoan(book, loan, day);
          stats.checks++;
          // Some loans that stopped paying are written off (核销) once past 180 days, the next day.
          const state = book.loans[loan.loanId]!.state;
          if (loan.writtenOff === undefined && state.bucket === 'M7' && loan.rng() < 0.3) {
            send({
              kind: 'write-off',
              clientId: `${loan.loanId}-wo`,
              loanId: loan.loanId,
              evidenceRef: `case-${loan.loanId}`,
              day: day + 1,
            });
            loan.writtenOff = {
              day: day + 1,
              balances: loan.reference.balances(),
              recoveredMinor: 0,
              recoveryDay: day + 40,
            };
            stats.writeOffs++;
          }
        }
      }
    }
    const all = Object.values(book.loans).flatMap((l) => l.postings);
    const tb = trialBalance(all);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    // The run must have exercised what it claims to.
    if (!ONLY_LOAN) {
      expect(stats.payments).toBeGreaterThan(2000);
      expect(stats.backdated).toBeGreaterThan(100);
      expect(stats.duplicates).toBeGreaterThan(100);
      expect(stats.conflicts).toBeGreaterThan(20);
      expect(stats.writeOffs).toBeGreaterThan(5);
      expect(stats.recoveries).toBe(
        loans.filter((l) => (l.writtenOff?.recoveryDay ?? Infinity) <= LAST_DAY).length,
      );
      // Upfront fees billed early because a loan was paid off before its first due date.
      const feesBilledEarly = Object.values(book.loans).filter((l) =>
        l.engineLog.some((e) => e.type === 'UpfrontFeeBilled'),
      ).length;
      expect(feesBilledEarly).toBeGreaterThan(0);
      const buckets = new Set(Object.values(book.loans).map((l) => l.state.bucket));
      expect(buckets).toContain('M7');
    }
  });
});

function checkLoan(book: LedgerBook, loan: SimLoan, day: Day): void {
  const books = book.loans[loan.loanId]!;
  if (loan.writtenOff !== undefined) {
    checkWrittenOff(book, loan, day);
    return;
  }
  const ref = loan.reference!.balances();
  const b = accountBalances(books.postings);
  const position = loanPosition(books.state);
  const compare: [string, number, number][] = [
    ['principal current (books)', b.principalCurrent.balanceMinor, ref.principalCurrentMinor],
    ['principal overdue (books)', b.principalOverdue.balanceMinor, ref.principalOverdueMinor],
    ['interest receivable (books)', b.interestReceivable.balanceMinor, ref.interestMinor],
    ['penalty receivable (books)', b.penaltyReceivable.balanceMinor, ref.penaltyMinor],
    ['fee receivable (books)', b.feeReceivable.balanceMinor, ref.feeMinor],
    ['credit balance (books)', b.suspense.balanceMinor, ref.creditMinor],
    [
      'outstanding principal (engine)',
      position.outstandingPrincipalMinor,
      ref.principalCurrentMinor + ref.principalOverdueMinor,
    ],
    ['overdue principal (engine)', position.overduePrincipalMinor, ref.principalOverdueMinor],
    [
      'line used (credit line)',
      book.lines[loan.lineId]!.loanPrincipalMinor[loan.loanId] ?? 0,
      ref.principalCurrentMinor + ref.principalOverdueMinor,
    ],
  ];
  for (const [what, actual, expected] of compare) {
    if (actual !== expected && process.env.SIM_DEBUG) writeDebug(process.env.SIM_DEBUG, books, loan, ref);
    if (actual !== expected)
      fail(loan.loanId, day, `${what} is ${actual}, the reference model says ${expected}`);
  }
  if (books.state.lastClosedDay !== day)
    fail(loan.loanId, day, `EOD marker at ${formatDate(books.state.lastClosedDay)}`);
  const breaks = reconcileBooks(books);
  if (breaks.length > 0) fail(loan.loanId, day, `books ≠ engine: ${JSON.stringify(breaks)}`);
  if (loan.refusedSettledSince !== undefined && !loan.reference!.owesNothing()) {
    fail(
      loan.loanId,
      loan.refusedSettledSince,
      'the engine settled the loan while the reference model says money is owed',
    );
  }
}

/** SIM_DEBUG=<file>: the failing loan's events, planned payments and the reference balances, for diagnosis. */
function writeDebug(file: string, books: LedgerBook['loans'][string], loan: SimLoan, ref: unknown): void {
  const lines = books.engineLog.map((e) =>
    [
      formatDate(e.day),
      JSON.stringify({ ...e, product: undefined, installments: undefined, delinquency: undefined }),
    ].join(' '),
  );
  lines.push(
    JSON.stringify(
      loan.payments.map((p) => ({ ...p, day: formatDate(p.day), arrives: formatDate(p.arrives) })),
    ),
  );
  lines.push(JSON.stringify(loan.product), JSON.stringify(ref));
  writeFileSync(file, lines.join('\n'));
}

/**
 * A written-off loan: nothing left on the receivable accounts, the loss is what the reference said was owed
 * the day before (accruals are posted at each month end, so the books held exactly that), the memo keeps
 * the principal less recoveries, and the line is free again.
 */
function checkWrittenOff(book: LedgerBook, loan: SimLoan, day: Day): void {
  const w = loan.writtenOff!;
  const books = book.loans[loan.loanId]!;
  const b = accountBalances(books.postings);
  const owed = w.balances;
  const principal = owed.principalCurrentMinor + owed.principalOverdueMinor;
  const compare: [string, number, number][] = [
    [
      'receivables after write-off',
      b.principalCurrent.balanceMinor +
        b.principalOverdue.balanceMinor +
        b.interestReceivable.balanceMinor +
        b.penaltyReceivable.balanceMinor +
        b.feeReceivable.balanceMinor,
      0,
    ],
    [
      'write-off loss',
      b.writeOffLoss.balanceMinor,
      principal + owed.interestMinor + owed.penaltyMinor + owed.feeMinor,
    ],
    [
      'written-off principal memo',
      b.writtenOffPrincipalMemo.balanceMinor,
      principal - Math.min(principal, w.recoveredMinor),
    ],
    ['recoveries income', b.recoveriesIncome.balanceMinor, w.recoveredMinor],
    ['line used', book.lines[loan.lineId]!.loanPrincipalMinor[loan.loanId] ?? 0, 0],
  ];
  for (const [what, actual, expected] of compare) {
    if (actual !== expected)
      fail(loan.loanId, day, `${what} is ${actual}, expected ${expected} (written off ${formatDate(w.day)})`);
  }
  if (reconcileBooks(books).length > 0)
    fail(loan.loanId, day, `books ≠ engine after write-off: ${JSON.stringify(reconcileBooks(books))}`);
}
