/**
 * Month-end portfolio history: one row per active loan per month end (its days past due, bucket, outstanding
 * principal and five-category class by the rules, restructuring floor included), the month ends built, and
 * manual class overrides decided by a second person (maker-checker). Roll rates, vintages and the class
 * tables read these narrow rows, never the loans' JSONB states (decision 0800). Keyed by customer first like
 * every customer-owned table (docs/scaling.md); the month index serves the reports' reads of one month.
 */
export const sql = `
create table loan_month_ends (
  customer_id                  text not null,
  loan_id                      text not null,
  month_end                    date not null,
  product_id                   text not null,
  opened_day                   date not null,
  disbursed_minor              bigint not null check (disbursed_minor > 0),
  days_past_due                integer not null check (days_past_due >= 0),
  bucket                       text not null check (bucket in ('M0','M1','M2','M3','M4','M5','M6','M7')),
  outstanding_principal_minor  bigint not null check (outstanding_principal_minor >= 0),
  -- Number of the oldest overdue instalment; null when nothing is overdue.
  oldest_overdue_installment   integer,
  class_by_dpd                 text not null,
  -- The class by the rules (DPD and restructuring floors), before any manual override.
  asset_class                  text not null,
  -- Restructuring reason codes that set the floor, comma-separated; empty when none.
  class_reasons                text not null default '',
  primary key (customer_id, loan_id, month_end)
);
create index loan_month_ends_month on loan_month_ends (month_end, loan_id);

create table month_end_builds (
  month_end     date primary key,
  loans         integer not null,
  built_by      text not null,
  built_at      timestamptz not null default now()
);

create table loan_class_overrides (
  override_id     text primary key,
  customer_id     text not null,
  loan_id         text not null,
  month_end       date not null,
  asset_class     text not null check (asset_class in ('normal','special-mention','substandard','doubtful','loss')),
  rules_class     text not null,
  reason          text not null check (length(reason) between 1 and 1000),
  status          text not null check (status in ('proposed', 'approved', 'rejected')),
  proposed_by     text not null,
  proposed_at     timestamptz not null default now(),
  decided_by      text,
  decided_at      timestamptz,
  decision_note   text,
  -- Maker-checker: the person who decides is never the one who proposed.
  constraint loan_class_overrides_second_person check (decided_by is null or decided_by <> proposed_by),
  constraint loan_class_overrides_decided check ((status = 'proposed') = (decided_by is null))
);
-- One open or approved override per loan and month end.
create unique index loan_class_overrides_one on loan_class_overrides (customer_id, loan_id, month_end)
  where status in ('proposed', 'approved');
create index loan_class_overrides_month on loan_class_overrides (month_end, status);
`;
