import { type Assessment, isoInZone, ratio4 } from '../../collections/index.js';
import { formatMinor } from '../../money/index.js';
import {
  effectiveVerdict,
  type StoredCase,
  type StoredContact,
  type StoredPromise,
} from '../../store/index.js';

/** The reason texts in Chinese, by code (the stored reason keeps the English text and the value seen). */
export const ASSESSMENT_REASON_ZH: Readonly<Record<string, string>> = {
  AS_HARDSHIP: '已提交困难申请',
  AS_INCOME_SHORT: '核实收入不足以覆盖月供',
  AS_INCOME_AMPLE_NO_PAYMENT: '核实收入足以覆盖月供，却分文未还',
  AS_RESPONSIVE: '借款人接听联系',
  AS_REFUSES: '借款人拒绝还款或挂断电话',
  AS_NUMBER_DEAD: '借款人号码多次为错号',
  AS_PAYS_PART: '借款人尽力部分还款',
  AS_PROMISE_KEPT: '已兑现还款承诺',
  AS_PROMISES_BROKEN: '多次违背还款承诺',
  AS_PROMISE_BROKEN: '违背了一次还款承诺',
  AS_LOST_CONTACT: '借款人失联',
  AS_EVASION: '已记录逃避还款的迹象',
  AS_SILENT: '逾期已久，既无还款也无应答',
  AS_BUST_OUT: '首次逾期前不久将额度几乎用满',
  AS_DRAWN_BEFORE_DEFAULT: '首次逾期前集中或频繁借款，且无稳定用信历史',
  AS_DRAW_AFTER_MISSED: '首次逾期后仍在借款',
};

/** The assessment as the API shows it: each reason with its text in both languages. */
export function presentAssessment(a: Assessment | null) {
  if (a === null) return null;
  return {
    ...a,
    reasons: a.reasons.map((r) => ({ ...r, textZh: ASSESSMENT_REASON_ZH[r.code] ?? r.text })),
  };
}

export function presentCase(c: StoredCase) {
  return {
    caseId: c.caseId,
    customerId: c.customerId,
    status: c.status,
    openedDate: c.openedDay,
    closedDate: c.closedDay,
    closeReason: c.closeReason,
    bucket: c.bucket,
    maxDaysPastDue: c.maxDaysPastDue,
    overdue: formatMinor(c.overdueMinor),
    totalOwed: formatMinor(c.totalOwedMinor),
    pastDueLoanIds: [...c.pastDueLoanIds],
    borrowerZone: c.borrowerZone,
    lostContact: c.lostContact,
    assignee: c.assignee,
    updatedDate: c.updatedDay,
    strategyArm: c.strategyArm,
    strategyVersion: c.strategyVersion,
    strategyStep: c.strategyStep,
    nextAction: c.nextAction,
    nextActionChannel: c.nextActionChannel,
    nextActionReason: c.nextActionReason,
    nextActionDueDate: c.nextActionDueDay,
    behaviourScore: c.behaviourScore,
    assessment: presentAssessment(c.assessment),
    assessmentVersion: c.assessmentVersion,
    assessmentOverride: c.assessmentOverride,
    verdict: effectiveVerdict(c),
    vulnerabilities: [...c.vulnerabilities],
    cureProbability: ratio4(c.cure_bp, 10_000) ?? '0.0000',
    priority: formatMinor(c.priorityMinor),
    recovered: formatMinor(Math.max(0, c.paidToDateMinor - c.paidAtOpenMinor)),
    teamId: c.teamId,
    agencyId: c.agencyId,
  };
}

export function presentContact(c: StoredContact) {
  return { ...c };
}

export function presentPromise(p: StoredPromise) {
  return {
    promiseId: p.promiseId,
    caseId: p.caseId,
    amount: formatMinor(p.amountMinor),
    promisedDate: p.promisedDate,
    madeDate: p.madeDate,
    status: p.status,
    decidedDate: p.decidedDate,
    paid: p.paidMinor === null ? null : formatMinor(p.paidMinor),
    actor: p.actor,
  };
}

/** Instants of a case's log in the borrower's zone. */
export const inZone = (zone: string) => (ms: number) => isoInZone(ms, zone);
