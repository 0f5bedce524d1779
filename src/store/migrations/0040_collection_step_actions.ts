/**
 * What the case refresh carried out of the strategy's steps (decision 0757): one row per action, keyed by its
 * idempotency key (the case and step, and the day for a reminder), written in the refresh's transaction, so a
 * refresh run again (EOD re-run, a crash and retry) carries out nothing twice. `done` names what was made (a
 * reminder key, a placement, a legal action); `pending` is an action that could not be carried out yet, with
 * its reason (an agency placement while no agency is active), tried again on each refresh while the case stays
 * on the step; `dropped` is a pending one the case left. Keyed by case with the case's customer, as the case's
 * other rows are.
 */
export const sql = `
create table collection_step_actions (
  action_key    text primary key,
  case_id       text not null references collection_cases (case_id),
  customer_id   text not null,
  kind          text not null check (kind in ('reminder', 'agency-placement', 'legal-review')),
  step_code     text not null,
  day           date not null,
  status        text not null check (status in ('done', 'pending', 'dropped')),
  outcome       text not null,
  reference     text,
  updated_day   date not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index collection_step_actions_case on collection_step_actions (case_id, kind, step_code, day);
create index collection_step_actions_pending on collection_step_actions (case_id) where status = 'pending';
`;
