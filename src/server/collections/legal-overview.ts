import { legalLimitation, nextLegalStatuses } from '../../collections/index.js';
import { type Day, formatDate, formatMinor, parseDate } from '../../money/index.js';
import {
  filingDaysOf,
  findCase,
  findLoan,
  listDemands,
  listLegalActions,
  listLegalCosts,
  listLegalSteps,
  listLoans,
  listPromises,
  type Queryable,
  type StoredCase,
  type StoredDemand,
  type StoredLegalAction,
  type StoredLegalCost,
  type StoredLegalStep,
} from '../../store/index.js';
import { caseNotFound } from './legal-messages.js';

/** What the legal routes and the evidence package share: the case, the overview and its presenters. */

export async function caseOr404(q: Queryable, caseId: string, forUpdate = false): Promise<StoredCase> {
  const kase = await findCase(q, caseId, forUpdate);
  if (kase === undefined) throw caseNotFound(caseId);
  return kase;
}

export function presentLegalAction(
  a: StoredLegalAction,
  steps: readonly StoredLegalStep[],
  costs: readonly StoredLegalCost[],
) {
  const own = costs.filter((c) => c.actionId === a.actionId);
  return {
    actionId: a.actionId,
    caseId: a.caseId,
    customerId: a.customerId,
    path: a.path,
    status: a.status,
    claimed: formatMinor(a.claimedMinor),
    reason: a.reason,
    venue: a.venue,
    reference: a.reference,
    proposedBy: a.proposedBy,
    proposedDate: formatDate(a.proposedDay),
    approvedBy: a.approvedBy,
    approvedDate: a.approvedDay === null ? null : formatDate(a.approvedDay),
    lastStepDate: formatDate(a.lastStepDay),
    nextStatuses: nextLegalStatuses(a),
    steps: steps
      .filter((s) => s.actionId === a.actionId)
      .map((s) => ({
        seq: s.seq,
        date: formatDate(s.day),
        from: s.from,
        to: s.to,
        actor: s.actor,
        note: s.note,
        deadlines: s.deadlines.map((d) => ({ name: d.name, date: formatDate(d.day) })),
      })),
    costs: own.map(presentCost),
    costTotal: formatMinor(own.reduce((sum, c) => sum + c.amountMinor, 0)),
  };
}

export const presentCost = (c: StoredLegalCost) => ({
  costId: c.costId,
  actionId: c.actionId,
  kind: c.kind,
  amount: formatMinor(c.amountMinor),
  date: formatDate(c.day),
  note: c.note,
  actor: c.actor,
});

export const presentDemand = (d: StoredDemand) => ({
  demandId: d.demandId,
  caseId: d.caseId,
  date: formatDate(d.day),
  channel: d.channel,
  reachedDebtor: d.reachedDebtor,
  evidence: d.evidence,
  actor: d.actor,
});

/** The last due date over the borrower's loans: the limitation period of an instalment debt runs from it. */
export async function lastDueDayOf(q: Queryable, kase: StoredCase): Promise<Day | undefined> {
  const loans =
    kase.pastDueLoanIds.length > 0
      ? (await Promise.all(kase.pastDueLoanIds.map((id) => findLoan(q, id)))).filter((l) => l !== undefined)
      : await listLoans(q, { customerId: kase.customerId }, null, 1000);
  let last: Day | undefined;
  for (const loan of loans) {
    const due = loan.state.plan.at(-1)?.dueDay;
    if (due !== undefined && (last === undefined || due > last)) last = due;
  }
  return last;
}

export async function legalOverview(q: Queryable, kase: StoredCase, today: Day) {
  const actions = await listLegalActions(q, kase.caseId);
  const ids = actions.map((a) => a.actionId);
  const [steps, costs, demands, filings, promises, lastDueDay] = await Promise.all([
    listLegalSteps(q, ids),
    listLegalCosts(q, ids),
    listDemands(q, kase.customerId),
    filingDaysOf(q, kase.customerId),
    listPromises(q, kase.caseId),
    lastDueDayOf(q, kase),
  ]);
  const limitation =
    lastDueDay === undefined
      ? null
      : legalLimitation(
          {
            lastDueDay,
            demands,
            filingDays: filings,
            acknowledgementDays: promises.map((p) => parseDate(p.madeDate)),
          },
          today,
        );
  return {
    caseId: kase.caseId,
    limitation:
      limitation === null || lastDueDay === undefined
        ? null
        : {
            lastDueDate: formatDate(lastDueDay),
            startDate: formatDate(limitation.startDay),
            endDate: formatDate(limitation.endDay),
            restartedBy: limitation.restartedBy.map(formatDate),
            daysLeft: limitation.daysLeft,
            expired: limitation.expired,
          },
    demands: demands.filter((d) => d.caseId === kase.caseId).map(presentDemand),
    actions: actions.map((a) => presentLegalAction(a, steps, costs)),
  };
}
