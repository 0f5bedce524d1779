import type { CurrencyCode } from '../../money/index.js';
import {
  LINE_NOTICE_CONTACT_DEFAULTS,
  type LineNoticeChange,
  planLineNotices,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { publishedCadence } from './cadences.js';
import { loadReminderBorrowers } from './contacts.js';

/**
 * Queues the borrower's notices of a line's changes (decision 0623) in the caller's transaction, so in the
 * transaction that changes the line: the core plans them from the cadence in force (its `lineNotices`,
 * else the defaults) and the borrower's language, zone and opt-outs; each is an outbox message of kind
 * `reminder` that the dispatcher sends like any reminder. The same change queued again adds nothing.
 * Returns the messages queued.
 */
export async function queueLineNotices(
  q: Queryable,
  line: { customerId: string; lineId: string; currency: CurrencyCode },
  changes: readonly LineNoticeChange[],
  atMs: number,
): Promise<number> {
  if (changes.length === 0) return 0;
  const published = await publishedCadence(q);
  const defaults = published?.document.defaultContact ?? LINE_NOTICE_CONTACT_DEFAULTS;
  const contacts = await loadReminderBorrowers(q, [line.customerId], defaults);
  const borrower = contacts.get(line.customerId)?.borrower ?? {
    timeZone: defaults.timeZone,
    lang: defaults.lang,
    optOuts: [],
  };
  const notices = planLineNotices({
    customerId: line.customerId,
    lineId: line.lineId,
    currency: line.currency,
    changes,
    borrower,
    notices: published?.document.lineNotices,
    hours: published?.document.hours ?? LINE_NOTICE_CONTACT_DEFAULTS.hours,
    atMs,
  });
  if (notices.length === 0) return 0;
  const r = await q.query(
    `insert into outbox_messages (idempotency_key, kind, channel, customer_id, reminder_key, payload, contact_zone,
       status, next_attempt_at)
     select 'reminder:' || u.reminder_key, 'reminder', u.channel, $1, u.reminder_key, u.payload::jsonb, $2, 'pending',
       to_timestamp(u.scheduled_ms / 1000.0)
     from unnest($3::text[], $4::text[], $5::text[], $6::bigint[]) as u(reminder_key, channel, payload, scheduled_ms)
     on conflict (idempotency_key) do nothing`,
    [
      line.customerId,
      borrower.timeZone,
      notices.map((n) => n.reminderKey),
      notices.map((n) => n.channel),
      notices.map((n) =>
        JSON.stringify({
          reminderKey: n.reminderKey,
          notice: 'line',
          kind: n.kind,
          lineId: n.lineId,
          customerId: n.customerId,
          channel: n.channel,
          lang: n.lang,
          subject: n.subject,
          body: n.body,
          scheduledAt: new Date(n.scheduledAtMs).toISOString(),
        }),
      ),
      notices.map((n) => n.scheduledAtMs),
    ],
  );
  return r.rowCount;
}
