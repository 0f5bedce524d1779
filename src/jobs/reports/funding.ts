import { parseFundingOutflows } from '../../reporting/index.js';
import { type Db, insertFundingOutflows } from '../../store/index.js';

/**
 * Stores the funding outflows the lender enters (a JSON list or a CSV `day,amount,label`, docs/ecl.md), in one
 * transaction: the liquidity report sets expected cash-in against them. An outflow entered again with the
 * same day, position and label replaces the earlier one.
 */
export async function importFundingOutflows(
  db: Db,
  text: string,
  format: 'json' | 'csv',
  createdBy: string,
): Promise<number> {
  const rows = parseFundingOutflows(text, format);
  return db.transaction((tx) =>
    insertFundingOutflows(
      tx,
      rows.map((r) => ({ outflowId: r.id, day: r.day, amountMinor: r.amountMinor, label: r.label })),
      createdBy,
    ),
  );
}
