/**
 * The ledger: products, credit lines, loans with their append-only event log, snapshots, the journal
 * of postings, the ledger command log and the business date. Every customer-owned table is keyed by
 * customer_id first (docs/scaling.md). Days are SQL `date`s; amounts are bigint fen; engine states,
 * events and posting lines are JSONB in the engine's own shapes (bigints as decimal strings, see
 * src/store/ledger/codec.ts).
 */
export const sql = `
create table products (
  product_id    text not null,
  version       integer not null check (version >= 1),
  -- The product document as accepted by parseProduct.
  document      jsonb not null,
  created_at    timestamptz not null default now(),
  created_by    text not null,
  primary key (product_id, version)
);

create table credit_lines (
  customer_id   text not null,
  line_id       text not null,
  limit_minor   bigint not null check (limit_minor >= 0),
  used_minor    bigint not null check (used_minor >= 0),
  status        text not null check (status in ('active', 'frozen', 'closed')),
  -- CreditLineState of the engine.
  state         jsonb not null,
  row_version   bigint not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (customer_id, line_id)
);
create unique index credit_lines_line on credit_lines (line_id, customer_id);

create table loans (
  customer_id       text not null,
  loan_id           text not null,
  line_id           text not null,
  product_id        text not null,
  product_version   integer not null,
  status            text not null check (status in ('active', 'settled')),
  principal_minor   bigint not null check (principal_minor > 0),
  opened_day        date not null,
  -- The engine's LoanState after the last event (seq) and the last closed day.
  state             jsonb not null,
  seq               integer not null,
  -- EOD marker: the last business day whose end-of-day step ran for this loan.
  last_closed_day   date not null,
  -- First day on which EOD may have something to do; before it only last_closed_day moves.
  next_event_day    date not null,
  -- 0..1023 from the customer id (PostgreSQL's hashtext, as Citus hashes text distribution
  -- columns): EOD partitions are ranges of it, so a partition's loans are mostly one node's.
  partition_key     smallint generated always as ((hashtext(customer_id) & 1023)::smallint) stored,
  -- Optimistic concurrency: every change sets row_version = row_version + 1 where it was read.
  row_version       bigint not null default 1,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (customer_id, loan_id)
);
create unique index loans_loan on loans (loan_id, customer_id);
create index loans_line on loans (customer_id, line_id);
create index loans_eod on loans (partition_key, last_closed_day, next_event_day);

create table loan_events (
  customer_id   text not null,
  loan_id       text not null,
  seq           integer not null check (seq >= 1),
  day           date not null,
  type          text not null,
  payload       jsonb not null,
  client_id     text,
  recorded_at   timestamptz not null default now(),
  primary key (customer_id, loan_id, seq)
);

create table loan_snapshots (
  customer_id   text not null,
  loan_id       text not null,
  -- The last event folded into the state and the day it is closed through.
  seq           integer not null,
  day           date not null,
  state         jsonb not null,
  primary key (customer_id, loan_id, seq)
);

create table postings (
  customer_id   text not null,
  -- Journal order across the book (keyset pagination).
  posting_no    bigint generated always as identity,
  loan_id       text not null,
  day           date not null,
  event_seq     integer not null,
  event_ref     text not null,
  -- [{"account": "...", "debitMinor": n} | {"account": "...", "creditMinor": n}], balanced.
  lines         jsonb not null,
  debit_minor   bigint not null check (debit_minor > 0),
  recorded_at   timestamptz not null default now(),
  primary key (customer_id, posting_no)
);
create index postings_loan on postings (customer_id, loan_id, posting_no);
create index postings_day on postings (day, posting_no);
create index postings_no on postings (posting_no);

create table ledger_commands (
  customer_id   text not null,
  client_id     text not null,
  kind          text not null,
  -- commandFingerprint of the first command with this client id, and its result.
  fingerprint   text not null,
  fields        jsonb not null,
  result        jsonb not null,
  created_at    timestamptz not null default now(),
  primary key (customer_id, client_id)
);

create table business_day (
  singleton     boolean primary key default true check (singleton),
  day           date not null,
  updated_at    timestamptz not null default now()
);
insert into business_day (day) values (current_date);

create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger loan_events_no_update_or_delete
  before update or delete on loan_events
  for each row execute function ledger_refuse_change();
create trigger loan_events_no_truncate
  before truncate on loan_events
  for each statement execute function ledger_refuse_change();
create trigger postings_no_update_or_delete
  before update or delete on postings
  for each row execute function ledger_refuse_change();
create trigger postings_no_truncate
  before truncate on postings
  for each statement execute function ledger_refuse_change();
create trigger ledger_commands_no_update_or_delete
  before update or delete on ledger_commands
  for each row execute function ledger_refuse_change();
`;
