import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEod } from '../../src/jobs/index.js';
import { formatDate, parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, findLoan, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, startApi, type TestApi, validCustomer } from './helpers.js';

/* EOD tells subscribers when a loan's bucket changes and when the line controls freeze a line. */
describe.each(backends)('bucket.changed and line.frozen from EOD on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const post = async (url: string, body: unknown) => {
    const r = await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
      payload: body as object,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as Record<string, string>;
  };
  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('queues one bucket.changed per move and one line.frozen per freeze, and nothing twice on a rerun', async () => {
    await setBusinessDay(db, parseDate('2026-10-01'));
    await post('/products', { id: 'cash-12m', termCount: 12 });
    await post('/webhook-subscriptions', {
      url: 'https://hooks.lender.example/lg',
      eventTypes: ['bucket.changed', 'line.frozen'],
    });
    const { customerId } = await post('/customers', validCustomer({ idNumber: idNumberFor(51) }));
    const { lineId } = await post(`/customers/${customerId}/credit-lines`, { limit: '20000.00' });
    const { loanId } = await post(`/credit-lines/${lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    const due = (await findLoan(db, loanId as string))!.state.plan[0]!.dueDay;
    await db.transaction((tx) => closeLoansThrough(tx, [loanId as string], due + 5));
    const { rows } = await db.query<{ day: string }>(
      `select day::text as day from loan_events where loan_id = $1 and type = 'DelinquencyChanged'`,
      [loanId],
    );
    const moved = rows[0]!.day;
    await db.transaction((tx) => ledgerEod.advanceBusinessDay(tx, moved));
    await db.transaction((tx) => ledgerEod.advanceBusinessDay(tx, moved));
    const events = await db.query<{ event_type: string; payload: { data: Record<string, unknown> } }>(
      `select event_type, payload from outbox_messages where kind = 'event' order by message_id`,
    );
    expect(events.rows.map((r) => r.event_type).sort()).toEqual(['bucket.changed', 'line.frozen']);
    const bucket = events.rows.find((r) => r.event_type === 'bucket.changed')!.payload.data;
    expect(bucket).toMatchObject({ loanId, day: moved, fromBucket: 'M0', toBucket: 'M1' });
    const frozen = events.rows.find((r) => r.event_type === 'line.frozen')!.payload.data;
    expect(frozen).toMatchObject({
      lineId,
      code: 'LC_PAST_DUE_FREEZE',
      source: 'control',
      day: formatDate(parseDate(moved)),
    });
  });
});
