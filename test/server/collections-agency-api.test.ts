import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import {
  auth,
  createCash12mOverApi,
  freshKey,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/**
 * An outside collection agency's users (role `agency`, decision 0716): they see and work only the cases
 * placed with their agency, unmask only those borrowers, and nothing else of the book.
 */
describe.each(backends)('agency users over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z'); // 12:00 in Shanghai: within contact hours
  const cases: { caseId: string; customerId: string; loanId: string }[] = [];
  let east = '';
  let west = '';

  const call = (token: string, method: string, url: string, payload?: unknown) =>
    api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(token), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const as = (role: Role, method: string, url: string, payload?: unknown) =>
    call(api.tokens[role], method, url, payload);

  async function agencyUser(username: string, agencyId: string): Promise<string> {
    const u = await as('admin', 'POST', '/users', {
      username,
      displayName: username,
      role: 'agency',
      agencyId,
    });
    expect(u.statusCode, u.body).toBe(201);
    expect(json(u)).toMatchObject({ role: 'agency', agencyId });
    const t = await as('admin', 'POST', `/users/${json(u).userId as string}/tokens`, { label: 'agency' });
    expect(t.statusCode, t.body).toBe(201);
    return json(t).token as string;
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    await createCash12mOverApi(as);
    for (const n of [41, 42]) {
      const c = await as('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(n) }));
      const customerId = json(c).customerId as string;
      const l = await as('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '20000.00',
      });
      const d = await as('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      cases.push({ caseId: '', customerId, loanId: json(d).loanId as string });
    }
    await db.transaction((tx) =>
      closeLoansThrough(
        tx,
        cases.map((c) => c.loanId),
        parseDate('2026-11-03'),
      ),
    );
    await setBusinessDay(db, parseDate('2026-11-04'));
    const started = await as('admin', 'POST', '/eod-runs', { businessDate: '2026-11-04' });
    const runId = json(started).runId as string;
    for (let i = 0; i < 400; i++) {
      const run = json(await as('admin', 'GET', `/eod-runs/${runId}`));
      if (run.status === 'succeeded') break;
      expect(run.status).toBe('running');
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const c of cases) {
      const list = json(await as('auditor', 'GET', `/collections/cases?loanId=${c.loanId}`));
      c.caseId = (list.items as { caseId: string }[])[0]!.caseId;
    }
    for (const [id, name] of [
      ['ag-east', 'East Recovery'],
      ['ag-west', 'West Recovery'],
    ])
      expect((await as('admin', 'PUT', `/collections/agencies/${id}`, { name })).statusCode).toBe(200);
    const placed = await as('admin', 'POST', `/collections/cases/${cases[0]!.caseId}/placement`, {
      agencyId: 'ag-east',
    });
    expect(placed.statusCode, placed.body).toBeLessThan(300);
    east = await agencyUser('east-1', 'ag-east');
    west = await agencyUser('west-1', 'ag-west');
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('an agency user is created only with an active agency, and only for role agency', async () => {
    const before = await dumpTables(db);
    const noAgency = await as('admin', 'POST', '/users', {
      username: 'ag-x',
      displayName: 'x',
      role: 'agency',
    });
    expect(noAgency.statusCode, noAgency.body).toBe(400);
    expect(json(noAgency).errors).toEqual([expect.objectContaining({ path: '/body/agencyId' })]);
    const staff = await as('admin', 'POST', '/users', {
      username: 'col-x',
      displayName: 'x',
      role: 'collector',
      agencyId: 'ag-east',
    });
    expect(staff.statusCode, staff.body).toBe(400);
    const unknown = await as('admin', 'POST', '/users', {
      username: 'ag-y',
      displayName: 'y',
      role: 'agency',
      agencyId: 'ag-nowhere',
    });
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(json(unknown).code).toBe('agency_not_found');
    expect(await dumpTables(db)).toEqual(before);
  });

  it('lists and reads only the cases placed with its agency; any other case is not found', async () => {
    const [mine, other] = cases;
    const list = json(await call(east, 'GET', '/collections/cases'));
    expect((list.items as { caseId: string }[]).map((c) => c.caseId)).toEqual([mine!.caseId]);
    // Filters cannot widen the view.
    const filtered = json(await call(east, 'GET', `/collections/cases?customerId=${other!.customerId}`));
    expect(filtered.items).toEqual([]);
    expect((await call(east, 'GET', `/collections/cases/${mine!.caseId}`)).statusCode).toBe(200);
    expect((await call(east, 'GET', `/collections/cases/${mine!.caseId}/assessment`)).statusCode).toBe(200);
    const hidden = await call(east, 'GET', `/collections/cases/${other!.caseId}`);
    expect(hidden.statusCode).toBe(404);
    expect(json(hidden).code).toBe('case_not_found');
    // Another agency sees nothing of it; an agency user tied to no agency sees nothing at all.
    expect(json(await call(west, 'GET', '/collections/cases')).items).toEqual([]);
    expect((await call(west, 'GET', `/collections/cases/${mine!.caseId}`)).statusCode).toBe(404);
    expect(json(await as('agency', 'GET', '/collections/cases')).items).toEqual([]);
  });

  it('works its placed case, and is refused any other with nothing written', async () => {
    const [mine, other] = cases;
    const attempt = { channel: 'call', party: 'borrower', outcome: 'no-answer' };
    const logged = await call(east, 'POST', `/collections/cases/${mine!.caseId}/contact-attempts`, attempt);
    expect(logged.statusCode, logged.body).toBe(201);
    const before = await dumpTables(db);
    for (const [url, body] of [
      [`/collections/cases/${other!.caseId}/contact-attempts`, attempt],
      [`/collections/cases/${other!.caseId}/promises`, { amount: '100.00', promisedDate: '2026-11-10' }],
      [`/collections/cases/${other!.caseId}/evidence`, { kind: 'evasion', note: 'moved' }],
      [`/collections/cases/${mine!.caseId}/contact-attempts`, attempt],
    ] as const) {
      const res = await call(url.includes(mine!.caseId) ? west : east, 'POST', url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(json(res).code).toBe('case_not_found');
    }
    expect(await dumpTables(db)).toEqual(before);
  });

  it('unmasks only the borrowers of its placed cases, audited; other borrowers are not found', async () => {
    const [mine, other] = cases;
    const shown = await call(east, 'GET', `/customers/${mine!.customerId}?unmask=true`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(json(shown).masked).toBe(false);
    const audit = json(
      await as('auditor', 'GET', `/audit-log?action=customer.read_pii&customerId=${mine!.customerId}`),
    );
    expect(audit.items).toEqual([expect.objectContaining({ actorRole: 'agency' })]);
    for (const [token, id] of [
      [east, other!.customerId],
      [west, mine!.customerId],
    ] as const) {
      for (const q of ['', '?unmask=true']) {
        const res = await call(token, 'GET', `/customers/${id}${q}`);
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain('masked');
      }
    }
  });

  it('sees nothing else of the book', async () => {
    for (const url of [
      '/customers',
      '/loans',
      `/loans/${cases[0]!.loanId}`,
      '/products',
      '/collections/worklist',
      '/collections/agencies',
      '/collections/strategies',
      '/collections/teams',
      '/complaints',
      '/audit-log',
    ]) {
      const res = await call(east, 'GET', url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(403);
      expect(json(res).code).toBe('forbidden');
    }
    const patch = await call(east, 'PATCH', `/collections/cases/${cases[0]!.caseId}`, { lostContact: true });
    expect(patch.statusCode).toBe(403);
    expect((await call(east, 'GET', '/me')).statusCode).toBe(200);
  });

  it('loses the case when it is recalled', async () => {
    const [mine] = cases;
    const recalled = await as('admin', 'POST', `/collections/cases/${mine!.caseId}/recall`, {
      reason: 'contract ended',
    });
    expect(recalled.statusCode, recalled.body).toBeLessThan(300);
    expect(json(await call(east, 'GET', '/collections/cases')).items).toEqual([]);
    expect((await call(east, 'GET', `/collections/cases/${mine!.caseId}`)).statusCode).toBe(404);
    expect((await call(east, 'GET', `/customers/${mine!.customerId}?unmask=true`)).statusCode).toBe(404);
  });
});
