/**
 * Strategy-lab runs split across machines (decision 0909): the run's inputs (content digests of its files,
 * seed, size) and its partitions — ranges of borrowers of one strategy and one replication — claimed with a
 * lease like EOD's partitions. A finished partition holds its totals (exact JSON text, whole numbers),
 * written in the same transaction that ends the claim.
 */
export const sql = `
create table simulation_split_runs (
  run_id text primary key,
  inputs text not null,
  seed bigint not null check (seed >= 0),
  borrowers integer not null check (borrowers > 0),
  months integer not null check (months > 0),
  replications integer not null check (replications > 0),
  start_date text not null,
  strategies integer not null check (strategies in (1, 2)),
  ranges integer not null check (ranges > 0),
  partitions_total integer not null check (partitions_total > 0),
  partitions_done integer not null default 0,
  report text,
  created_by text not null,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  check (partitions_done between 0 and partitions_total)
);
create table simulation_split_partitions (
  run_id text not null references simulation_split_runs (run_id),
  partition_no integer not null,
  strategy integer not null,
  replication integer not null,
  borrower_from integer not null,
  borrower_to integer not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'done')),
  claimed_by text,
  lease_expires_at timestamptz,
  claims integer not null default 0,
  totals text,
  finished_at timestamptz,
  primary key (run_id, partition_no),
  check (borrower_from < borrower_to),
  check ((status = 'done') = (totals is not null))
);
create index simulation_split_partitions_open on simulation_split_partitions (run_id, partition_no)
  where status <> 'done';
`;
