/**
 * The audit chain of migration 0011, made cheaper without changing what is hashed (decision 0241).
 *
 * 1. The chain's lock is keyed by the schema as well: schemas sharing a database (one database holding
 *    several lenders' or test suites' schemas) no longer take turns on one lock. Within a schema nothing
 *    changes: an insert holds the lock until its transaction ends, so rows are chained in commit order.
 * 2. Inside one transaction, once the lock is held, the last hash of the chain is the hash this transaction
 *    wrote last. The trigger keeps it in a transaction-local setting and reads the table only for the first
 *    audit row of a transaction. A setting made inside a savepoint that rolls back is rolled back with it,
 *    so the remembered hash never names a row that is gone. The setting also carries the schema, so a
 *    transaction writing to two schemas' logs reads each chain's head from its own table.
 * 3. The row's text is built in the trigger instead of by calling `audit_log_row_text` (kept: it is the
 *    definition, and migration 0011 chained the rows already there with it); the text is the same.
 */
export const sql = `
create or replace function audit_log_chain() returns trigger language plpgsql as $f$
declare
  remembered text := current_setting('lendguard.audit_chain_head', true);
  prefix text := tg_table_schema || '/';
  last_hash text;
begin
  if remembered is not null and starts_with(remembered, prefix) then
    last_hash := nullif(substr(remembered, length(prefix) + 1), '');
  else
    perform pg_advisory_xact_lock(2066024961, hashtext(tg_table_schema));
    select row_hash into last_hash from audit_log where row_hash is not null order by audit_id desc limit 1;
  end if;
  new.prev_hash := last_hash;
  -- The text of audit_log_row_text (migration 0011), written out here: calling it costs more than the
  -- hash itself.
  new.row_hash := encode(sha256(convert_to(concat_ws(chr(31),
    coalesce(last_hash, '-'),
    new.audit_id::text,
    ((extract(epoch from new.occurred_at) * 1000000)::bigint)::text,
    coalesce(new.actor_user_id, chr(1)),
    new.actor_role,
    new.action,
    coalesce(new.request_id, chr(1)),
    new.resource_type,
    coalesce(new.resource_id, chr(1)),
    coalesce(new.customer_id, chr(1)),
    new.details::text), 'UTF8')), 'hex');
  perform set_config('lendguard.audit_chain_head', prefix || new.row_hash, true);
  return new;
end
$f$;
`;
