/**
 * Early-warning signals and periodic health reviews (docs/monitoring.md, decisions 0640–0646).
 *
 * - `early_warning_versions`: early-warning documents (rules and review schedules), each a draft until a second
 *   person approves it (maker-checker, as reminder_cadence_versions); the one in force is `published`.
 * - `monitoring_profiles`: what monitoring needs of a customer without opening the encrypted application —
 *   segment (occupation), industry, language, the day monitoring began, the bureau's lenders at application.
 * - `income_declarations`: incomes a borrower declares after the application (a drop raises a signal).
 * - `bureau_refreshes`: periodic bureau summaries imported from a file (多头借贷 over time).
 * - `industry_shocks`: the lender's shock list of industries (e.g. catering in a pandemic), with a window.
 * - `review_requests`: health-review requests sent through the reminder outbox; open until a document arrives.
 * - `review_documents`: documents received with their figures, and the uploaded file's bytes and SHA-256.
 * - `signals`: every signal raised, with severity, evidence, owner queue, its action and what became of it.
 *
 * Placement (docs/scaling.md): every customer-owned table is keyed by customer_id first; the document
 * versions and the shock list are small tables kept on the coordinator.
 */
export const sql = `
create table early_warning_versions (
  version         text primary key,
  document        jsonb not null,
  document_hash   text not null,
  status          text not null check (status in ('draft', 'published', 'retired', 'rejected')),
  note            text,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  approved_by     text,
  approved_at     timestamptz,
  check (approved_by is null or approved_by <> created_by),
  check (status not in ('published', 'retired') or approved_by is not null)
);
create unique index early_warning_one_published on early_warning_versions ((true)) where status = 'published';

create table monitoring_profiles (
  customer_id             text primary key,
  segment                 text not null,
  industry                text not null,
  lang                    text not null check (lang in ('zh-CN', 'en')),
  since_day               date not null,
  application_lenders3m   integer,
  application_income_minor bigint,
  -- The application's business statements (figures in fen), the baseline the first statements received are compared with.
  application_statements  jsonb,
  updated_at              timestamptz not null default now()
);
create index monitoring_profiles_industry on monitoring_profiles (industry);

create table income_declarations (
  customer_id             text not null,
  declaration_id          text not null,
  day                     date not null,
  declared_monthly_minor  bigint not null check (declared_monthly_minor >= 0),
  note                    text,
  created_by              text not null,
  created_at              timestamptz not null default now(),
  primary key (customer_id, declaration_id)
);
create index income_declarations_day on income_declarations (customer_id, day);

create table bureau_refreshes (
  customer_id             text not null,
  as_of_day               date not null,
  lenders3m               integer not null check (lenders3m >= 0),
  lenders6m               integer not null check (lenders6m >= 0),
  lenders12m              integer not null check (lenders12m >= 0),
  outstanding_minor       bigint not null check (outstanding_minor >= 0),
  worst_days_past_due     integer not null check (worst_days_past_due >= 0),
  source_file_sha256      text not null,
  imported_at             timestamptz not null default now(),
  primary key (customer_id, as_of_day)
);

create table industry_shocks (
  shock_id        text primary key,
  industry        text not null,
  from_day        date not null,
  to_day          date,
  reason          text not null,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  ended_by        text,
  ended_at        timestamptz,
  check (to_day is null or to_day >= from_day)
);
create index industry_shocks_industry on industry_shocks (industry);

create table review_requests (
  customer_id     text not null,
  request_id      text not null,
  request_key     text not null unique,
  document        text not null check (document in ('business-statements', 'income-evidence')),
  segment         text not null,
  request_day     date not null,
  due_day         date not null,
  channel         text not null,
  status          text not null check (status in ('open', 'received')),
  document_id     text,
  created_at      timestamptz not null default now(),
  primary key (customer_id, request_id),
  check ((status = 'received') = (document_id is not null))
);
create index review_requests_open on review_requests (customer_id, document) where status = 'open';
create index review_requests_due on review_requests (due_day) where status = 'open';

create table review_documents (
  customer_id       text not null,
  document_id       text not null,
  kind              text not null check (kind in ('business-statements', 'income-evidence')),
  received_day      date not null,
  -- The figures as received: statements (revenue, costs, cash flow, cash, period) or income (monthly, kind), fen.
  figures           jsonb not null,
  valid_until_day   date not null,
  file_name         text,
  file_sha256       text,
  file_bytes        bytea,
  request_id        text,
  reassessment_id   text,
  created_by        text not null,
  created_at        timestamptz not null default now(),
  primary key (customer_id, document_id),
  check ((file_bytes is null) = (file_sha256 is null))
);
create index review_documents_kind on review_documents (customer_id, kind, received_day);

create table signals (
  customer_id     text not null,
  signal_id       text not null,
  code            text not null,
  kind            text not null,
  severity        text not null check (severity in ('low', 'medium', 'high', 'critical')),
  queue           text not null,
  action          text not null check (action in ('none', 'reassess', 'freeze-line', 'offer-plan-adjustment')),
  offer           jsonb,
  reason_en       text not null,
  reason_zh       text not null,
  evidence        jsonb not null,
  evidence_key    text not null,
  document_version text not null,
  status          text not null check (status in ('open', 'acknowledged', 'resolved', 'cleared')),
  raised_day      date not null,
  last_seen_day   date not null,
  raised_by       text not null,
  -- What the action did: pending (for a person to carry out), done, failed or none.
  action_status   text not null check (action_status in ('none', 'pending', 'done', 'failed')),
  action_ref      text,
  action_note     text,
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by     text,
  resolved_at     timestamptz,
  resolution_note text,
  cleared_day     date,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (customer_id, signal_id)
);
create index signals_customer on signals (customer_id, code, status);
-- The watchlist: live signals by severity.
create index signals_watchlist on signals (status, severity, raised_day, signal_id) where status in ('open', 'acknowledged');
`;
