/**
 * What the dashboard's loan list and portfolio figures read without parsing every loan's JSONB state:
 * the bucket, outstanding principal and overdue principal as stored generated columns of `loans`
 * (computed by PostgreSQL from `state` on every write, so no writer changes), and the indexes the
 * list's filters and sort orders walk (docs/api.md "Loans", decision 0401).
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
  add column bucket text generated always as (state->>'bucket') stored,
  add column outstanding_principal_minor bigint
    generated always as (loan_outstanding_principal_minor(state)) stored,
  add column overdue_principal_minor bigint generated always as (loan_overdue_principal_minor(state)) stored;

-- GET /loans?bucket= (keyset on loan_id within the bucket).
create index loans_list_bucket on loans (bucket, loan_id);
-- GET /loans?productId= (keyset on loan_id within the product).
create index loans_list_product on loans (product_id, loan_id);
-- GET /loans?sort=openedDay and ?drawnFrom=&drawnTo= (range on the day, keyset on (day, loan_id)).
create index loans_list_opened on loans (opened_day, loan_id);
-- GET /loans?sort=outstandingPrincipal (keyset on (amount, loan_id), either direction).
create index loans_list_outstanding on loans (outstanding_principal_minor, loan_id);
-- GET /portfolio/summary: counts and sums by status, product and bucket from the index alone.
create index loans_portfolio on loans (status, product_id, bucket)
  include (outstanding_principal_minor, overdue_principal_minor);
`;
