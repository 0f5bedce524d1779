/**
 * Two hardening changes.
 *
 * 1. A database without ledger activity starts its business day on today in the lender's default zone
 *    (Asia/Shanghai), not on the server's UTC date, which lags it by a day every afternoon; another first
 *    day is set with `lendguard db migrate --business-day`.
 * 2. The audit log becomes tamper-evident: each row carries the hash of the row before it (`prev_hash`)
 *    and its own (`row_hash`, SHA-256 over the previous hash and the row's fields). An insert takes the
 *    chain's lock for the rest of its transaction, so rows are chained in commit order; rows already there
 *    are chained in id order. `lendguard audit verify` recomputes the chain outside the database and
 *    names the first broken link. The text hashed is fixed here and in src/store/audit-chain.ts.
 */
export const sql = `
update business_day set day = (now() at time zone 'Asia/Shanghai')::date, updated_at = now()
 where not exists (select 1 from credit_lines) and not exists (select 1 from loans)
   and not exists (select 1 from eod_runs);

alter table audit_log add column prev_hash text;
alter table audit_log add column row_hash text;

create function audit_log_row_text(prev text, a audit_log) returns text language sql immutable as $f$
  select concat_ws(chr(31),
    coalesce(prev, '-'),
    a.audit_id::text,
    ((extract(epoch from a.occurred_at) * 1000000)::bigint)::text,
    coalesce(a.actor_user_id, chr(1)),
    a.actor_role,
    a.action,
    coalesce(a.request_id, chr(1)),
    a.resource_type,
    coalesce(a.resource_id, chr(1)),
    coalesce(a.customer_id, chr(1)),
    a.details::text)
$f$;

create function audit_log_chain() returns trigger language plpgsql as $f$
declare
  last_hash text;
begin
  -- One chain: inserts take turns until their transactions end, so the order of the chain is the order
  -- in which the rows become visible.
  perform pg_advisory_xact_lock(2066024961);
  select row_hash into last_hash from audit_log where row_hash is not null order by audit_id desc limit 1;
  new.prev_hash := last_hash;
  new.row_hash := encode(sha256(convert_to(audit_log_row_text(last_hash, new), 'UTF8')), 'hex');
  return new;
end
$f$;

alter table audit_log disable trigger audit_log_no_update_or_delete;
do $d$
declare
  r audit_log;
  last_hash text;
  h text;
begin
  for r in select * from audit_log order by audit_id loop
    h := encode(sha256(convert_to(audit_log_row_text(last_hash, r), 'UTF8')), 'hex');
    update audit_log set prev_hash = last_hash, row_hash = h where audit_id = r.audit_id;
    last_hash := h;
  end loop;
end
$d$;
alter table audit_log enable trigger audit_log_no_update_or_delete;

create trigger audit_log_chain before insert on audit_log
  for each row execute function audit_log_chain();
`;
