/**
 * Each loan's behaviour history as of a month end (decision 0647): the fold of its events through the
 * month's last day, kept so that the next month's behaviour-score job reads one row per loan and only the
 * events of its own month, instead of every event of the book. `behaviour_fold_months` marks the months
 * whose rows are complete (written by a job that finished).
 *
 * The month's events are found by day: a BRIN index on `loan_events.day` suits a log appended day after
 * day (a few pages per range of blocks, next to nothing to keep up). Supersession markers are rare and a
 * later month must find them whatever their day: a partial index holds them alone.
 */
export const sql = `
create table behaviour_loan_months (
  month         date not null,
  customer_id   text not null,
  loan_id       text not null,
  line_id       text not null,
  -- Not settled by the month end: a line whose loans are all settled is not scored, so the next month need
  -- not read their folds unless the line draws again.
  open          boolean not null,
  -- The fold through the month end as compact JSON (monitoring/behaviour behaviourFoldToJson).
  fold          text not null,
  primary key (month, customer_id, loan_id)
);
create table behaviour_fold_months (
  month         date primary key,
  as_of         date not null,
  loans         integer not null,
  built_at      timestamptz not null default now()
);
create index loan_events_day_brin on loan_events using brin (day);
create index loan_events_superseded on loan_events (customer_id, loan_id, seq) where type = 'EventsSuperseded';
`;
