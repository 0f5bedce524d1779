import { type Day, formatDate, formatMinor } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { effectiveEvents, type LoanEvent, type LoanState, loanPosition } from '../loan/index.js';
import { reconciledFigures } from './replay.js';

/**
 * A loan of this ledger written in the JSON import layout (docs/import.md): its drawdown, its repayments
 * and its balances as of its last closed day. What another Lendguard (or a test) needs to import the
 * loan and arrive at the same state. Loans with waivers or refunds have no form in the layout yet.
 */
export interface ImportLoanRecord {
  loanRef: string;
  customer: { ref: string; name: string; idNumber: string; phone: string };
  creditLine: { ref: string; limit: string };
  product: { code: string; terms?: Record<string, unknown> };
  drawdown: { day: string; principal: string };
  repayments: { day: string; amount: string; excess?: 'credit' }[];
  balances: {
    asOf: string;
    principal: string;
    interest: string;
    penalty: string;
    fee: string;
    daysPastDue: number;
  }[];
}

export function importRecordOfLoan(
  log: readonly LoanEvent[],
  state: LoanState,
  who: {
    loanRef: string;
    customer: ImportLoanRecord['customer'];
    lineRef: string;
    lineLimitMinor: number;
    /** Write the product's terms too (for a database that does not have the product). */
    withTerms: boolean;
  },
): ImportLoanRecord {
  const events = effectiveEvents(log);
  const opened = events[0];
  if (opened?.type !== 'LoanOpened') {
    throw new LedgerInputError(
      'not_importable',
      'log',
      `the log of ${state.loanId} does not start with its opening`,
    );
  }
  const repayments: ImportLoanRecord['repayments'] = [];
  for (const e of events) {
    if (e.type === 'Repaid') {
      repayments.push({
        day: formatDate(e.day),
        amount: formatMinor(e.amountMinor),
        ...(e.excess === 'credit' ? { excess: 'credit' as const } : {}),
      });
    } else if (e.type === 'Waived' || e.type === 'PrincipalWaived' || e.type === 'CreditRefunded') {
      throw new LedgerInputError(
        'not_importable',
        'log',
        `loan ${state.loanId} has an event of type ${e.type} on ${formatDate(e.day)}; the import layout has repayments only`,
      );
    }
  }
  const asOf: Day = state.lastClosedDay;
  const f = reconciledFigures(loanPosition(state));
  const { id: _id, ...terms } = opened.product;
  return {
    loanRef: who.loanRef,
    customer: who.customer,
    creditLine: { ref: who.lineRef, limit: formatMinor(who.lineLimitMinor) },
    product: who.withTerms ? { code: opened.product.id, terms } : { code: opened.product.id },
    drawdown: { day: formatDate(opened.day), principal: formatMinor(opened.principalMinor) },
    repayments,
    balances: [
      {
        asOf: formatDate(asOf),
        principal: formatMinor(f.principal),
        interest: formatMinor(f.interest),
        penalty: formatMinor(f.penalty),
        fee: formatMinor(f.fee),
        daysPastDue: f.daysPastDue,
      },
    ],
  };
}
