import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import {
  callAs,
  closeDayOverApi,
  createCash12mOverApi,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * The case view says when a recall holds a case off its agency-placement step (decision 0912). Three
 * borrowers draw 10,000.00 on 2026-07-01 and never pay: the EOD run of 2026-11-04 opens their cases at M4,
 * on the shipped strategy's placement step, and places each with one of two agencies. An admin takes case A
 * back with a reason and recalls case B to move it; case C stays placed. The run of 11-05 leaves A in house
 * (the hold) and places B with the other agency; once A leaves the step the hold is gone.
 */
describe.each(backends)('a recall holding the placement step, in the case view, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let now = new Date('2026-11-05T04:00:00Z');
  const cases: string[] = [];

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  async function closeDay(date: string) {
    return closeDayOverApi(call, date, 400);
  }

  const kase = async (caseId: string, role: Role = 'auditor') => {
    const r = await call(role, 'GET', `/collections/cases/${caseId}`);
    expect(r.statusCode, r.body).toBe(200);
    return json(r);
  };

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-07-01'));
    await createCash12mOverApi(call);
    const loans: string[] = [];
    for (const n of [41, 42, 43]) {
      const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(n) }));
      const l = await call(
        'risk_analyst',
        'POST',
        `/customers/${json(c).customerId as string}/credit-lines`,
        {
          limit: '20000.00',
        },
      );
      const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      expect(d.statusCode, d.body).toBe(201);
      loans.push(json(d).loanId as string);
    }
    for (const [id, name] of [
      ['ag-east', 'East Recovery'],
      ['ag-west', 'West Recovery'],
    ] as const)
      expect((await call('admin', 'PUT', `/collections/agencies/${id}`, { name })).statusCode).toBe(200);
    await db.transaction((tx) => closeLoansThrough(tx, loans, parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    await closeDay('2026-11-04');
    for (const loanId of loans) {
      const list = json(await call('auditor', 'GET', `/collections/cases?loanId=${loanId}`));
      cases.push((list.items as { caseId: string }[])[0]!.caseId);
    }
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a case placed by its step has no hold', async () => {
    for (const caseId of cases) {
      const c = await kase(caseId);
      expect(c).toMatchObject({ strategyStep: 'CS_M4_AGENCY', nextAction: 'agency-placement' });
      expect(c.agencyId).not.toBeNull();
      expect(c.placementHold).toBeNull();
      expect(c.stepActions).toEqual([
        expect.objectContaining({
          kind: 'agency-placement',
          status: 'done',
          outcome: `placed with ${c.agencyId}`,
        }),
      ]);
    }
  });

  it('taken back with a reason, the step holds it: who, when, from which agency, until the case leaves', async () => {
    const [a, b, c] = cases as [string, string, string];
    const fromA = (await kase(a)).agencyId as string;
    const fromB = (await kase(b)).agencyId as string;
    const ra = await call('admin', 'POST', `/collections/cases/${a}/recall`, {
      reason: 'the lender collects it in-house again',
    });
    expect(ra.statusCode, ra.body).toBe(200);
    const rb = await call('admin', 'POST', `/collections/cases/${b}/recall`, {
      reason: 'poor results: move it',
      placeAgain: true,
    });
    expect(rb.statusCode, rb.body).toBe(200);
    // A placement's id has its own prefix, not the complaints' `cpl_`.
    expect(json(ra).placementId).toMatch(/^plc_[0-9a-f]{28}$/);

    const held = await kase(a);
    expect(held.placementHold).toEqual({
      step: 'CS_M4_AGENCY',
      placementActionSkipped: true,
      placementId: json(ra).placementId,
      agencyId: fromA,
      agencyName: fromA === 'ag-east' ? 'East Recovery' : 'West Recovery',
      recalledDate: '2026-11-05',
      reason: 'the lender collects it in-house again',
      recalledBy: api.userIds.admin,
    });
    // The collector reads it too; a recall made to move agencies holds nothing, nor does a placed case.
    expect((await kase(a, 'collector')).placementHold).toMatchObject({ step: 'CS_M4_AGENCY' });
    expect((await kase(b)).placementHold).toBeNull();
    expect((await kase(c)).placementHold).toBeNull();

    // The next refresh skips A's placement (nothing written for it) and moves B to the other agency.
    await closeDay('2026-11-05');
    const stillHeld = await kase(a);
    expect(stillHeld.agencyId).toBeNull();
    expect(stillHeld.placementHold).toEqual(held.placementHold);
    expect(stillHeld.stepActions).toEqual(held.stepActions);
    const moved = await kase(b);
    expect(moved.agencyId).not.toBeNull();
    expect(moved.agencyId).not.toBe(fromB);
    expect(moved.placementHold).toBeNull();
    expect(moved.stepActions).toHaveLength(2);
  });

  it('once the case leaves the step, the hold is gone', async () => {
    const a = cases[0]!;
    const o = await call('collector', 'POST', `/collections/cases/${a}/assessment-override`, {
      verdict: 'inability',
      note: 'lost the job in October',
    });
    expect(o.statusCode, o.body).toBe(200);
    now = new Date('2026-11-08T04:00:00Z');
    await closeDay('2026-11-06');
    const c = await kase(a);
    expect(c.strategyStep).not.toBe('CS_M4_AGENCY');
    expect(c.placementHold).toBeNull();
    // Back on the step: it places the case, as any placement step reached later does.
    const back = await call('collector', 'POST', `/collections/cases/${a}/assessment-override`, {
      verdict: null,
      note: 'found work again',
    });
    expect(back.statusCode, back.body).toBe(200);
    await closeDay('2026-11-07');
    const again = await kase(a);
    expect(again.strategyStep).toBe('CS_M4_AGENCY');
    expect(again.agencyId).not.toBeNull();
    expect(again.placementHold).toBeNull();
  });
});
