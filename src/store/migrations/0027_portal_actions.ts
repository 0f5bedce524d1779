/**
 * What a borrower does in the self-service portal besides repaying (issue 19 item 3): hardship requests
 * routed to the collections workflow, with the offer a person makes on one (a pending restructuring of the
 * loan, `restructuring_id`) and its terms as planned when offered; files a health review asks for; reminder
 * preferences. Explanation requests and objections reuse `decision_requests` (origination) and complaints
 * (line controls), complaints reuse `complaints`: no table here. Every table is keyed by customer first,
 * so it is co-located with the customer's other rows (docs/scaling.md).
 */
export const sql = `
create table portal_hardship_requests (
  customer_id       text not null,
  request_id        text not null,
  loan_id           text not null,
  kind              text not null check (kind in ('payment-holiday', 'negotiated-plan', 'term-extension')),
  months            integer not null check (months between 1 and 60),
  cause             text not null,
  declared_monthly_income_minor bigint not null check (declared_monthly_income_minor >= 0),
  -- The borrower's own words, encrypted (they may hold personal data).
  reason_enc        text not null,
  file_name         text,
  file_type         text,
  file_content      bytea,
  file_sha256       text,
  file_bytes        integer,
  status            text not null check (status in ('received', 'offered', 'accepted', 'declined')),
  case_id           text,
  evidence_id       text,
  restructuring_id  text,
  -- The offer's terms as planned when it was made (schedule, fees, observation period, class floor).
  offer_terms       jsonb,
  offered_by        text,
  offered_day       date,
  answered_day      date,
  received_day      date not null,
  created_at        timestamptz not null default now(),
  primary key (customer_id, request_id),
  check ((file_content is null) = (file_sha256 is null)),
  check ((status = 'received') = (restructuring_id is null))
);
create index portal_hardship_requests_status on portal_hardship_requests (status, created_at);
create unique index portal_hardship_requests_open_loan on portal_hardship_requests (loan_id)
  where status in ('received', 'offered');

create table portal_uploads (
  customer_id       text not null,
  upload_id         text not null,
  review_request_id text not null,
  document          text not null check (document in ('business-statements', 'income-evidence')),
  file_name         text not null,
  file_type         text not null,
  file_content      bytea not null,
  file_sha256       text not null,
  file_bytes        integer not null,
  note              text,
  received_day      date not null,
  created_at        timestamptz not null default now(),
  primary key (customer_id, upload_id)
);
create index portal_uploads_request on portal_uploads (customer_id, review_request_id);

-- The borrower's own contact window for reminders (minutes after local midnight), inside the cadence's hours;
-- null: the cadence's hours. Legally required notices keep the cadence's hours (decision 1022).
alter table reminder_contacts add column contact_start_minute integer, add column contact_end_minute integer;
alter table reminder_contacts add constraint reminder_contacts_window check (
  (contact_start_minute is null) = (contact_end_minute is null)
  and (contact_start_minute is null or (0 <= contact_start_minute and contact_start_minute < contact_end_minute
    and contact_end_minute <= 1440)));
`;
