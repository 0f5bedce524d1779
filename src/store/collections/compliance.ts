import {
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintOpenPeriod,
  type ComplianceAttempt,
  type ComplianceCase,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  instantAt,
} from '../../collections/index.js';
import { addDays, type Day, parseDate } from '../../money/index.js';
import type { Queryable } from '../db.js';

/**
 * Days of the log read before a compliance window: the caps are per day and "unreachable" reads the last
 * borrower calls, which the contact check itself reads from the same 30 days (logContact).
 */
export const COMPLIANCE_LOOKBACK_DAYS = 30;

export interface ComplianceInputs {
  readonly attempts: ComplianceAttempt[];
  readonly cases: ComplianceCase[];
  readonly complaints: ComplaintOpenPeriod[];
}

/**
 * What the compliance report of days `fromDay`..`toDay` (the lender's zone) reads: the attempts of the cases
 * with an attempt in the window, from the lookback on; those cases, each with whether its borrower was ever
 * marked lost contact (now, or by a case update in the audit log); and their borrowers' complaints while
 * open. A complaint's resolution has a day, not an instant: it counts as open until that day starts, so an
 * attempt on the day of resolution is never taken for a breach.
 */
export async function complianceInputs(
  q: Queryable,
  fromDay: Day,
  toDay: Day,
  lenderZone: string,
): Promise<ComplianceInputs> {
  const fromIso = new Date(instantAt(fromDay, 0, lenderZone)).toISOString();
  const toIso = new Date(instantAt(addDays(toDay, 1), 0, lenderZone)).toISOString();
  const lookbackIso = new Date(
    instantAt(addDays(fromDay, -COMPLIANCE_LOOKBACK_DAYS), 0, lenderZone),
  ).toISOString();
  const attempts = await q.query<{
    attempt_id: string;
    case_id: string;
    at_ms: string | number;
    channel: ContactChannel;
    party: ContactParty;
    outcome: ContactOutcome;
    allowed: boolean;
    rule: string | null;
    actor: string;
  }>(
    `with touched as (
       select distinct case_id from collection_contacts where at >= $1::timestamptz and at < $2::timestamptz)
     select c.attempt_id, c.case_id, (extract(epoch from c.at) * 1000)::bigint as at_ms, c.channel, c.party,
            c.outcome, c.allowed, c.rule, c.actor
       from collection_contacts c join touched t on t.case_id = c.case_id
      where c.at >= $3::timestamptz and c.at < $2::timestamptz
      order by c.at, c.attempt_id`,
    [fromIso, toIso, lookbackIso],
  );
  const caseIds = [...new Set(attempts.rows.map((r) => r.case_id))];
  if (caseIds.length === 0) return { attempts: [], cases: [], complaints: [] };
  const cases = await q.query<{
    case_id: string;
    customer_id: string;
    borrower_zone: string;
    lost: boolean;
  }>(
    `select k.case_id, k.customer_id, k.borrower_zone,
            k.lost_contact or exists (
              select 1 from audit_log a
               where a.customer_id = k.customer_id and a.action = 'collection.case_update'
                 and a.resource_id = k.case_id and a.details->>'lostContact' = 'true') as lost
       from collection_cases k where k.case_id = any($1::text[]) order by k.case_id`,
    [caseIds],
  );
  const complaints = await q.query<{
    customer_id: string;
    channel: ComplaintChannel;
    category: ComplaintCategory;
    received_ms: string | number;
    resolved_day: string | null;
  }>(
    `select customer_id, channel, category, (extract(epoch from received_at) * 1000)::bigint as received_ms,
            resolved_day::text as resolved_day
       from complaints
      where customer_id = any($1::text[]) and received_at < $2::timestamptz
        and (resolved_day is null or resolved_day >= $3::date)
      order by received_at, complaint_id`,
    [[...new Set(cases.rows.map((r) => r.customer_id))], toIso, lookbackIso.slice(0, 10)],
  );
  return {
    attempts: attempts.rows.map((r) => ({
      attemptId: r.attempt_id,
      caseId: r.case_id,
      atMs: Number(r.at_ms),
      channel: r.channel,
      party: r.party,
      outcome: r.outcome,
      allowed: r.allowed,
      rule: r.rule,
      actor: r.actor,
    })),
    cases: cases.rows.map((r) => ({
      caseId: r.case_id,
      customerId: r.customer_id,
      zone: r.borrower_zone,
      lostContact: r.lost,
    })),
    complaints: complaints.rows.map((r) => ({
      customerId: r.customer_id,
      channel: r.channel,
      category: r.category,
      openFromMs: Number(r.received_ms),
      openUntilMs: r.resolved_day === null ? null : instantAt(parseDate(r.resolved_day), 0, lenderZone),
    })),
  };
}
