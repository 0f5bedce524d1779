import type { CreditLineState } from '../../ledger/index.js';
import { EMPTY_BOOK, type OwnBook, ownBookOf } from '../../origination/index.js';
import type { Queryable } from '../db.js';
import { fromJsonText } from '../ledger/codec.js';
import { LOAN_COLUMNS, loanFromRow } from '../ledger/loan-rows.js';

/**
 * The applicant's own book at this lender: their lines and loans, read for the policy's `book.*` facts. A
 * new applicant is found by ID number through the blind index by the caller (`existingCustomerId`).
 */
export async function readOwnBook(q: Queryable, customerId: string | null | undefined): Promise<OwnBook> {
  if (customerId === null || customerId === undefined) return EMPTY_BOOK;
  const lines = await q.query<{ state: string }>(
    'select state::text as state from credit_lines where customer_id = $1',
    [customerId],
  );
  const loans = await q.query(`select ${LOAN_COLUMNS} from loans where customer_id = $1`, [customerId]);
  return ownBookOf(
    lines.rows.map((r) => fromJsonText<CreditLineState>(r.state)),
    loans.rows.map((r) => loanFromRow(r as unknown as Parameters<typeof loanFromRow>[0]).state),
  );
}
