import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChannelConfig, planReminderWave, runDispatcher } from '../../src/jobs/index.js';
import { addDays } from '../../src/money/index.js';
import {
  approveCadence,
  CadenceError,
  closeLoansThrough,
  createWebhookSubscription,
  type Db,
  draftCadence,
  generatePiiKey,
  listLoanReminders,
  outboxCounts,
  PiiCipher,
  saveReminderContact,
} from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import { startReceiver, startSmtp } from './receivers.js';
import { bookWithLoans, DUE } from './reminder-book.js';

const SMS_SECRET = 'sms-secret-0123456789abcdef';

/** The shipped cadence with T−3 sent twice: by e-mail and by SMS. */
function cadence() {
  const doc = JSON.parse(
    readFileSync(new URL('../../policies/reminders/default-cadence.json', import.meta.url), 'utf8'),
  );
  const t3 = doc.cadences[0].stages[0];
  doc.capPerCustomerPerDay = 5;
  doc.cadences[0].stages.push({ ...structuredClone(t3), stageId: 't-3-sms', channel: 'sms' });
  t3.channel = 'email';
  return doc;
}

describe('the dispatcher against a real SMTP server and a real webhook receiver', () => {
  const cipher = new PiiCipher(generatePiiKey());
  let db: Db;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startReceiver>>;
  let events: Awaited<ReturnType<typeof startReceiver>>;
  let eventSecret = '';

  beforeAll(async () => {
    db = await openMigratedPglite();
    smtp = await startSmtp();
    sms = await startReceiver(() => SMS_SECRET);
    events = await startReceiver(() => eventSecret);
    await bookWithLoans(db, ['a', 'b']);
  });
  afterAll(async () => {
    await smtp?.close();
    await sms?.close();
    await events?.close();
    await db?.close();
  });

  it('needs a second person to put a cadence in force', async () => {
    const draft = await draftCadence(db, cadence(), 'usr_maker');
    await expect(approveCadence(db, draft.version, 'usr_maker')).rejects.toThrow(CadenceError);
    const bad = cadence();
    bad.cadences[0].stages[0].channel = 'fax';
    await expect(draftCadence(db, bad, 'usr_maker')).rejects.toMatchObject({
      code: 'cadence_invalid',
      issues: [{ path: '/cadences/0/stages/0/channel' }],
    });
    await db.transaction((tx) => approveCadence(tx, draft.version, 'usr_checker'));
  });

  it('delivers each message once by key, retries with backoff outside quiet hours, and dead-letters what cannot go', async () => {
    await saveReminderContact(db, cipher, {
      customerId: 'cus_a',
      timeZone: 'Asia/Shanghai',
      lang: 'en',
      segment: '*',
      optOuts: [],
      email: 'a@example.test',
    });
    const sub = await createWebhookSubscription(
      db,
      cipher,
      { url: events.url, eventTypes: ['reminder.failed'], description: 'failures' },
      'usr_test',
    );
    eventSecret = sub.secret;
    await db.transaction((tx) => closeLoansThrough(tx, ['ln_a', 'ln_b'], addDays(DUE, -4)));
    const wave = await db.transaction((tx) => planReminderWave(tx, addDays(DUE, -3)));
    expect(wave.remindersPlanned).toBe(4);

    const config = parseChannelConfig(
      {
        email: { host: '127.0.0.1', port: smtp.port, from: 'reminders@lender.test', timeout_ms: 5000 },
        sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 },
        retry: { attempts_max: 4, backoffBase_ms: 1000, backoffMax_ms: 60000 },
      },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    // 21:59:59 in Shanghai: the SMS gateway fails twice; the first retry would fall at 22:00 and waits for 08:00.
    let clock = Date.parse('2026-02-07T13:59:59Z');
    const now = () => new Date(clock);
    sms.failNext([500, 503]);
    const first = await runDispatcher(db, cipher, config, { untilIdle: true, now, concurrency: 1 });
    expect(first).toMatchObject({ sent: 2, retried: 2, dead: 1 });
    const { rows: waiting } = await db.query<{ at: string }>(
      `select to_char(next_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at from outbox_messages
       where channel = 'sms' and status = 'pending'`,
    );
    expect(waiting.map((w) => w.at)).toEqual(['2026-02-08T00:00:00', '2026-02-08T00:00:00']);

    clock = Date.parse('2026-02-08T00:00:00Z');
    const second = await runDispatcher(db, cipher, config, { untilIdle: true, now });
    expect(second).toMatchObject({ sent: 2, retried: 0, dead: 0 });

    expect(await outboxCounts(db)).toEqual({ sent: 4, dead: 1 });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ to: 'a@example.test', key: 'reminder:ln_a/t-3/2026-02-10' });
    expect(smtp.mails[0]?.text).toContain('An instalment is due on 2026-02-10');
    expect([...sms.byKey.values()]).toEqual([1, 1]);
    expect(sms.badSignatures).toBe(0);
    expect(sms.requests).toBe(4);
    expect(sms.bodies.get('reminder:ln_b/t-3-sms/2026-02-10')).toMatchObject({
      channel: 'sms',
      to: { customerId: 'cus_b' },
      reminder: { stageId: 't-3-sms', dueDate: '2026-02-10', currency: 'CNY' },
    });
    // ln_b has no e-mail address: its reminder failed and the subscriber was told, signed.
    const b = await listLoanReminders(db, 'ln_b', 10);
    expect(b.map((r) => [r.stageId, r.status])).toEqual([
      ['t-3-sms', 'sent'],
      ['t-3', 'failed'],
    ]);
    expect(b[1]?.failure).toContain('no e-mail address');
    expect(events.badSignatures).toBe(0);
    const told = [...events.bodies.values()];
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      type: 'reminder.failed',
      data: { reminderKey: 'ln_b/t-3/2026-02-10', channel: 'email' },
    });
    const a = await listLoanReminders(db, 'ln_a', 10);
    expect(a.map((r) => [r.stageId, r.status, r.attempts])).toEqual([
      ['t-3-sms', 'sent', 2],
      ['t-3', 'sent', 1],
    ]);
  });

  it('refuses a bad channel configuration, naming every problem', () => {
    expect(() =>
      parseChannelConfig(
        {
          pigeon: {},
          sms: { url: 'ftp://x', secretEnv: 'NOPE' },
          'app-push': { url: 'https://u:p@h/x', secretEnv: 'S' },
        },
        { S: 'short' },
      ),
    ).toThrow(
      /\/pigeon unknown channel.*\/app-push\/url carries a user name.*\/app-push\/secretEnv environment variable S must be set.*\/sms\/url uses ftp:.*\/sms\/secretEnv environment variable NOPE must be set/,
    );
  });
});
