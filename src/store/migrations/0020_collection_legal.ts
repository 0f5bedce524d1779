/**
 * Legal escalation (法律诉讼) of collection cases and the blacklist's due process. An action is proposed by
 * one person and approved by another (a check constraint), and every step is a row of its own, append-only;
 * costs and demands (催告, which restart the limitation period) are dated rows. A blacklist proposal runs
 * notice → objection window → a second person's decision → an entry in blacklist_entries (the list
 * origination checks) → removal; each step is kept in blacklist_proposal_steps. Keyed by case or customer
 * so that a distributed PostgreSQL co-locates them with the case (docs/scaling.md).
 */
export const sql = `
create table collection_legal_actions (
  action_id         text primary key,
  case_id           text not null references collection_cases (case_id),
  customer_id       text not null,
  path              text not null check (path in ('payment-order', 'lawsuit', 'arbitration', 'notarised-instrument')),
  status            text not null check (status in ('proposed', 'approved', 'rejected', 'filed', 'objected', 'decided',
                      'enforcing', 'closed', 'withdrawn')),
  claimed_minor     bigint not null check (claimed_minor > 0),
  reason            text not null,
  venue             text,
  reference         text,
  proposed_by       text not null,
  proposed_day      date not null,
  approved_by       text,
  approved_day      date,
  last_step_day     date not null,
  row_version       bigint not null default 1,
  created_at        timestamptz not null default now(),
  check (approved_by is null or approved_by <> proposed_by),
  check (status in ('proposed', 'rejected', 'withdrawn') or approved_by is not null)
);
create index collection_legal_actions_case on collection_legal_actions (case_id, proposed_day);
create unique index collection_legal_actions_one_live on collection_legal_actions (case_id)
  where status not in ('rejected', 'withdrawn', 'closed', 'objected');

create table collection_legal_steps (
  step_id       text primary key,
  action_id     text not null references collection_legal_actions (action_id),
  seq           integer not null,
  day           date not null,
  from_status   text,
  to_status     text not null,
  actor         text not null,
  note          text,
  deadlines     jsonb not null default '[]',
  created_at    timestamptz not null default now(),
  unique (action_id, seq)
);

create table collection_legal_costs (
  cost_id       text primary key,
  action_id     text not null references collection_legal_actions (action_id),
  kind          text not null,
  amount_minor  bigint not null check (amount_minor > 0),
  day           date not null,
  note          text,
  actor         text not null,
  created_at    timestamptz not null default now()
);
create index collection_legal_costs_action on collection_legal_costs (action_id, day);

create table collection_demands (
  demand_id       text primary key,
  case_id         text not null references collection_cases (case_id),
  customer_id     text not null,
  day             date not null,
  channel         text not null,
  reached_debtor  boolean not null,
  evidence        text not null,
  actor           text not null,
  created_at      timestamptz not null default now()
);
create index collection_demands_customer on collection_demands (customer_id, day);

create table blacklist_proposals (
  proposal_id       text primary key,
  customer_id       text not null,
  case_id           text,
  action_id         text,
  source            text not null check (source in ('legal', 'fraud')),
  reason            text not null,
  evidence          text not null,
  status            text not null check (status in ('noticed', 'objected', 'listed', 'rejected', 'withdrawn', 'removed')),
  proposed_by       text not null,
  notice_day        date not null,
  notice_reminder_key text not null,
  objection_until   date not null,
  objection         text,
  decided_by        text,
  decided_day       date,
  decision_note     text,
  entry_id          text,
  expires_day       date,
  removed_by        text,
  removed_day       date,
  removal_reason    text check (removal_reason in ('repaid', 'objection-upheld')),
  row_version       bigint not null default 1,
  created_at        timestamptz not null default now(),
  check (decided_by is null or decided_by <> proposed_by),
  check ((status = 'listed' or status = 'removed') = (entry_id is not null))
);
create index blacklist_proposals_customer on blacklist_proposals (customer_id, notice_day);
create index blacklist_proposals_open on blacklist_proposals (status) where status in ('noticed', 'objected', 'listed');
create unique index blacklist_proposals_one_live on blacklist_proposals (customer_id)
  where status in ('noticed', 'objected', 'listed');

create table blacklist_proposal_steps (
  proposal_id   text not null references blacklist_proposals (proposal_id),
  seq           integer not null,
  day           date not null,
  step          text not null check (step in ('proposed', 'notice-queued', 'objected', 'listed', 'rejected', 'withdrawn',
                  'removed')),
  actor         text not null,
  note          text,
  created_at    timestamptz not null default now(),
  primary key (proposal_id, seq)
);
`;
