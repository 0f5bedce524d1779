import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lenderToday } from '../../src/jobs/index.js';
import { type Db, setFirstBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { json, startApi, type TestApi } from './helpers.js';
import { applicant, apply, ok, send } from './origination-helpers.js';

/** A book started behind the clock: origination is dated by the business day, like the ledger. */
describe('one clock: the business day dates applications, invitations and decisions', () => {
  let db: Db;
  let api: TestApi;
  beforeAll(async () => {
    db = await openMigrated(backends[0]!);
    await setFirstBusinessDay(db, '2025-03-10', lenderToday());
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('accepts an invitation valid on the business day and uses it for an application made on that day', async () => {
    const idNumber = (applicant(7).identity as { idNumber: string }).idNumber;
    const invitation = await ok(
      await send(api, 'risk_analyst', 'POST', '/invitations', {
        idNumber,
        productIds: ['default'],
        limitCap: '50000.00',
        validFrom: '2025-03-10T00:00:00+08:00',
        expiresAt: '2025-04-10T00:00:00+08:00',
      }),
    );
    const decision = await apply(api, applicant(7));
    expect(decision.outcome).toBe('approve');
    const stored = json(
      await send(api, 'risk_analyst', 'GET', `/applications/${decision.applicationId}?unmask=true`),
    );
    const application = stored.application as { submittedAt: string };
    // The business day with the time of submission (Shanghai, +08:00).
    const local = new Date(Date.parse(application.submittedAt) + 8 * 3_600_000).toISOString();
    expect(local.slice(0, 10)).toBe('2025-03-10');
    const used = await db.query<{ status: string }>(
      'select status from invitations where invitation_id = $1',
      [invitation.invitationId],
    );
    expect(used.rows[0]!.status).toBe('used');
  });
});
