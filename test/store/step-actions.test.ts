import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChannelConfig, runDispatcher, writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  generatePiiKey,
  listStepActions,
  overrideAssessment,
  PiiCipher,
  refreshCases,
  saveAgency,
} from '../../src/store/index.js';
import { startReceiver } from '../jobs/receivers.js';
import { backends, openMigrated } from './backends.js';

const d = parseDate;
const SMS_SECRET = 'sms-secret-0123456789abcdef';

/**
 * The shipped strategy's steps are carried out by the case refresh (decision 0757), in its transaction, once
 * each: M1 cases get an SMS reminder that the dispatcher sends; M4 cases are placed with the active agency
 * carrying the fewest cases (pending, with its reason, while none is active); an unwilling borrower from M3
 * gets a legal escalation request awaiting a person's approval. Running the refresh again adds nothing.
 */
describe.each(backends)('carrying out the strategy’s steps on $name', (backend) => {
  let db: Db;
  let customers: string[];
  let loanIds: string[];
  const cipher = new PiiCipher(generatePiiKey());
  let sms: Awaited<ReturnType<typeof startReceiver>>;
  const D1 = d('2026-10-01');
  const D2 = d('2026-12-31');

  beforeAll(async () => {
    db = await openMigrated(backend);
    sms = await startReceiver(() => SMS_SECRET);
    await writeBook(db, {
      seed: 7,
      customers: 5,
      loansPerCustomer_max: 1,
      drawFrom: d('2026-08-05'),
      drawTo: d('2026-08-20'),
      historyThrough: D1,
      behaviourShares: [['never', 1]],
    });
    const { rows } = await db.query<{ loan_id: string }>('select loan_id from loans order by loan_id');
    loanIds = rows.map((r) => r.loan_id);
  }, 120_000);
  afterAll(async () => {
    await sms?.close();
    await db?.close();
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(`select count(*)::text as n from (${sql}) x`, params)).rows[0]!.n);
  const caseOf = async (customerId: string) =>
    (
      await db.query<{ case_id: string; agency_id: string | null; strategy_step: string }>(
        `select case_id, agency_id, strategy_step from collection_cases where customer_id = $1 and status = 'open'`,
        [customerId],
      )
    ).rows[0]!;
  const snapshot = async () => ({
    reminders: await count('select 1 from reminders'),
    outbox: await count(`select 1 from outbox_messages where kind = 'reminder'`),
    actions: await count(`select 1 from collection_step_actions`),
    placements: await count('select 1 from collection_placements'),
    legal: await count('select 1 from collection_legal_actions'),
    audit: await count(`select 1 from audit_log where action like 'collection.%'`),
  });

  it('queues one SMS reminder per M1 case, once however often the refresh runs, and the dispatcher sends it', async () => {
    const first = await db.transaction((tx) => refreshCases(tx, D1, null));
    customers = (
      await db.query<{ customer_id: string }>('select customer_id from collection_cases order by customer_id')
    ).rows.map((r) => r.customer_id);
    const n = customers.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(first.opened).toBe(n);
    expect(first.remindersQueued).toBe(n);
    const steps = await db.query<{ strategy_step: string; next_action: string }>(
      'select strategy_step, next_action from collection_cases',
    );
    expect(steps.rows.every((r) => r.strategy_step === 'CS_M1_SMS' && r.next_action === 'reminder')).toBe(
      true,
    );
    const before = await snapshot();
    expect(before).toMatchObject({ reminders: n, outbox: n, actions: n });
    const again = await db.transaction((tx) => refreshCases(tx, D1, null));
    expect(again.remindersQueued).toBe(0);
    expect(await snapshot()).toEqual(before);
    // The day after: not yet due again (a reminder step repeats every 3 days at the most often).
    const { rows: r } = await db.query<{
      reminder_key: string;
      stage_id: string;
      channel: string;
      status: string;
    }>('select reminder_key, stage_id, channel, status from reminders order by reminder_key');
    expect(
      r.every((x) => x.stage_id === 'collection.CS_M1_SMS' && x.channel === 'sms' && x.status === 'planned'),
    ).toBe(true);

    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    // At 09:00 in Shanghai the next morning nothing is due yet; at 11:00, after the 10:00 send time, all is.
    const early = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-02T01:00:00Z'),
    });
    expect(early.sent).toBe(0);
    const sent = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-02T03:00:00Z'),
    });
    expect(sent).toMatchObject({ sent: n, dead: 0, cancelled: 0 });
    expect(sms.badSignatures).toBe(0);
    const body = [...sms.bodies.values()][0] as { reminder: { stageId: string; subject: string } };
    expect(body.reminder.stageId).toBe('collection.CS_M1_SMS');
    expect(
      await count(`select 1 from reminders where status = 'sent' and stage_id = 'collection.CS_M1_SMS'`),
    ).toBe(n);
  });

  it('places M4 cases with an agency (pending while none is active), and asks for legal review of the unwilling', async () => {
    await db.transaction((tx) => closeLoansThrough(tx, loanIds, D2));
    const [a, b, ...others] = customers as [string, string, ...string[]];
    const n = customers.length;
    const caseB = (await caseOf(b)).case_id;
    await overrideAssessment(db, caseB, 'unwillingness', 'refuses to pay, can pay', 'usr_lead', D2);

    const noAgency = await db.transaction((tx) => refreshCases(tx, D2, null));
    expect(noAgency).toMatchObject({
      placed: 0,
      placementsPending: n - 1,
      legalRequests: 1,
      remindersQueued: 0,
    });
    const caseA = (await caseOf(a)).case_id;
    expect((await caseOf(a)).strategy_step).toBe('CS_M4_AGENCY');
    const pending = await listStepActions(db, caseA);
    expect(pending[0]).toMatchObject({
      kind: 'agency-placement',
      status: 'pending',
      stepCode: 'CS_M4_AGENCY',
    });
    expect(pending[0]?.outcome).toContain('no collection agency is active');
    // The legal request is proposed by the strategy and waits for a person: never approved or filed by it.
    const { rows: legal } = await db.query<{
      status: string;
      proposed_by: string;
      approved_by: string | null;
    }>('select status, proposed_by, approved_by from collection_legal_actions where case_id = $1', [caseB]);
    expect(legal).toEqual([{ status: 'proposed', proposed_by: 'strategy', approved_by: null }]);

    const held = await snapshot();
    await db.transaction((tx) => refreshCases(tx, D2, null));
    expect(await snapshot()).toEqual(held);

    // A case that leaves the step drops its pending action; back on the step, it is pending again.
    await overrideAssessment(db, caseA, 'inability', 'lost the job', 'usr_lead', D2);
    await db.transaction((tx) => refreshCases(tx, D2, null));
    expect((await listStepActions(db, caseA))[0]).toMatchObject({ status: 'dropped' });
    await overrideAssessment(db, caseA, null, 'found work', 'usr_lead', D2);

    await saveAgency(db, 'agy_1', 'Agency one', true);
    await saveAgency(db, 'agy_2', 'Agency two', true);
    await saveAgency(db, 'agy_0', 'Agency retired', false);
    const placed = await db.transaction((tx) => refreshCases(tx, D2, null));
    expect(placed).toMatchObject({ placed: n - 1, placementsPending: 0, legalRequests: 0 });
    // Balanced: the active agencies carry counts at most one apart; none goes to the inactive one.
    const agencies = await Promise.all([a, ...others].map(async (x) => (await caseOf(x)).agency_id));
    const per = (id: string) => agencies.filter((x) => x === id).length;
    expect(per('agy_1') + per('agy_2')).toBe(n - 1);
    expect(Math.abs(per('agy_1') - per('agy_2'))).toBeLessThanOrEqual(1);
    expect((await caseOf(b)).agency_id).toBeNull();
    expect((await listStepActions(db, caseA))[0]).toMatchObject({ status: 'done', kind: 'agency-placement' });
    // Audited like a manual placement, with the system as the actor.
    expect(
      await count(
        `select 1 from audit_log where action = 'collection.placement' and actor_role = 'system' and actor_user_id is null`,
      ),
    ).toBe(n - 1);

    const after = await snapshot();
    await db.transaction((tx) => refreshCases(tx, D2, null));
    await db.transaction((tx) => refreshCases(tx, D2, customers));
    expect(await snapshot()).toEqual(after);
  });
});
