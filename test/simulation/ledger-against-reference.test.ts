/**
 * The seeded randomised run: many loans over several years of business days, with early, partial, late,
 * backdated and duplicate repayments, restructurings (协商分期, 展期, payment holidays, rate reductions),
 * settlement offers (paid, paid in two parts, lapsed), write-offs and recoveries, driven through the
 * ledger's commands (credit lines, idempotent command log, books) and checked at every month end against
 * the independent reference model — and, once a loan has been restructured or offered a settlement, on
 * every day's balances.
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
  type LoanEvent,
  type LoanOpened,
  type LoanRestructured,
  loanPosition,
  type RestructureRequest,
  reconcileBooks,
  trialBalance,
} from '../../src/ledger/index.js';
import { addDays, type Day, endOfMonth, formatDate, parseDate, weekday } from '../../src/money/index.js';
import {
  type ReferenceBalances,
  ReferenceLoan,
  type ReferenceRestructuringOutcome,
  seededRandom,
} from '../../src/simulation/index.js';

const SEED = Number(process.env.SIM_SEED ?? 20261128);
const ONLY_LOAN = process.env.SIM_LOAN;
/** SIM_LOANS=<n> for a longer run than CI's. */
const LOANS = Number(process.env.SIM_LOANS ?? 300);
/** The test runner's limit, scaled with the book for longer runs. */
const RUN_TIMEOUT_MS = 60_000 * Math.max(1, Math.ceil(LOANS / 300));
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
  readonly behaviour: Behaviour;
  readonly rng: () => number;
  payments: PlannedPayment[];
  /** Excess of the next repayments (a restructured plan takes credit: the model re-amortises nothing). */
  excess: 'prepay' | 'credit';
  /** The contract rate per day in force. */
  rate: string;
  /** Planned payments no longer to be made (superseded by a restructuring or an offer). */
  dropped: Set<string>;
  /** A restructuring or offer scheduled and not yet made. */
  changePending: boolean;
  /** Restructurings made, offers made, and the model's outcomes in order of the ledger's events. */
  restructurings: number;
  offers: number;
  /** Last day of the offer in force (no write-off before it). */
  offerThrough: Day;
  /** Capitalised into principal by restructurings (never drawn on the line). */
  capitalisedMinor: number;
  /** From the first change on, the loan is checked every day. */
  daily: boolean;
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
    rate: product.rate.value,
    dropped: new Set(),
    changePending: false,
    restructurings: 0,
    offers: 0,
    offerThrough: 0,
    capitalisedMinor: 0,
    daily: false,
  };
}

/** A restructuring or a settlement offer the run makes on a business day. */
type PlannedChange =
  | { readonly kind: 'restructure'; readonly request: RestructureRequest }
  | { readonly kind: 'offer'; readonly share: number; readonly validDays: number };

/**
 * At a month end, what a lender might agree with the borrower: a past-due borrower a negotiated plan or
 * (further behind) a settlement; a borrower still current a holiday, an extension or a lower rate.
 */
function pickChange(loan: SimLoan, bucket: string): PlannedChange | null {
  const { rng } = loan;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const pastDue = bucket !== 'M0';
  const r = rng();
  if (pastDue && loan.offers === 0 && bucket !== 'M1' && r < 0.05) {
    return { kind: 'offer', share: 0.55 + rng() * 0.4, validDays: 5 + Math.floor(rng() * 40) };
  }
  if (loan.restructurings >= 2) return null;
  if (pastDue && r < 0.12) {
    const request: RestructureRequest = {
      kind: 'negotiated-plan',
      months: pick([3, 6, 12, 24, 36, 60]),
      monthlyIncomeMinor: loan.principalMinor * 10,
      penalty: pick(['waive', 'capitalise'] as const),
      interestArrears: pick(['waive', 'capitalise'] as const),
      feeArrears: pick(['waive', 'capitalise'] as const),
      ...(rng() < 0.3 ? { downPaymentMinor: 100 + Math.floor(rng() * 20_000) } : {}),
    };
    return { kind: 'restructure', request };
  }
  if (!pastDue && r < 0.02) {
    const kind = pick(['term-extension', 'payment-holiday', 'rate-reduction'] as const);
    if (kind === 'term-extension') {
      return { kind: 'restructure', request: { kind, extensionMonths: 1 + Math.floor(rng() * 12) } };
    }
    if (kind === 'payment-holiday') {
      return {
        kind: 'restructure',
        request: {
          kind,
          holidayMonths: 1 + Math.floor(rng() * 3),
          holidayInterest: pick(['accrue', 'waive'] as const),
          relief: rng() < 0.5,
        },
      };
    }
    const lower = ['0.0001', '0.00015', '0.0002', '0.00025', '0.0003'].filter(
      (v) => Number(v) < Number(loan.rate),
    );
    if (lower.length === 0) return null;
    return { kind: 'restructure', request: { kind, rateValue: pick(lower) } };
  }
  return null;
}

/** How the borrower pays a restructured plan: keeps it, pays late, or keeps a few instalments and stops. */
function planRestructuredPayments(
  loan: SimLoan,
  e: LoanRestructured,
  carriedMinor: number,
): PlannedPayment[] {
  const { rng } = loan;
  const r = rng();
  const stopAfter = r < 0.2 ? Math.floor(rng() * 3) : Number.POSITIVE_INFINITY;
  const late = r >= 0.2 && r < 0.35;
  const out: PlannedPayment[] = [];
  e.installments.forEach((inst, i) => {
    if (i >= stopAfter) return;
    const day = nextBusinessDay(inst.dueDay + (late ? Math.floor(rng() * 40) : 0));
    out.push({
      day,
      arrives: day,
      amountMinor: Math.max(1, inst.totalMinor + (i === 0 ? carriedMinor : 0)),
      clientId: `${loan.loanId}-r${loan.restructurings}-pay-${i}`,
      duplicate: rng() < 0.05,
      conflicting: false,
    });
  });
  return out;
}

/** How the borrower answers an offer: pays it at once, in two parts, or pays part of it and lets it lapse. */
function planOfferPayments(loan: SimLoan, offerMinor: number, billedMinor: number, from: Day, through: Day) {
  const { rng } = loan;
  const r = rng();
  const within = () => nextBusinessDayAtMost(from + 1 + Math.floor(rng() * (through - from)), through);
  const out: PlannedPayment[] = [];
  const pay = (day: Day, amountMinor: number, n: number) =>
    out.push({
      day,
      arrives: day,
      amountMinor,
      clientId: `${loan.loanId}-offer-pay-${n}`,
      duplicate: rng() < 0.05,
      conflicting: false,
    });
  if (r < 0.4) {
    const day = within();
    if (day !== null) pay(day, offerMinor + (rng() < 0.2 ? Math.floor(rng() * 5000) : 0), 0);
  } else if (r < 0.8) {
    // The first part is often more than the bills: a borrower whose payments are kept as credit then holds
    // a credit balance, which pays what is owed when the second part reaches the offer.
    const first = Math.max(1, Math.floor(offerMinor * (0.2 + rng() * 0.5)));
    const a = within();
    const b = within();
    if (a !== null && b !== null) {
      pay(Math.min(a, b), first, 0);
      pay(Math.max(a, b), offerMinor - first, 1);
    }
  } else {
    const day = within();
    if (day !== null) pay(day, Math.max(1, Math.min(billedMinor, Math.floor(offerMinor * 0.3))), 0);
  }
  return out;
}

function nextBusinessDayAtMost(day: Day, last: Day): Day | null {
  const d = nextBusinessDay(day);
  return d <= last ? d : null;
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
  it(
    `${LOANS} loans over three years of business days (seed ${SEED})`,
    () => {
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
        restructurings: {} as Record<string, number>,
        changesRefused: {} as Record<string, number>,
        offers: 0,
        dailyChecks: 0,
      };
      const byChangeDay = new Map<Day, { loan: SimLoan; change: PlannedChange }[]>();
      const queue = (loan: SimLoan, payments: readonly PlannedPayment[]) => {
        for (const payment of payments) {
          loan.payments.push(payment);
          byArrival.set(payment.arrives, [...(byArrival.get(payment.arrives) ?? []), { loan, payment }]);
        }
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
            queue(loan, planPayments(loan, opened));
          }
          for (const { loan, payment } of byArrival.get(day) ?? []) {
            if (loan.writtenOff !== undefined || loan.dropped.has(payment.clientId)) continue;
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
            const completed = accepted.result.loanEvents.find((e) => e.type === 'SettlementCompleted');
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
            if (completed !== undefined) stats.offers++;
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
        if (isBusinessDay(day)) {
          for (const { loan, change } of byChangeDay.get(day) ?? []) {
            loan.changePending = false;
            if (loan.writtenOff !== undefined || book.loans[loan.loanId]!.state.status !== 'active') continue;
            const ref = loan.reference!;
            ref.advanceTo(day - 1);
            const clientId = `${loan.loanId}-change-${loan.restructurings + loan.offers}`;
            const refuse = (error: unknown) => {
              const expected = [
                'restructure_not_past_due',
                'restructure_first_due_passed',
                'restructure_needs_monthly_plan',
                'restructure_nothing_to_replan',
                'down_payment_settles_loan',
                'restructure_rate_not_lower',
              ];
              if (!isLedgerInputError(error) || !expected.includes(error.code)) {
                fail(loan.loanId, day, `${change.kind} refused: ${String(error)}`);
              }
              stats.changesRefused[error.code] = (stats.changesRefused[error.code] ?? 0) + 1;
            };
            const dropFuture = () => {
              for (const p of loan.payments) if (p.arrives > day) loan.dropped.add(p.clientId);
            };
            const arrivalOfChange = arrival++;
            if (change.kind === 'restructure') {
              const request = change.request;
              let r: ReturnType<typeof send>;
              try {
                r = send({ kind: 'restructure', clientId, loanId: loan.loanId, day, request });
              } catch (error) {
                refuse(error);
                continue;
              }
              const event = r.result.loanEvents.find(
                (e) => e.type === 'LoanRestructured',
              ) as LoanRestructured;
              ref.addRestructuring({
                day,
                arrival: arrivalOfChange,
                downPaymentMinor: request.downPaymentMinor ?? 0,
                penalty: request.penalty ?? 'waive',
                interestArrears: request.interestArrears ?? 'capitalise',
                feeArrears: request.feeArrears ?? 'capitalise',
                rateValue: request.rateValue ?? null,
                method: event.product.method,
                installments: event.installments,
              });
              ref.advanceTo(day);
              compareRestructuring(loan, day, event, ref.restructurings.get(arrivalOfChange)!);
              const c = event.capitalised;
              loan.capitalisedMinor += c.penaltyMinor + c.interestMinor + c.feeMinor;
              loan.restructurings++;
              loan.excess = 'credit';
              if (request.rateValue !== undefined) loan.rate = request.rateValue;
              stats.restructurings[request.kind] = (stats.restructurings[request.kind] ?? 0) + 1;
              dropFuture();
              queue(loan, planRestructuredPayments(loan, event, ref.balances().interestMinor));
            } else {
              // Owed after the day's payments so far (what the engine quotes; a day's interest more on the day).
              const owed = loanPosition(book.loans[loan.loanId]!.state).totalOwedMinor;
              const offerMinor = Math.floor(owed * change.share);
              if (offerMinor < 1) continue;
              const validThroughDay = day + change.validDays;
              let r: ReturnType<typeof send>;
              try {
                r = send({
                  kind: 'offer-settlement',
                  clientId,
                  loanId: loan.loanId,
                  offerMinor,
                  validThroughDay,
                  day,
                });
              } catch (error) {
                fail(loan.loanId, day, `offer refused: ${String(error)}`);
              }
              const event = r.result.loanEvents.find((e) => e.type === 'SettlementOffered');
              ref.addOffer({ day, arrival: arrivalOfChange, offerMinor, validThroughDay });
              ref.advanceTo(day);
              const modelOwed = ref.offers.get(arrivalOfChange)!.owedMinor;
              if (event?.type !== 'SettlementOffered' || event.owedMinor !== modelOwed) {
                fail(loan.loanId, day, `offer states ${JSON.stringify(event)} owed, the model ${modelOwed}`);
              }
              loan.offers++;
              loan.offerThrough = validThroughDay;
              dropFuture();
              queue(loan, planOfferPayments(loan, offerMinor, ref.billedMinor(), day, validThroughDay));
            }
            loan.daily = true;
          }
        }
        for (const loan of loans) {
          const w = loan.writtenOff;
          if (w === undefined || w.recoveryDay !== day) continue;
          // Collections recover part of a written-off loan (已核销贷款收回).
          const amountMinor = 1 + Math.floor(loan.rng() * loan.principalMinor * 0.4);
          send({
            kind: 'recover',
            clientId: `${loan.loanId}-recovery`,
            loanId: loan.loanId,
            amountMinor,
            day,
          });
          w.recoveredMinor += amountMinor;
          stats.recoveries++;
        }
        book = closeBusinessDaysThrough(book, day).book;
        for (const loan of loans) {
          if (!loan.daily || loan.writtenOff !== undefined) continue;
          loan.reference!.advanceTo(day);
          checkDaily(book, loan, day);
          stats.dailyChecks++;
        }
        if (day === endOfMonth(day)) {
          for (const loan of loans) {
            if (loan.reference === undefined) continue;
            if (loan.writtenOff === undefined) loan.reference.advanceTo(day);
            checkLoan(book, loan, day);
            stats.checks++;
            // Some loans that stopped paying are written off (核销) once past 180 days, the next day.
            const state = book.loans[loan.loanId]!.state;
            if (
              loan.writtenOff === undefined &&
              state.bucket === 'M7' &&
              !loan.changePending &&
              loan.offerThrough <= day &&
              loan.rng() < 0.3
            ) {
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
            // What the lender may agree with the borrower, from the next business day.
            const first = (book.loans[loan.loanId]!.engineLog[0] as LoanOpened).installments[0]!.dueDay;
            if (
              loan.writtenOff === undefined &&
              !loan.changePending &&
              state.status === 'active' &&
              loan.offerThrough <= day &&
              day >= first
            ) {
              const change = pickChange(loan, state.bucket);
              if (change !== null) {
                const on = nextBusinessDay(day + 1);
                loan.changePending = true;
                byChangeDay.set(on, [...(byChangeDay.get(on) ?? []), { loan, change }]);
              }
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
        const events = Object.values(book.loans).flatMap((l) => l.engineLog.map((e) => e.type));
        const count = (type: string) => events.filter((t) => t === type).length;
        for (const kind of ['negotiated-plan', 'term-extension', 'payment-holiday', 'rate-reduction']) {
          expect(stats.restructurings[kind] ?? 0, kind).toBeGreaterThan(3);
        }
        expect(count('SettlementCompleted')).toBeGreaterThan(3);
        // Offers completed with a credit balance left by an earlier part, applied before the waiver.
        const completedWithCredit = Object.values(book.loans).filter((l) =>
          l.engineLog.some(
            (e, i) =>
              e.type === 'CreditApplied' && l.engineLog[i + 1]?.type.match(/Waived|SettlementCompleted/),
          ),
        ).length;
        expect(completedWithCredit).toBeGreaterThan(0);
        expect(count('SettlementLapsed')).toBeGreaterThan(1);
        expect(count('RestructuringBroken')).toBeGreaterThan(1);
        // Restructured loans written off and recovered.
        const restructuredWrittenOff = loans.filter(
          (l) => l.restructurings > 0 && l.writtenOff !== undefined,
        );
        expect(restructuredWrittenOff.length).toBeGreaterThan(0);
        expect(stats.dailyChecks).toBeGreaterThan(5000);
      }
      if (process.env.SIM_STATS) console.log(JSON.stringify(stats));
    },
    RUN_TIMEOUT_MS,
  );
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
      Math.max(0, ref.principalCurrentMinor + ref.principalOverdueMinor - loan.capitalisedMinor),
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
  checkOffers(books.engineLog, loan, day);
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

/** The ledger's restructuring event against what the model made of the same agreement. */
function compareRestructuring(
  loan: SimLoan,
  day: Day,
  e: LoanRestructured,
  model: ReferenceRestructuringOutcome,
): void {
  const compare: [string, number, number][] = [
    ['principal re-planned', e.principalMinor, model.principalMinor],
    ['penalty waived', e.waived.penaltyMinor, model.waived.penaltyMinor],
    ['interest waived', e.waived.interestMinor, model.waived.interestMinor],
    ['fees waived', e.waived.feeMinor, model.waived.feeMinor],
    ['penalty capitalised', e.capitalised.penaltyMinor, model.capitalised.penaltyMinor],
    ['interest capitalised', e.capitalised.interestMinor, model.capitalised.interestMinor],
    ['fees capitalised', e.capitalised.feeMinor, model.capitalised.feeMinor],
    [
      'forgiven',
      e.forgivenMinor,
      model.waived.penaltyMinor + model.waived.interestMinor + model.waived.feeMinor,
    ],
  ];
  for (const [what, actual, expected] of compare) {
    if (actual !== expected)
      fail(loan.loanId, day, `${e.request.kind}: ${what} is ${actual}, the reference model says ${expected}`);
  }
}

/** Each offer's end in the ledger's log (completed with the waiver, or lapsed) against the model's. */
function checkOffers(log: readonly LoanEvent[], loan: SimLoan, day: Day): void {
  const ends = log.flatMap((e) =>
    e.type === 'SettlementCompleted'
      ? [{ kind: 'completed', day: e.day, waivedMinor: e.waivedMinor }]
      : e.type === 'SettlementLapsed'
        ? [{ kind: 'lapsed', day: e.day }]
        : [],
  );
  const model = [...loan.reference!.offers.values()].flatMap((o) => (o.end === null ? [] : [o.end]));
  if (JSON.stringify(ends) !== JSON.stringify(model)) {
    fail(
      loan.loanId,
      day,
      `settlements ended ${JSON.stringify(ends)}, the model says ${JSON.stringify(model)}`,
    );
  }
}

/** A restructured or offered loan, every day: the engine's position against the model's balances. */
function checkDaily(book: LedgerBook, loan: SimLoan, day: Day): void {
  const books = book.loans[loan.loanId]!;
  const ref = loan.reference!.balances();
  const p = loanPosition(books.state);
  const compare: [string, number, number][] = [
    [
      'outstanding principal',
      p.outstandingPrincipalMinor,
      ref.principalCurrentMinor + ref.principalOverdueMinor,
    ],
    ['overdue principal', p.overduePrincipalMinor, ref.principalOverdueMinor],
    ['interest', p.overdueInterestMinor + p.dueInterestMinor + p.accruedInterestMinor, ref.interestMinor],
    ['penalty', p.penaltyOutstandingMinor, ref.penaltyMinor],
    ['fees', p.overdueFeeMinor + p.dueFeeMinor, ref.feeMinor],
    ['credit', p.creditMinor, ref.creditMinor],
  ];
  for (const [what, actual, expected] of compare) {
    if (actual !== expected && process.env.SIM_DEBUG) writeDebug(process.env.SIM_DEBUG, books, loan, ref);
    if (actual !== expected)
      fail(loan.loanId, day, `${what} (daily) is ${actual}, the reference model says ${expected}`);
  }
}
