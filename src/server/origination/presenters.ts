import { formatMinor } from '../../money/index.js';
import type { Application, ReviewFlag } from '../../origination/index.js';
import { type BlacklistSubject, type Decision, verifyRecord } from '../../origination/index.js';
import type {
  ApprovalAudit,
  StoredBlacklistEntry,
  StoredDecisionRequest,
  StoredFlag,
  StoredInvitation,
  StoredPolicyVersion,
} from '../../store/index.js';
import { maskIdNumber, maskPhone } from '../http/masking.js';
import type { WriteOutcome } from '../http/writes.js';
import { apiShape, maskOpaque } from './support.js';

export interface DecisionExtras {
  customerId: string | null;
  lineId: string | null;
  /** The person's decision that replaced this one, if any. */
  supersededBy?: string | null;
  flags: readonly {
    flagId: string;
    kind: string;
    severity: 'refuse' | 'review';
    summary: string;
    status: 'open' | 'resolved';
    evidence: unknown;
  }[];
}

export function presentDecision(decisionId: string, d: Decision, extras: DecisionExtras) {
  return {
    decisionId,
    applicationId: d.applicationId,
    decidedAt: d.decidedAt,
    outcome: d.outcome,
    limit: formatMinor(d.limit_fen),
    riskGrade: d.riskGrade,
    dailyRate: d.dailyRate,
    apr: d.apr,
    termOptions: apiShape(d.termOptions),
    reasons: d.reasons,
    flags: extras.flags,
    blacklistHits: d.blacklistHits,
    policy: d.policy,
    model: d.score.model,
    score: { value: d.score.score, probabilityBad: d.score.probabilityBad },
    customerId: extras.customerId,
    lineId: extras.lineId,
    contentHash: d.contentHash,
    intact: verifyRecord(d),
    supersedes: d.supersedes ?? null,
    decidedBy: d.decidedBy ?? null,
    supersededBy: extras.supersededBy ?? null,
    record: d,
  };
}

/** The decision explained from its record in plain language: what an answer to an explanation request starts from. */
export function explanationOf(d: Decision): string {
  const lines = [
    d.decidedBy !== undefined
      ? `Decision: ${d.outcome} on ${d.decidedAt}, limit ${formatMinor(d.limit_fen)} yuan, made by a person reviewing ` +
        `the automated decision ${d.supersedes} (policy ${d.policy.policyId} ${d.policy.version}).`
      : `Decision: ${d.outcome} on ${d.decidedAt}, limit ${formatMinor(d.limit_fen)} yuan, made automatically under policy ` +
        `${d.policy.policyId} ${d.policy.version} with model ${d.score.model.modelId} (${d.score.model.version}); ` +
        `score ${d.score.score}.`,
    ...d.reasons.map((r) => `- ${r.message}`),
    ...d.blacklistHits.map((h) => `- ${h.explanation}`),
  ];
  if (d.flags.length > 0)
    lines.push(
      `- The application was sent for review by an analyst (${d.flags.map((f) => f.kind).join(', ')}).`,
    );
  if (d.decidedBy === undefined)
    lines.push('You may object to this decision and ask for a person to review it.');
  return lines.join('\n');
}

export function presentRequest(r: StoredDecisionRequest, draft?: string) {
  return {
    requestId: r.requestId,
    decisionId: r.decisionId,
    applicationId: r.applicationId,
    kind: r.kind,
    channel: r.channel,
    statement: r.statement,
    receivedAt: r.receivedAt,
    recordedBy: r.recordedBy,
    status: r.status,
    ...(draft === undefined ? {} : { draftExplanation: draft }),
    answer: r.answer,
    objectionResult: r.objectionResult,
    answeredBy: r.answeredBy,
    answeredAt: r.answeredAt,
  };
}

/** The response, audit entries and location of a decided application, whichever path stored it. */
export function applicationOutcome(
  application: Application,
  decisionId: string,
  decision: Decision,
  flags: readonly { flagId: string; flag: ReviewFlag }[],
  approval: { customerId: string; lineId: string; audit: readonly ApprovalAudit[] } | undefined,
): WriteOutcome<ReturnType<typeof presentDecision>> {
  const customerId = approval?.customerId ?? null;
  const audit: ApprovalAudit[] = [
    {
      action: 'application.create',
      resourceType: 'application',
      resourceId: application.applicationId,
      customerId,
      details: { productId: application.productId, channel: application.channel },
    },
    {
      action: 'decision.record',
      resourceType: 'decision',
      resourceId: decisionId,
      customerId,
      details: {
        outcome: decision.outcome,
        policyVersion: decision.policy.version,
        modelVersion: decision.score.model.version,
        flags: flags.map((f) => f.flag.kind),
        contentHash: decision.contentHash,
      },
    },
    ...(approval?.audit ?? []),
  ];
  return {
    status: 201,
    body: presentDecision(decisionId, decision, {
      customerId,
      lineId: approval?.lineId ?? null,
      flags: flags.map(({ flagId, flag }) => ({
        flagId,
        kind: flag.kind,
        severity: flag.severity,
        summary: flag.summary,
        status: 'open' as const,
        evidence: flag.evidence,
      })),
    }),
    location: `/decisions/${decisionId}`,
    audit,
  };
}

export function presentFlag(f: StoredFlag) {
  return { ...f };
}

export function presentInvitation(i: StoredInvitation) {
  return {
    invitationId: i.invitationId,
    code: i.code,
    idNumber: maskIdNumber(i.idNumber),
    productIds: i.productIds,
    limitCap: formatMinor(i.limitCap_fen),
    channels: i.channels,
    validFrom: i.validFrom,
    expiresAt: i.expiresAt,
    status: i.status,
    usedByApplication: i.usedByApplication,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
    expiredBy: i.expiredBy,
  };
}

export function maskValue(subject: BlacklistSubject, value: string): string {
  if (subject === 'id-number') return maskIdNumber(value);
  if (subject === 'phone') return maskPhone(value);
  return maskOpaque(value);
}

export function presentEntry(e: StoredBlacklistEntry) {
  return {
    entryId: e.entryId,
    subject: e.subject,
    value: maskValue(e.subject, e.value),
    reason: e.reason,
    source: e.source,
    evidence: e.evidence,
    listedAt: e.listedAt,
    expiresAt: e.expiresAt,
    createdBy: e.createdBy,
    expiredBy: e.expiredBy,
  };
}

/** A policy version as the API shows it. */
export function presentPolicy(p: StoredPolicyVersion, extra: Record<string, unknown> = {}) {
  return {
    version: p.version,
    policyId: p.policyId,
    productId: p.productId,
    documentHash: p.documentHash,
    status: p.status,
    inForce: p.status === 'published',
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    approvedBy: p.approvedBy,
    approvedAt: p.approvedAt,
    publishedBy: p.publishedBy,
    publishedAt: p.publishedAt,
    retiredAt: p.retiredAt,
    rolledBackAt: p.rolledBackAt,
    ...extra,
  };
}
