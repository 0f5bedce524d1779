import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import type { PlannedReminder } from '../../src/monitoring/index.js';
import { type Db, insertPlannedReminders } from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-03-10');

/** Texts with what a JSON or array encoding must escape: quotes, backslashes, braces, commas, new lines. */
const AWKWARD = ['逾期 "19" 天，请还 \\ 297.12 元', "a,b {c} 'd'\n第二行", '', 'null', '\t\u00e9\u{1F600}'];

function reminder(i: number, status: PlannedReminder['status']): PlannedReminder {
  return {
    reminderKey: `ln_${i}/collection.CS_M1_SMS/2026-03-10`,
    loanId: `ln_${i}`,
    customerId: `cus_${i}`,
    cadenceId: 'collection',
    stageId: 'collection.CS_M1_SMS',
    channel: 'sms',
    legallyRequired: i % 2 === 0,
    anchorDueDay: D - 19,
    planDay: D,
    scheduledAtMs: Date.UTC(2026, 2, 10, 2, 0, 0) + i * 1_000,
    amountDueMinor: 29_712 + i,
    currency: 'CNY',
    lang: 'zh-CN',
    subject: AWKWARD[i % AWKWARD.length]!,
    body: AWKWARD[(i + 1) % AWKWARD.length]!,
    status,
    cancelReason: status === 'cancelled' ? 'contact-rule' : null,
  };
}

/**
 * The reminders and their outbox messages are written as one JSON array each: every field, texts with
 * characters an encoding must escape included, reads back as it was planned.
 */
describe.each(backends)('planned reminders written on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('stores each reminder and queues each planned one once, with its texts as given', async () => {
    const planned = Array.from({ length: 7 }, (_, i) => reminder(i, i === 3 ? 'cancelled' : 'planned'));
    const zones = new Map([['cus_1', 'Asia/Urumqi']]);
    expect(await db.transaction((tx) => insertPlannedReminders(tx, planned, 'v1', zones))).toBe(7);
    // Planning again writes nothing twice.
    expect(await db.transaction((tx) => insertPlannedReminders(tx, planned, 'v1', zones))).toBe(0);

    const { rows } = await db.query<{
      reminder_key: string;
      legally_required: boolean;
      anchor_due_day: string;
      scheduled_ms: string;
      amount_due_minor: number;
      subject: string;
      body: string;
      status: string;
      cancel_reason: string | null;
      cadence_version: string;
    }>(
      `select reminder_key, legally_required, anchor_due_day::text as anchor_due_day,
              (extract(epoch from scheduled_at) * 1000)::bigint::text as scheduled_ms, amount_due_minor, subject, body,
              status, cancel_reason, cadence_version
         from reminders order by loan_id`,
    );
    expect(rows).toEqual(
      planned.map((r) => ({
        reminder_key: r.reminderKey,
        legally_required: r.legallyRequired,
        anchor_due_day: '2026-02-19',
        scheduled_ms: String(r.scheduledAtMs),
        amount_due_minor: r.amountDueMinor,
        subject: r.subject,
        body: r.body,
        status: r.status,
        cancel_reason: r.cancelReason,
        cadence_version: 'v1',
      })),
    );

    const outbox = await db.query<{
      reminder_key: string;
      subject: string;
      body: string;
      zone: string | null;
    }>(
      `select reminder_key, payload->>'subject' as subject, payload->>'body' as body, contact_zone as zone
         from outbox_messages order by reminder_key`,
    );
    expect(outbox.rows).toEqual(
      planned
        .filter((r) => r.status === 'planned')
        .map((r) => ({
          reminder_key: r.reminderKey,
          subject: r.subject,
          body: r.body,
          zone: r.customerId === 'cus_1' ? 'Asia/Urumqi' : null,
        })),
    );
  });
});
