import { drawdown, openLine, parseProduct } from '../../src/ledger/index.js';
import { type Day, parseDate } from '../../src/money/index.js';
import {
  findProduct,
  insertLine,
  insertLoan,
  insertProductVersion,
  saveLine,
  setDemoCode,
} from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, type TestApi, validCustomer } from './helpers.js';

export const DRAWN: Day = parseDate('2026-01-10');
/** The first due date of a loan drawn on DRAWN (monthly, 6 instalments). */
export const DUE: Day = parseDate('2026-02-10');

/** A customer with this phone, made over the staff API. */
export async function customerWithPhone(api: TestApi, phone: string, seq: number): Promise<string> {
  const res = await api.app.inject({
    method: 'POST',
    url: '/customers',
    headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey(), 'content-type': 'application/json' },
    payload: JSON.stringify(validCustomer({ phone, idNumber: idNumberFor(seq) })),
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return String(res.json().customerId);
}

/** A line `cl_<x>` and a loan `ln_<x>` of 6,000.00 over 6 months for the customer, drawn on DRAWN. */
export async function loanFor(
  api: TestApi,
  customerId: string,
  x: string,
): Promise<{ lineId: string; loanId: string }> {
  if ((await findProduct(api.db, 'p6')) === undefined) {
    await insertProductVersion(api.db, parseProduct({ id: 'p6', termCount: 6 }), 'usr_test');
  }
  await api.db.transaction(async (tx) => {
    const product = (await findProduct(tx, 'p6'))!;
    const line = await insertLine(
      tx,
      openLine({ lineId: `cl_${x}`, customerId, limitMinor: 5_000_000, day: DRAWN }).line,
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
  return { lineId: `cl_${x}`, loanId: `ln_${x}` };
}

let address = 0;
/** Signs the phone's borrower in with a demo code (turned on for the test database only); returns the token. */
export async function borrowerToken(api: TestApi, phone: string): Promise<string> {
  await setDemoCode(api.db, api.cipher, '135790');
  address += 1;
  const asked = await api.app.inject({
    method: 'POST',
    url: '/portal/sign-in/codes',
    remoteAddress: `10.77.0.${address}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ phone }),
  });
  if (asked.statusCode !== 202) throw new Error(asked.body);
  const res = await api.app.inject({
    method: 'POST',
    url: '/portal/sign-in',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ challengeId: asked.json().challengeId, code: '135790' }),
  });
  await setDemoCode(api.db, api.cipher, null);
  if (res.statusCode !== 200) throw new Error(res.body);
  return String(res.json().token);
}
