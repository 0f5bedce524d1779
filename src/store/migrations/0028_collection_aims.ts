/**
 * Collections: the work list read by its keys, agency users, and assessment weights as versioned data.
 * - `collection_cases_worklist` is rebuilt to carry the list's keys (priority, case id, next action's day):
 *   a collector's list is ordered from the index alone and only the rows shown are read from the table.
 * - The `agency` role: a user of an outside collection agency, tied to that agency (`users.agency_id`); it
 *   sees and works only the cases placed with the agency (decision 0716).
 * - `collection_assessment_versions`: the ability/willingness weights as a document, a draft until a second
 *   person approves it (maker-checker); one published at a time, the shipped weights while none is
 *   (decision 0717). A case records the version its assessment was made with.
 */
export const sql = `
drop index collection_cases_worklist;
create index collection_cases_worklist on collection_cases (assignee, priority_minor desc, case_id)
  include (next_action_due_day) where status = 'open';

alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
  check (role in ('admin', 'risk_analyst', 'collector', 'finance', 'auditor', 'compliance', 'agency'));
alter table users add column agency_id text references collection_agencies (agency_id);
alter table users add constraint users_agency_of_agency_role check (agency_id is null or role = 'agency');

create table collection_assessment_versions (
  version        text primary key,
  document       jsonb not null,
  document_hash  text not null,
  status         text not null check (status in ('draft', 'published', 'retired')),
  note           text,
  created_by     text not null,
  created_at     timestamptz not null default now(),
  approved_by    text,
  approved_at    timestamptz,
  check (approved_by is null or approved_by <> created_by),
  check (status = 'draft' or approved_by is not null)
);
create unique index collection_assessment_one_published on collection_assessment_versions ((true))
  where status = 'published';

alter table collection_cases add column assessment_version text;
`;
