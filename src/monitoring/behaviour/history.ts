import type { InstallmentAllocation, LoanEvent } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';

/**
 * The compact history of one loan that the behaviour score (行为评分, B卡) reads: its instalments with the
 * day each fell due, passed its grace period and was paid off, its payments and the principal taken off it.
 * Built once from the loan's event log (`behaviourLoanOf`), so that features at any as-of day are a scan of
 * a few small arrays, never a replay of the ledger.
 */
export interface BehaviourInstalment {
  readonly number: number;
  /** The contract due date (days past due count from it). */
  readonly dueDay: Day;
  /** First day it counts as past due if still unpaid: due date + grace + 1. */
  readonly overdueDay: Day;
  /** Principal, interest and fees billed for it. */
  readonly billedMinor: number;
  /** The day the billed amount was paid in full (payment, credit applied or waiver); null while unpaid. */
  readonly paidOffDay: Day | null;
}

export interface BehaviourPayment {
  readonly day: Day;
  readonly amountMinor: number;
}

export interface BehaviourLoan {
  readonly loanId: string;
  readonly openedDay: Day;
  readonly principalMinor: number;
  /** Day the loan was settled (nothing owed any more); null while it runs. */
  readonly settledDay: Day | null;
  readonly instalments: readonly BehaviourInstalment[];
  readonly payments: readonly BehaviourPayment[];
  /** Principal taken off the loan (repaid, paid by credit, forgiven), by day, in event order. */
  readonly principalOffs: readonly BehaviourPayment[];
}

/** A credit line with its limits through time and its loans: the unit the behaviour score rates. */
export interface BehaviourLine {
  readonly customerId: string;
  readonly lineId: string;
  readonly openedDay: Day;
  /** The limit in force from each day on, oldest first; the first entry is the limit at opening. */
  readonly limits: readonly { readonly day: Day; readonly limitMinor: number }[];
  readonly loans: readonly BehaviourLoan[];
}

export interface OpenInstalment {
  number: number;
  dueDay: Day;
  overdueDay: Day;
  billedMinor: number;
  paidMinor: number;
  paidOffDay: Day | null;
}

/** What the fold reads of an instalment's share of a payment. */
type Allocated = Pick<
  InstallmentAllocation,
  'installmentNumber' | 'principalMinor' | 'interestMinor' | 'feeMinor'
>;
interface EventBase {
  readonly seq: number;
  readonly day: Day;
}
/**
 * The fields of the stored events that the fold reads: a `LoanEvent` is one, and so is the narrower record a
 * store builds from columns without parsing the whole payload (store/behaviour).
 */
export type BehaviourLoanEvent =
  | (EventBase & {
      readonly type: 'LoanOpened';
      readonly loanId: string;
      readonly principalMinor: number;
      readonly product: { readonly graceDays: number };
    })
  | (EventBase & {
      readonly type: 'InstallmentDue';
      readonly installmentNumber: number;
      readonly principalMinor: number;
      readonly interestMinor: number;
      readonly feeMinor: number;
      readonly billedEarly?: { readonly dueDay: Day } | null;
    })
  | (EventBase & {
      readonly type: 'UpfrontFeeBilled';
      readonly installmentNumber: number;
      readonly feeMinor: number;
    })
  | (EventBase & {
      readonly type: 'Repaid';
      readonly amountMinor: number;
      readonly allocation: { readonly principalMinor: number };
      readonly byInstallment: readonly Allocated[];
    })
  | (EventBase & {
      readonly type: 'CreditApplied';
      readonly allocation: { readonly principalMinor: number };
      readonly byInstallment: readonly Allocated[];
    })
  | (EventBase & { readonly type: 'Waived'; readonly byInstallment: readonly Allocated[] })
  | (EventBase & {
      readonly type: 'PrincipalWaived';
      readonly amountMinor: number;
      readonly byInstallment: readonly Allocated[];
    })
  | (EventBase & { readonly type: 'LoanSettled' })
  | (EventBase & { readonly type: 'EventsSuperseded'; readonly fromSeq: number; readonly toSeq: number })
  | Exclude<
      LoanEvent,
      {
        type:
          | 'LoanOpened'
          | 'InstallmentDue'
          | 'UpfrontFeeBilled'
          | 'Repaid'
          | 'CreditApplied'
          | 'Waived'
          | 'PrincipalWaived'
          | 'LoanSettled'
          | 'EventsSuperseded';
      }
    >;

function allocated(a: Allocated): number {
  return a.principalMinor + a.interestMinor + a.feeMinor;
}

/**
 * The fold of a loan's events as far as it has gone: what `behaviourLoanOf` builds the loan's history from,
 * kept so that a later month can go on from it with only the events appended since (`seq` is the last
 * event folded). Plain numbers and arrays, so that it can be stored as JSON (`behaviourFoldToJson`).
 */
export interface BehaviourFold {
  loanId: string;
  openedDay: Day;
  principalMinor: number;
  graceDays: number;
  settledDay: Day | null;
  /** The last event folded (0 before any). */
  seq: number;
  /** By instalment number: due day, overdue day, billed, paid, paid-off day. */
  readonly instalments: Map<number, OpenInstalment>;
  readonly payments: BehaviourPayment[];
  readonly principalOffs: BehaviourPayment[];
}

export function behaviourFoldStart(): BehaviourFold {
  return {
    loanId: '',
    openedDay: 0,
    principalMinor: 0,
    graceDays: 0,
    settledDay: null,
    seq: 0,
    instalments: new Map(),
    payments: [],
    principalOffs: [],
  };
}

/**
 * Folds a loan's stored events (in sequence order) into its behaviour history. Events a backdated command
 * superseded are skipped, as the ledger's own fold skips them. An instalment is paid off on the day the
 * principal, interest and fees allocated to it reach what was billed for it (penalty interest is not part
 * of the instalment's bill).
 */
export function behaviourLoanOf(events: readonly BehaviourLoanEvent[]): BehaviourLoan {
  return behaviourLoanOfFold(behaviourFoldEvents(behaviourFoldStart(), events));
}

/**
 * Goes on with a fold over further events of the loan, in sequence order, and returns it (changed in
 * place). Supersession markers apply to the events given in the same call: a fold may go on over later
 * events only when none of them is a marker (a marker's range reaches back before it), which the caller
 * checks (the job then folds the loan's whole log again).
 */
export function behaviourFoldEvents(
  fold: BehaviourFold,
  events: readonly BehaviourLoanEvent[],
): BehaviourFold {
  const superseded: [number, number][] = [];
  for (const e of events) if (e.type === 'EventsSuperseded') superseded.push([e.fromSeq, e.toSeq]);
  const counts = (seq: number) => !superseded.some(([from, to]) => seq >= from && seq <= to);
  const byNumber = fold.instalments;
  const { payments, principalOffs } = fold;
  const bill = (number: number, dueDay: Day, amountMinor: number) => {
    const item = byNumber.get(number);
    if (item === undefined) {
      byNumber.set(number, {
        number,
        dueDay,
        overdueDay: dueDay + fold.graceDays + 1,
        billedMinor: amountMinor,
        paidMinor: 0,
        paidOffDay: null,
      });
    } else {
      item.billedMinor += amountMinor;
      if (item.paidMinor < item.billedMinor) item.paidOffDay = null;
    }
  };
  const pay = (day: Day, parts: readonly Allocated[]) => {
    for (const part of parts) {
      const item = byNumber.get(part.installmentNumber);
      if (item === undefined) continue;
      item.paidMinor += allocated(part);
      if (item.paidOffDay === null && item.billedMinor > 0 && item.paidMinor >= item.billedMinor)
        item.paidOffDay = day;
    }
  };
  for (const e of events) {
    if (e.seq > fold.seq) fold.seq = e.seq;
    if (e.type === 'EventsSuperseded' || !counts(e.seq)) continue;
    switch (e.type) {
      case 'LoanOpened':
        fold.loanId = e.loanId;
        fold.openedDay = e.day;
        fold.principalMinor = e.principalMinor;
        fold.graceDays = e.product.graceDays;
        break;
      case 'InstallmentDue':
        bill(
          e.installmentNumber,
          e.billedEarly?.dueDay ?? e.day,
          e.principalMinor + e.interestMinor + e.feeMinor,
        );
        break;
      case 'UpfrontFeeBilled':
        bill(e.installmentNumber, byNumber.get(e.installmentNumber)?.dueDay ?? e.day, e.feeMinor);
        break;
      case 'Repaid':
        payments.push({ day: e.day, amountMinor: e.amountMinor });
        if (e.allocation.principalMinor > 0)
          principalOffs.push({ day: e.day, amountMinor: e.allocation.principalMinor });
        pay(e.day, e.byInstallment);
        break;
      case 'CreditApplied':
        if (e.allocation.principalMinor > 0)
          principalOffs.push({ day: e.day, amountMinor: e.allocation.principalMinor });
        pay(e.day, e.byInstallment);
        break;
      case 'Waived':
        pay(e.day, e.byInstallment);
        break;
      case 'PrincipalWaived':
        principalOffs.push({ day: e.day, amountMinor: e.amountMinor });
        pay(e.day, e.byInstallment);
        break;
      case 'LoanSettled':
        fold.settledDay = e.day;
        break;
      default:
        break;
    }
  }
  return fold;
}

/** The loan's behaviour history from its fold. */
export function behaviourLoanOfFold(fold: BehaviourFold): BehaviourLoan {
  const instalments = [...fold.instalments.values()]
    .sort((a, b) => a.dueDay - b.dueDay || a.number - b.number)
    .map(
      (i): BehaviourInstalment => ({
        number: i.number,
        dueDay: i.dueDay,
        overdueDay: i.overdueDay,
        billedMinor: i.billedMinor,
        paidOffDay: i.paidOffDay,
      }),
    );
  return {
    loanId: fold.loanId,
    openedDay: fold.openedDay,
    principalMinor: fold.principalMinor,
    settledDay: fold.settledDay,
    instalments,
    payments: [...fold.payments],
    principalOffs: [...fold.principalOffs],
  };
}

/**
 * A fold as compact JSON: flat arrays of numbers (an instalment is 6 numbers, a payment 2), cheaper to parse
 * than objects. `behaviourFoldFromJson` gives back the same fold.
 */
export function behaviourFoldToJson(fold: BehaviourFold): string {
  const inst: (number | null)[] = [];
  for (const i of fold.instalments.values())
    inst.push(i.number, i.dueDay, i.overdueDay, i.billedMinor, i.paidMinor, i.paidOffDay);
  const flat = (xs: readonly BehaviourPayment[]) => {
    const out: number[] = [];
    for (const p of xs) out.push(p.day, p.amountMinor);
    return out;
  };
  return JSON.stringify([
    fold.loanId,
    fold.openedDay,
    fold.principalMinor,
    fold.graceDays,
    fold.settledDay,
    fold.seq,
    inst,
    flat(fold.payments),
    flat(fold.principalOffs),
  ]);
}

export function behaviourFoldFromJson(text: string): BehaviourFold {
  const [loanId, openedDay, principalMinor, graceDays, settledDay, seq, inst, pays, offs] = JSON.parse(
    text,
  ) as [string, number, number, number, number | null, number, (number | null)[], number[], number[]];
  const instalments = new Map<number, OpenInstalment>();
  for (let k = 0; k < inst.length; k += 6)
    instalments.set(inst[k]!, {
      number: inst[k]!,
      dueDay: inst[k + 1]!,
      overdueDay: inst[k + 2]!,
      billedMinor: inst[k + 3]!,
      paidMinor: inst[k + 4]!,
      paidOffDay: inst[k + 5] ?? null,
    });
  const unflat = (xs: number[]) => {
    const out: BehaviourPayment[] = [];
    for (let k = 0; k < xs.length; k += 2) out.push({ day: xs[k]!, amountMinor: xs[k + 1]! });
    return out;
  };
  return {
    loanId,
    openedDay,
    principalMinor,
    graceDays,
    settledDay,
    seq,
    instalments,
    payments: unflat(pays),
    principalOffs: unflat(offs),
  };
}
