import {
  type LiquidityOutflow as FundingOutflow,
  parseFundingOutflows,
  ReportInputError,
} from '../../reporting/index.js';
import { type Db, insertFundingOutflows, type Queryable } from '../../store/index.js';

/** The outflows of a JSON list or a CSV `day,amount,label`; any fault of the text is a `ReportInputError`. */
export function readFundingOutflows(
  text: string,
  format: 'json' | 'csv',
): ReturnType<typeof parseFundingOutflows> {
  try {
    return parseFundingOutflows(text, format);
  } catch (error) {
    if (error instanceof ReportInputError) throw error;
    const why = error instanceof SyntaxError ? 'the text is not JSON' : (error as Error).message;
    throw new ReportInputError(`funding outflows: ${why}`);
  }
}

/** Writes parsed outflows in the caller's transaction (an outflow entered again replaces the earlier one). */
export function writeFundingOutflows(
  tx: Queryable,
  rows: readonly (FundingOutflow & { id: string })[],
  createdBy: string,
): Promise<number> {
  return insertFundingOutflows(
    tx,
    rows.map((r) => ({ outflowId: r.id, day: r.day, amountMinor: r.amountMinor, label: r.label })),
    createdBy,
  );
}

/**
 * Stores the funding outflows the lender enters (a JSON list or a CSV `day,amount,label`, docs/ecl.md), in one
 * transaction: the liquidity report sets expected cash-in against them. Every row is checked before any is
 * written. An outflow entered again with the same day, position and label replaces the earlier one.
 */
export async function importFundingOutflows(
  db: Db,
  text: string,
  format: 'json' | 'csv',
  createdBy: string,
): Promise<number> {
  const rows = readFundingOutflows(text, format);
  return db.transaction((tx) => writeFundingOutflows(tx, rows, createdBy));
}
