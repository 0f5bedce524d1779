/**
 * A person's decision on a referred application, or on a declined one whose objection was overturned: the
 * decision itself is a new row of `decisions` (sealed, immutable); this table links it to the automated
 * decision it supersedes. One review per automated decision, enforced by the primary key, and append-only
 * like the decisions it links.
 */
export const sql = `
create table decision_reviews (
  application_id  text not null,
  -- The automated decision reviewed.
  supersedes      text not null,
  -- The person's decision (a row of decisions).
  decision_id     text not null,
  outcome         text not null check (outcome in ('approve', 'decline')),
  decided_by      text not null,
  decided_at      timestamptz not null,
  primary key (application_id, supersedes)
);
-- The primary key makes it once per automated decision (a decision belongs to one application); the
-- unique indexes carry application_id so that they hold on a distributed table too (docs/scaling.md).
create index decision_reviews_supersedes on decision_reviews (supersedes);
create unique index decision_reviews_decision on decision_reviews (decision_id, application_id);

create trigger decision_reviews_no_update_or_delete
  before update or delete on decision_reviews
  for each row execute function origination_refuse_change();
create trigger decision_reviews_no_truncate
  before truncate on decision_reviews
  for each statement execute function origination_refuse_change();
`;
