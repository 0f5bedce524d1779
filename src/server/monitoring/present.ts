import { formatDate, formatMinor } from '../../money/index.js';
import {
  OFFER_KINDS,
  REVIEW_DOCUMENT_KINDS,
  SIGNAL_ACTIONS,
  SIGNAL_SEVERITIES,
  SIGNAL_STATUSES,
} from '../../monitoring/index.js';
import type {
  IndustryShock,
  StoredEarlyWarningVersion,
  StoredReviewDocument,
  StoredReviewRequest,
  StoredSignal,
} from '../../store/index.js';

const openObject = (description: string) =>
  ({ type: 'object', additionalProperties: true, description }) as const;
const nullableString = { type: ['string', 'null'] } as const;

export const signalResponse = {
  type: 'object',
  required: [
    'signalId',
    'customerId',
    'code',
    'kind',
    'severity',
    'queue',
    'action',
    'status',
    'evidence',
    'reason',
  ],
  properties: {
    signalId: { type: 'string' },
    customerId: { type: 'string' },
    code: { type: 'string', description: 'The rule’s code, e.g. EW_FALLING_REVENUE' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: [...SIGNAL_SEVERITIES] },
    queue: { type: 'string', description: 'The owner queue that works it' },
    action: { type: 'string', enum: [...SIGNAL_ACTIONS] },
    offer: {
      type: ['object', 'null'],
      properties: { kind: { type: 'string', enum: [...OFFER_KINDS] }, months: { type: 'integer' } },
    },
    reason: {
      type: 'object',
      properties: { en: { type: 'string' }, 'zh-CN': { type: 'string' } },
    },
    evidence: openObject('The facts the rule saw (ratios as numbers: -0.4 = 40 % less)'),
    status: { type: 'string', enum: [...SIGNAL_STATUSES] },
    raisedDate: { type: 'string' },
    lastSeenDate: { type: 'string' },
    raisedBy: { type: 'string', description: 'eod, or the user whose event raised it' },
    documentVersion: { type: 'string' },
    actionStatus: { type: 'string', enum: ['none', 'pending', 'done', 'failed'] },
    actionRef: {
      ...nullableString,
      description: 'The re-assessment, restructurings or lines the action made',
    },
    actionNote: nullableString,
    acknowledgedBy: nullableString,
    resolvedBy: nullableString,
    resolutionNote: nullableString,
    clearedDate: nullableString,
  },
} as const;

export function presentSignal(s: StoredSignal) {
  return {
    signalId: s.signalId,
    customerId: s.customerId,
    code: s.code,
    kind: s.kind,
    severity: s.severity,
    queue: s.queue,
    action: s.action,
    offer: s.offer,
    reason: s.reason,
    evidence: s.evidence,
    status: s.status,
    raisedDate: formatDate(s.raisedDay),
    lastSeenDate: formatDate(s.lastSeenDay),
    raisedBy: s.raisedBy,
    documentVersion: s.documentVersion,
    actionStatus: s.actionStatus,
    actionRef: s.actionRef,
    actionNote: s.actionNote,
    acknowledgedBy: s.acknowledgedBy,
    resolvedBy: s.resolvedBy,
    resolutionNote: s.resolutionNote,
    clearedDate: s.clearedDay === null ? null : formatDate(s.clearedDay),
  };
}

export const reviewRequestResponse = {
  type: 'object',
  properties: {
    requestId: { type: 'string' },
    document: { type: 'string', enum: [...REVIEW_DOCUMENT_KINDS] },
    segment: { type: 'string' },
    requestDate: { type: 'string' },
    dueDate: { type: 'string' },
    channel: { type: 'string' },
    status: { type: 'string', enum: ['open', 'received'] },
    documentId: nullableString,
    delivery: {
      ...nullableString,
      description: 'The message’s status in the outbox: pending, sent, dead, cancelled',
    },
  },
} as const;

export function presentRequest(r: StoredReviewRequest) {
  return {
    requestId: r.requestId,
    document: r.document,
    segment: r.segment,
    requestDate: formatDate(r.requestDay),
    dueDate: formatDate(r.dueDay),
    channel: r.channel,
    status: r.status,
    documentId: r.documentId,
    delivery: r.delivery,
  };
}

export const reviewDocumentResponse = {
  type: 'object',
  properties: {
    documentId: { type: 'string' },
    kind: { type: 'string', enum: [...REVIEW_DOCUMENT_KINDS] },
    receivedDate: { type: 'string' },
    validUntil: { type: 'string' },
    figures: openObject('The figures as received, amounts in yuan'),
    file: {
      type: ['object', 'null'],
      properties: { name: { type: 'string' }, sha256: { type: 'string' }, bytes: { type: 'integer' } },
    },
    requestId: nullableString,
    reassessmentId: nullableString,
    createdBy: { type: 'string' },
  },
} as const;

/** Figures are kept in fen (`…_fen`); the API shows them in yuan under the name without the suffix. */
function figuresInYuan(figures: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(figures))
    if (k.endsWith('_fen') && typeof v === 'number') out[k.slice(0, -4)] = formatMinor(v);
    else out[k] = v;
  return out;
}

export function presentDocument(d: StoredReviewDocument) {
  return {
    documentId: d.documentId,
    kind: d.kind,
    receivedDate: formatDate(d.receivedDay),
    validUntil: formatDate(d.validUntilDay),
    figures: figuresInYuan(d.figures),
    file:
      d.fileSha256 === null
        ? null
        : { name: d.fileName ?? '', sha256: d.fileSha256, bytes: d.fileBytes ?? 0 },
    requestId: d.requestId,
    reassessmentId: d.reassessmentId,
    createdBy: d.createdBy,
  };
}

export const shockResponse = {
  type: 'object',
  properties: {
    shockId: { type: 'string' },
    industry: { type: 'string' },
    fromDate: { type: 'string' },
    toDate: nullableString,
    reason: { type: 'string' },
    createdBy: { type: 'string' },
    ended: { type: 'boolean' },
  },
} as const;

export function presentShock(s: IndustryShock) {
  return {
    shockId: s.shockId,
    industry: s.industry,
    fromDate: formatDate(s.fromDay),
    toDate: s.toDay === null ? null : formatDate(s.toDay),
    reason: s.reason,
    createdBy: s.createdBy,
    ended: s.endedBy !== null,
  };
}

export const versionResponse = {
  type: 'object',
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'retired', 'rejected'] },
    documentHash: { type: 'string' },
    note: nullableString,
    createdBy: { type: 'string' },
    approvedBy: nullableString,
    createdAt: { type: 'string' },
  },
} as const;

export const presentVersion = (v: StoredEarlyWarningVersion) => ({ ...v });
