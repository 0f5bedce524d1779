import { formatDate, parseDate } from '../../money/index.js';
import { enqueueBusinessEvents, type Queryable } from '../../store/index.js';

/** Loans read per statement when looking for the day's bucket changes. */
export const BUCKET_EVENT_PAGE_LOANS = 5_000;

async function subscribed(tx: Queryable, eventType: string): Promise<boolean> {
  const { rows } = await tx.query<{ any: boolean }>(
    `select exists (select 1 from webhook_subscriptions where active and $1 = any(event_types)) as any`,
    [eventType],
  );
  return rows[0]?.any === true;
}

/**
 * `bucket.changed` for every loan whose delinquency bucket the closed day moved (a DelinquencyChanged
 * event of that day), queued for its subscribers in the transaction that ends the run. Nothing is read
 * when no one subscribes. Loans are found through the past-due index (a loan the day moved is past due),
 * a page at a time; the event key (loan, day, bucket) makes a rerun queue nothing twice.
 */
export async function queueBucketChanges(tx: Queryable, closedDay: string): Promise<number> {
  if (!(await subscribed(tx, 'bucket.changed'))) return 0;
  const day = formatDate(parseDate(closedDay));
  let after = '';
  let queued = 0;
  for (;;) {
    const { rows } = await tx.query<{ customer_id: string; loan_id: string; payload: string }>(
      `select l.customer_id, l.loan_id, e.payload::text as payload
       from (select customer_id, loan_id from loans where bucket <> 'M0' and loan_id > $2 order by loan_id limit $3) l
       join lateral (select payload from loan_events e
                     where e.customer_id = l.customer_id and e.loan_id = l.loan_id and e.day = $1::date
                       and e.type = 'DelinquencyChanged'
                     order by e.seq desc limit 1) e on true
       order by l.loan_id`,
      [day, after, BUCKET_EVENT_PAGE_LOANS],
    );
    const page = await tx.query<{ loan_id: string }>(
      `select loan_id from loans where bucket <> 'M0' and loan_id > $1 order by loan_id limit $2`,
      [after, BUCKET_EVENT_PAGE_LOANS],
    );
    queued += await enqueueBusinessEvents(
      tx,
      'bucket.changed',
      rows.map((r) => {
        const e = JSON.parse(r.payload) as { fromBucket: string; toBucket: string; daysPastDue: number };
        return {
          subjectKey: `${r.loan_id}:${day}:${e.toBucket}`,
          data: {
            loanId: r.loan_id,
            day,
            fromBucket: e.fromBucket,
            toBucket: e.toBucket,
            daysPastDue: e.daysPastDue,
          },
          customerId: r.customer_id,
          loanId: r.loan_id,
        };
      }),
    );
    const last = page.rows.at(-1);
    if (last === undefined || page.rows.length < BUCKET_EVENT_PAGE_LOANS) break;
    after = last.loan_id;
  }
  return queued;
}
