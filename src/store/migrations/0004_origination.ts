/**
 * Origination (授信): policy versions with their maker-checker trail, applications (personal data
 * encrypted), immutable decisions, the keyed history facts the 强开 detectors read, review flags,
 * invitations, blacklist entries, applicants' explanation requests and objections, and re-assessments.
 *
 * Placement (docs/scaling.md): an application's rows are keyed by application_id first (most applicants
 * never become customers); tables looked up by a blind index (history keys, invitations, blacklist) are
 * keyed by that index first; re-assessments belong to a customer and are keyed by customer_id first.
 */
export const sql = `
create table policy_versions (
  version         text primary key,
  policy_id       text not null,
  product_id      text not null,
  -- The policy document as accepted by parsePolicy (graphs inline).
  document        jsonb not null,
  document_hash   text not null,
  status          text not null
                  check (status in ('draft', 'approved', 'published', 'retired', 'rejected')),
  created_by      text not null,
  created_at      timestamptz not null default now(),
  approved_by     text,
  approved_at     timestamptz,
  published_by    text,
  published_at    timestamptz,
  retired_at      timestamptz,
  -- Set when the version was taken out of force by a roll back: it is never restored by a later one.
  rolled_back_at  timestamptz,
  -- Maker-checker: whoever approves is not whoever wrote the draft.
  check (approved_by is null or approved_by <> created_by),
  check (status not in ('approved', 'published', 'retired') or approved_by is not null)
);
-- One version in force per product.
create unique index policy_versions_one_published on policy_versions (product_id) where status = 'published';

-- Every step of every version (draft, approve, publish, retire, roll back), append-only.
create table policy_events (
  event_no      bigint generated always as identity primary key,
  version       text not null references policy_versions (version),
  action        text not null check (action in ('draft', 'approve', 'reject', 'publish', 'retire', 'rollback')),
  actor_user_id text not null,
  occurred_at   timestamptz not null default now(),
  note          text
);
create index policy_events_version on policy_events (version, event_no);

create table applications (
  application_id        text primary key,
  -- Blind index of the applicant's ID number (the key invitations and history use).
  applicant_key         text not null,
  -- The customer the approval opened a line for (or the existing customer), else null.
  customer_id           text,
  line_id               text,
  submitted_at          timestamptz not null,
  product_id            text not null,
  channel               text not null,
  occupation            text not null,
  requested_limit_fen   bigint not null check (requested_limit_fen >= 0),
  province              text not null,
  city                  text not null,
  -- The whole validated application as JSON: AES-256-GCM, bound to this row (docs/security.md).
  body_enc              text not null,
  created_by            text not null,
  created_at            timestamptz not null default now()
);
create index applications_applicant on applications (applicant_key, submitted_at);
create index applications_customer on applications (customer_id, submitted_at) where customer_id is not null;

create table decisions (
  application_id  text not null,
  decision_id     text not null,
  decided_at      timestamptz not null,
  outcome         text not null check (outcome in ('approve', 'decline', 'refer')),
  limit_fen       bigint not null check (limit_fen >= 0),
  risk_grade      text,
  policy_version  text not null,
  model_version   text not null,
  -- The sealed decision record exactly as the core made it, and the sha256 it carries.
  record          jsonb not null,
  content_hash    text not null,
  primary key (application_id, decision_id)
);
create unique index decisions_decision on decisions (decision_id, application_id);
create index decisions_policy on decisions (policy_version, outcome);

-- What the 强开 detectors look up: one row per (kind, key) of each application. Keys are blind indexes of
-- device, IP, SIM, phones and ID number, or the plain channel + install source; past holds the keys-only
-- history row (PastApplication) and, on the applicant row, the retry facts encrypted.
create table application_keys (
  kind              text not null
                    check (kind in ('applicant', 'device', 'ip', 'sim', 'phone', 'contact-phone', 'source')),
  key               text not null,
  application_id    text not null,
  submitted_at      timestamptz not null,
  past              jsonb not null,
  retry_facts_enc   text,
  primary key (kind, key, application_id)
);
create index application_keys_recent on application_keys (kind, key, submitted_at desc);

create table review_flags (
  application_id  text not null,
  flag_id         text not null,
  kind            text not null,
  severity        text not null check (severity in ('refuse', 'review')),
  summary         text not null,
  evidence        jsonb not null,
  status          text not null check (status in ('open', 'resolved')),
  raised_at       timestamptz not null default now(),
  resolution      text check (resolution in ('cleared', 'confirmed')),
  resolved_by     text,
  resolved_at     timestamptz,
  note            text,
  primary key (application_id, flag_id),
  check ((status = 'open') = (resolved_by is null))
);
create unique index review_flags_flag on review_flags (flag_id, application_id);
create index review_flags_queue on review_flags (status, flag_id);

-- PIPL Art. 24: an applicant asks for an explanation of an automated decision, or objects to it.
create table decision_requests (
  application_id  text not null,
  request_id      text not null,
  decision_id     text not null,
  kind            text not null check (kind in ('explanation', 'objection')),
  channel         text not null,
  -- The applicant's own words, encrypted (they may hold personal data).
  statement_enc   text,
  received_at     timestamptz not null default now(),
  recorded_by     text not null,
  status          text not null check (status in ('open', 'answered')),
  answer          text,
  objection_result text check (objection_result in ('upheld', 'overturned')),
  answered_by     text,
  answered_at     timestamptz,
  primary key (application_id, request_id),
  check ((status = 'open') = (answered_by is null))
);
create unique index decision_requests_request on decision_requests (request_id, application_id);
create index decision_requests_status on decision_requests (status, request_id);

create table invitations (
  applicant_key   text not null,
  invitation_id   text not null,
  code            text not null,
  -- The invited applicant's ID number, encrypted, so that a list shows it masked.
  id_number_enc   text not null,
  product_ids     jsonb not null,
  limit_cap_fen   bigint not null check (limit_cap_fen > 0),
  channels        jsonb not null,
  valid_from      timestamptz not null,
  expires_at      timestamptz not null,
  status          text not null check (status in ('active', 'used', 'revoked')),
  used_by_application text,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  expired_by      text,
  primary key (applicant_key, invitation_id),
  check (valid_from < expires_at)
);
create unique index invitations_invitation on invitations (invitation_id, applicant_key);
create index invitations_list on invitations (invitation_id);

create table blacklist_entries (
  subject       text not null check (subject in ('id-number', 'phone', 'device', 'ip', 'sim')),
  key           text not null,
  entry_id      text not null,
  -- The listed value, encrypted, so that a list shows it masked.
  value_enc     text not null,
  reason        text not null,
  source        text not null
                check (source in ('court-dishonest-debtor', 'internal-review', 'fraud-consortium', 'regulator')),
  evidence      text not null,
  listed_at     timestamptz not null default now(),
  expires_at    timestamptz not null,
  created_by    text not null,
  expired_by    text,
  primary key (subject, key, entry_id)
);
create unique index blacklist_entries_entry on blacklist_entries (entry_id, subject, key);

create table reassessments (
  customer_id       text not null,
  reassessment_id   text not null,
  application_id    text not null,
  assessed_at       timestamptz not null,
  action            text not null check (action in ('increase', 'decrease', 'keep', 'suspend')),
  previous_limit_fen bigint not null,
  limit_fen         bigint not null,
  record            jsonb not null,
  content_hash      text not null,
  -- The new financial facts, encrypted (income and debts of a person).
  changes_enc       text not null,
  created_by        text not null,
  primary key (customer_id, reassessment_id)
);

create function origination_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger decisions_no_update_or_delete
  before update or delete on decisions
  for each row execute function origination_refuse_change();
create trigger decisions_no_truncate
  before truncate on decisions
  for each statement execute function origination_refuse_change();
create trigger policy_events_no_update_or_delete
  before update or delete on policy_events
  for each row execute function origination_refuse_change();
create trigger reassessments_no_update_or_delete
  before update or delete on reassessments
  for each row execute function origination_refuse_change();
-- A policy document never changes once written: a new version is a new row.
create function policy_versions_keep_document() returns trigger language plpgsql as $$
begin
  if new.document is distinct from old.document or new.document_hash is distinct from old.document_hash
     or new.created_by is distinct from old.created_by then
    raise exception 'policy_versions: a version''s document and author never change'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;
create trigger policy_versions_document_fixed
  before update on policy_versions
  for each row execute function policy_versions_keep_document();
create trigger policy_versions_no_delete
  before delete on policy_versions
  for each row execute function origination_refuse_change();
`;
