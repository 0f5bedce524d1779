import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  insertToken,
  insertUser,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/*
 * A team lead's need to know: two borrowers fall past due and their cases open in the EOD run of 2026-11-04.
 * Team "north" (led by the lead, a collector) has collector A; team "south" has collector B. The lead may see
 * the contact data of the borrower whose case A works (audited with the team), not of the one B works.
 */
describe.each(backends)('a team lead unmasks the cases of their team, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z');
  const users: Record<'lead' | 'a' | 'b', { userId: string; token: string }> = {} as never;
  const borrowers: string[] = [];

  async function call(token: string, method: string, url: string, payload?: unknown) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(token), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  const admin = (method: string, url: string, payload?: unknown) =>
    call(api.tokens.admin, method, url, payload);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    for (const name of ['lead', 'a', 'b'] as const) {
      const u = await insertUser(db, { username: `collector-${name}`, displayName: name, role: 'collector' });
      const t = await insertToken(db, { userId: u.userId, label: 'test', expiresAt: null });
      users[name] = { userId: u.userId, token: t.secret };
    }
    await setBusinessDay(db, parseDate('2026-10-01'));
    expect((await admin('POST', '/products', { id: 'cash-12m', termCount: 12 })).statusCode).toBe(201);
    const loanIds: string[] = [];
    for (const n of [31, 32]) {
      const c = json(await admin('POST', '/customers', validCustomer({ idNumber: idNumberFor(n) })));
      borrowers.push(c.customerId as string);
      const l = json(
        await admin('POST', `/customers/${c.customerId as string}/credit-lines`, { limit: '20000.00' }),
      );
      const d = await admin('POST', `/credit-lines/${l.lineId as string}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      expect(d.statusCode, d.body).toBe(201);
      loanIds.push(json(d).loanId as string);
    }
    await db.transaction((tx) => closeLoansThrough(tx, loanIds, parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    const run = await admin('POST', '/eod-runs', { businessDate: '2026-11-04' });
    expect([200, 202], run.body).toContain(run.statusCode);
    for (let i = 0; i < 200; i++) {
      const r = json(await admin('GET', `/eod-runs/${json(run).runId as string}`));
      if (r.status === 'succeeded') break;
      expect(r.status).toBe('running');
      await new Promise((res) => setTimeout(res, 50));
    }
    for (const [teamId, buckets, lead, member] of [
      ['north', ['M1'], users.lead.userId, users.a.userId],
      ['south', ['M2'], null, users.b.userId],
    ] as const) {
      const t = await admin('PUT', `/collections/teams/${teamId}`, {
        name: teamId,
        buckets,
        lead,
        members: [{ userId: member, capacity: 10 }],
      });
      expect(t.statusCode, t.body).toBe(200);
    }
    for (const [customerId, assignee] of [
      [borrowers[0]!, users.a.userId],
      [borrowers[1]!, users.b.userId],
    ]) {
      const cases = json(await admin('GET', `/collections/cases?customerId=${customerId}&status=open`));
      const caseId = (cases.items as { caseId: string }[])[0]!.caseId;
      const p = await admin('PATCH', `/collections/cases/${caseId}`, { assignee });
      expect(p.statusCode, p.body).toBe(200);
    }
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const audited = async (customerId: string) =>
    (
      await db.query<{ actor_user_id: string; details: Record<string, unknown> }>(
        `select actor_user_id, details from audit_log where action = 'customer.read_pii' and customer_id = $1`,
        [customerId],
      )
    ).rows;

  it('the lead sees the contact data of a case a collector of their team works, and the read is audited', async () => {
    const r = await call(users.lead.token, 'GET', `/customers/${borrowers[0]!}?unmask=true`);
    expect(r.statusCode, r.body).toBe(200);
    expect(json(r)).toMatchObject({ masked: false, phone: '13812345678' });
    const rows = await audited(borrowers[0]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user_id: users.lead.userId, details: { asLeadOfTeam: 'north' } });
    // The collector who works the case unmasks it as before (no team named: it is theirs).
    expect((await call(users.a.token, 'GET', `/customers/${borrowers[0]!}?unmask=true`)).statusCode).toBe(
      200,
    );
    const after = await audited(borrowers[0]!);
    expect(after.find((x) => x.actor_user_id === users.a.userId)?.details).not.toHaveProperty('asLeadOfTeam');
  });

  it('another team’s case is refused with pii_forbidden, and so is a member’s unmask of a teammate’s case', async () => {
    const r = await call(users.lead.token, 'GET', `/customers/${borrowers[1]!}?unmask=true`);
    expect(r.statusCode).toBe(403);
    expect(json(r)).toMatchObject({ code: 'pii_forbidden' });
    expect(await audited(borrowers[1]!)).toEqual([]);
    // A collector in the lead's team is not a lead: B's borrower stays masked to A, and A's to B.
    expect((await call(users.a.token, 'GET', `/customers/${borrowers[1]!}?unmask=true`)).statusCode).toBe(
      403,
    );
    expect((await call(users.b.token, 'GET', `/customers/${borrowers[0]!}?unmask=true`)).statusCode).toBe(
      403,
    );
    // The masked view stays open to the lead.
    const masked = await call(users.lead.token, 'GET', `/customers/${borrowers[1]!}`);
    expect(masked.statusCode).toBe(200);
    expect(json(masked)).toMatchObject({ masked: true });
  });
});
