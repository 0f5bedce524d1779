/**
 * What the dashboard's loan list and portfolio figures read without parsing every loan's JSONB state:
 * the bucket, outstanding principal and overdue principal as columns of `loans`, set from `state` by a
 * trigger whenever `state` is written (so no writer changes, and the end-of-day bulk path, which moves
 * only the marker, neither recomputes them nor pays for more than three extra index entries), and the
 * indexes the list's filters and sort orders walk (docs/api.md "Loans", decision 0401).
 */
export const sql = `
-- Outstanding principal as loanPosition counts it: not yet due + billed and unpaid (due or overdue).
create function loan_outstanding_principal_minor(state jsonb) returns bigint
language sql immutable parallel safe as $$
  select coalesce((state->>'notDuePrincipalMinor')::bigint, 0)
    + coalesce((select sum((d->>'principalMinor')::bigint) from jsonb_array_elements(state->'dues') d), 0)::bigint
$$;

-- Unpaid principal of instalments past their grace period (the books' 贷款本金—逾期).
create function loan_overdue_principal_minor(state jsonb) returns bigint
language sql immutable parallel safe as $$
  select coalesce((select sum((d->>'principalMinor')::bigint) from jsonb_array_elements(state->'dues') d
                   where (d->>'overdue')::boolean), 0)::bigint
$$;

alter table loans
  add column bucket text,
  add column outstanding_principal_minor bigint,
  add column overdue_principal_minor bigint;
update loans set bucket = state->>'bucket',
  outstanding_principal_minor = loan_outstanding_principal_minor(state),
  overdue_principal_minor = loan_overdue_principal_minor(state);
-- bucket stays nullable: a state that is not a loan's (damaged, refused by the engine) has none, and the
-- write that stores it must not fail here; the amounts of such a state count as 0.
alter table loans
  alter column outstanding_principal_minor set not null,
  alter column overdue_principal_minor set not null;

create function loans_derive_figures() returns trigger language plpgsql as $$
begin
  new.bucket := new.state->>'bucket';
  new.outstanding_principal_minor := loan_outstanding_principal_minor(new.state);
  new.overdue_principal_minor := loan_overdue_principal_minor(new.state);
  return new;
end
$$;
-- Only writes of the state fire it: the bulk end-of-day update sets last_closed_day alone.
create trigger loans_derive_figures
  before insert or update of state on loans
  for each row execute function loans_derive_figures();

-- GET /loans?bucket=M1…M7: past-due loans only (the M0 majority is listed by walking loans_loan), so
-- the index holds a small share of the book and current loans never write to it.
create index loans_list_past_due on loans (bucket, loan_id) where bucket <> 'M0';
-- GET /loans?sort=openedDay and ?drawnFrom=&drawnTo= (range on the day, keyset on (day, loan_id)).
create index loans_list_opened on loans (opened_day, loan_id);
-- GET /loans?sort=outstandingPrincipal (keyset on (amount, loan_id), either direction).
create index loans_list_outstanding on loans (outstanding_principal_minor, loan_id);
`;
