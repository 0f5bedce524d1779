/** The ledger's resources as the API answers them (docs/api.md); money is decimal strings of yuan. */

import type { ItemOf, ResponseOf } from './api-types.js';

export type Loan = ResponseOf<'/loans/{loanId}'>;
export type CreditLine = ItemOf<'/credit-lines'>;
export type Schedule = ResponseOf<'/loans/{loanId}/schedule'>;
export type Installment = Schedule['plan'][number];
export type Due = Schedule['dues'][number];
export type LoanEventItem = ItemOf<'/loans/{loanId}/events'>;
export type Posting = ItemOf<'/postings'>;
export type PayoffQuote = ResponseOf<'/loans/{loanId}/payoff-quote'>;
export type Impact = ResponseOf<'/loans/{loanId}/impact'>;
export type ImpactRow = Impact['rows'][number];
export type ImpactMilestone = Impact['milestones'][number];
export type StoredProduct = ItemOf<'/products'>;
export type EodRun = ItemOf<'/eod-runs'>;
export type EodRunDetail = ResponseOf<'/eod-runs/{runId}'>;
export type EodPartition = EodRunDetail['partitions'][number];

/** A decimal string of yuan the API accepts: no sign, at most two decimals (as parseAmount in src/money/amount.ts). */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

/**
 * The server's default largest amount (`amount_max_fen` in src/server/config.ts: one billion yuan). A
 * server configured lower refuses more, and its message is shown under the field.
 */
export const AMOUNT_MAX_FEN_DEFAULT = 100_000_000_000;

/** "" when the amount is acceptable to the API; otherwise the message key saying why not. */
export function amountProblem(
  text: string,
): 'validate.required' | 'validate.amount' | 'validate.amountPositive' | 'validate.amountMax' | '' {
  if (text.trim() === '') return 'validate.required';
  const match = AMOUNT_PATTERN.exec(text);
  if (match === null) return 'validate.amount';
  const fen = BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').slice(1).padEnd(2, '0'));
  if (fen === 0n) return 'validate.amountPositive';
  if (fen > BigInt(AMOUNT_MAX_FEN_DEFAULT)) return 'validate.amountMax';
  return '';
}
