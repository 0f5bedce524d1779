/**
 * Two things the compliance report and a key rotation need.
 *
 * Indexes: the compliance report finds the cases with a contact attempt in its window by time across all
 * cases (`collection_contacts_at`; the per-case index leads with the case), and reads the complaints of those
 * cases' borrowers received before the window's end (`complaints_customer_received`; the existing index on
 * customers covers open complaints only).
 *
 * Re-encryption: case notes and reassessments are append-only, yet `lendguard db reencrypt-pii` must move
 * their ciphertexts to the active key (decision 0759). Their update-or-delete triggers are split: a delete is
 * still refused, and an update is allowed only when it changes nothing but the named ciphertext column and
 * that column's key id (`v1.<keyId>.…`): a rotation, not an edit.
 */
export const sql = `
create index collection_contacts_at on collection_contacts (at, case_id);
create index complaints_customer_received on complaints (customer_id, received_at);

create function pii_reencrypt_only() returns trigger language plpgsql as $$
declare
  col text := tg_argv[0];
  old_enc text := to_jsonb(old) ->> col;
  new_enc text := to_jsonb(new) ->> col;
begin
  if (to_jsonb(new) - col) = (to_jsonb(old) - col)
     and new_enc like 'v1.%' and split_part(new_enc, '.', 2) <> split_part(old_enc, '.', 2) then
    return new;
  end if;
  raise exception '% is append-only: an update may only re-encrypt % under another key', tg_table_name, col
    using errcode = 'insufficient_privilege';
end
$$;

drop trigger collection_case_notes_no_update_or_delete on collection_case_notes;
create trigger collection_case_notes_no_delete
  before delete on collection_case_notes
  for each row execute function ledger_refuse_change();
create trigger collection_case_notes_reencrypt_only
  before update on collection_case_notes
  for each row execute function pii_reencrypt_only('text_enc');

drop trigger reassessments_no_update_or_delete on reassessments;
create trigger reassessments_no_delete
  before delete on reassessments
  for each row execute function origination_refuse_change();
create trigger reassessments_reencrypt_only
  before update on reassessments
  for each row execute function pii_reencrypt_only('changes_enc');
`;
