/**
 * Reminders and their delivery (decisions 0610–0615).
 *
 * - `reminder_cadence_versions`: cadence documents (monitoring/ parseCadenceDocument), each a draft until a
 *   second person approves it (maker-checker, as policy_versions); the approved one in force is `published`.
 * - `reminder_contacts`: how a customer is reminded — zone, language, segment, opted-out channels, and an
 *   e-mail address (encrypted as the customers table's personal data).
 * - `reminders`: every reminder the planner decided on, with its status (planned, sent, cancelled, failed).
 * - `outbox_messages`: the transactional outbox. A message is written in the same transaction as what causes
 *   it (a planned reminder, a business event) and sent by the dispatcher, at least once, under an
 *   idempotency key the receiver deduplicates on; after its retries it is dead-lettered.
 * - `webhook_subscriptions`: business-event webhooks a lender subscribes to, signed with HMAC-SHA256.
 *
 * Placement (docs/scaling.md): reminders are keyed by customer_id first, like loans; the outbox and the
 * subscriptions are small operational tables kept on the coordinator.
 */
export const sql = `
create table reminder_cadence_versions (
  version         text primary key,
  document        jsonb not null,
  document_hash   text not null,
  status          text not null check (status in ('draft', 'published', 'retired', 'rejected')),
  note            text,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  approved_by     text,
  approved_at     timestamptz,
  check (approved_by is null or approved_by <> created_by),
  check (status not in ('published', 'retired') or approved_by is not null)
);
create unique index reminder_cadence_one_published on reminder_cadence_versions ((true)) where status = 'published';

create table reminder_contacts (
  customer_id   text primary key,
  time_zone     text not null,
  lang          text not null check (lang in ('zh-CN', 'en')),
  segment       text not null default '*',
  opt_outs      text[] not null default '{}',
  email_enc     text,
  updated_at    timestamptz not null default now()
);

create table reminders (
  customer_id       text not null,
  loan_id           text not null,
  reminder_key      text not null,
  cadence_version   text not null,
  cadence_id        text not null,
  stage_id          text not null,
  channel           text not null,
  legally_required  boolean not null,
  anchor_due_day    date not null,
  plan_day          date not null,
  scheduled_at      timestamptz not null,
  amount_due_minor  bigint not null check (amount_due_minor >= 0),
  currency          text not null,
  lang              text not null,
  subject           text not null,
  body              text not null,
  status            text not null check (status in ('planned', 'sent', 'cancelled', 'failed')),
  cancel_reason     text,
  failure           text,
  sent_at           timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (customer_id, loan_id, reminder_key),
  check (status <> 'cancelled' or cancel_reason is not null),
  check (not legally_required or cancel_reason is null or cancel_reason in ('repaid', 'settled'))
);
create index reminders_loan on reminders (loan_id, scheduled_at);
-- The daily cap counts what was planned for a customer on a day.
create index reminders_plan_day on reminders (plan_day, customer_id) where status <> 'cancelled' and not legally_required;

create table outbox_messages (
  message_id        bigint generated always as identity primary key,
  -- What the receiver deduplicates on: the same message is delivered under the same key, however often.
  idempotency_key   text not null unique,
  kind              text not null check (kind in ('reminder', 'event')),
  channel           text not null,
  subscription_id   text,
  event_type        text,
  customer_id       text,
  loan_id           text,
  reminder_key      text,
  payload           jsonb not null,
  -- The borrower's zone: a retry of a reminder waits for the contact hours there.
  contact_zone      text,
  status            text not null check (status in ('pending', 'sent', 'dead', 'cancelled')),
  attempts          integer not null default 0,
  next_attempt_at   timestamptz not null,
  -- Set while a dispatcher holds the message; another may take it once the lease has run out.
  lease_until       timestamptz,
  last_error        text,
  created_at        timestamptz not null default now(),
  sent_at           timestamptz,
  check ((kind = 'reminder') = (reminder_key is not null)),
  check ((kind = 'event') = (event_type is not null))
);
create index outbox_messages_due on outbox_messages (next_attempt_at, message_id) where status = 'pending';
create index outbox_messages_reminder on outbox_messages (reminder_key) where kind = 'reminder';

create table webhook_subscriptions (
  subscription_id   text primary key,
  url               text not null,
  event_types       text[] not null,
  -- The HMAC key, encrypted as personal data is (it signs what the lender's systems trust).
  secret_enc        text not null,
  description       text not null default '',
  active            boolean not null default true,
  created_by        text not null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
`;
