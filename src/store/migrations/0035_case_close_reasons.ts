/**
 * A collection case also closes when what was past due is written off (核销: the claim stays, the case no
 * longer follows the loan) and when a restructuring made while it was open is kept through its observation
 * period (重组观察期); until then such a case stays open on hold.
 */
export const sql = `
alter table collection_cases drop constraint collection_cases_close_reason_check;
alter table collection_cases add constraint collection_cases_close_reason_check
  check (close_reason in ('cured', 'paid-off', 'written-off', 'restructuring-kept'));
`;
