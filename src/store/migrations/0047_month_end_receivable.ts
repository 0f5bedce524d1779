/**
 * Each month-end row keeps the loan's gross carrying amount at the month end (principal, interest, penalty and
 * fee receivable: the engine's receivables of the state the month-end job classifies, which the journal holds
 * to the fen), so the ECL report at a built month end reads a loan's balance from the row instead of summing
 * the loan's journal (decision 0846). Null on rows built before: such a month end is replayed as before until
 * it is rebuilt.
 */
export const sql = `
alter table loan_month_ends add column receivable_minor bigint;
`;
