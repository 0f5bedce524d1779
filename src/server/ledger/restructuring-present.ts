/** The restructuring part of a loan response (a loan never restructured has none). */
import type { LoanState, RestructuringState } from '../../ledger/index.js';
import { type Day, formatDate, formatMinor as formatFen } from '../../money/index.js';
import { classifyLoan } from '../../reporting/index.js';

const money = { type: 'string' } as const;

/** What a loan response shows of a restructured loan (added to the loan's figures). */
export const loanRestructuringResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['active', 'broken'] },
    count: { type: 'integer' },
    latestKind: { type: 'string' },
    latestDate: { type: 'string' },
    specialTransactionCode: {
      type: 'string',
      description: 'Credit-report special transaction of the latest',
    },
    daysPastDueBefore: { type: 'integer' },
    missedInstallments: { type: 'integer' },
    brokenDate: { type: ['string', 'null'] },
    capitalised: money,
    inObservation: { type: 'boolean' },
    observationEndDate: { type: ['string', 'null'] },
    assetClass: { type: 'string', description: 'Five-category class with the restructuring floor' },
  },
} as const;

/** The restructuring part of a loan response, or undefined for a loan never restructured. */
export function presentLoanRestructuring(
  r: RestructuringState | undefined,
  state: LoanState,
  daysPastDue: number,
  asOfDay: Day,
) {
  const latest = r?.records.at(-1);
  if (r === undefined || latest === undefined) return undefined;
  const c = classifyLoan(state, daysPastDue, asOfDay);
  const end = c.restructuring?.observation?.endDay ?? null;
  return {
    status: r.status,
    count: r.records.length,
    latestKind: latest.kind,
    latestDate: formatDate(latest.day),
    specialTransactionCode: latest.specialTransactionCode,
    daysPastDueBefore: latest.daysPastDueBefore,
    missedInstallments: r.missedInLatest,
    brokenDate: r.brokenDay === null ? null : formatDate(r.brokenDay),
    capitalised: formatFen(r.capitalised.penaltyMinor + r.capitalised.interestMinor + r.capitalised.feeMinor),
    inObservation: c.restructuring?.inObservation ?? false,
    observationEndDate: end === null ? null : formatDate(end),
    assetClass: c.assetClass,
  };
}
