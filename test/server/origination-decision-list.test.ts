import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/server/http/roles.js';
import { type Db, ROLES, type Role } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { json, startApi, type TestApi } from './helpers.js';
import { applicant, apply, type DecisionBody, invite, ok, patched, send } from './origination-helpers.js';

interface Item {
  decisionId: string;
  applicationId: string;
  decidedAt: string;
  outcome: string;
  productId: string;
  limit: string;
  apr: string | null;
  policyVersion: string;
  modelVersion: string;
  flags: number;
  openFlags: number;
}

describe.each(backends)('GET /decisions on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const made: DecisionBody[] = [];

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    // An invited salaried applicant: approved.
    await invite(api, 600);
    made.push(await apply(api, applicant(600)));
    // Four uninvited applicants naming one contact (each flagged outside any invitation), then an invited one
    // naming it too: referred to an analyst for the shared contact numbers.
    const contacts = { contacts: [{ name: '赵六', relation: 'friend', phone: '13512345678' }] };
    for (const n of [601, 602, 603, 604]) made.push(await apply(api, patched(applicant(n), contacts)));
    await invite(api, 610);
    made.push(await apply(api, patched(applicant(610), contacts)));
    await invite(api, 605);
    await ok(
      await send(api, 'risk_analyst', 'POST', '/blacklist', {
        subject: 'id-number',
        value: (applicant(605).identity as { idNumber: string }).idNumber,
        reason: 'loan fraud confirmed',
        source: 'internal-review',
        evidence: 'case 2026-201',
        expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      }),
    );
    made.push(await apply(api, applicant(605))); // blacklisted: decline
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const list = async (query: string, role: Role = 'auditor') => {
    const res = await send(api, role, 'GET', `/decisions${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return json(res) as { items: Item[]; nextCursor: string | null };
  };

  it('is open exactly to the roles of decisions.read', async () => {
    for (const role of ROLES) {
      const res = await send(api, role, 'GET', '/decisions');
      expect(res.statusCode, role).toBe(
        (PERMISSIONS['decisions.read'] as readonly Role[]).includes(role) ? 200 : 403,
      );
    }
  });

  it('lists every decision newest first with its outcome, price and versions', async () => {
    expect(made[0]!.outcome).toBe('approve');
    expect(made[1]!.flags.map((f) => f.kind)).toContain('outside-invitation');
    expect(made[5]!.outcome).toBe('refer');
    expect(made[5]!.flags.map((f) => f.kind)).toEqual(['shared-contact-numbers']);
    expect(made[6]!.outcome).toBe('decline');
    const { items, nextCursor } = await list('?limit=200');
    expect(nextCursor).toBeNull();
    expect(items.map((i) => i.decisionId)).toEqual(made.map((d) => d.decisionId).reverse());
    const approved = items.find((i) => i.decisionId === made[0]!.decisionId)!;
    expect(approved).toMatchObject({
      outcome: 'approve',
      productId: 'default',
      limit: made[0]!.limit,
      policyVersion: made[0]!.policy.version,
      flags: 0,
      openFlags: 0,
    });
    expect(approved.apr).toMatch(/^\d/);
    const flagged = items.find((i) => i.decisionId === made[5]!.decisionId)!;
    expect(flagged).toMatchObject({ outcome: 'refer', flags: 1, openFlags: 1 });
    expect(flagged.openFlags).toBeGreaterThan(0);
  });

  it('carries no personal data', async () => {
    const body = JSON.stringify(await list('?limit=200'));
    expect(body).not.toContain('王小明');
    const idNumber = (applicant(601).identity as { idNumber: string }).idNumber;
    expect(body).not.toContain(idNumber);
    expect(body).not.toContain('13800000601');
  });

  it('pages by keyset to exactly the whole list', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.decisionId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(made.map((d) => d.decisionId).reverse());
  });

  it('filters by outcome, product, open flags and day', async () => {
    const ids = async (query: string) => (await list(query)).items.map((i) => i.decisionId).sort();
    const byOutcome = (o: string) =>
      made
        .filter((d) => d.outcome === o)
        .map((d) => d.decisionId)
        .sort();
    expect(await ids('?outcome=approve')).toEqual(byOutcome('approve'));
    expect(await ids('?outcome=decline')).toEqual(byOutcome('decline'));
    expect(await ids('?outcome=refer')).toEqual(byOutcome('refer'));
    expect(await ids('?productId=none')).toEqual([]);
    expect((await ids('?productId=default')).length).toBe(made.length);
    const withFlags = made.filter((d) => d.flags.length > 0).map((d) => d.decisionId);
    expect(withFlags.length).toBeGreaterThan(0);
    expect(await ids('?hasOpenFlags=true')).toEqual([...withFlags].sort());
    expect((await ids('?hasOpenFlags=false')).length).toBe(made.length - withFlags.length);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
    expect((await ids(`?decidedFrom=${today}&decidedTo=${today}`)).length).toBe(made.length);
    expect(await ids(`?decidedFrom=${tomorrow}`)).toEqual([]);
  });

  it('drops a decision from hasOpenFlags=true once its flags are resolved', async () => {
    const referred = made[5]!;
    for (const flag of referred.flags) {
      await ok(
        await send(api, 'risk_analyst', 'POST', `/review-queue/${flag.flagId}/resolve`, {
          resolution: 'cleared',
          note: 'known customer',
        }),
        200,
      );
    }
    const open = (await list('?hasOpenFlags=true')).items.map((i) => i.decisionId);
    expect(open.length).toBeGreaterThan(0);
    expect(open).not.toContain(referred.decisionId);
    const item = (await list('?limit=200')).items.find((i) => i.decisionId === referred.decisionId)!;
    expect(item).toMatchObject({ flags: referred.flags.length, openFlags: 0 });
  });

  it('refuses a reversed range, a bad day and a forged cursor with problem+json naming the field', async () => {
    const reversed = await send(
      api,
      'auditor',
      'GET',
      '/decisions?decidedFrom=2026-05-02&decidedTo=2026-05-01',
    );
    expect(reversed.statusCode).toBe(400);
    expect(json(reversed).code).toBe('date_out_of_range');
    const badDay = await send(api, 'auditor', 'GET', '/decisions?decidedFrom=2026-02-30');
    expect(badDay.statusCode).toBe(400);
    expect(JSON.stringify(json(badDay).errors)).toContain('/query/decidedFrom');
    const forged = Buffer.from(JSON.stringify({ after: 'nonsense' })).toString('base64url');
    const bad = await send(api, 'auditor', 'GET', `/decisions?cursor=${forged}`);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).code).toBe('cursor_invalid');
    const outcome = await send(api, 'auditor', 'GET', '/decisions?outcome=maybe');
    expect(outcome.statusCode).toBe(400);
  });
});
