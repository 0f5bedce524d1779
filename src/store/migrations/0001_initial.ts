/**
 * Users and API tokens, customers with encrypted personal data, the append-only audit log and
 * idempotency records. Everything that belongs to a customer is keyed by customer_id first so that a
 * distributed PostgreSQL can place it by customer (docs/scaling.md).
 */
export const sql = `
create table users (
  user_id       text primary key,
  username      text not null unique,
  display_name  text not null,
  role          text not null
                check (role in ('admin', 'risk_analyst', 'collector', 'finance', 'auditor')),
  created_at    timestamptz not null default now(),
  disabled_at   timestamptz
);

create table api_tokens (
  token_id      text primary key,
  user_id       text not null references users (user_id),
  -- SHA-256 of the whole token, hex; the token itself is never stored.
  token_hash    text not null unique,
  label         text not null,
  created_at    timestamptz not null default now(),
  expires_at    timestamptz,
  revoked_at    timestamptz
);
create index api_tokens_user on api_tokens (user_id);

create table customers (
  customer_id                   text primary key,
  created_at                    timestamptz not null default now(),
  created_by                    text not null,
  -- Personal data: AES-256-GCM ciphertexts (key id inside each value, see docs/security.md).
  name_enc                      text not null,
  id_number_enc                 text not null,
  phone_enc                     text not null,
  address_detail_enc            text not null,
  contacts_enc                  text not null,
  -- Not personal on their own; shown in masked responses.
  province                      text not null,
  city                          text not null,
  declared_monthly_income_fen   bigint not null check (declared_monthly_income_fen >= 0),
  external_ref                  text
);

-- Blind indexes (keyed HMAC) so that a customer can be found by ID number or phone without
-- decrypting. Kept apart from customers because a distributed table's unique keys must contain its
-- distribution column: this one is distributed by the index value itself.
create table customer_identities (
  kind          text not null check (kind in ('id_number', 'phone')),
  blind_index   text not null,
  customer_id   text not null,
  primary key (kind, blind_index, customer_id)
);
create unique index customer_identities_one_id_number
  on customer_identities (kind, blind_index) where kind = 'id_number';

create table audit_log (
  audit_id        bigint generated always as identity primary key,
  occurred_at     timestamptz not null default now(),
  actor_user_id   text,
  actor_role      text not null,
  action          text not null,
  request_id      text,
  resource_type   text not null,
  resource_id     text,
  customer_id     text,
  -- Ids and field names only: personal data never enters the audit log.
  details         jsonb not null default '{}'::jsonb
);
create index audit_log_customer on audit_log (customer_id, audit_id) where customer_id is not null;
create index audit_log_actor on audit_log (actor_user_id, audit_id);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_update_or_delete
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

create table idempotency_keys (
  user_id             text not null,
  idempotency_key     text not null,
  method              text not null,
  route               text not null,
  -- Keyed hash of the whole request and of each field (JSON pointer -> hash): the request's
  -- content is not kept, yet a reused key with another body can be told where it differs.
  request_mac         text not null,
  field_macs          jsonb not null,
  mac_key_id          text not null,
  response_status     integer not null,
  response_body       jsonb not null,
  resource_location   text,
  created_at          timestamptz not null default now(),
  expires_at          timestamptz not null,
  primary key (user_id, idempotency_key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);
`;
