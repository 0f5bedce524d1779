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

-- 征信: each account's record for a month, built at month end. A record is 'ready' to go out, 'held' (a first
-- negative record without the Art. 15 notice: hold_reason says why) or 'exported' in a batch. A correction
-- after an objection raises record_version and makes it 'ready' again, so the next export carries it.
create table credit_report_records (
  customer_id           text not null,
  loan_id               text not null,
  month                 text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  record                jsonb not null,
  status_code           text not null,
  negative              boolean not null,
  status                text not null check (status in ('ready', 'held', 'exported')),
  hold_reason           text,
  hold_message          text,
  record_version        integer not null default 1 check (record_version >= 1),
  disputed              boolean not null default false,
  batch_id              text,
  built_at              timestamptz not null default now(),
  primary key (customer_id, loan_id, month),
  check ((status = 'held') = (hold_reason is not null))
);
create index credit_report_records_month on credit_report_records (month, status);
create index credit_report_records_loan on credit_report_records (loan_id, month);

create table credit_report_batches (
  batch_id      text primary key,
  month         text not null,
  record_count  integer not null,
  file_sha256   text not null,
  created_by    text not null,
  created_at    timestamptz not null default now()
);

-- 异议 (征信业管理条例 Art. 25): verified and answered within 20 days; every step kept.
create table credit_report_disputes (
  dispute_id        text primary key,
  customer_id       text not null,
  loan_id           text not null,
  month             text not null,
  claim             text not null,
  received_day      date not null,
  reply_by_day      date not null,
  status            text not null check (status in ('received', 'investigating', 'corrected', 'rejected')),
  finding           text,
  corrected_status  text,
  decided_day       date,
  created_by        text not null,
  created_at        timestamptz not null default now(),
  foreign key (customer_id, loan_id, month) references credit_report_records (customer_id, loan_id, month),
  check ((status in ('corrected', 'rejected')) = (decided_day is not null))
);
create index credit_report_disputes_status on credit_report_disputes (status, reply_by_day);

create table credit_report_dispute_events (
  dispute_id    text not null references credit_report_disputes (dispute_id),
  seq           integer not null check (seq >= 1),
  action        text not null,
  day           date not null,
  actor         text not null,
  details       jsonb not null,
  recorded_at   timestamptz not null default now(),
  primary key (dispute_id, seq)
);
`;
