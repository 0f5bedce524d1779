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

interface OpenInstalment {
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
 * Folds a loan's stored events (in sequence order) into its behaviour history. Events a backdated command
 * superseded are skipped, as the ledger's own fold skips them. An instalment is paid off on the day the
 * principal, interest and fees allocated to it reach what was billed for it (penalty interest is not part
 * of the instalment's bill).
 */
export function behaviourLoanOf(events: readonly BehaviourLoanEvent[]): BehaviourLoan {
  const superseded: [number, number][] = [];
  for (const e of events) if (e.type === 'EventsSuperseded') superseded.push([e.fromSeq, e.toSeq]);
  const counts = (seq: number) => !superseded.some(([from, to]) => seq >= from && seq <= to);
  let loanId = '';
  let openedDay: Day = 0;
  let principalMinor = 0;
  let graceDays = 0;
  let settledDay: Day | null = null;
  const byNumber = new Map<number, OpenInstalment>();
  const payments: BehaviourPayment[] = [];
  const principalOffs: BehaviourPayment[] = [];
  const bill = (number: number, dueDay: Day, amountMinor: number) => {
    const item = byNumber.get(number);
    if (item === undefined) {
      byNumber.set(number, {
        number,
        dueDay,
        overdueDay: dueDay + graceDays + 1,
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
    if (e.type === 'EventsSuperseded' || !counts(e.seq)) continue;
    switch (e.type) {
      case 'LoanOpened':
        loanId = e.loanId;
        openedDay = e.day;
        principalMinor = e.principalMinor;
        graceDays = e.product.graceDays;
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
        settledDay = e.day;
        break;
      default:
        break;
    }
  }
  const instalments = [...byNumber.values()]
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
  return { loanId, openedDay, principalMinor, settledDay, instalments, payments, principalOffs };
}
