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
 * - a restructuring (协商分期, 展期, payment holiday, rate reduction) on day d, after day d's accrual: a down
 *   payment pays the bills as a payment would and then principal not yet due; what the bills still owe is
 *   closed — their principal becomes principal not yet due, penalty is waived or capitalised, billed
 *   interest and fees capitalised or waived (capitalised amounts are principal from then on); the new plan
 *   (its due dates and contract principal, given as data like the contract schedule) replaces what was left
 *   of the old one, its first instalment bills the interest the running period accrued so far plus what
 *   accrues after d (on the new principal, at the new rate, from the first instalment's start); the penalty
 *   rate follows the contract rate;
 * - a settlement offer (减免结清) counts the credit balance held when it is made and the payments from it on;
 *   the payment that brings them to the offer (or the offer itself, when the credit held already does), on
 *   or before its last day, goes with the credit balance to what is owed that day (interest to the day),
 *   the rest is forgiven and nothing is owed any more (money beyond everything owed stays credit); an offer
 *   not reached lapses at the close of its last day and changes nothing.
 * Only what the simulation uses is modelled: daily rates with ACT/365F, actual-days periods, scale 2, no
 * compounding, no waivers but those of restructurings and settlements; `prepay` only for methods whose
 * principal is all due at the end; a restructuring only after the first due date (no upfront fee pending).
 */

import type { AllocationComponent, Installment, Product, RepaymentMethod } from '../ledger/index.js';
import type { Day, RoundingMode } from '../money/index.js';
import {
  add,
  multiply,
  ONE,
  parseDecimal,
  type Rational,
  rational,
  roundRational,
  ZERO,
} from '../money/index.js';

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

/** A restructuring as agreed; the new plan is data (the schedule maths are not what the model checks). */
export interface ReferenceRestructuring {
  readonly day: Day;
  readonly arrival: number;
  readonly downPaymentMinor: number;
  readonly penalty: 'waive' | 'capitalise';
  readonly interestArrears: 'waive' | 'capitalise';
  readonly feeArrears: 'waive' | 'capitalise';
  /** The new contract rate per day (decimal string), or null when it stays. */
  readonly rateValue: string | null;
  readonly method: RepaymentMethod;
  readonly installments: readonly Installment[];
}

/** What the model says a restructuring did, for comparison with the ledger's event. */
export interface ReferenceRestructuringOutcome {
  readonly waived: { penaltyMinor: number; interestMinor: number; feeMinor: number };
  readonly capitalised: { penaltyMinor: number; interestMinor: number; feeMinor: number };
  /** Principal re-planned: principal owed after the down payment plus the capitalised amounts. */
  readonly principalMinor: number;
}

export interface ReferenceOffer {
  readonly day: Day;
  readonly arrival: number;
  readonly offerMinor: number;
  readonly validThroughDay: Day;
}

/** What happened to an offer: what was owed when it was made, and its end. */
export interface ReferenceOfferOutcome {
  owedMinor: number;
  end: { kind: 'completed'; day: Day; waivedMinor: number } | { kind: 'lapsed'; day: Day } | null;
}

type Action =
  | { readonly kind: 'payment'; readonly payment: ReferencePayment }
  | { readonly kind: 'restructure'; readonly change: ReferenceRestructuring }
  | { readonly kind: 'offer'; readonly offer: ReferenceOffer };

const actionDay = (a: Action) =>
  a.kind === 'payment' ? a.payment.day : a.kind === 'restructure' ? a.change.day : a.offer.day;
const actionArrival = (a: Action) =>
  a.kind === 'payment' ? a.payment.arrival : a.kind === 'restructure' ? a.change.arrival : a.offer.arrival;

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
  private rate: Rational;
  private penaltyRate: Rational;
  private readonly uplift: Rational;
  private readonly mode: RoundingMode;
  private allAtEnd: boolean;
  private method: RepaymentMethod;
  /** The plan in force: the contract's, or the latest restructuring's. */
  private plan: readonly Installment[];
  /** Last day fully processed (start-of-day, accrual and that day's payments). */
  day: Day;
  private k = 0;
  private notDue: number;
  /**
   * Σ over the period's days of the principal not yet due (fen·days) since the last rate change: interest =
   * the earlier segments' exact interest + rate × this, exactly.
   */
  private periodPrincipalDays = 0;
  private periodInterestBefore: Rational = ZERO;
  private prepaidInterest = 0;
  private bills: Bill[] = [];
  /** Σ over overdue days of the penalty base (fen·days): penalty = penalty rate × this, exactly. */
  private penaltyBaseDays = 0;
  private penaltyBefore: Rational = ZERO;
  private penaltyPaid = 0;
  /** Penalty waived or capitalised by restructurings and settlements. */
  private penaltyForgiven = 0;
  private offer: { readonly arrival: number; readonly offer: ReferenceOffer; paid: number } | null = null;
  private settledBySettlement = false;
  private credit = 0;
  private upfrontPending: number;
  private actions: Action[] = [];
  /** Outcomes by the action's arrival number (recomputed by `rebuild`). */
  readonly restructurings = new Map<number, ReferenceRestructuringOutcome>();
  readonly offers = new Map<number, ReferenceOfferOutcome>();

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
    this.uplift = add(ONE, parseDecimal(p.penalty.uplift));
    this.penaltyRate = multiply(this.rate, this.uplift);
    this.mode = p.rounding.mode;
    this.method = p.method;
    this.allAtEnd = p.method === 'interest-first' || p.method === 'pay-any-time';
    this.plan = spec.installments;
    this.notDue = spec.principalMinor;
    this.upfrontPending = spec.upfrontFeeMinor;
    this.day = spec.startDay - 1;
  }

  /** Adds an accepted payment. Returns true when it falls on a day already processed (then call `rebuild`). */
  addPayment(payment: ReferencePayment): boolean {
    return this.addAction({ kind: 'payment', payment });
  }

  /** Adds a restructuring (never dated in the past: restructurings are not backdated). */
  addRestructuring(change: ReferenceRestructuring): void {
    if (this.addAction({ kind: 'restructure', change }))
      throw new Error('a restructuring is never backdated');
  }

  /** Adds a settlement offer (never dated in the past). */
  addOffer(offer: ReferenceOffer): void {
    if (this.addAction({ kind: 'offer', offer })) throw new Error('a settlement offer is never backdated');
  }

  private addAction(action: Action): boolean {
    this.actions.push(action);
    this.actions.sort((a, b) => actionDay(a) - actionDay(b) || actionArrival(a) - actionArrival(b));
    return actionDay(action) <= this.day;
  }

  /** Recomputes from the drawdown through `day` (after a payment dated in the past). */
  static rebuild(old: ReferenceLoan): ReferenceLoan {
    const fresh = new ReferenceLoan(old.spec);
    fresh.actions = [...old.actions];
    fresh.advanceTo(old.day);
    return fresh;
  }

  /** True once a settlement was paid (nothing is owed any more). */
  get settled(): boolean {
    return this.settledBySettlement;
  }

  advanceTo(day: Day): void {
    while (this.day < day) this.step(this.day + 1);
  }

  private round(x: Rational): number {
    return Number(roundRational(x, this.mode));
  }

  private periodInterestExact(extraPrincipalDays = 0): Rational {
    return add(
      this.periodInterestBefore,
      multiply(this.rate, rational(this.periodPrincipalDays + extraPrincipalDays)),
    );
  }

  private periodInterestRounded(): number {
    return this.round(this.periodInterestExact());
  }

  private resetPeriod(): void {
    this.periodPrincipalDays = 0;
    this.periodInterestBefore = ZERO;
    this.prepaidInterest = 0;
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
    const current = this.plan[this.k];
    if (current !== undefined && t > current.startDay && t <= current.dueDay) {
      this.periodPrincipalDays += this.notDue;
    }
    // Billing on the due date.
    if (current !== undefined && t === current.dueDay) {
      const last = this.k === this.plan.length - 1;
      const principal = this.allAtEnd ? (last ? this.notDue : 0) : current.principalMinor;
      const interest = this.periodInterestRounded() - this.prepaidInterest;
      const fee = current.feeMinor + this.upfrontPending;
      this.upfrontPending = 0;
      this.notDue -= principal;
      if (principal + interest + fee > 0) {
        this.bills.push({ number: current.number, dueDay: t, principal, interest, fee, overdue: false });
      }
      this.resetPeriod();
      this.k++;
      if (this.credit > 0) this.credit = this.pay(this.credit, false);
    }
    for (const a of this.actions) {
      if (actionDay(a) !== t) continue;
      if (a.kind === 'payment') this.receive(a.payment);
      else if (a.kind === 'restructure')
        this.restructurings.set(a.change.arrival, this.restructure(a.change));
      else this.makeOffer(a.offer);
    }
    // An offer not paid by its last day lapses at its close.
    if (this.offer !== null && this.offer.offer.validThroughDay === t) {
      this.offers.get(this.offer.arrival)!.end = { kind: 'lapsed', day: t };
      this.offer = null;
    }
    this.day = t;
  }

  private receive(p: ReferencePayment): void {
    if (this.settledBySettlement) throw new Error('a payment on a loan settled by a settlement');
    const offer = this.offer;
    if (offer !== null) {
      offer.paid += p.amountMinor;
      if (offer.paid >= offer.offer.offerMinor) {
        this.completeOffer(p.amountMinor, p.day);
        return;
      }
    }
    this.credit += this.pay(p.amountMinor, p.excess === 'prepay');
  }

  /**
   * The offer is reached on `day` with a payment of `amountMinor` (0 when the credit held reaches it): the
   * payment and the credit balance go to what is owed (interest to the day), the rest is forgiven; what is
   * beyond everything owed stays credit.
   */
  private completeOffer(amountMinor: number, day: Day): void {
    const offer = this.offer!;
    const owed = this.owedGross();
    const take = Math.min(owed, amountMinor + this.credit);
    this.credit = amountMinor + this.credit - take;
    this.offers.get(offer.arrival)!.end = { kind: 'completed', day, waivedMinor: owed - take };
    this.penaltyForgiven += this.penaltyOwed();
    this.bills = [];
    this.notDue = 0;
    this.resetPeriod();
    this.upfrontPending = 0;
    this.plan = [];
    this.k = 0;
    this.offer = null;
    this.settledBySettlement = true;
  }

  /** Everything owed at this point of the day, interest to the day, before any credit balance. */
  private owedGross(): number {
    let owed = this.penaltyOwed() + this.notDue + this.periodInterestRounded() - this.prepaidInterest;
    for (const b of this.bills) owed += b.principal + b.interest + b.fee;
    return owed + this.upfrontPending;
  }

  private makeOffer(offer: ReferenceOffer): void {
    if (this.offer !== null) throw new Error('a second settlement offer while one is in force');
    this.offers.set(offer.arrival, { owedMinor: this.owedGross(), end: null });
    // The credit balance held is the borrower's money already received: it counts towards the offer.
    this.offer = { arrival: offer.arrival, offer, paid: this.credit };
    if (this.credit >= offer.offerMinor) this.completeOffer(0, offer.day);
  }

  /** A restructuring on the day of `change`, after that day's accrual and earlier actions. */
  private restructure(change: ReferenceRestructuring): ReferenceRestructuringOutcome {
    if (this.upfrontPending > 0)
      throw new Error('the model restructures only after the upfront fee is billed');
    // The down payment: the bills as a payment pays them, then principal not yet due.
    let left = this.payBills(change.downPaymentMinor);
    const principalPaid = Math.min(left, this.notDue);
    this.notDue -= principalPaid;
    left -= principalPaid;
    if (left > 0) throw new Error('a down payment beyond what is owed');
    const owed = { penaltyMinor: this.penaltyOwed(), interestMinor: 0, feeMinor: 0 };
    let billedPrincipal = 0;
    for (const b of this.bills) {
      billedPrincipal += b.principal;
      owed.interestMinor += b.interest;
      owed.feeMinor += b.fee;
    }
    const pick = (treatment: 'waive' | 'capitalise', amount: number, want: 'waive' | 'capitalise') =>
      treatment === want ? amount : 0;
    const waived = {
      penaltyMinor: pick(change.penalty, owed.penaltyMinor, 'waive'),
      interestMinor: pick(change.interestArrears, owed.interestMinor, 'waive'),
      feeMinor: pick(change.feeArrears, owed.feeMinor, 'waive'),
    };
    const capitalised = {
      penaltyMinor: owed.penaltyMinor - waived.penaltyMinor,
      interestMinor: owed.interestMinor - waived.interestMinor,
      feeMinor: owed.feeMinor - waived.feeMinor,
    };
    this.penaltyForgiven += owed.penaltyMinor;
    this.bills = [];
    this.notDue +=
      billedPrincipal + capitalised.penaltyMinor + capitalised.interestMinor + capitalised.feeMinor;
    // New terms from the next day: what accrued at the old rate is kept exactly.
    this.periodInterestBefore = this.periodInterestExact();
    this.periodPrincipalDays = 0;
    this.penaltyBefore = add(this.penaltyBefore, multiply(this.penaltyRate, rational(this.penaltyBaseDays)));
    this.penaltyBaseDays = 0;
    if (change.rateValue !== null) {
      this.rate = parseDecimal(change.rateValue);
      this.penaltyRate = multiply(this.rate, this.uplift);
    }
    this.method = change.method;
    this.allAtEnd = change.method === 'interest-first' || change.method === 'pay-any-time';
    let planned = 0;
    for (const i of change.installments) planned += i.principalMinor;
    if (planned !== this.notDue) {
      throw new Error(`the new plan re-plans ${planned} fen of principal; the model owes ${this.notDue}`);
    }
    this.plan = change.installments;
    this.k = 0;
    return { waived, capitalised, principalMinor: this.notDue };
  }

  /**
   * 主动还款: a `prepay` payment inside an instalment's period that is more than the bills and less than
   * everything owed bills that instalment first, with its interest to its due date (the days up to the due
   * date are then charged: the next period starts there).
   */
  private billEarly(amount: number): void {
    const current = this.plan[this.k];
    const t = this.day + 1;
    if (this.method === 'pay-any-time' || current === undefined) return;
    if (current.startDay >= t || t >= current.dueDay) return;
    let billed = this.penaltyOwed();
    for (const b of this.bills) billed += b.principal + b.interest + b.fee;
    const owed =
      billed + this.notDue + this.periodInterestRounded() - this.prepaidInterest + this.upfrontPending;
    if (amount <= billed || amount >= owed - this.upfrontPending) return;
    const last = this.k === this.plan.length - 1;
    const principal = this.allAtEnd ? (last ? this.notDue : 0) : current.principalMinor;
    const toDueDate = this.periodInterestExact(this.notDue * (current.dueDay - t));
    const interest = this.round(toDueDate) - this.prepaidInterest;
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
    this.resetPeriod();
    this.k++;
  }

  private penaltyOwed(): number {
    const exact = add(this.penaltyBefore, multiply(this.penaltyRate, rational(this.penaltyBaseDays)));
    return this.round(exact) - this.penaltyPaid - this.penaltyForgiven;
  }

  /** Pays `amount`; returns what is left over. */
  private pay(amount: number, prepay: boolean): number {
    if (prepay) this.billEarly(amount);
    if (prepay && this.upfrontPending > 0) {
      // A payment that covers all the principal still owed ends the loan before the first due date: the
      // upfront fee is billed on the day, as a bill of its own after the others.
      let owed = this.notDue + this.penaltyOwed() + this.periodInterestRounded() - this.prepaidInterest;
      for (const b of this.bills) owed += b.principal + b.interest + b.fee;
      const current = this.plan[this.k];
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
    let left = this.payBills(amount);
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

  /** Pays the bills oldest first in the product's order (penalty with the oldest); returns what is left. */
  private payBills(amount: number): number {
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
    return left;
  }

  /** What the bills owe (billed principal, interest and fees, and penalty). */
  billedMinor(): number {
    let billed = this.penaltyOwed();
    for (const b of this.bills) billed += b.principal + b.interest + b.fee;
    return billed;
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
