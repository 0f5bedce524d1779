/**
 * Monitoring's use cases that need the policy, the models and the cipher (so they live in the server): a
 * customer's profile refreshed from the latest approved application, the early-warning rules evaluated on an
 * event (a declared income, a document received, a shock-list entry), and a signal's action carried out —
 * a re-assessment, or an offer of a plan adjustment proposed as a pending restructuring for a person to
 * approve (maker-checker: the proposer is `early-warning`, never the approver).
 */
import { earlyWarningInForce, evaluateCustomers } from '../../jobs/index.js';
import {
  type LoanRestructured,
  loanPosition,
  planCommand,
  type RestructureRequest,
} from '../../ledger/index.js';
import { counted, type Day } from '../../money/index.js';
import type { StatementFigures } from '../../monitoring/index.js';
import type { Application, FinancialChanges } from '../../origination/index.js';
import {
  EARLY_WARNING_ACTOR,
  findLoan,
  findSignal,
  getBusinessDay,
  insertRestructuring,
  latestApprovedApplication,
  newId,
  type Queryable,
  type StoredSignal,
  saveMonitoringProfile,
  setSignalAction,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { reassessCustomer } from '../origination/reassess.js';

/** The profile monitoring reads, from the latest approved application; none without one. */
export async function refreshProfile(
  tx: Queryable,
  deps: ServerDeps,
  customerId: string,
  day: Day,
): Promise<boolean> {
  const last = await latestApprovedApplication(tx, deps.cipher, customerId);
  if (last === undefined) return false;
  const a = last.application;
  const lang = await tx.query<{ lang: 'zh-CN' | 'en' }>(
    'select lang from reminder_contacts where customer_id = $1',
    [customerId],
  );
  const s = a.business?.statements;
  await saveMonitoringProfile(tx, {
    customerId,
    segment: a.employment.occupation,
    industry: a.business?.industry ?? a.employment.industry,
    lang: lang.rows[0]?.lang ?? 'zh-CN',
    sinceDay: day,
    applicationLenders3m: a.bureau.lenders3m,
    applicationIncomeMinor: a.income.declaredMonthly_fen,
    applicationStatements:
      s === undefined
        ? null
        : {
            monthlyRevenue_fen: s.monthlyRevenue_fen,
            monthlyCosts_fen: s.monthlyCosts_fen,
            monthlyOperatingCashFlow_fen: s.monthlyOperatingCashFlow_fen,
            cashBalance_fen: s.cashBalance_fen,
          },
  });
  return true;
}

interface LatestFacts {
  statements: (StatementFigures & Record<string, number>) | null;
  income: { kind: string; monthlyAmount_fen: number } | null;
  declared: number | null;
  bureau: {
    lenders3m: number;
    lenders6m: number;
    lenders12m: number;
    outstanding: number;
    worst: number;
  } | null;
}

async function latestFacts(tx: Queryable, customerId: string): Promise<LatestFacts> {
  const doc = async (kind: string) =>
    (
      await tx.query<{ figures: string }>(
        `select figures::text as figures from review_documents where customer_id = $1 and kind = $2
         order by received_day desc, created_at desc limit 1`,
        [customerId, kind],
      )
    ).rows[0];
  const st = await doc('business-statements');
  const inc = await doc('income-evidence');
  const declared = await tx.query<{ amount: string }>(
    `select declared_monthly_minor::text as amount from income_declarations where customer_id = $1
     order by day desc, created_at desc limit 1`,
    [customerId],
  );
  const bureau = await tx.query<{
    lenders3m: number;
    lenders6m: number;
    lenders12m: number;
    outstanding: string;
    worst: number;
  }>(
    `select lenders3m, lenders6m, lenders12m, outstanding_minor::text as outstanding, worst_days_past_due as worst
     from bureau_refreshes where customer_id = $1 order by as_of_day desc limit 1`,
    [customerId],
  );
  const b = bureau.rows[0];
  return {
    statements: st === undefined ? null : JSON.parse(st.figures),
    income: inc === undefined ? null : JSON.parse(inc.figures),
    declared: declared.rows[0] === undefined ? null : Number(declared.rows[0].amount),
    bureau: b === undefined ? null : { ...b, outstanding: Number(b.outstanding) },
  };
}

/** What monitoring knows now, laid over the last application as re-assessment changes. */
function changesFrom(latest: LatestFacts) {
  return (last: Application): FinancialChanges => {
    const out: { -readonly [K in keyof FinancialChanges]: FinancialChanges[K] } = {};
    if (latest.statements !== null && last.business !== undefined) {
      const s = latest.statements;
      out.business = {
        ...last.business,
        statements: {
          periodMonths: s.periodMonths ?? last.business.statements?.periodMonths ?? 3,
          monthlyRevenue_fen: s.monthlyRevenue_fen,
          monthlyCosts_fen: s.monthlyCosts_fen,
          monthlyOperatingCashFlow_fen: s.monthlyOperatingCashFlow_fen,
          cashBalance_fen: s.cashBalance_fen,
          monthlyDebtService_fen:
            s.monthlyDebtService_fen ?? last.business.statements?.monthlyDebtService_fen ?? 0,
          monthsTrading: s.monthsTrading ?? last.business.statements?.monthsTrading ?? 0,
        },
      };
    }
    if (latest.income !== null || latest.declared !== null) {
      const evidence =
        latest.income === null
          ? last.income.evidence
          : [
              {
                kind: latest.income.kind as Application['income']['evidence'][number]['kind'],
                monthlyAmount_fen: latest.income.monthlyAmount_fen,
              },
            ];
      out.income = { declaredMonthly_fen: latest.declared ?? last.income.declaredMonthly_fen, evidence };
    }
    if (latest.bureau !== null)
      out.bureau = {
        ...last.bureau,
        lenders3m: latest.bureau.lenders3m,
        lenders6m: latest.bureau.lenders6m,
        lenders12m: latest.bureau.lenders12m,
        outstandingBalance_fen: latest.bureau.outstanding,
        worstDaysPastDue: Math.max(last.bureau.worstDaysPastDue, latest.bureau.worst),
      };
    return out;
  };
}

/** Re-assesses the customer from what monitoring knows now; returns the re-assessment's id. */
export async function reassessFromMonitoring(
  tx: Queryable,
  deps: ServerDeps,
  customerId: string,
  createdBy: string,
): Promise<string> {
  const latest = await latestFacts(tx, customerId);
  const r = await reassessCustomer(tx, deps, customerId, changesFrom(latest), createdBy);
  return r.reassessmentId;
}

/**
 * The offer of a plan adjustment: for each of the customer's loans still owing, the signal's restructuring
 * is planned once (to refuse what the ledger refuses and learn its figures) and stored as `pending`,
 * proposed by `early-warning`; a person approves it through POST /loans/{loanId}/restructurings/{id}/approve.
 */
export async function offerPlanAdjustment(
  tx: Queryable,
  deps: ServerDeps,
  signal: StoredSignal,
): Promise<string[]> {
  if (signal.offer === null) return [];
  const day = await getBusinessDay(tx);
  const declared = await tx.query<{ amount: string }>(
    `select declared_monthly_minor::text as amount from income_declarations where customer_id = $1
     order by day desc, created_at desc limit 1`,
    [signal.customerId],
  );
  const { rows } = await tx.query<{ loan_id: string }>(
    `select loan_id from loans where customer_id = $1 and status = 'active' order by loan_id`,
    [signal.customerId],
  );
  const offered: string[] = [];
  for (const { loan_id } of rows) {
    const loanRow = await tx.query<{ n: string }>(
      `select count(*)::text as n from loan_restructurings where loan_id = $1 and status = 'pending'`,
      [loan_id],
    );
    if (Number(loanRow.rows[0]?.n ?? 0) > 0) continue;
    const loan = await findLoan(tx, loan_id, { forUpdate: true });
    if (loan === undefined || loanPosition(loan.state).totalOwedMinor === 0) continue;
    const o = signal.offer;
    const request: RestructureRequest =
      o.kind === 'term-extension'
        ? { kind: 'term-extension', extensionMonths: o.months }
        : o.kind === 'payment-holiday'
          ? { kind: 'payment-holiday', holidayMonths: o.months }
          : {
              kind: 'negotiated-plan',
              months: o.months,
              ...(declared.rows[0] === undefined
                ? {}
                : { monthlyIncomeMinor: Number(declared.rows[0].amount) }),
            };
    const change = planCommand(loan.state, null, {
      type: 'restructure',
      ...request,
      day,
      clientId: `signal:${signal.signalId}:${loan_id}`,
      policy: deps.config.restructuringPolicy,
    });
    const preview = change.events.find((e): e is LoanRestructured => e.type === 'LoanRestructured');
    if (preview === undefined) throw new Error('assertion: a restructuring plans a LoanRestructured event');
    const r = await insertRestructuring(tx, {
      customerId: signal.customerId,
      restructuringId: newId('RS'),
      loanId: loan_id,
      status: 'pending',
      request,
      forgivenMinor: preview.forgivenMinor,
      monthsExtended: preview.monthsExtended,
      proposedBy: EARLY_WARNING_ACTOR,
      proposedDay: day,
      decidedBy: null,
      decidedDay: null,
      note: `offered on signal ${signal.signalId} (${signal.code}): ${signal.reason.en}`,
      eventSeq: null,
    });
    offered.push(r.restructuringId);
  }
  return offered;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 500);
  return String(error).slice(0, 500);
}

/**
 * Carries out a signal's pending action and records the outcome on the signal. A re-assessment or an offer
 * the ledger or the policy refuses is recorded as `failed` with the reason, inside a savepoint, so the
 * signal stays and a person can act on it.
 */
export async function carryOutAction(
  tx: Queryable,
  deps: ServerDeps,
  signal: StoredSignal,
  actor: string,
  reassessmentId: string | null = null,
): Promise<void> {
  if (signal.action !== 'reassess' && signal.action !== 'offer-plan-adjustment') return;
  await tx.query('savepoint signal_action');
  try {
    if (signal.action === 'reassess') {
      const id = reassessmentId ?? (await reassessFromMonitoring(tx, deps, signal.customerId, actor));
      await tx.query('release savepoint signal_action');
      await setSignalAction(tx, signal.customerId, signal.signalId, 'done', id, 're-assessed');
    } else {
      const ids = await offerPlanAdjustment(tx, deps, signal);
      await tx.query('release savepoint signal_action');
      await setSignalAction(
        tx,
        signal.customerId,
        signal.signalId,
        ids.length > 0 ? 'done' : 'failed',
        ids.join(',') || null,
        ids.length > 0
          ? `${counted(ids.length, 'restructuring')} offered, pending approval`
          : 'no loan to offer a plan adjustment on',
      );
    }
  } catch (error) {
    await tx.query('rollback to savepoint signal_action');
    await setSignalAction(tx, signal.customerId, signal.signalId, 'failed', null, messageOf(error));
  }
}

/**
 * An event for one customer: the profile is refreshed, the rules evaluated on the business day, and the
 * actions of the signals raised carried out at once. `reassessmentId` is a re-assessment the event made
 * already (a document received): a re-assessment signal points to it rather than making another.
 */
export async function evaluateOnEvent(
  tx: Queryable,
  deps: ServerDeps,
  customerId: string,
  actor: string,
  reassessmentId: string | null = null,
): Promise<StoredSignal[]> {
  const day = await getBusinessDay(tx);
  await refreshProfile(tx, deps, customerId, day);
  const ew = await earlyWarningInForce(tx);
  const { raised } = await evaluateCustomers(tx, [customerId], day, ew, actor);
  const out: StoredSignal[] = [];
  for (const s of raised) {
    await carryOutAction(tx, deps, s, actor, s.action === 'reassess' ? reassessmentId : null);
    out.push((await findSignal(tx, s.signalId)) ?? s);
  }
  return out;
}
