/**
 * Collections (催收): one case per borrower with a loan past due, the log of every contact attempt — the
 * ones the conduct rules refused as well, for the compliance report — and promises to pay. A borrower has
 * at most one open case (a partial unique index). Collection records are kept at least five years (NIFA
 * 2018), so nothing here is deleted by the application.
 */
export const sql = `
create table collection_cases (
  case_id            text primary key,
  customer_id        text not null,
  status             text not null check (status in ('open', 'closed')),
  opened_day         date not null,
  closed_day         date,
  close_reason       text check (close_reason in ('cured', 'paid-off')),
  bucket             text not null,
  max_days_past_due  integer not null check (max_days_past_due >= 0),
  overdue_minor      bigint not null check (overdue_minor >= 0),
  total_owed_minor   bigint not null check (total_owed_minor >= 0),
  past_due_loan_ids  jsonb not null,
  -- The borrower's IANA zone: contact hours and daily caps follow the borrower's clock.
  borrower_zone      text not null,
  lost_contact       boolean not null default false,
  assignee           text,
  updated_day        date not null,
  row_version        bigint not null default 1,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check ((status = 'open') = (closed_day is null))
);
create unique index collection_cases_one_open on collection_cases (customer_id) where status = 'open';
create index collection_cases_customer on collection_cases (customer_id, opened_day);
create index collection_cases_work on collection_cases (status, assignee, max_days_past_due desc);

create table collection_contacts (
  attempt_id       text primary key,
  case_id          text not null references collection_cases (case_id),
  at               timestamptz not null,
  channel          text not null,
  party            text not null check (party in ('borrower', 'contact')),
  outcome          text not null,
  allowed          boolean not null,
  rule             text,
  next_allowed_at  timestamptz,
  actor            text not null,
  note             text,
  created_at       timestamptz not null default now(),
  check (allowed = (rule is null))
);
create index collection_contacts_case on collection_contacts (case_id, at);
create index collection_contacts_refused on collection_contacts (at) where not allowed;

create table collection_promises (
  promise_id           text primary key,
  case_id              text not null references collection_cases (case_id),
  amount_minor         bigint not null check (amount_minor > 0),
  promised_day         date not null,
  made_day             date not null,
  paid_baseline_minor  bigint not null check (paid_baseline_minor >= 0),
  status               text not null check (status in ('pending', 'kept', 'broken')),
  decided_day          date,
  paid_minor           bigint,
  actor                text not null,
  created_at           timestamptz not null default now(),
  check ((status = 'pending') = (decided_day is null))
);
create index collection_promises_case on collection_promises (case_id, made_day);
create index collection_promises_pending on collection_promises (case_id) where status = 'pending';
`;
