import type { Day } from '../../money/index.js';

/**
 * 减免结清 negotiated settlement: the events and the offer in force kept in the loan's state. The commands
 * are in settlement.ts; the fold in fold.ts; the lapse at the close of the offer's last day in eod.ts.
 */

/** The offer: `offerMinor` paid (in one or several repayments) on or before `validThroughDay` settles the loan. */
export interface SettlementOffered {
  readonly type: 'SettlementOffered';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly clientId: string;
  readonly offerMinor: number;
  readonly validThroughDay: Day;
  /** What settled the loan on the offer day (principal, interest to the day, penalty, fees), in fen. */
  readonly owedMinor: number;
  /** The concession stated to the borrower: `owedMinor - offerMinor`. */
  readonly discountMinor: number;
  /**
   * The credit balance (溢缴款) the loan held when the offer was made, in fen: the borrower's money already
   * received, it counts towards the offer like a repayment. Absent in logs written before it was recorded
   * (counted as 0 there, as it was then).
   */
  readonly creditMinor?: number;
}

/** The offer was not paid by its last day: it ends (dated that day, at its close) and the loan owes in full. */
export interface SettlementLapsed {
  readonly type: 'SettlementLapsed';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly offerSeq: number;
  readonly paidMinor: number;
}

/**
 * The offer was paid: the waivers just before it forgave `waivedMinor` (penalty, interest, fees and principal
 * still owed after the payments), and the loan settles. Moves no money itself.
 */
export interface SettlementCompleted {
  readonly type: 'SettlementCompleted';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly offerSeq: number;
  readonly paidMinor: number;
  readonly waivedMinor: number;
}

export type SettlementEvent = SettlementOffered | SettlementLapsed | SettlementCompleted;

/** An offer in force, kept in the loan's state. */
export interface SettlementInForce {
  readonly offerSeq: number;
  readonly offerMinor: number;
  readonly validThroughDay: Day;
  /** Repayments made since the offer. */
  readonly paidMinor: number;
  /** The credit balance held when the offer was made (absent in states stored before it was kept: 0). */
  readonly creditAtOfferMinor?: number;
}

/** What counts towards the offer: the credit held when it was made and the repayments since. */
export function countedTowardsOffer(offer: SettlementInForce): number {
  return (offer.creditAtOfferMinor ?? 0) + offer.paidMinor;
}

/** The offer in force, or null (states stored before settlements existed have no field). */
export function settlementOf(state: {
  readonly settlement?: SettlementInForce | null;
}): SettlementInForce | null {
  return state.settlement ?? null;
}
