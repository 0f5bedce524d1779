/**
 * The idempotency record keeps the response and the field MACs as the text the server sent and made, not
 * as JSONB: nothing queries inside them, they are read back only to replay a request or to name the field
 * a reused key differs at, and parsing them into JSONB on every write was database time for nothing
 * (decision 0215). Existing records are converted in place (their JSONB's text: the same JSON).
 */
export const sql = `
alter table idempotency_keys
  alter column response_body type text using response_body::text,
  alter column field_macs type text using field_macs::text;
`;
