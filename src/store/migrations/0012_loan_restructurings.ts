/**
 * Restructuring requests (重组申请) that wait for a second person (maker-checker): one above the lender's
 * thresholds (amount forgiven, months extended) is stored as `pending` and applied only when another user
 * approves it; one below is applied at once and recorded here as `applied` too, so that a loan's
 * restructurings can be listed with who proposed and who approved them. The change itself is the loan's
 * `LoanRestructured` event. Keyed by customer like the other ledger tables.
 */
export const sql = `
create table loan_restructurings (
  customer_id text not null,
  restructuring_id text not null,
  loan_id text not null,
  status text not null check (status in ('pending', 'applied', 'rejected')),
  kind text not null,
  request jsonb not null,
  forgiven_minor bigint not null,
  months_extended integer not null,
  proposed_by text not null,
  proposed_day date not null,
  decided_by text,
  decided_day date,
  note text,
  event_seq integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (customer_id, restructuring_id)
);
create index loan_restructurings_loan on loan_restructurings (loan_id, created_at);
create index loan_restructurings_pending on loan_restructurings (status, created_at) where status = 'pending';
`;
