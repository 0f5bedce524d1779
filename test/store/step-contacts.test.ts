import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceReport } from '../../src/collections/index.js';
import { parseChannelConfig, runDispatcher, writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  claimDueMessages,
  closeLoansThrough,
  complianceInputs,
  type Db,
  findCase,
  generatePiiKey,
  insertComplaint,
  listContacts,
  listStepActions,
  logContact,
  overrideAssessment,
  PiiCipher,
  recallCase,
  refreshCases,
  resolveComplaint,
  saveAgency,
} from '../../src/store/index.js';
import { startReceiver } from '../jobs/receivers.js';
import { backends, openMigrated } from './backends.js';

const d = parseDate;
const SMS_SECRET = 'sms-secret-0123456789abcdef';
const ms = (iso: string) => Date.parse(iso);

/**
 * A strategy step's messages are part of the case's contact log (decision 0911): the dispatcher asks the
 * contact rules at the send moment, logs a refusal with its rule and cancels the reminder, logs a delivery as
 * a sent SMS by `strategy` — which then counts towards the day's cap for a collector — and the compliance
 * report sees both. A case recalled from its agency is not placed again by the step it is on, unless it was
 * recalled to move agencies or has left that step since (decision 0912).
 */
describe.each(backends)('strategy-step messages in the contact log, and recalls, on $name', (backend) => {
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
      seed: 11,
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

  const caseOf = async (customerId: string) =>
    (
      await db.query<{ case_id: string; agency_id: string | null; strategy_step: string }>(
        `select case_id, agency_id, strategy_step from collection_cases where customer_id = $1 and status = 'open'`,
        [customerId],
      )
    ).rows[0]!;
  const manualSms = (caseId: string, atIso: string) =>
    db.transaction(async (tx) => {
      const kase = (await findCase(tx, caseId, true))!;
      return logContact(tx, kase, {
        atMs: ms(atIso),
        channel: 'sms',
        party: 'borrower',
        outcome: 'sent',
        note: null,
        actor: 'usr_collector',
      });
    });
  const iso = (x: number) => new Date(x).toISOString();

  it('refuses a step reminder to a borrower at the day’s message cap, logs it, and logs the delivered ones', async () => {
    await db.transaction((tx) => refreshCases(tx, D1, null));
    customers = (
      await db.query<{ customer_id: string }>('select customer_id from collection_cases order by customer_id')
    ).rows.map((r) => r.customer_id);
    const n = customers.length;
    expect(n).toBeGreaterThanOrEqual(3);
    const [a, b] = customers as [string, string];
    const caseA = (await caseOf(a)).case_id;
    const caseB = (await caseOf(b)).case_id;
    // Borrower A gets three SMS from a collector on the morning of the send day (08:30–08:50 in Shanghai).
    for (const at of ['2026-10-02T00:30:00Z', '2026-10-02T00:40:00Z', '2026-10-02T00:50:00Z'])
      expect((await manualSms(caseA, at)).decision.allowed).toBe(true);

    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    const sentAt = '2026-10-02T03:00:00Z';
    const report = await runDispatcher(db, cipher, config, { untilIdle: true, now: () => new Date(sentAt) });
    expect(report).toMatchObject({ sent: n - 1, contactCancelled: 1, contactMoved: 0, dead: 0 });
    expect(sms.bodies.size).toBe(n - 1);

    // A: no reminder that day; the refusal is in the log with its rule, the reminder cancelled by the rules.
    const logA = await listContacts(db, caseA, iso);
    expect(logA).toHaveLength(4);
    expect(logA[3]).toMatchObject({
      channel: 'sms',
      party: 'borrower',
      allowed: false,
      rule: 'messages_per_day',
      actor: 'strategy',
      outcome: 'undelivered',
    });
    expect(logA[3]?.nextAllowedAt).not.toBeNull();
    const { rows: remA } = await db.query<{ status: string; cancel_reason: string | null }>(
      `select status, cancel_reason from reminders where customer_id = $1`,
      [a],
    );
    expect(remA).toEqual([{ status: 'cancelled', cancel_reason: 'contact-rule' }]);
    expect((await listStepActions(db, caseA))[0]?.outcome).toContain('messages_per_day');

    // B: the delivered reminder is a sent SMS in the log, and counts towards the cap of the same day.
    const logB = await listContacts(db, caseB, iso);
    expect(logB).toHaveLength(1);
    expect(logB[0]).toMatchObject({
      channel: 'sms',
      outcome: 'sent',
      allowed: true,
      actor: 'strategy',
      at: sentAt.replace('Z', '.000Z'),
    });
    expect(logB[0]?.note).toContain('CS_M1_SMS');
    expect((await manualSms(caseB, '2026-10-02T04:00:00Z')).decision.allowed).toBe(true);
    expect((await manualSms(caseB, '2026-10-02T05:00:00Z')).decision.allowed).toBe(true);
    const third = await manualSms(caseB, '2026-10-02T06:00:00Z');
    expect(third.decision).toMatchObject({ allowed: false, rule: 'messages_per_day' });

    // Nothing more goes out however often the dispatcher runs.
    const again = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-02T07:00:00Z'),
    });
    expect(again).toMatchObject({ sent: 0, contactCancelled: 0 });

    // The compliance report sees the strategy's attempts: allowed and refused, no breach.
    const zone = 'Asia/Shanghai';
    const inputs = await complianceInputs(db, d('2026-10-02'), d('2026-10-02'), zone);
    const r = complianceReport({
      fromDay: d('2026-10-02'),
      toDay: d('2026-10-02'),
      lenderZone: zone,
      ...inputs,
    });
    const strategy = r.byCollector.find((c) => c.actor === 'strategy');
    expect(strategy).toEqual({ actor: 'strategy', attempts: n, refused: 1, breaches: 0 });
    expect(r.breachCount).toBe(0);
    expect(r.refusals.filter((x) => x.actor === 'strategy').map((x) => x.rule)).toEqual(['messages_per_day']);
  });

  it('logs a step reminder the channel could not deliver as undelivered, which the cap does not count', async () => {
    // Three days on the step: the reminder is due again, for the next morning.
    const later = await db.transaction((tx) => refreshCases(tx, d('2026-10-04'), null));
    const n = customers.length;
    expect(later.remindersQueued).toBe(n);
    const config = parseChannelConfig(
      {
        sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 },
        retry: { attempts_max: 1, backoffBase_ms: 1000, backoffMax_ms: 1000 },
      },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    sms.failNext(Array.from({ length: n }, () => 500));
    const at = '2026-10-05T03:00:00Z';
    const report = await runDispatcher(db, cipher, config, { untilIdle: true, now: () => new Date(at) });
    expect(report).toMatchObject({ sent: 0, dead: n, contactCancelled: 0 });
    const caseB = (await caseOf(customers[1]!)).case_id;
    const last = (await listContacts(db, caseB, iso)).at(-1);
    expect(last).toMatchObject({ actor: 'strategy', allowed: true, outcome: 'undelivered', channel: 'sms' });
    // Not delivered: three collector SMS that day are still allowed.
    for (const t of ['2026-10-05T04:00:00Z', '2026-10-05T05:00:00Z', '2026-10-05T06:00:00Z'])
      expect((await manualSms(caseB, t)).decision.allowed).toBe(true);
  });

  it('moves a step reminder due in the quiet hours to when they end, logging the refusal', async () => {
    const later = await db.transaction((tx) => refreshCases(tx, d('2026-10-07'), null));
    const n = customers.length;
    expect(later.remindersQueued).toBe(n);
    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    // A backlog: the dispatcher reaches the 10:00 reminders at 22:30 in Shanghai.
    const night = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-08T14:30:00Z'),
    });
    expect(night).toMatchObject({ sent: 0, contactMoved: n, contactCancelled: 0 });
    const caseC = (await caseOf(customers[2]!)).case_id;
    expect((await listContacts(db, caseC, iso)).at(-1)).toMatchObject({
      actor: 'strategy',
      allowed: false,
      rule: 'quiet_hours',
      nextAllowedAt: '2026-10-09T00:00:00.000Z',
    });
    const { rows } = await db.query<{ attempts: number }>(
      `select attempts from outbox_messages where customer_id = $1 and status = 'pending'`,
      [customers[2]],
    );
    expect(rows).toEqual([{ attempts: 0 }]);
    // Overnight borrower D complains of collection conduct: the cool-off stops the moved message.
    const d3 = customers[3]!;
    const complaint = await db.transaction((tx) =>
      insertComplaint(tx, {
        customerId: d3,
        loanId: null,
        channel: 'hotline',
        category: 'collection_conduct',
        summary: 'too many messages',
        regulatorReference: null,
        receivedAtMs: ms('2026-10-08T15:00:00Z'),
        receivedDay: d('2026-10-08'),
        actor: 'usr_service',
      }),
    );
    const morning = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-09T00:05:00Z'),
    });
    expect(morning).toMatchObject({ sent: n - 1, contactMoved: 0, contactCancelled: 1 });
    expect((await listContacts(db, (await caseOf(d3)).case_id, iso)).at(-1)).toMatchObject({
      actor: 'strategy',
      allowed: false,
      rule: 'complaint_open',
      nextAllowedAt: null,
    });
    await db.transaction((tx) =>
      resolveComplaint(tx, complaint.complaintId, d('2026-10-09'), 'usr_service', {
        outcome: 'not_upheld',
        rootCause: 'collector_conduct',
        resolution: 'messages within the rules',
      }),
    );
    expect((await listContacts(db, caseC, iso)).at(-1)).toMatchObject({
      actor: 'strategy',
      allowed: true,
      outcome: 'sent',
    });
  });

  it('counts a step message on its way (claimed, not yet settled) towards the cap for a collector, once', async () => {
    const later = await db.transaction((tx) => refreshCases(tx, d('2026-10-10'), null));
    expect(later.remindersQueued).toBe(customers.length);
    // The dispatcher has claimed the morning's messages and is delivering them when collectors log theirs.
    const claimed = await db.transaction((tx) =>
      claimDueMessages(tx, new Date('2026-10-11T03:00:00Z'), 100, 60_000),
    );
    expect(claimed.length).toBe(customers.length);
    const caseB = (await caseOf(customers[1]!)).case_id;
    expect((await manualSms(caseB, '2026-10-11T03:00:10Z')).decision.allowed).toBe(true);
    expect((await manualSms(caseB, '2026-10-11T03:00:20Z')).decision.allowed).toBe(true);
    // The third would be the fourth message of the day with the one on its way.
    expect((await manualSms(caseB, '2026-10-11T03:00:30Z')).decision).toMatchObject({
      allowed: false,
      rule: 'messages_per_day',
    });
    // The claim lapses and a later round sends it: logged once, counted once.
    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    const round = await runDispatcher(db, cipher, config, {
      untilIdle: true,
      now: () => new Date('2026-10-11T03:02:00Z'),
    });
    expect(round).toMatchObject({ sent: customers.length, contactCancelled: 0 });
    const caseC = (await caseOf(customers[2]!)).case_id;
    expect((await manualSms(caseC, '2026-10-11T03:05:00Z')).decision.allowed).toBe(true);
    expect((await manualSms(caseC, '2026-10-11T03:06:00Z')).decision.allowed).toBe(true);
    expect((await manualSms(caseC, '2026-10-11T03:07:00Z')).decision).toMatchObject({
      allowed: false,
      rule: 'messages_per_day',
    });
  });

  it('does not place again a case taken back from its agency, but does one recalled to move agencies', async () => {
    await db.transaction((tx) => closeLoansThrough(tx, loanIds, D2));
    await saveAgency(db, 'agy_1', 'Agency one', true);
    await saveAgency(db, 'agy_2', 'Agency two', true);
    const first = await db.transaction((tx) => refreshCases(tx, D2, null));
    const n = customers.length;
    expect(first.placed).toBe(n);
    const [a, b] = customers as [string, string];
    const caseA = await caseOf(a);
    const caseB = await caseOf(b);
    expect(caseA.strategy_step).toBe('CS_M4_AGENCY');
    expect(caseA.agency_id).not.toBeNull();
    const recall = (caseId: string, reason: string, placeAgain: boolean) =>
      db.transaction(async (tx) =>
        recallCase(tx, (await findCase(tx, caseId, true))!, reason, D2, 'usr_admin', placeAgain),
      );
    expect(await recall(caseA.case_id, 'the lender collects it in-house again', false)).toMatchObject({
      placeAgain: false,
    });
    expect(await recall(caseB.case_id, 'poor results: move to another agency', true)).toMatchObject({
      placeAgain: true,
    });

    const after = await db.transaction((tx) => refreshCases(tx, D2, null));
    expect(after.placed).toBe(1);
    expect((await caseOf(a)).agency_id).toBeNull();
    const movedTo = (await caseOf(b)).agency_id;
    expect(movedTo).not.toBeNull();
    expect(movedTo).not.toBe(caseB.agency_id);
    // Run again: nothing more.
    expect((await db.transaction((tx) => refreshCases(tx, D2, null))).placed).toBe(0);
    expect((await caseOf(a)).agency_id).toBeNull();

    // A case taken back that leaves the step and reaches it again is placed by it.
    await overrideAssessment(db, caseA.case_id, 'inability', 'lost the job', 'usr_lead', D2);
    await db.transaction((tx) => refreshCases(tx, D2, null));
    expect((await caseOf(a)).strategy_step).not.toBe('CS_M4_AGENCY');
    await overrideAssessment(db, caseA.case_id, null, 'found work', 'usr_lead', D2);
    const back = await db.transaction((tx) => refreshCases(tx, D2, null));
    expect(back.placed).toBe(1);
    expect((await caseOf(a)).strategy_step).toBe('CS_M4_AGENCY');
    expect((await caseOf(a)).agency_id).not.toBeNull();
    const { rows } = await db.query<{ n: string }>(
      'select count(*)::text as n from collection_placements where case_id = $1',
      [caseA.case_id],
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });
});
