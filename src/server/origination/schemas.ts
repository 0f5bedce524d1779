import { BLACKLIST_SUBJECTS, type BlacklistSource } from '../../origination/index.js';
import { amountSchema } from '../http/amount.js';

/** Longest applicant statement or analyst answer kept. */
export const STATEMENT_LENGTH_MAX = 2000;
export const openObject = (description: string) =>
  ({ type: 'object', additionalProperties: true, description }) as const;
export const nullableString = { type: ['string', 'null'] } as const;

export const applicationBody = {
  type: 'object',
  description:
    'An application (docs/api.md, "Origination"): amounts are yuan strings, every field is checked by the ' +
    'origination core and refused field by field with application_invalid. applicationId and submittedAt are ' +
    'set by the server.',
  properties: {
    productId: { type: 'string', description: 'Product applied for (the policy in force for it decides)' },
    customerId: { type: 'string', description: 'The customer id when the applicant is a customer already' },
    invitationCode: { type: 'string', description: 'Code of the invitation (白名单) taken up' },
    requestedLimit: { type: 'string', description: 'Limit asked for, yuan, e.g. "20000.00"' },
    channel: { type: 'string', description: 'app, h5, partner:<id> …' },
    identity: openObject('name, idNumber, phone, birthDate (personal data: encrypted, masked)'),
    address: openObject('province, city, detail'),
    contacts: { type: 'array', items: openObject('name, relation, phone') },
    maritalStatus: { type: 'string' },
    housing: { type: 'string' },
    dependants: { type: 'integer' },
    employment: openObject('occupation, industry, employer, monthsInRole'),
    income: openObject('declaredMonthly and evidence [{kind, monthlyAmount, documentRef}]'),
    monthlyExpenses: { type: 'string' },
    assets: { type: 'array', items: openObject('kind, value') },
    debts: { type: 'array', items: openObject('kind, outstanding, monthlyPayment') },
    bureau: openObject('征信 summary: outstandingBalance, lenders3m/6m/12m, worstDaysPastDue, …'),
    device: openObject('deviceId, ip, sim, installSource, capturedAt'),
    business: openObject('Business owners: name, industry, plan, statements'),
  },
} as const;

export const flagSummary = {
  type: 'object',
  required: ['flagId', 'kind', 'severity', 'summary', 'status'],
  properties: {
    flagId: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: ['refuse', 'review'] },
    summary: { type: 'string' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    evidence: openObject('What the detector saw'),
  },
} as const;

export const decisionResponse = {
  type: 'object',
  required: [
    'decisionId',
    'applicationId',
    'decidedAt',
    'outcome',
    'limit',
    'reasons',
    'flags',
    'policy',
    'contentHash',
    'intact',
    'record',
  ],
  properties: {
    decisionId: { type: 'string' },
    applicationId: { type: 'string' },
    decidedAt: { type: 'string' },
    outcome: { type: 'string', enum: ['approve', 'decline', 'refer'] },
    limit: { type: 'string', description: 'Limit granted, yuan ("0.00" unless approved)' },
    riskGrade: nullableString,
    dailyRate: { ...nullableString, description: '日利率, decimal string' },
    apr: { ...nullableString, description: 'APR including all fees at the longest term' },
    termOptions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          months: { type: 'integer' },
          method: { type: 'string' },
          apr: { type: 'string' },
          instalment: { type: 'string' },
        },
      },
    },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'code', 'message'],
        properties: {
          source: { type: 'string' },
          code: { type: 'string' },
          message: { type: 'string' },
          values: openObject('The values the rule saw'),
        },
      },
    },
    flags: { type: 'array', items: flagSummary },
    blacklistHits: {
      type: 'array',
      items: openObject('entryId, subject, reason, source, evidence, expiresAt, explanation'),
    },
    policy: {
      type: 'object',
      properties: {
        policyId: { type: 'string' },
        version: { type: 'string' },
        documentHash: { type: 'string' },
      },
    },
    model: openObject('modelId, kind, version of the model that decided'),
    score: openObject('value and probabilityBad'),
    customerId: nullableString,
    lineId: { ...nullableString, description: 'The credit line the approval opened' },
    contentHash: { type: 'string', description: 'sha256 of the canonical JSON of record' },
    intact: { type: 'boolean', description: 'record still matches contentHash' },
    supersedes: {
      ...nullableString,
      description: "On a person's decision: the automated decision it replaces (POST /decisions/{id}/review)",
    },
    decidedBy: { ...nullableString, description: "On a person's decision: the user who made it" },
    supersededBy: {
      ...nullableString,
      description: 'On an automated decision a person decided after: the decision that replaces it',
    },
    record: openObject('The immutable decision record as made (amounts in fen)'),
  },
} as const;

export const requestResponse = {
  type: 'object',
  required: ['requestId', 'decisionId', 'applicationId', 'kind', 'status', 'receivedAt'],
  properties: {
    requestId: { type: 'string' },
    decisionId: { type: 'string' },
    applicationId: { type: 'string' },
    kind: { type: 'string', enum: ['explanation', 'objection'] },
    channel: { type: 'string' },
    statement: { ...nullableString, description: "The applicant's words (shown to roles that may answer)" },
    receivedAt: { type: 'string' },
    recordedBy: { type: 'string' },
    status: { type: 'string', enum: ['open', 'answered'] },
    draftExplanation: {
      type: 'string',
      description: 'The decision explained from its record, to answer with',
    },
    answer: nullableString,
    objectionResult: { type: ['string', 'null'], enum: ['upheld', 'overturned', null] },
    answeredBy: nullableString,
    answeredAt: nullableString,
  },
} as const;

export const CHANNEL = {
  type: 'string',
  enum: ['app', 'phone', 'letter', 'email', 'in-person', 'other'],
} as const;
export const STATEMENT = {
  type: 'string',
  minLength: 1,
  maxLength: STATEMENT_LENGTH_MAX,
  pattern: '\\S',
} as const;

/** One application as stored, masked unless asked. */
export const applicationResponse = {
  type: 'object',
  required: ['applicationId', 'masked', 'application', 'decisionId', 'outcome'],
  properties: {
    applicationId: { type: 'string' },
    masked: { type: 'boolean' },
    application: openObject('The application as submitted (amounts in yuan), masked unless asked'),
    decisionId: nullableString,
    outcome: nullableString,
    customerId: nullableString,
    lineId: nullableString,
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
  },
} as const;

/** An explanation request or objection as recorded. */
export const requestBody = (statementRequired: boolean) =>
  ({
    type: 'object',
    required: statementRequired ? ['channel', 'statement'] : ['channel'],
    additionalProperties: false,
    properties: { channel: CHANNEL, statement: STATEMENT },
  }) as const;

/** Longest note, reason or evidence text kept. */
export const TEXT_LENGTH_MAX = 500;
/** Longest an invitation or a blacklist entry may run (民法典 Art. 1024, 1029: entries must end). */
export const ENTRY_TERM_MAX_DAYS = 5 * 366;
export const PRODUCT_ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' } as const;
export const TEXT = { type: 'string', minLength: 1, maxLength: TEXT_LENGTH_MAX, pattern: '\\S' } as const;
export const INSTANT = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 instant with a zone',
} as const;
export const BLACKLIST_SOURCES: readonly BlacklistSource[] = [
  'court-dishonest-debtor',
  'internal-review',
  'fraud-consortium',
  'regulator',
];

export const flagResponse = {
  type: 'object',
  required: ['flagId', 'applicationId', 'kind', 'severity', 'summary', 'evidence', 'status', 'raisedAt'],
  properties: {
    flagId: { type: 'string' },
    applicationId: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: ['refuse', 'review'] },
    summary: { type: 'string' },
    evidence: { type: 'object', additionalProperties: true, description: 'What the detector saw' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    raisedAt: { type: 'string' },
    resolution: { type: ['string', 'null'], enum: ['cleared', 'confirmed', null] },
    resolvedBy: { type: ['string', 'null'] },
    resolvedAt: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
  },
} as const;

export const invitationResponse = {
  type: 'object',
  required: [
    'invitationId',
    'code',
    'idNumber',
    'productIds',
    'limitCap',
    'channels',
    'validFrom',
    'expiresAt',
    'status',
  ],
  properties: {
    invitationId: { type: 'string' },
    code: { type: 'string' },
    idNumber: { type: 'string', description: 'Masked' },
    productIds: { type: 'array', items: { type: 'string' } },
    limitCap: amountSchema,
    channels: { type: 'array', items: { type: 'string' } },
    validFrom: { type: 'string' },
    expiresAt: { type: 'string' },
    status: { type: 'string', enum: ['active', 'used', 'revoked'] },
    usedByApplication: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    expiredBy: { type: ['string', 'null'] },
  },
} as const;

export const entryResponse = {
  type: 'object',
  required: ['entryId', 'subject', 'value', 'reason', 'source', 'evidence', 'listedAt', 'expiresAt'],
  properties: {
    entryId: { type: 'string' },
    subject: { type: 'string', enum: [...BLACKLIST_SUBJECTS] },
    value: { type: 'string', description: 'The listed value, masked' },
    reason: { type: 'string' },
    source: { type: 'string', enum: [...BLACKLIST_SOURCES] },
    evidence: { type: 'string' },
    listedAt: { type: 'string' },
    expiresAt: { type: 'string' },
    createdBy: { type: 'string' },
    expiredBy: { type: ['string', 'null'] },
  },
} as const;
