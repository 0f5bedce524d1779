import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelMootReminders,
  EOD_OPTIONS_DEFAULT,
  ledgerEod,
  planReminderWave,
  runEod,
} from '../../src/jobs/index.js';

import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import {
  applyLoanCommand,
  closeLoansThrough,
  createWebhookSubscription,
  type Db,
  generatePiiKey,
  listLoanReminders,
  PiiCipher,
  saveReminderContact,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { bookWithLoans, DUE } from './reminder-book.js';

const cipher = new PiiCipher(generatePiiKey());

describe.each(backends)('planning the reminders of a business day on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await bookWithLoans(db, ['a', 'b']);
    await saveReminderContact(db, cipher, {
      customerId: 'cus_b',
      timeZone: 'Europe/London',
      lang: 'en',
      segment: '*',
      optOuts: ['sms', 'app-push'],
      email: null,
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  const plan = (day: number) => db.transaction((tx) => planReminderWave(tx, day));
  const reminders = async (loanId: string) => listLoanReminders(db, loanId, 100);
  const close = (day: number) => db.transaction((tx) => closeLoansThrough(tx, ['ln_a', 'ln_b'], day));

  it('plans T−3 once, however often the day is planned', async () => {
    await close(addDays(DUE, -4));
    const first = await plan(addDays(DUE, -3));
    expect(first.remindersPlanned).toBe(1);
    expect(first.remindersCancelled).toBe(1);
    const again = await plan(addDays(DUE, -3));
    expect(again.remindersPlanned + again.remindersCancelled).toBe(2);
    const a = await reminders('ln_a');
    expect(a.map((r) => [r.stageId, r.channel, r.status])).toEqual([['t-3', 'app-push', 'planned']]);
    expect(a[0]?.body).toMatch(/^您有一期借款将于 2026-02-10 到期，应还 \d+\.\d\d 元。/);
    expect(a[0]?.scheduledAt).toBe('2026-02-07T02:00:00.000Z');
    const b = await reminders('ln_b');
    expect(b.map((r) => [r.stageId, r.status, r.cancelReason])).toEqual([['t-3', 'cancelled', 'opted-out']]);
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox_messages where kind = 'reminder'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('cancels the pending reminders a repayment made moot', async () => {
    await plan(addDays(DUE, -1));
    const before = await reminders('ln_a');
    expect(before.filter((r) => r.status === 'planned').map((r) => r.stageId)).toEqual(['t-3', 't-1']);
    const amount = before[1]!.amountDueMinor;
    await db.transaction(async (tx) => {
      await applyLoanCommand(tx, 'ln_a', {
        type: 'repay',
        amountMinor: amount,
        day: addDays(DUE, -1),
        clientId: 'pay-a',
        excess: 'credit',
      });
      expect(await cancelMootReminders(tx, 'ln_a', addDays(DUE, -1))).toBe(2);
    });
    const after = await reminders('ln_a');
    expect(after.map((r) => [r.stageId, r.status, r.cancelReason])).toEqual([
      ['t-3', 'cancelled', 'repaid'],
      ['t-1', 'cancelled', 'repaid'],
    ]);
    const { rows } = await db.query<{ status: string }>(
      `select status from outbox_messages where loan_id = 'ln_a' order by message_id`,
    );
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('plans overdue reminders with the consequence, the legal notice despite opt-outs, and tells subscribers', async () => {
    await createWebhookSubscription(
      db,
      cipher,
      { url: 'http://127.0.0.1:9/hook', eventTypes: ['loan.past_due'], description: '' },
      'usr_test',
    );
    await close(DUE);
    await close(addDays(DUE, 1));
    const r = await plan(addDays(DUE, 1));
    const { rows: events } = await db.query<{ loan_id: string; payload: { data: { dueDate: string } } }>(
      `select loan_id, payload from outbox_messages where kind = 'event'`,
    );
    expect(events.map((e) => [e.loan_id, e.payload.data.dueDate])).toEqual([['ln_b', '2026-02-10']]);
    expect(r.pastDueEvents).toBe(1);
    const b = await reminders('ln_b');
    const t1 = b.find((x) => x.stageId === 't+1');
    // ln_b opted out of SMS: T+1 is recorded, not sent; its text states the penalty and the credit report.
    expect(t1).toMatchObject({
      status: 'cancelled',
      cancelReason: 'opted-out',
      channel: 'sms',
      anchorDueDate: '2026-02-10',
    });
    expect(t1?.body).toContain('Penalty interest');
    expect(t1?.body).toContain('credit report');
    // First overdue day 2026-02-11 → first negative report 2026-02-28, notice deadline 02-27, sent two days before.
    const noticeDay = parseDate('2026-02-25');
    for (let d = addDays(DUE, 2); d <= noticeDay; d++) await close(d);
    await plan(noticeDay);
    const notice = (await reminders('ln_b')).find((x) => x.stageId === 'legal-negative-notice');
    expect(notice).toMatchObject({
      status: 'planned',
      legallyRequired: true,
      channel: 'sms',
      anchorDueDate: '2026-02-10',
    });
    expect(notice?.body).toContain('as of 2026-02-28');
    // 10:00 Shanghai is 02:00 in London: moved to 08:00 London time.
    expect(notice?.scheduledAt).toBe('2026-02-25T08:00:00.000Z');
    // ln_a paid its first instalment: nothing overdue, no notice.
    expect((await reminders('ln_a')).some((x) => x.stageId === 'legal-negative-notice')).toBe(false);
  });
});

describe('EOD plans the next business day’s reminders with its move', () => {
  it('plans T−3 when the run for T−4 succeeds', async () => {
    const db = await openMigrated(backends[0]!);
    try {
      await bookWithLoans(db, ['c']);
      const day = addDays(DUE, -4);
      await db.transaction((tx) => setBusinessDay(tx, day));
      const run = await runEod(db, ledgerEod, {
        businessDay: formatDate(day),
        requestedBy: 'usr_test',
        workers: 1,
        options: EOD_OPTIONS_DEFAULT,
      });
      expect(run.status).toBe('succeeded');
      const list = await listLoanReminders(db, 'ln_c', 10);
      expect(list.map((r) => [r.stageId, r.status])).toEqual([['t-3', 'planned']]);
    } finally {
      await db.close();
    }
  });
});
