/** What the recovery report reads of the ledger: the loans' write-offs and the recoveries after them. */
import type { Day } from '../../money/index.js';
import type { RecoveryReceipt, RecoveryWriteOff } from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';
import { loanOriginationJoinSql } from './origination.js';

/**
 * The write-offs (LoanWrittenOff, everything taken off the books) and recoveries (RecoveredAfterWriteOff) of
 * the loans' own logs dated on or before `asOf`, leaving out the events a correction (EventsSuperseded)
 * superseded, as the other reports read the log. Amounts are summed in the database as bigint fen. A write-off
 * carries its loan's segments: the product, and the channel and policy version of the application that opened
 * the loan's line (decision 0845); null when the loan row or the application is not there.
 */
export async function loadWriteOffRecoveries(
  q: Queryable,
  asOf: Day,
): Promise<{ writeOffs: RecoveryWriteOff[]; recoveries: RecoveryReceipt[] }> {
  const { rows } = await q.query<{
    loan_id: string;
    day: string;
    type: string;
    amount: string;
    product_id: string | null;
    channel: string | null;
    policy_version: string | null;
  }>(
    `select e.loan_id, e.day::text as day, e.type, l.product_id, o.channel, o.policy_version,
       (case when e.type = 'LoanWrittenOff'
          then (e.payload->>'principalCurrentMinor')::bigint + (e.payload->>'principalOverdueMinor')::bigint
             + (e.payload->>'interestMinor')::bigint + (e.payload->>'penaltyMinor')::bigint
             + (e.payload->>'feeMinor')::bigint
          else (e.payload->>'amountMinor')::bigint end)::text as amount
     from loan_events e
     left join loans l
       on e.type = 'LoanWrittenOff' and l.customer_id = e.customer_id and l.loan_id = e.loan_id
     ${loanOriginationJoinSql('l')}
     where e.type in ('LoanWrittenOff', 'RecoveredAfterWriteOff') and e.day <= $1::date
       and not exists (
         select 1 from loan_events s
         where s.customer_id = e.customer_id and s.loan_id = e.loan_id and s.type = 'EventsSuperseded'
           and e.seq between (s.payload->>'fromSeq')::int and (s.payload->>'toSeq')::int)
     order by e.loan_id, e.seq`,
    [sqlDate(asOf)],
  );
  const writeOffs: RecoveryWriteOff[] = [];
  const recoveries: RecoveryReceipt[] = [];
  for (const r of rows) {
    const day = dayFromSql(r.day);
    if (r.type === 'LoanWrittenOff')
      writeOffs.push({
        loanId: r.loan_id,
        day,
        writtenOffMinor: Number(r.amount),
        productId: r.product_id,
        channel: r.channel,
        policyVersion: r.policy_version,
      });
    else recoveries.push({ loanId: r.loan_id, day, amountMinor: Number(r.amount) });
  }
  return { writeOffs, recoveries };
}
