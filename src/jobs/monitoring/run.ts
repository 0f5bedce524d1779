import { addDays, counted, type Day, parseDate } from '../../money/index.js';
import {
  type EarlyWarningDocument,
  evaluateSignals,
  planReviewRequests,
  planSignals,
  signalFactsOf,
  zonedInstant,
} from '../../monitoring/index.js';
import {
  applySignalPlan,
  customersToMonitor,
  freezeLinesForSignal,
  insertReviewRequests,
  knownSignals,
  loadSignalInputs,
  monitoringProfiles,
  type Queryable,
  reviewStateOf,
  type StoredSignal,
  setSignalAction,
} from '../../store/index.js';
import { earlyWarningInForce } from './early-warning.js';

/** Customers read per page by the end-of-day monitoring step. */
export const MONITORING_PAGE_CUSTOMERS = 500;
/** Health-review requests go out at 10:00 (minute of the day) in the borrower's zone. */
const REVIEW_SEND_MINUTE = 600;
const LENDER_ZONE = 'Asia/Shanghai';

export interface MonitoringRun {
  readonly customersSeen: number;
  readonly signalsRaised: number;
  readonly signalsCleared: number;
  readonly reviewRequests: number;
  readonly linesFrozen: number;
}

/**
 * Evaluates the early-warning rules for some customers on `day` and writes what they plan, in the caller's
 * transaction. A raised signal's freeze is done at once; a re-assessment or an offer is left `pending` for
 * the owner queue (or done by the caller, which knows the policy and the models: the server on an event).
 */
export async function evaluateCustomers(
  tx: Queryable,
  customerIds: readonly string[],
  day: Day,
  ew: { version: string; document: EarlyWarningDocument },
  raisedBy: string,
): Promise<{ raised: StoredSignal[]; cleared: number; linesFrozen: number }> {
  const inputs = await loadSignalInputs(tx, customerIds, day);
  const known = await knownSignals(tx, customerIds);
  const raised: StoredSignal[] = [];
  let cleared = 0;
  let linesFrozen = 0;
  for (const id of customerIds) {
    const input = inputs.get(id);
    if (input === undefined) continue;
    const hits = evaluateSignals(ew.document, signalFactsOf(input));
    const plan = planSignals(known.get(id) ?? [], hits, day);
    if (plan.raise.length + plan.refresh.length + plan.clear.length === 0) continue;
    const written = await applySignalPlan(tx, id, plan, { documentVersion: ew.version, raisedBy });
    cleared += plan.clear.length;
    for (const s of written) {
      if (s.action === 'freeze-line') {
        const lines = await freezeLinesForSignal(tx, id, day, {
          signalId: s.signalId,
          code: s.code,
          reason: s.reason.en,
        });
        linesFrozen += lines.length;
        await setSignalAction(
          tx,
          id,
          s.signalId,
          'done',
          lines.join(',') || null,
          `${counted(lines.length, 'line')} frozen`,
        );
      }
      raised.push(s);
    }
  }
  return { raised, cleared, linesFrozen };
}

/** Health-review requests due on `day` for a page of customers, stored and queued in the outbox. */
async function requestReviews(
  tx: Queryable,
  customerIds: readonly string[],
  day: Day,
  document: EarlyWarningDocument,
): Promise<number> {
  if (document.healthReviews.length === 0) return 0;
  const profiles = await monitoringProfiles(tx, customerIds);
  const states = await reviewStateOf(tx, customerIds);
  const zones = await tx.query<{ customer_id: string; time_zone: string }>(
    'select customer_id, time_zone from reminder_contacts where customer_id = any($1::text[])',
    [customerIds],
  );
  const planned = [...profiles.values()].flatMap((p) =>
    planReviewRequests(
      document,
      {
        customerId: p.customerId,
        segment: p.segment,
        lang: p.lang,
        sinceDay: p.sinceDay,
        lastReceived: states.get(p.customerId)?.lastReceived ?? {},
        openRequests: states.get(p.customerId)?.open ?? [],
      },
      day,
    ),
  );
  const zoneOf = new Map(zones.rows.map((r) => [r.customer_id, r.time_zone]));
  // Sent on the next business day at 10:00 in the borrower's zone (the lender's when unknown).
  const sendAt = (id: string) =>
    zonedInstant(addDays(day, 1), REVIEW_SEND_MINUTE, zoneOf.get(id) ?? LENDER_ZONE);
  return insertReviewRequests(tx, planned, zoneOf, sendAt);
}

/**
 * EOD's monitoring step (预警): after the day is closed, every customer with an open line or a profile is
 * looked at, a page at a time: health-review requests falling due are sent, and the early-warning rules are
 * evaluated on the closed day's facts. In the transaction that settles the run (decision 0644).
 */
export async function monitorAfterEod(tx: Queryable, closedDay: string | Day): Promise<MonitoringRun> {
  const day = typeof closedDay === 'string' ? parseDate(closedDay) : closedDay;
  const ew = await earlyWarningInForce(tx);
  let after: string | null = null;
  const run = { customersSeen: 0, signalsRaised: 0, signalsCleared: 0, reviewRequests: 0, linesFrozen: 0 };
  for (;;) {
    const page = await customersToMonitor(tx, after, MONITORING_PAGE_CUSTOMERS);
    if (page.length === 0) break;
    after = page.at(-1) ?? null;
    run.customersSeen += page.length;
    run.reviewRequests += await requestReviews(tx, page, day, ew.document);
    const r = await evaluateCustomers(tx, page, day, ew, 'eod');
    run.signalsRaised += r.raised.length;
    run.signalsCleared += r.cleared;
    run.linesFrozen += r.linesFrozen;
  }
  return run;
}
