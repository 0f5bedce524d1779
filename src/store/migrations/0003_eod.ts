/**
 * The end-of-day batch's own bookkeeping: one run per business date, split into partitions (ranges of
 * loans.partition_key) that workers claim with a lease. A lease is a timestamp, not a held lock: a
 * worker that dies leaves a lease that simply expires, and the partition is claimed again
 * (docs/eod.md, decision 0230).
 */
export const sql = `
create table eod_runs (
  run_id            text primary key,
  business_day      date not null unique,
  status            text not null check (status in ('running', 'succeeded', 'failed')),
  partitions_total  integer not null check (partitions_total >= 1),
  batch_size        integer not null check (batch_size >= 1),
  requested_by      text not null,
  -- Times a run was resumed after a failure or a crash (a fresh run has 0).
  resumes           integer not null default 0,
  loans_closed      bigint not null default 0,
  loans_advanced    bigint not null default 0,
  events_written    bigint not null default 0,
  started_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  finished_at       timestamptz
);
create index eod_runs_started on eod_runs (started_at desc, run_id desc);

create table eod_partitions (
  run_id            text not null references eod_runs (run_id),
  partition_no      integer not null check (partition_no >= 0),
  -- Inclusive range of loans.partition_key (0..1023) this partition closes.
  key_from          smallint not null,
  key_to            smallint not null,
  status            text not null check (status in ('pending', 'running', 'succeeded', 'failed')),
  claimed_by        text,
  claimed_at        timestamptz,
  heartbeat_at      timestamptz,
  -- A running partition whose lease has passed is claimed again by any worker.
  lease_expires_at  timestamptz,
  claims            integer not null default 0,
  loans_closed      bigint not null default 0,
  loans_advanced    bigint not null default 0,
  events_written    bigint not null default 0,
  -- [{"at": ..., "worker": ..., "loanId": ... | null, "message": ...}], newest last, bounded.
  errors            jsonb not null default '[]'::jsonb,
  started_at        timestamptz,
  finished_at       timestamptz,
  primary key (run_id, partition_no),
  check (key_from <= key_to)
);
create index eod_partitions_claimable on eod_partitions (run_id, status, lease_expires_at);
`;
