import { drawdown, openLine, parseProduct } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  type Db,
  findProduct,
  insertLine,
  insertLoan,
  insertProductVersion,
  saveLine,
} from '../../src/store/index.js';

export const DRAWN = parseDate('2026-01-10');
/** The first due date of every loan drawn on DRAWN (monthly, 6 instalments). */
export const DUE = parseDate('2026-02-10');

/** Loans `ln_<x>` of 6,000.00 each on lines `cl_<x>` of customers `cus_<x>`, drawn on DRAWN. */
export async function bookWithLoans(db: Db, ids: readonly string[]): Promise<void> {
  if ((await findProduct(db, 'p6')) === undefined) {
    await insertProductVersion(db, parseProduct({ id: 'p6', termCount: 6 }), 'usr_test');
  }
  for (const x of ids) {
    await db.transaction(async (tx) => {
      const product = (await findProduct(tx, 'p6'))!;
      const line = await insertLine(
        tx,
        openLine({ lineId: `cl_${x}`, customerId: `cus_${x}`, limitMinor: 5_000_000, day: DRAWN }).line,
      );
      const r = drawdown(line.state, {
        loanId: `ln_${x}`,
        product: product.product,
        principalMinor: 600_000,
        day: DRAWN,
      });
      await saveLine(tx, line, r.line);
      await insertLoan(tx, { productVersion: product.version, opened: r.loan });
    });
  }
}
