/**
 * Complaints (投诉) and the compliance role that handles them; credit reporting (征信): the monthly record
 * of every account, the export batches, and objections (异议) with their trail.
 *
 * Complaints are keyed by complaint id and carry the customer id (the distribution column elsewhere), so
 * they co-locate with the customer's loans and collection case. Nothing is deleted by the application:
 * complaint records are kept with the collection records (at least five years, NIFA 2018).
 */
export const sql = `
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
  check (role in ('admin', 'risk_analyst', 'collector', 'finance', 'auditor', 'compliance'));

create table complaints (
  complaint_id        text primary key,
  customer_id         text not null,
  loan_id             text,
  -- The borrower's collection case open when the complaint came in (null when none was open).
  case_id             text references collection_cases (case_id),
  channel             text not null check (channel in ('hotline', 'app', 'regulator_referral', 'social_media')),
  category            text not null,
  summary             text not null,
  regulator_reference text,
  received_at         timestamptz not null,
  -- The lender's business day of receipt: the SLA timers count from it.
  received_day        date not null,
  status              text not null check (status in ('received', 'acknowledged', 'resolved')),
  acknowledged_day    date,
  acknowledged_by     text,
  resolved_day        date,
  resolved_by         text,
  outcome             text check (outcome in ('upheld', 'partly_upheld', 'not_upheld', 'withdrawn')),
  root_cause          text,
  resolution          text,
  created_by          text not null,
  row_version         bigint not null default 1,
  created_at          timestamptz not null default now(),
  check ((status = 'resolved') = (resolved_day is not null)),
  check ((status = 'resolved') = (outcome is not null and root_cause is not null)),
  check (status = 'received' or acknowledged_day is not null)
);
create index complaints_open on complaints (customer_id) where status <> 'resolved';
create index complaints_received on complaints (received_day, category);
create index complaints_case on complaints (case_id) where case_id is not null;

-- Every step of a complaint, in order: received, acknowledged, resolved.
create table complaint_events (
  complaint_id  text not null references complaints (complaint_id),
  seq           integer not null check (seq >= 1),
  action        text not null,
  day           date not null,
  actor         text not null,
  details       jsonb not null,
  recorded_at   timestamptz not null default now(),
  primary key (complaint_id, seq)
);
`;
