import { type ComplianceRefusal, type ComplianceReport, isoInZone } from '../../collections/index.js';
import { formatDate } from '../../money/index.js';

/** Refusals listed in the JSON answer at most (the counts cover all; the export lists every one). */
export const COMPLIANCE_REFUSALS_LISTED_MAX = 1000;

function presentAttempt(r: ComplianceRefusal) {
  return {
    attemptId: r.attemptId,
    caseId: r.caseId,
    customerId: r.customerId,
    at: isoInZone(r.atMs, r.zone),
    channel: r.channel,
    party: r.party,
    collector: r.actor,
    rule: r.rule,
  };
}

/** The report as the API and the export show it: dates as ISO dates, instants on the borrower's clock. */
export function presentComplianceReport(report: ComplianceReport, refusalsListedMax: number) {
  return {
    from: formatDate(report.fromDay),
    to: formatDate(report.toDay),
    zone: report.zone,
    totals: {
      attempts: report.attempts,
      allowed: report.allowed,
      refused: report.refused,
      breaches: report.breachCount,
    },
    byRule: report.byRule.map((r) => ({ rule: r.rule, refused: r.refused, breaches: r.breaches })),
    byCollector: report.byCollector.map((c) => ({
      collector: c.actor,
      attempts: c.attempts,
      refused: c.refused,
      breaches: c.breaches,
    })),
    byDay: report.byDay.map((d) => ({
      date: formatDate(d.day),
      attempts: d.attempts,
      refused: d.refused,
      breaches: d.breaches,
    })),
    refusals: report.refusals.slice(0, refusalsListedMax).map(presentAttempt),
    refusalsTruncated: report.refusals.length > refusalsListedMax,
    breaches: report.breaches.map((b) => ({
      ...presentAttempt(b),
      outcome: b.outcome,
      message: b.message,
    })),
  };
}

export type PresentedComplianceReport = ReturnType<typeof presentComplianceReport>;
