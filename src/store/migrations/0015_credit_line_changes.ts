/**
 * The history of a credit line's status and limit (额度变更记录): every freeze, unfreeze, limit change and
 * close, by the line controls of the policy (EOD, repayments) or by an operator, with its code and reason
 * (docs/monitoring.md, decision 0600). The line's state stays in `credit_lines.state`; these rows say why.
 */
export const sql = `
create table credit_line_changes (
  customer_id     text not null,
  line_id         text not null,
  change_no       bigint generated always as identity,
  day             date not null,
  kind            text not null check (kind in ('frozen', 'unfrozen', 'limit-changed', 'closed')),
  from_status     text not null,
  to_status       text not null,
  from_limit_minor bigint not null,
  to_limit_minor  bigint not null,
  -- 'control': the policy's line controls; 'operator': a person through the API.
  source          text not null check (source in ('control', 'operator')),
  code            text not null,
  reason          text not null,
  -- The policy version whose line controls decided ('shipped-default' when none carried them).
  policy_version  text,
  actor           text,
  created_at      timestamptz not null default now(),
  primary key (customer_id, line_id, change_no)
);
create index credit_line_changes_line on credit_line_changes (line_id, change_no);
`;
