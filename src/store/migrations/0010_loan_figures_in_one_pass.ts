/**
 * The trigger that keeps a loan's list columns (migration 0005) in one pass over the state's dues, in a
 * query PL/pgSQL plans once per session, instead of two SQL functions that PostgreSQL plans again on every
 * call (a scalar subquery keeps them from being inlined): the same figures for every state, at a fraction
 * of the database's time per loan write (decision 0236). The two functions stay for queries that use them.
 */
export const sql = `
create or replace function loans_derive_figures() returns trigger language plpgsql as $$
declare
  due_principal bigint;
  overdue_principal bigint;
begin
  new.bucket := new.state->>'bucket';
  select coalesce(sum((d->>'principalMinor')::bigint), 0)::bigint,
         coalesce(sum((d->>'principalMinor')::bigint) filter (where (d->>'overdue')::boolean), 0)::bigint
    into due_principal, overdue_principal
    from jsonb_array_elements(
      new.state->'dues') d;
  new.outstanding_principal_minor := coalesce((new.state->>'notDuePrincipalMinor')::bigint, 0) + due_principal;
  new.overdue_principal_minor := overdue_principal;
  return new;
end
$$;
`;
