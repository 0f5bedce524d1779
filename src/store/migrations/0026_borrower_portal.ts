/**
 * The borrower portal (docs/portal.md):
 * - `portal_otp_challenges`: one-time sign-in codes. The phone and the client address are kept only as
 *   keyed blind indexes (the PII key's HMAC), the code only as a keyed hash bound to its challenge; a
 *   challenge expires, counts its wrong answers and is consumed once.
 * - `portal_sessions`: borrower bearer tokens (`lgb_…`), stored as SHA-256 hashes like staff tokens,
 *   short-lived and revocable by the borrower (sign-out) or by staff.
 * - `portal_settings`: one row; `demo_code_hash` (a fixed code that signs a borrower in without an SMS) and
 *   `test_gateway` (repayments through the built-in test payment gateway) are set only by `lendguard demo`
 *   and tests, off everywhere else.
 * - `portal_payments`: repayments started from the portal through the payment gateway; the gateway's payment
 *   id is unique, so a callback delivered twice posts the repayment once.
 * - The outbox takes a third kind of message, `otp`: a sign-in code on the `sms` channel, delivered by the
 *   same dispatcher and webhook adapter as reminders (decision 1000).
 *
 * Placement (docs/scaling.md): sessions and payments are keyed by customer_id like loans; challenges are a
 * small operational table kept on the coordinator.
 */
export const sql = `
create table portal_otp_challenges (
  challenge_id    text primary key,
  phone_index     text not null,
  address_index   text not null,
  customer_id     text,
  code_hash       text not null,
  attempts        integer not null default 0,
  expires_at      timestamptz not null,
  consumed_at     timestamptz,
  created_at      timestamptz not null default now()
);
create index portal_otp_by_phone on portal_otp_challenges (phone_index, created_at);
create index portal_otp_by_address on portal_otp_challenges (address_index, created_at);

create table portal_sessions (
  session_id      text primary key,
  customer_id     text not null,
  token_hash      text not null unique,
  created_at      timestamptz not null default now(),
  expires_at      timestamptz not null,
  revoked_at      timestamptz,
  revoked_by      text
);
create index portal_sessions_customer on portal_sessions (customer_id, created_at);

create table portal_settings (
  only_row        boolean primary key default true check (only_row),
  demo_code_hash  text,
  test_gateway    boolean not null default false
);
insert into portal_settings (only_row, demo_code_hash) values (true, null);

create table portal_payments (
  customer_id        text not null,
  payment_id         text not null,
  loan_id            text not null,
  purpose            text not null check (purpose in ('instalment', 'overdue', 'payoff')),
  amount_minor       bigint not null check (amount_minor > 0),
  currency           text not null,
  status             text not null check (status in ('pending', 'paid', 'failed')),
  gateway_payment_id text unique,
  -- The borrower's Idempotency-Key: the same key again is the same payment.
  idempotency_key    text not null,
  pay_url            text,
  event_seq          integer,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (customer_id, payment_id)
);
create unique index portal_payments_id on portal_payments (payment_id);
create index portal_payments_loan on portal_payments (loan_id, created_at);
create unique index portal_payments_key on portal_payments (customer_id, idempotency_key);

alter table outbox_messages drop constraint outbox_messages_kind_check;
alter table outbox_messages add constraint outbox_messages_kind_check check (kind in ('reminder', 'event', 'otp'));
`;
