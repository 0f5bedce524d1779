/**
 * A loan's behaviour fold is kept with the month in which it last changed (decision 0649), not copied to
 * every month: a month's job writes the folds of the loans that had an event in it, and a loan's fold as of
 * a month end is its row of the latest month on or before it. Most of a book's loans (settled, or without a
 * billed instalment or repayment that month) are then neither copied nor deleted each month.
 *
 * The key leads with the loan so that "the latest row on or before a month" is a walk of the index in key
 * order over a page's customer range. Rows already kept (whole months) stay valid: a complete month holds
 * every loan's fold, so the latest row on or before it is that month's own. `behaviour_fold_months.loans`
 * now counts the folds the month wrote.
 *
 * Both tables are unlogged: the folds are a cache of what the event log holds, written by the hundred
 * thousand each month, and their write-ahead log was most of the job's. A crash empties both together
 * (PostgreSQL truncates unlogged tables in recovery; a standby has them empty), so no month is marked
 * complete without its rows, and the next month reads every event and keeps its folds again.
 */
export const sql = `
alter table behaviour_loan_months drop constraint behaviour_loan_months_pkey;
alter table behaviour_loan_months add primary key (customer_id, loan_id, month);
alter table behaviour_loan_months set unlogged;
alter table behaviour_fold_months set unlogged;
`;
