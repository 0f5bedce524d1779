import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import {
  auth,
  callAs,
  closeDayOverApi,
  createCash12mOverApi,
  drawLoanOverApi,
  freshKey,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * A collector's day over the API. 10,000.00 drawn on 2026-10-01 on 12 monthly instalments at 0.05%/day:
 * instalment 1 (917.90) falls due on 2026-11-01 unpaid. The EOD run that closes 2026-11-04 opens the
 * borrower's case (3 days past due, M1). On 2026-11-05 the collector calls — the conduct rules refuse what
 * they forbid and say when contact is next allowed — and the borrower promises 950.00 by 11-07, pays 1,000.00
 * the same day, and the EOD run of 11-05 closes the case as cured with the promise kept.
 */
describe.each(backends)('collections over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let now = new Date('2026-11-05T04:00:00Z'); // 12:00 in Shanghai
  let loanId: string;
  let customerId: string;
  let caseId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  async function closeDay(date: string) {
    return closeDayOverApi(call, date);
  }

  const attempt = (body: Record<string, unknown>) =>
    call('collector', 'POST', `/collections/cases/${caseId}/contact-attempts`, body);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    await createCash12mOverApi(call);
    ({ customerId, loanId } = await drawLoanOverApi(call, 21));
    // Fast-forward the quiet days; the day the case opens is closed by a real EOD run.
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    await closeDay('2026-11-04');
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('the EOD run opens one case for the borrower, found by loan, customer and bucket', async () => {
    const byLoan = json(await call('collector', 'GET', `/collections/cases?loanId=${loanId}`));
    const items = byLoan.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      customerId,
      status: 'open',
      openedDate: '2026-11-04',
      bucket: 'M1',
      maxDaysPastDue: 3, // due 11-01, its day of grace passed unpaid: 3 days past due at the close of 11-04
      pastDueLoanIds: [loanId],
      borrowerZone: 'Asia/Shanghai',
      lostContact: false,
      assignee: null,
    });
    expect(Number(items[0]!.overdue)).toBeGreaterThan(917.9);
    caseId = items[0]!.caseId as string;
    const byCustomer = json(
      await call('auditor', 'GET', `/collections/cases?customerId=${customerId}&bucket=M1`),
    );
    expect((byCustomer.items as unknown[]).length).toBe(1);
    expect(json(await call('auditor', 'GET', '/collections/cases?bucket=M2')).items).toEqual([]);
  });

  it("a collector logs attempts and promises only on the cases assigned to them: not on an unassigned or a teammate's case", async () => {
    const made = await call('admin', 'POST', '/users', {
      username: 'teammate',
      displayName: 'teammate',
      role: 'collector',
    });
    expect(made.statusCode, made.body).toBe(201);
    const teammate = json(made).userId as string;
    const promise = { amount: '100.00', promisedDate: '2026-11-07' };
    for (const assignee of [null, teammate]) {
      if (assignee !== null) {
        const r = await call('admin', 'PATCH', `/collections/cases/${caseId}`, { assignee });
        expect(r.statusCode, r.body).toBe(200);
      }
      const before = await dumpTables(db);
      for (const [url, body] of [
        [
          `/collections/cases/${caseId}/contact-attempts`,
          { channel: 'call', party: 'borrower', outcome: 'answered' },
        ],
        [`/collections/cases/${caseId}/promises`, promise],
      ] as const) {
        const r = await call('collector', 'POST', url, body);
        expect(r.statusCode, `${url}: ${r.body}`).toBe(403);
        expect(json(r)).toMatchObject({ code: 'forbidden' });
        expect(json(r).detail).toMatch(new RegExp(`case ${caseId} is not assigned to you`));
        const zh = await api.app.inject({
          method: 'POST',
          url,
          headers: {
            ...auth(api.tokens.collector),
            'idempotency-key': freshKey(),
            'accept-language': 'zh-CN',
          },
          payload: body,
        });
        expect(json(zh).detail).toMatch(/未分派给您/);
      }
      expect(await dumpTables(db)).toEqual(before);
    }
    // Back to no one: the next test assigns it to the collector.
    expect(
      (await call('admin', 'PATCH', `/collections/cases/${caseId}`, { assignee: null })).statusCode,
    ).toBe(200);
  });

  it('an admin assigns the case; the collector finds it in their list and may then see the contact data', async () => {
    const before = await call('collector', 'GET', `/customers/${customerId}?unmask=true`);
    expect(before.statusCode).toBe(403);
    expect(json(before)).toMatchObject({ code: 'pii_forbidden' });
    expect(json(before).detail).toMatch(/assigned to them/);
    const r = await call('admin', 'PATCH', `/collections/cases/${caseId}`, {
      assignee: api.userIds.collector,
    });
    expect(r.statusCode, r.body).toBe(200);
    const mine = json(
      await call('collector', 'GET', `/collections/cases?assignee=${api.userIds.collector}&status=open`),
    );
    expect((mine.items as { caseId: string }[]).map((c) => c.caseId)).toEqual([caseId]);
    const after = await call('collector', 'GET', `/customers/${customerId}?unmask=true`);
    expect(after.statusCode, after.body).toBe(200);
    expect(json(after)).toMatchObject({ masked: false, phone: '13812345678' });
    // Another borrower's data stays masked to this collector.
    const other = json(
      await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(22) })),
    );
    expect(
      (await call('collector', 'GET', `/customers/${other.customerId as string}?unmask=true`)).statusCode,
    ).toBe(403);
  });

  it('logs allowed attempts and refuses what the conduct rules forbid, saying when contact is next allowed', async () => {
    const first = await attempt({
      channel: 'call',
      party: 'borrower',
      outcome: 'answered',
      note: 'said salary comes on the 7th',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(json(first)).toMatchObject({ at: '2026-11-05T12:00:00+08:00', allowed: true, rule: null });

    const early = await attempt({
      channel: 'call',
      party: 'borrower',
      outcome: 'no-answer',
      at: '2026-11-05T07:30:00+08:00',
    });
    expect(early.statusCode, early.body).toBe(422);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(json(early)).toMatchObject({
      code: 'contact_refused',
      rule: 'quiet_hours',
      nextAllowedAt: '2026-11-05T08:00:00+08:00',
    });

    for (const at of ['2026-11-05T08:30:00+08:00', '2026-11-05T09:00:00+08:00']) {
      const r = await attempt({ channel: 'call', party: 'borrower', outcome: 'refused', at });
      expect(r.statusCode, r.body).toBe(201);
    }
    const fourth = await attempt({
      channel: 'call',
      party: 'borrower',
      outcome: 'answered',
      at: '2026-11-05T12:02:00+08:00',
    });
    expect(json(fourth)).toMatchObject({
      code: 'contact_refused',
      rule: 'answered_calls_per_day',
      nextAllowedAt: '2026-11-06T08:00:00+08:00',
    });
    const third = await attempt({
      channel: 'call',
      party: 'contact',
      outcome: 'answered',
      at: '2026-11-05T12:03:00+08:00',
    });
    expect(json(third)).toMatchObject({ rule: 'third_party_only_when_unreachable', nextAllowedAt: null });
    // A message is still allowed.
    expect(
      (await attempt({ channel: 'sms', party: 'borrower', outcome: 'sent', at: '2026-11-05T12:04:00+08:00' }))
        .statusCode,
    ).toBe(201);

    const detail = json(await call('auditor', 'GET', `/collections/cases/${caseId}`));
    const contacts = detail.contacts as { allowed: boolean; rule: string | null }[];
    expect(contacts.map((c) => c.rule)).toEqual([
      'quiet_hours',
      null,
      null,
      null,
      'answered_calls_per_day',
      'third_party_only_when_unreachable',
      null,
    ]);
    const audit = json(await call('admin', 'GET', '/audit-log?action=collection.contact_refused'));
    expect((audit.items as unknown[]).length).toBe(3);
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const before = await dumpTables(db);
    const cases: [string, string, Record<string, unknown>, number, string][] = [
      [
        'POST',
        `/collections/cases/cs_0000000000000000000000000000/contact-attempts`,
        { channel: 'sms', party: 'borrower', outcome: 'sent' },
        404,
        'case_not_found',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/contact-attempts`,
        { channel: 'call', party: 'borrower', outcome: 'sent' },
        400,
        'validation_failed',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/contact-attempts`,
        { channel: 'fax', party: 'borrower', outcome: 'sent' },
        400,
        'validation_failed',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/contact-attempts`,
        { channel: 'call', party: 'borrower', outcome: 'answered', at: '2026-11-04T10:00:00+08:00' },
        400,
        'date_out_of_range',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/contact-attempts`,
        { channel: 'call', party: 'borrower', outcome: 'answered', at: '2026-11-05T15:00:00+08:00' },
        400,
        'date_out_of_range',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/contact-attempts`,
        { channel: 'call', party: 'borrower', outcome: 'answered', at: 'tomorrow' },
        400,
        'validation_failed',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/promises`,
        { amount: '950.00', promisedDate: '2026-11-04' },
        422,
        'promise_invalid',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/promises`,
        { amount: '950.00', promisedDate: '2027-01-04' },
        422,
        'promise_invalid',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/promises`,
        { amount: '99999999.00', promisedDate: '2026-11-07' },
        422,
        'promise_invalid',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/promises`,
        { amount: '-5', promisedDate: '2026-11-07' },
        400,
        'amount_invalid',
      ],
      [
        'POST',
        `/collections/cases/${caseId}/promises`,
        { amount: '950.00', promisedDate: '2026-11-31' },
        400,
        'validation_failed',
      ],
      ['PATCH', `/collections/cases/${caseId}`, { borrowerZone: 'Mars/Olympus' }, 400, 'validation_failed'],
      ['PATCH', `/collections/cases/${caseId}`, { assignee: api.userIds.collector }, 403, 'forbidden'],
      ['PATCH', `/collections/cases/${caseId}`, {}, 400, 'validation_failed'],
    ];
    for (const [method, url, body, status, code] of cases) {
      const r = await call('collector', method, url, body);
      expect(r.statusCode, `${method} ${url} ${JSON.stringify(body)}: ${r.body}`).toBe(status);
      expect(json(r).code).toBe(code);
    }
    const auditor = await call('auditor', 'POST', `/collections/cases/${caseId}/promises`, {
      amount: '1.00',
      promisedDate: '2026-11-07',
    });
    expect(auditor.statusCode).toBe(403);
    expect(await dumpTables(db)).toEqual(before);
  });

  it('a promise is kept by the repayment, and the next EOD run closes the case as cured', async () => {
    const p = await call('collector', 'POST', `/collections/cases/${caseId}/promises`, {
      amount: '950.00',
      promisedDate: '2026-11-07',
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(json(p)).toMatchObject({
      amount: '950.00',
      promisedDate: '2026-11-07',
      madeDate: '2026-11-05',
      status: 'pending',
    });
    // A second promise while this one is pending would count the same payments twice: refused, nothing written.
    const before = await dumpTables(db);
    const second = await call('collector', 'POST', `/collections/cases/${caseId}/promises`, {
      amount: '500.00',
      promisedDate: '2026-11-09',
    });
    expect(second.statusCode, second.body).toBe(422);
    expect(json(second)).toMatchObject({ code: 'promise_invalid' });
    expect(String(json(second).detail)).toContain('950.00 for 2026-11-07 is still pending');
    expect(await dumpTables(db)).toEqual(before);
    const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '1000.00' });
    expect(paid.statusCode, paid.body).toBe(201);
    now = new Date('2026-11-06T02:00:00Z');
    await closeDay('2026-11-05');
    const detail = json(await call('collector', 'GET', `/collections/cases/${caseId}`));
    expect(detail).toMatchObject({
      status: 'closed',
      closedDate: '2026-11-05',
      closeReason: 'cured',
      maxDaysPastDue: 0,
    });
    expect(detail.promises).toEqual([
      expect.objectContaining({ status: 'kept', decidedDate: '2026-11-05', paid: '1000.00' }),
    ]);
    const closed = await attempt({ channel: 'sms', party: 'borrower', outcome: 'sent' });
    expect(closed.statusCode).toBe(409);
    expect(json(closed).code).toBe('case_closed');
  });
});
