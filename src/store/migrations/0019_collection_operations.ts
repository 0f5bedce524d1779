/**
 * Collection operations (decisions 0710–0715): strategies as versioned GoRules graphs with a champion and a
 * challenger, the strategy's step and next action on each case, the ability/willingness assessment and its
 * override, the evidence behind it, teams and collectors' capacity, and agency placements.
 *
 * - `collection_strategy_versions`: strategy graphs, each a draft until a second person approves it as the
 *   champion or as the challenger with its share of cases (maker-checker, as reminder cadences).
 * - `collection_evidence`: hardship applications, income evidence and signs of evasion recorded on a case.
 * - `collection_teams`, `collection_team_members`: which buckets a team works, each collector's capacity.
 * - `collection_agencies`, `collection_placements`: outsourcing (委外) a case and recalling it, with what
 *   the borrower paid while placed.
 * Placement (docs/scaling.md): evidence and placements follow their case (customer_id co-location by the
 * case); strategies, teams and agencies are small reference tables kept on the coordinator.
 */
export const sql = `
create table collection_strategy_versions (
  version              text primary key,
  document             jsonb not null,
  document_hash        text not null,
  status               text not null check (status in ('draft', 'published', 'retired', 'rejected')),
  arm                  text check (arm in ('champion', 'challenger')),
  challenger_share_bp  integer check (challenger_share_bp between 0 and 10000),
  note                 text,
  created_by           text not null,
  created_at           timestamptz not null default now(),
  approved_by          text,
  approved_at          timestamptz,
  check (approved_by is null or approved_by <> created_by),
  check (status not in ('published', 'retired') or (approved_by is not null and arm is not null)),
  check ((arm = 'challenger') = (challenger_share_bp is not null))
);
create unique index collection_strategy_one_per_arm on collection_strategy_versions (arm) where status = 'published';

alter table collection_cases
  add column strategy_arm           text not null default 'champion' check (strategy_arm in ('champion', 'challenger')),
  add column strategy_version       text,
  add column strategy_step          text,
  add column next_action            text,
  add column next_action_channel    text,
  add column next_action_reason     text,
  add column next_action_due_day    date,
  add column behaviour_score        integer,
  add column assessment             jsonb,
  add column assessment_override    jsonb,
  add column vulnerabilities        text[] not null default '{}',
  add column complaint_open         boolean not null default false,
  add column cure_bp                integer not null default 0,
  add column priority_minor         bigint not null default 0,
  add column opening_overdue_minor  bigint not null default 0,
  add column paid_at_open_minor     bigint not null default 0,
  add column paid_to_date_minor     bigint not null default 0,
  add column team_id                text,
  add column agency_id              text;
create index collection_cases_worklist on collection_cases (assignee, priority_minor desc) where status = 'open';
create index collection_cases_agency on collection_cases (agency_id) where agency_id is not null;

create table collection_evidence (
  evidence_id   text primary key,
  case_id       text not null references collection_cases (case_id),
  kind          text not null check (kind in ('hardship', 'income', 'evasion')),
  cause         text,
  amount_minor  bigint check (amount_minor >= 0),
  note          text,
  day           date not null,
  actor         text not null,
  created_at    timestamptz not null default now(),
  check ((kind = 'hardship') = (cause is not null)),
  check ((kind = 'income') = (amount_minor is not null))
);
create index collection_evidence_case on collection_evidence (case_id, day);

create table collection_teams (
  team_id     text primary key,
  name        text not null,
  buckets     text[] not null,
  lead        text,
  created_at  timestamptz not null default now()
);

create table collection_team_members (
  user_id     text primary key,
  team_id     text not null references collection_teams (team_id),
  capacity    integer not null check (capacity >= 0)
);

create table collection_agencies (
  agency_id   text primary key,
  name        text not null,
  active      boolean not null default true,
  created_at  timestamptz not null default now()
);

create table collection_placements (
  placement_id        text primary key,
  case_id             text not null references collection_cases (case_id),
  agency_id           text not null references collection_agencies (agency_id),
  placed_day          date not null,
  paid_at_placement   bigint not null check (paid_at_placement >= 0),
  recalled_day        date,
  recall_reason       text,
  recovered_minor     bigint,
  placed_by           text not null,
  recalled_by         text,
  check ((recalled_day is null) = (recovered_minor is null))
);
create unique index collection_placements_one_active on collection_placements (case_id) where recalled_day is null;
create index collection_placements_agency on collection_placements (agency_id, placed_day);
`;
