/**
 * Settlement offers (减免结清) made over the API, with maker-checker as for restructurings (migration 0012):
 * an offer whose discount is above the lender's threshold waits as `pending` until another user approves
 * it; below, it is made at once and recorded as `offered`. The offer itself is the loan's `SettlementOffered`
 * event (`event_seq`); whether it was paid or lapsed is read from the loan's events.
 */
export const sql = `
create table settlement_offers (
  customer_id text not null,
  offer_id text not null,
  loan_id text not null,
  status text not null check (status in ('pending', 'offered', 'rejected')),
  offer_minor bigint not null check (offer_minor > 0),
  valid_through date not null,
  owed_minor bigint not null,
  discount_minor bigint not null check (discount_minor > 0),
  proposed_by text not null,
  proposed_day date not null,
  decided_by text,
  decided_day date,
  note text,
  event_seq integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (customer_id, offer_id)
);
create index settlement_offers_loan on settlement_offers (loan_id, created_at);
`;
