/** How the portfolio reports find a loan's origination: the application and decision behind its line. */

/**
 * Where a loan's channel and approving policy version are recorded: the application that opened the loan's
 * credit line (the line's first application, by submission) and that application's first approving decision
 * (decision 0845). A loan with neither (imported, or a line opened without an application) has nulls.
 * `loan` is the alias of a `loans` row; the lateral row is `o` (columns channel, policy_version).
 */
export function loanOriginationJoinSql(loan: string): string {
  return `left join lateral (
       select a.channel,
         (select d.policy_version from decisions d
           where d.application_id = a.application_id and d.outcome = 'approve'
           order by d.decided_at, d.decision_id limit 1) as policy_version
       from applications a
       where a.customer_id = ${loan}.customer_id and a.line_id = ${loan}.line_id
       order by a.submitted_at, a.application_id limit 1
     ) o on true`;
}
