/**
 * A collection case's notes (催记) and documents (decision 0755). Both are append-only: a correction is a new
 * note naming the note it corrects, a wrong document stays beside the right one. A note's text may name
 * people and their circumstances, so it is stored as a PII ciphertext bound to its row; a document is kept
 * as bytes with its SHA-256 and its type read from its first bytes. Rows carry the case's customer so that
 * they co-locate with the customer's loans.
 */
export const sql = `
create table collection_case_notes (
  note_id          text primary key,
  case_id          text not null references collection_cases (case_id),
  customer_id      text not null,
  category         text not null check (category in ('call-summary', 'hardship', 'dispute', 'other')),
  text_enc         text not null,
  corrects_note_id text references collection_case_notes (note_id),
  day              date not null,
  at               timestamptz not null,
  author           text not null,
  created_at       timestamptz not null default now()
);
create index collection_case_notes_case on collection_case_notes (case_id, at, note_id);
create trigger collection_case_notes_no_update_or_delete
  before update or delete on collection_case_notes
  for each row execute function ledger_refuse_change();

create table collection_case_documents (
  document_id   text primary key,
  case_id       text not null references collection_cases (case_id),
  customer_id   text not null,
  kind          text not null check (kind in ('income-proof', 'hardship-proof', 'correspondence', 'other')),
  file_name     text not null,
  content_type  text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
  content       bytea not null,
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes    integer not null check (size_bytes > 0 and size_bytes = octet_length(content)),
  day           date not null,
  at            timestamptz not null,
  uploaded_by   text not null,
  created_at    timestamptz not null default now()
);
create index collection_case_documents_case on collection_case_documents (case_id, at, document_id);
create trigger collection_case_documents_no_update_or_delete
  before update or delete on collection_case_documents
  for each row execute function ledger_refuse_change();
`;
