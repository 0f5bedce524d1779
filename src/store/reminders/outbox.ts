import type { BusinessEventType } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';

/** A message a dispatcher holds: its lease runs until `leaseUntil`. */
export interface ClaimedMessage {
  messageId: number;
  idempotencyKey: string;
  kind: 'reminder' | 'event' | 'otp';
  channel: string;
  subscriptionId: string | null;
  eventType: string | null;
  customerId: string | null;
  loanId: string | null;
  reminderKey: string | null;
  payload: Record<string, unknown>;
  contactZone: string | null;
  /** This attempt's number, from 1. */
  attempt: number;
  createdAt: string;
}

const ISO = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Queues a business event for every active subscription to its type, in the caller's transaction (so in
 * the transaction of what caused it). `subjectKey` names the occurrence (e.g. the loan and day): queuing
 * the same occurrence again adds nothing.
 */
export async function enqueueBusinessEvent(
  q: Queryable,
  eventType: BusinessEventType,
  subjectKey: string,
  data: Record<string, unknown>,
  ids: { customerId?: string; loanId?: string } = {},
  at?: Date,
): Promise<number> {
  const r = await q.query(
    `insert into outbox_messages (idempotency_key, kind, channel, subscription_id, event_type, customer_id, loan_id,
       payload, status, next_attempt_at)
     select 'event:' || $1 || ':' || $2 || ':' || s.subscription_id, 'event', 'webhook', s.subscription_id, $1, $4, $5,
       jsonb_build_object('type', $1::text, 'id', $1 || ':' || $2, 'data', $3::jsonb), 'pending',
       coalesce($6::timestamptz, now())
     from webhook_subscriptions s
     where s.active and $1 = any(s.event_types)
     on conflict (idempotency_key) do nothing`,
    [
      eventType,
      subjectKey,
      JSON.stringify(data),
      ids.customerId ?? null,
      ids.loanId ?? null,
      at?.toISOString() ?? null,
    ],
  );
  return r.rowCount;
}

/** `enqueueBusinessEvent` for many occurrences of one type at once (one statement). */
export async function enqueueBusinessEvents(
  q: Queryable,
  eventType: BusinessEventType,
  items: readonly {
    subjectKey: string;
    data: Record<string, unknown>;
    customerId?: string;
    loanId?: string;
  }[],
): Promise<number> {
  if (items.length === 0) return 0;
  const r = await q.query(
    `insert into outbox_messages (idempotency_key, kind, channel, subscription_id, event_type, customer_id, loan_id,
       payload, status, next_attempt_at)
     select 'event:' || $1 || ':' || u.subject || ':' || s.subscription_id, 'event', 'webhook', s.subscription_id, $1,
       u.customer_id, u.loan_id, jsonb_build_object('type', $1::text, 'id', $1 || ':' || u.subject, 'data', u.data::jsonb),
       'pending', now()
     from webhook_subscriptions s
     cross join unnest($2::text[], $3::text[], $4::text[], $5::text[]) as u(subject, data, customer_id, loan_id)
     where s.active and $1 = any(s.event_types)
     on conflict (idempotency_key) do nothing`,
    [
      eventType,
      items.map((i) => i.subjectKey),
      items.map((i) => JSON.stringify(i.data)),
      items.map((i) => i.customerId ?? null),
      items.map((i) => i.loanId ?? null),
    ],
  );
  return r.rowCount;
}

interface ClaimRow {
  message_id: string | number;
  idempotency_key: string;
  kind: 'reminder' | 'event' | 'otp';
  channel: string;
  subscription_id: string | null;
  event_type: string | null;
  customer_id: string | null;
  loan_id: string | null;
  reminder_key: string | null;
  payload: string;
  contact_zone: string | null;
  attempts: number;
  created_at: string;
}

/**
 * Takes up to `limit` messages that are due at `now` and not held by a live lease, holding each until
 * `now + lease_ms`: a dispatcher that dies leaves its messages to another once the lease runs out. Rows
 * another dispatcher is taking are skipped, not waited for. Run it in a transaction of its own (`q` a
 * transaction): the claim walks the due index in order and stops at `limit`.
 */
export async function claimDueMessages(
  q: Queryable,
  now: Date,
  limit: number,
  lease_ms: number,
): Promise<ClaimedMessage[]> {
  // Without this the planner, which sees few due rows (fresh statistics are rare on a queue, and the
  // embedded database has no autovacuum), reads every due row with a bitmap scan and sorts them: a cost
  // that grows with the backlog and with the dead entries of sent messages (a bitmap scan never marks
  // them dead), paid by every claim. The index walk stops after `limit` rows.
  await q.query('set local enable_bitmapscan = off');
  const { rows } = await q.query<ClaimRow>(
    `with due as (
       select message_id from outbox_messages
       where status = 'pending' and next_attempt_at <= $1 and (lease_until is null or lease_until < $1)
       order by next_attempt_at, message_id
       limit $2
       for update skip locked)
     update outbox_messages o
        set lease_until = $1::timestamptz + make_interval(secs => $3::double precision / 1000), attempts = o.attempts + 1
       from due where o.message_id = due.message_id
     returning o.message_id, o.idempotency_key, o.kind, o.channel, o.subscription_id, o.event_type, o.customer_id,
       o.loan_id, o.reminder_key, o.payload::text as payload, o.contact_zone, o.attempts, ${ISO('o.created_at')} as created_at`,
    [now.toISOString(), limit, lease_ms],
  );
  return rows
    .map((r) => ({
      messageId: Number(r.message_id),
      idempotencyKey: r.idempotency_key,
      kind: r.kind,
      channel: r.channel,
      subscriptionId: r.subscription_id,
      eventType: r.event_type,
      customerId: r.customer_id,
      loanId: r.loan_id,
      reminderKey: r.reminder_key,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      contactZone: r.contact_zone,
      attempt: r.attempts,
      createdAt: r.created_at,
    }))
    .sort((a, b) => a.messageId - b.messageId);
}

/** Records a delivery; its reminder becomes `sent`. A message no longer pending (cancelled meanwhile) is left alone. */
export async function markMessageSent(q: Queryable, message: ClaimedMessage, at: Date): Promise<void> {
  const r = await q.query(
    `update outbox_messages set status = 'sent', sent_at = $2, lease_until = null, last_error = null
     where message_id = $1 and status = 'pending'`,
    [message.messageId, at.toISOString()],
  );
  if (r.rowCount === 1 && message.reminderKey !== null) {
    await q.query(
      `update reminders set status = 'sent', sent_at = $3, updated_at = now()
       where loan_id = $1 and reminder_key = $2 and status = 'planned'`,
      [message.loanId, message.reminderKey, at.toISOString()],
    );
  }
}

/** `markMessageSent` for many messages at once: one statement for the outbox, one for their reminders. */
export async function markMessagesSent(
  q: Queryable,
  messages: readonly ClaimedMessage[],
  at: Date,
): Promise<void> {
  if (messages.length === 0) return;
  const { rows } = await q.query<{ reminder_key: string | null; loan_id: string | null }>(
    `update outbox_messages set status = 'sent', sent_at = $2, lease_until = null, last_error = null
     where message_id = any($1::bigint[]) and status = 'pending'
     returning reminder_key, loan_id`,
    [messages.map((m) => m.messageId), at.toISOString()],
  );
  const reminders = rows.filter((r) => r.reminder_key !== null);
  if (reminders.length === 0) return;
  await q.query(
    `update reminders r set status = 'sent', sent_at = $3, updated_at = now()
     from unnest($1::text[], $2::text[]) as u(loan_id, reminder_key)
     where r.loan_id = u.loan_id and r.reminder_key = u.reminder_key and r.status = 'planned'`,
    [reminders.map((r) => r.loan_id), reminders.map((r) => r.reminder_key), at.toISOString()],
  );
}

/** A failed attempt with a later one: the message waits until `nextAttemptAt`. */
export async function markMessageRetry(
  q: Queryable,
  message: ClaimedMessage,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await q.query(
    `update outbox_messages set next_attempt_at = $2, lease_until = null, last_error = $3
     where message_id = $1 and status = 'pending'`,
    [message.messageId, nextAttemptAt.toISOString(), error],
  );
}

/**
 * The last attempt failed: the message is dead-lettered, its reminder `failed`, and subscribers to
 * `reminder.failed` are told — in one transaction (the caller's).
 */
export async function markMessageDead(
  q: Queryable,
  message: ClaimedMessage,
  error: string,
  at: Date,
): Promise<void> {
  const r = await q.query(
    `update outbox_messages set status = 'dead', lease_until = null, last_error = $2
     where message_id = $1 and status = 'pending'`,
    [message.messageId, error],
  );
  if (r.rowCount !== 1 || message.reminderKey === null) return;
  await q.query(
    `update reminders set status = 'failed', failure = $3, updated_at = now()
     where loan_id = $1 and reminder_key = $2 and status = 'planned'`,
    [message.loanId, message.reminderKey, error],
  );
  await enqueueBusinessEvent(
    q,
    'reminder.failed',
    message.reminderKey,
    {
      reminderKey: message.reminderKey,
      loanId: message.loanId,
      channel: message.channel,
      stage: message.payload.stageId ?? null,
      legallyRequired: message.payload.legallyRequired ?? false,
      attempts: message.attempt,
      error,
    },
    {
      ...(message.customerId === null ? {} : { customerId: message.customerId }),
      ...(message.loanId === null ? {} : { loanId: message.loanId }),
    },
    at,
  );
}

/** Counts of messages by status (for the CLI and tests). */
export async function outboxCounts(q: Queryable): Promise<Record<string, number>> {
  const { rows } = await q.query<{ status: string; n: string | number }>(
    'select status, count(*) as n from outbox_messages group by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
