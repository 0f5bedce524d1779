/**
 * A loan's plan and product, which change only when the loan is re-amortised, in a column of their own,
 * `terms`, stored out of line (TOAST, uncompressed); `state` keeps the rest of the engine state. An update
 * that does not set `terms` carries the stored value's pointer over, so the end-of-day batch writes, parses
 * and prints a state of about 1.2 KB instead of 3.3 KB (compressed to 1.6 KB in a row), and compresses
 * only the largest states (decision 0235). Readers join the two columns back into one LoanState
 * (src/store/ledger/codec.ts).
 */
export const sql = `
-- Set before the rows are rewritten below, so that they are stored this way: terms out of line and
-- uncompressed (a read takes no decompression). The state keeps the default storage: a row over the
-- TOAST threshold (about 2 KB) compresses its largest value, the state, and never moves the key
-- columns out of line, which would happen with the state kept from compression.
alter table loans add column terms jsonb;
alter table loans alter column terms set storage external;

-- A state that is not an object (damaged) keeps its value; its terms are empty.
update loans set
  terms = case when jsonb_typeof(state) = 'object'
               then jsonb_build_object('plan', state->'plan', 'product', state->'product')
               else '{}'::jsonb end,
  state = case when jsonb_typeof(state) = 'object' then state - 'plan' - 'product' else state end;
alter table loans alter column terms set not null;
`;
