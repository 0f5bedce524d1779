/**
 * 核销 write-off (decision 0372): a loan may now be `written-off` (off the books, still claimed; its events
 * and postings are in the loan's own log and the journal); the lender's eligibility rule, versioned; and the
 * proposals (batches) one person makes and another approves or rejects. A proposal keeps the rule version
 * it was made under and, per loan, the evidence reference and the figures seen when proposed.
 */
export const sql = `
alter table loans drop constraint loans_status_check;
alter table loans add constraint loans_status_check check (status in ('active', 'settled', 'written-off'));

create table write_off_rules (
  version       integer primary key check (version >= 1),
  -- parseWriteOffRule's document (src/reporting/write-off.ts).
  document      jsonb not null,
  created_by    text not null,
  created_at    timestamptz not null default now()
);
insert into write_off_rules (version, document, created_by) values
  (1, '{"daysPastDueMin": 180, "assetClassMin": "loss", "classification": "credit-card-2011", "evidenceRequired": true}', 'migration');

create table write_off_proposals (
  proposal_id   text primary key,
  status        text not null check (status in ('proposed', 'approved', 'rejected')),
  rule_version  integer not null references write_off_rules (version),
  proposed_day  date not null,
  note          text,
  proposed_by   text not null,
  proposed_at   timestamptz not null default now(),
  decided_by    text,
  decided_day   date,
  decided_at    timestamptz,
  decision_note text,
  -- Maker-checker: the person who decides is never the one who proposed.
  constraint write_off_proposals_second_person check (decided_by is null or decided_by <> proposed_by),
  constraint write_off_proposals_decided check ((status = 'proposed') = (decided_by is null))
);
create index write_off_proposals_status on write_off_proposals (status, proposed_at);

create table write_off_proposal_loans (
  proposal_id     text not null references write_off_proposals (proposal_id),
  customer_id     text not null,
  loan_id         text not null,
  evidence_ref    text not null check (length(evidence_ref) between 1 and 200),
  days_past_due   integer not null,
  asset_class     text not null,
  principal_minor bigint not null,
  total_minor     bigint not null,
  primary key (proposal_id, customer_id, loan_id)
);
create index write_off_proposal_loans_loan on write_off_proposal_loans (loan_id);
`;
