import type { LoanChange, LoanRestructured } from '../../../ledger/index.js';
import { type Day, formatDate, formatMinor } from '../../../money/index.js';
import { classifyLoan } from '../../../reporting/index.js';

/**
 * What a borrower is shown of an offer before they accept it: the new plan instalment by instalment, the
 * fees in it, what is waived and what is added to the principal, how many months it adds, and the
 * observation period (观察期) with the class floor the regulator's rules put on a restructured loan — all
 * read from the change the ledger planned, so the borrower sees what acceptance will do.
 */
export interface OfferTerms {
  kind: string;
  plannedDate: string;
  principal: string;
  installments: {
    number: number;
    dueDate: string;
    principal: string;
    interest: string;
    fee: string;
    total: string;
  }[];
  fees: string;
  waived: { penalty: string; interest: string; fee: string };
  capitalised: { penalty: string; interest: string; fee: string };
  forgiven: string;
  monthsExtended: number;
  /** Last day of the observation period as planned, or null when the change carries none (a relief change). */
  observationEndDate: string | null;
  /** The five-category class the loan holds at least while observed. */
  classFloor: string;
  specialTransactionCode: string;
}

export const offerTermsSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    plannedDate: { type: 'string' },
    principal: { type: 'string' },
    installments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          number: { type: 'integer' },
          dueDate: { type: 'string' },
          principal: { type: 'string' },
          interest: { type: 'string' },
          fee: { type: 'string' },
          total: { type: 'string' },
        },
      },
    },
    fees: { type: 'string' },
    waived: {
      type: 'object',
      properties: { penalty: { type: 'string' }, interest: { type: 'string' }, fee: { type: 'string' } },
    },
    capitalised: {
      type: 'object',
      properties: { penalty: { type: 'string' }, interest: { type: 'string' }, fee: { type: 'string' } },
    },
    forgiven: { type: 'string' },
    monthsExtended: { type: 'integer' },
    observationEndDate: { type: ['string', 'null'] },
    classFloor: { type: 'string' },
    specialTransactionCode: { type: 'string' },
  },
} as const;

const arrears = (a: { penaltyMinor: number; interestMinor: number; feeMinor: number }) => ({
  penalty: formatMinor(a.penaltyMinor),
  interest: formatMinor(a.interestMinor),
  fee: formatMinor(a.feeMinor),
});

/** The terms of a planned restructuring, as of the day it was planned. */
export function offerTermsOf(change: LoanChange, day: Day): OfferTerms {
  const event = change.events.find((e): e is LoanRestructured => e.type === 'LoanRestructured');
  if (event === undefined)
    throw new Error('assertion: a planned restructuring has its LoanRestructured event');
  // The plan makes the overdue current: the loan is classified with no days past due on the day.
  const c = classifyLoan(change.state, 0, day);
  const end = c.restructuring?.observation?.endDay ?? null;
  return {
    kind: event.request.kind,
    plannedDate: formatDate(day),
    principal: formatMinor(event.principalMinor),
    installments: event.installments.map((i) => ({
      number: i.number,
      dueDate: formatDate(i.dueDay),
      principal: formatMinor(i.principalMinor),
      interest: formatMinor(i.interestMinor),
      fee: formatMinor(i.feeMinor),
      total: formatMinor(i.totalMinor),
    })),
    fees: formatMinor(event.installments.reduce((sum, i) => sum + i.feeMinor, 0)),
    waived: arrears(event.waived),
    capitalised: arrears(event.capitalised),
    forgiven: formatMinor(event.forgivenMinor),
    monthsExtended: event.monthsExtended,
    observationEndDate: end === null ? null : formatDate(end),
    classFloor: c.assetClass,
    specialTransactionCode: event.specialTransactionCode,
  };
}
