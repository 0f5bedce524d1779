/**
 * Strategy-lab runs asked for over the API (decision 0901): what was asked, by whom, how far the run has got
 * and, once finished, the comparison it produced (JSON text) or why it failed. A run is worked by the server
 * process that accepted it; `updated_at` moves with its progress.
 */
export const sql = `
create table simulation_runs (
  run_id text primary key,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
  request text not null,
  requested_by text not null,
  borrowers_total integer not null check (borrowers_total > 0),
  borrowers_done integer not null default 0,
  result text,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index simulation_runs_open on simulation_runs (status) where status in ('queued', 'running');
`;
