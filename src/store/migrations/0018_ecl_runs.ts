/**
 * Month-end expected credit loss: each month's run (its exposures' stage, EAD and ECL, so that the next
 * month's roll-forward has its opening), the journal entry that moved the loss allowance (one per month:
 * the posting is idempotent), and the funding outflows the lender enters for the liquidity projection.
 * Exposure rows are keyed by customer_id first, like every customer-owned table (docs/scaling.md).
 */
export const sql = `
create table ecl_runs (
  month_end       date primary key,
  -- The scenario ids and versions and their weights the run was weighted by, e.g. "base@1:0.6 …".
  scenario_set    text not null,
  exposures       integer not null check (exposures >= 0),
  ead_minor       bigint not null check (ead_minor >= 0),
  ecl_minor       bigint not null check (ecl_minor >= 0),
  created_at      timestamptz not null default now()
);

create table ecl_run_exposures (
  customer_id     text not null,
  month_end       date not null references ecl_runs (month_end),
  -- A loan id, or line:<line id> for the undrawn part of a credit line.
  exposure_id     text not null,
  stage           smallint not null check (stage in (1, 2, 3)),
  ead_minor       bigint not null check (ead_minor >= 0),
  ecl_minor       bigint not null check (ecl_minor >= 0),
  primary key (customer_id, month_end, exposure_id)
);
create index ecl_run_exposures_month on ecl_run_exposures (month_end, exposure_id);

create table ecl_postings (
  month_end       date primary key references ecl_runs (month_end),
  -- The journal row (postings.posting_no) of the month's entry; null when nothing moved.
  posting_no      bigint,
  opening_minor   bigint not null,
  closing_minor   bigint not null,
  -- Allowance used by the month's write-offs, and the charge (negative: a release).
  used_minor      bigint not null,
  charge_minor    bigint not null,
  posted_at       timestamptz not null default now()
);

create table funding_outflows (
  outflow_id      text primary key,
  day             date not null,
  amount_minor    bigint not null check (amount_minor > 0),
  label           text not null,
  created_by      text not null,
  created_at      timestamptz not null default now()
);
create index funding_outflows_day on funding_outflows (day);
`;
