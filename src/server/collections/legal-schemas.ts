import { DEMAND_CHANNELS, LEGAL_COST_KINDS, LEGAL_PATHS, LEGAL_STATUSES } from '../../collections/index.js';

const DATE = { type: 'string', format: 'date' } as const;
const AMOUNT = { type: 'string', description: 'yuan, e.g. "1234.56"' } as const;
export const DATE_INPUT = { type: 'string', maxLength: 10, description: 'YYYY-MM-DD' } as const;
export const NOTE = { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' } as const;

const deadline = {
  type: 'object',
  required: ['name', 'date'],
  properties: { name: { type: 'string', enum: ['issue-by', 'objection-until'] }, date: DATE },
} as const;

export const legalStepSchema = {
  type: 'object',
  required: ['seq', 'date', 'from', 'to', 'actor', 'note', 'deadlines'],
  properties: {
    seq: { type: 'integer' },
    date: DATE,
    from: { type: ['string', 'null'], enum: [...LEGAL_STATUSES, null] },
    to: { type: 'string', enum: [...LEGAL_STATUSES] },
    actor: { type: 'string' },
    note: { type: ['string', 'null'] },
    deadlines: { type: 'array', items: deadline },
  },
} as const;

export const legalCostSchema = {
  type: 'object',
  required: ['costId', 'actionId', 'kind', 'amount', 'date', 'note', 'actor'],
  properties: {
    costId: { type: 'string' },
    actionId: { type: 'string' },
    kind: { type: 'string', enum: [...LEGAL_COST_KINDS] },
    amount: AMOUNT,
    date: DATE,
    note: { type: ['string', 'null'] },
    actor: { type: 'string' },
  },
} as const;

export const legalActionSchema = {
  type: 'object',
  required: [
    'actionId',
    'caseId',
    'customerId',
    'path',
    'status',
    'claimed',
    'reason',
    'venue',
    'reference',
    'proposedBy',
    'proposedDate',
    'approvedBy',
    'approvedDate',
    'lastStepDate',
    'nextStatuses',
    'steps',
    'costs',
    'costTotal',
  ],
  properties: {
    actionId: { type: 'string' },
    caseId: { type: 'string' },
    customerId: { type: 'string' },
    path: {
      type: 'string',
      enum: [...LEGAL_PATHS],
      description: 'payment-order 支付令, lawsuit 诉讼, arbitration 仲裁, notarised-instrument 公证债权文书',
    },
    status: {
      type: 'string',
      enum: [...LEGAL_STATUSES],
      description: 'decided: order, judgment, award or certificate in force; enforcing: 强制执行 applied for',
    },
    claimed: AMOUNT,
    reason: { type: 'string' },
    venue: { type: ['string', 'null'], description: 'Court, arbitration commission or notary office' },
    reference: { type: ['string', 'null'], description: 'Case number (案号) or certificate number' },
    proposedBy: { type: 'string' },
    proposedDate: DATE,
    approvedBy: { type: ['string', 'null'] },
    approvedDate: { type: ['string', 'null'], format: 'date' },
    lastStepDate: DATE,
    nextStatuses: { type: 'array', items: { type: 'string', enum: [...LEGAL_STATUSES] } },
    steps: { type: 'array', items: legalStepSchema },
    costs: { type: 'array', items: legalCostSchema },
    costTotal: AMOUNT,
  },
} as const;

export const demandSchema = {
  type: 'object',
  required: ['demandId', 'caseId', 'date', 'channel', 'reachedDebtor', 'evidence', 'actor'],
  properties: {
    demandId: { type: 'string' },
    caseId: { type: 'string' },
    date: DATE,
    channel: { type: 'string', enum: [...DEMAND_CHANNELS] },
    reachedDebtor: { type: 'boolean' },
    evidence: { type: 'string' },
    actor: { type: 'string' },
  },
} as const;

export const limitationSchema = {
  type: 'object',
  required: ['startDate', 'endDate', 'restartedBy', 'daysLeft', 'expired', 'lastDueDate'],
  properties: {
    lastDueDate: DATE,
    startDate: { ...DATE, description: 'The period runs from the last due date (民法典 Art. 189)' },
    endDate: { ...DATE, description: 'After every interruption (Art. 195): file by this date' },
    restartedBy: { type: 'array', items: DATE },
    daysLeft: { type: 'integer' },
    expired: { type: 'boolean' },
  },
} as const;

export const legalOverviewSchema = {
  type: 'object',
  required: ['caseId', 'limitation', 'demands', 'actions'],
  properties: {
    caseId: { type: 'string' },
    limitation: { anyOf: [limitationSchema, { type: 'null' }] },
    demands: { type: 'array', items: demandSchema },
    actions: { type: 'array', items: legalActionSchema },
  },
} as const;
