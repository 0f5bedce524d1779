/**
 * An independent, deliberately simple model of a loan's balances, for the seeded simulation. It walks the
 * loan one calendar day at a time with exact rationals, keeps no snapshots, posts nothing, consolidates
 * nothing and shares no code with the engine: only money/ primitives and the product/schedule types.
 *
 * The rules it encodes, from the product settings (docs/ledger-engine.md):
 * - interest accrues each day t after the period start up to and including its due date, on the principal
 *   not yet due as it stood before day t's payments, at the daily rate; each period's interest is rounded
 *   once (product mode, to the fen);
 * - on a due date the instalment is billed: its contract principal (for interest-first and pay-any-time, all
 *   principal left at the last instalment, none before), the period's rounded interest less interest paid
 *   early, its fee (plus upfront fees at the first); a credit balance then pays what was billed;
 * - an instalment unpaid after its grace period is overdue from the first day after grace; penalty interest
 *   accrues on it from the day after its due date (on what is unpaid when it turns overdue for the grace
 *   days), at the daily rate × (1 + uplift); penalty rounds over the loan's life;
 * - a payment pays the billed instalments oldest first in the product's component order (penalty sits with
 *   the oldest), then — with `prepay` — interest accrued in the period and principal not yet due; the rest
 *   is kept as a credit balance. A `prepay` payment of at least everything owed but the upfront fee, made
 *   while the upfront fee is still unbilled, first bills that fee on the day (after the other bills). A
 *   smaller `prepay` payment made inside an instalment's period that is more than the bills first bills
 *   that instalment on the day (主动还款), with its interest to its due date (the product default), so that
 *   the next period's interest starts at that due date.
 * Only what the simulation uses is modelled: daily rates with ACT/365F, actual-days periods, scale 2, no
 * compounding, no waivers; `prepay` only for methods whose principal is all due at the end.
 */

import type { AllocationComponent, Installment, Product } from '../ledger/index.js';
import type { Day, RoundingMode } from '../money/index.js';
import { add, multiply, ONE, parseDecimal, type Rational, rational, roundRational } from '../money/index.js';

export interface ReferenceSpec {
  readonly product: Product;
  readonly principalMinor: number;
  readonly startDay: Day;
  readonly installments: readonly Installment[];
  readonly upfrontFeeMinor: number;
}

export interface ReferencePayment {
  readonly day: Day;
  readonly amountMinor: number;
  readonly excess: 'prepay' | 'credit';
  /** Arrival order, to keep payments of the same day in the order they were accepted. */
  readonly arrival: number;
}

interface Bill {
  readonly number: number;
  readonly dueDay: Day;
  principal: number;
  interest: number;
  fee: number;
  overdue: boolean;
}

export interface ReferenceBalances {
  readonly principalCurrentMinor: number;
  readonly principalOverdueMinor: number;
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  readonly feeMinor: number;
  readonly creditMinor: number;
}

export class ReferenceLoan {
  private readonly rate: Rational;
  private readonly penaltyRate: Rational;
  private readonly mode: RoundingMode;
  private readonly allAtEnd: boolean;
  /** Last day fully processed (start-of-day, accrual and that day's payments). */
  day: Day;
  private k = 0;
  private notDue: number;
  /** Σ over the period's days of the principal not yet due (fen·days): interest = rate × this, exactly. */
  private periodPrincipalDays = 0;
  private prepaidInterest = 0;
  private bills: Bill[] = [];
  /** Σ over overdue days of the penalty base (fen·days): penalty = penalty rate × this, exactly. */
  private penaltyBaseDays = 0;
  private penaltyPaid = 0;
  private credit = 0;
  private upfrontPending: number;
  private payments: ReferencePayment[] = [];

  constructor(readonly spec: ReferenceSpec) {
    const p = spec.product;
    if (
      p.rate.per !== 'day' ||
      p.dayCount !== 'ACT/365F' ||
      p.rounding.scale !== 2 ||
      p.penalty.compounding
    ) {
      throw new Error('the reference model covers daily rates, ACT/365F, scale 2 and no compounding only');
    }
    this.rate = parseDecimal(p.rate.value);
    this.penaltyRate = multiply(this.rate, add(ONE, parseDecimal(p.penalty.uplift)));
    this.mode = p.rounding.mode;
    this.allAtEnd = p.method === 'interest-first' || p.method === 'pay-any-time';
    this.notDue = spec.principalMinor;
    this.upfrontPending = spec.upfrontFeeMinor;
    this.day = spec.startDay - 1;
  }

  /** Adds an accepted payment. Returns true when it falls on a day already processed (then call `rebuild`). */
  addPayment(payment: ReferencePayment): boolean {
    this.payments.push(payment);
    this.payments.sort((a, b) => a.day - b.day || a.arrival - b.arrival);
    return payment.day <= this.day;
  }

  /** Recomputes from the drawdown through `day` (after a payment dated in the past). */
  static rebuild(old: ReferenceLoan): ReferenceLoan {
    const fresh = new ReferenceLoan(old.spec);
    fresh.payments = [...old.payments];
    fresh.advanceTo(old.day);
    return fresh;
  }

  advanceTo(day: Day): void {
    while (this.day < day) this.step(this.day + 1);
  }

  private round(x: Rational): number {
    return Number(roundRational(x, this.mode));
  }

  private periodInterestRounded(): number {
    return this.round(multiply(this.rate, rational(this.periodPrincipalDays)));
  }

  private step(t: Day): void {
    const grace = this.spec.product.graceDays;
    const base = this.spec.product.penalty.base;
    const billBase = (b: Bill) => b.principal + (base === 'overdue-principal-and-interest' ? b.interest : 0);
    // Start of day: instalments past grace turn overdue, with penalty for the days since their due date.
    for (const b of this.bills) {
      if (!b.overdue && t - b.dueDay > grace) {
        b.overdue = true;
        this.penaltyBaseDays += billBase(b) * (t - 1 - b.dueDay);
      }
    }
    // Day t's penalty and interest, on the balances before day t's payments.
    let overdueBase = 0;
    for (const b of this.bills) if (b.overdue) overdueBase += billBase(b);
    this.penaltyBaseDays += overdueBase;
    const current = this.spec.installments[this.k];
    if (current !== undefined && t > current.startDay && t <= current.dueDay) {
      this.periodPrincipalDays += this.notDue;
    }
    // Billing on the due date.
    if (current !== undefined && t === current.dueDay) {
      const last = this.k === this.spec.installments.length - 1;
      const principal = this.allAtEnd ? (last ? this.notDue : 0) : current.principalMinor;
      const interest = this.periodInterestRounded() - this.prepaidInterest;
      const fee = current.feeMinor + this.upfrontPending;
      this.upfrontPending = 0;
      this.notDue -= principal;
      if (principal + interest + fee > 0) {
        this.bills.push({ number: current.number, dueDay: t, principal, interest, fee, overdue: false });
      }
      this.periodPrincipalDays = 0;
      this.prepaidInterest = 0;
      this.k++;
      if (this.credit > 0) this.credit = this.pay(this.credit, false);
    }
    for (const p of this.payments)
      if (p.day === t) this.credit += this.pay(p.amountMinor, p.excess === 'prepay');
    this.day = t;
  }

  /**
   * 主动还款: a `prepay` payment inside an instalment's period that is more than the bills and less than
   * everything owed bills that instalment first, with its interest to its due date (the days up to the due
   * date are then charged: the next period starts there).
   */
  private billEarly(amount: number): void {
    const current = this.spec.installments[this.k];
    const t = this.day + 1;
    if (this.spec.product.method === 'pay-any-time' || current === undefined) return;
    if (current.startDay >= t || t >= current.dueDay) return;
    let billed = this.penaltyOwed();
    for (const b of this.bills) billed += b.principal + b.interest + b.fee;
    const owed =
      billed + this.notDue + this.periodInterestRounded() - this.prepaidInterest + this.upfrontPending;
    if (amount <= billed || amount >= owed - this.upfrontPending) return;
    const last = this.k === this.spec.installments.length - 1;
    const principal = this.allAtEnd ? (last ? this.notDue : 0) : current.principalMinor;
    const toDueDate = this.periodPrincipalDays + this.notDue * (current.dueDay - t);
    const interest = this.round(multiply(this.rate, rational(toDueDate))) - this.prepaidInterest;
    const fee = current.feeMinor + this.upfrontPending;
    this.upfrontPending = 0;
    this.notDue -= principal;
    if (principal + interest + fee > 0) {
      this.bills.push({
        number: current.number,
        dueDay: current.dueDay,
        principal,
        interest,
        fee,
        overdue: false,
      });
    }
    this.periodPrincipalDays = 0;
    this.prepaidInterest = 0;
    this.k++;
  }

  private penaltyOwed(): number {
    return this.round(multiply(this.penaltyRate, rational(this.penaltyBaseDays))) - this.penaltyPaid;
  }

  /** Pays `amount`; returns what is left over. */
  private pay(amount: number, prepay: boolean): number {
    if (prepay) this.billEarly(amount);
    if (prepay && this.upfrontPending > 0) {
      // A payment that covers all the principal still owed ends the loan before the first due date: the
      // upfront fee is billed on the day, as a bill of its own after the others.
      let owed = this.notDue + this.penaltyOwed() + this.periodInterestRounded() - this.prepaidInterest;
      for (const b of this.bills) owed += b.principal + b.interest + b.fee;
      const current = this.spec.installments[this.k];
      if (amount >= owed && current !== undefined) {
        this.bills.push({
          number: current.number,
          dueDay: this.day + 1,
          principal: 0,
          interest: 0,
          fee: this.upfrontPending,
          overdue: false,
        });
        this.upfrontPending = 0;
      }
    }
    let left = amount;
    const order = this.spec.product.allocation.order;
    let penaltyDue = this.penaltyOwed();
    const payOn = (b: Bill | null, c: AllocationComponent, first: boolean) => {
      if (c === 'penalty') {
        if (!first) return;
        const take = Math.min(left, penaltyDue);
        penaltyDue -= take;
        this.penaltyPaid += take;
        left -= take;
        return;
      }
      if (b === null) return;
      const field = c === 'fee' ? 'fee' : c === 'interest' ? 'interest' : 'principal';
      const take = Math.min(left, b[field]);
      b[field] -= take;
      left -= take;
    };
    const bills = this.bills;
    if (bills.length === 0) for (const c of order) payOn(null, c, true);
    else if (this.spec.product.allocation.across === 'oldest-due-first') {
      for (const [i, b] of bills.entries()) for (const c of order) payOn(b, c, i === 0);
    } else {
      for (const c of order) for (const [i, b] of bills.entries()) payOn(b, c, i === 0);
    }
    this.bills = bills.filter((b) => b.principal + b.interest + b.fee > 0);
    if (prepay && left > 0) {
      const accrued = this.periodInterestRounded() - this.prepaidInterest;
      const interest = Math.min(left, accrued);
      this.prepaidInterest += interest;
      left -= interest;
      const principal = Math.min(left, this.notDue);
      this.notDue -= principal;
      left -= principal;
    }
    return left;
  }

  /** Balances at the end of the last processed day. */
  balances(): ReferenceBalances {
    let current = this.notDue;
    let overdue = 0;
    let interest = this.periodInterestRounded() - this.prepaidInterest;
    let fee = 0;
    for (const b of this.bills) {
      if (b.overdue) overdue += b.principal;
      else current += b.principal;
      interest += b.interest;
      fee += b.fee;
    }
    return {
      principalCurrentMinor: current,
      principalOverdueMinor: overdue,
      interestMinor: interest,
      penaltyMinor: this.penaltyOwed(),
      feeMinor: fee,
      creditMinor: this.credit,
    };
  }

  /** True when nothing at all is owed (what is left is at most a credit balance). */
  owesNothing(): boolean {
    const b = this.balances();
    return (
      b.principalCurrentMinor + b.principalOverdueMinor + b.interestMinor + b.penaltyMinor + b.feeMinor ===
        0 && this.upfrontPending === 0
    );
  }
}
