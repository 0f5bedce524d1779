/**
 * The behaviour score (行为评分, B卡) applied monthly and the limit reviews it drives (docs/monitoring.md,
 * decisions 0620–0626).
 *
 * - `behaviour_scores`: one row per credit line per month: the score, the probability of 60+ days past due
 *   within six months, the reason codes (feature, value seen, points lost) and the model that scored it.
 * - `behaviour_score_months`: the month's distribution over the development sample's score bands, its PSI
 *   against that sample and whether it passed the alert threshold in force.
 * - `limit_review_proposals`: the monthly limit review's proposals (raise, cut, freeze) with their policy
 *   code and reason, applied only when a second person approves them.
 *
 * Placement (docs/scaling.md): the per-line tables are keyed by customer_id first, like credit_lines, so
 * they co-locate with the lines; the month summaries are a small table on the coordinator.
 */
export const sql = `
create table behaviour_scores (
  customer_id     text not null,
  line_id         text not null,
  -- First day of the month scored; the features are as of the month's last day (as_of).
  month           date not null,
  as_of           date not null,
  score           integer not null,
  probability_bad double precision not null,
  -- [{"feature", "value", "contribution"}]: the features that lowered the score most.
  reasons         jsonb not null,
  model_id        text not null,
  created_at      timestamptz not null default now(),
  primary key (customer_id, line_id, month)
);
create index behaviour_scores_month on behaviour_scores (month, score);
create index behaviour_scores_line on behaviour_scores (line_id, month);

create table behaviour_score_months (
  month           date primary key,
  as_of           date not null,
  model_id        text not null,
  lines           integer not null,
  psi             double precision not null,
  psi_alert       double precision not null,
  alert           boolean not null,
  -- {"cuts", "counts", "expectedShares", "band", "meanScore"}
  distribution    jsonb not null,
  created_at      timestamptz not null default now()
);

create table limit_review_proposals (
  customer_id     text not null,
  proposal_id     text not null,
  line_id         text not null,
  month           date not null,
  action          text not null check (action in ('raise', 'cut', 'freeze')),
  from_limit_minor bigint not null,
  to_limit_minor  bigint not null,
  score           integer not null,
  code            text not null,
  reason          text not null,
  policy_version  text not null,
  status          text not null check (status in ('proposed', 'applied', 'rejected', 'superseded')),
  proposed_by     text not null,
  decided_by      text,
  decided_at      timestamptz,
  created_at      timestamptz not null default now(),
  primary key (customer_id, proposal_id)
);
create unique index limit_review_proposals_line_month on limit_review_proposals (customer_id, line_id, month);
create index limit_review_proposals_status on limit_review_proposals (status, month, proposal_id);
`;
