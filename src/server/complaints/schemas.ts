import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_OUTCOMES,
  COMPLAINT_ROOT_CAUSES,
  COMPLAINT_STATUSES,
} from '../../collections/index.js';

const DATE = { type: 'string', format: 'date' } as const;
const NULL_DATE = { type: ['string', 'null'], format: 'date' } as const;
const SLA_STATES = ['on_time', 'due_soon', 'overdue', 'met', 'missed'] as const;

const timerSchema = {
  type: 'object',
  required: ['dueDate', 'state', 'daysLeft'],
  properties: {
    dueDate: DATE,
    state: { type: 'string', enum: [...SLA_STATES] },
    daysLeft: {
      type: ['integer', 'null'],
      description: 'Days of the timer’s kind (business or calendar) until the deadline; null once done',
    },
  },
} as const;

export const complaintSchema = {
  type: 'object',
  required: [
    'complaintId',
    'customerId',
    'loanId',
    'caseId',
    'channel',
    'category',
    'summary',
    'regulatorReference',
    'receivedAt',
    'receivedDate',
    'status',
    'acknowledgedDate',
    'resolvedDate',
    'outcome',
    'rootCause',
    'resolution',
    'collectionWhileOpen',
    'sla',
  ],
  properties: {
    complaintId: { type: 'string' },
    customerId: { type: 'string' },
    loanId: { type: ['string', 'null'] },
    caseId: {
      type: ['string', 'null'],
      description: 'The collection case open when the complaint came in',
    },
    channel: { type: 'string', enum: [...COMPLAINT_CHANNELS] },
    category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] },
    summary: { type: 'string' },
    regulatorReference: { type: ['string', 'null'] },
    receivedAt: { type: 'string', format: 'date-time' },
    receivedDate: { ...DATE, description: 'The business day of receipt: the timers count from it' },
    status: { type: 'string', enum: [...COMPLAINT_STATUSES] },
    acknowledgedDate: NULL_DATE,
    resolvedDate: NULL_DATE,
    outcome: { type: ['string', 'null'], enum: [...COMPLAINT_OUTCOMES, null] },
    rootCause: { type: ['string', 'null'], enum: [...COMPLAINT_ROOT_CAUSES, null] },
    resolution: { type: ['string', 'null'] },
    collectionWhileOpen: {
      type: 'string',
      enum: ['pause', 'limit', 'continue'],
      description: 'What collection may do while this complaint is open (the lender’s setting)',
    },
    sla: {
      type: 'object',
      required: ['acknowledge', 'resolve', 'state'],
      properties: {
        acknowledge: timerSchema,
        resolve: timerSchema,
        state: { type: 'string', enum: [...SLA_STATES], description: 'The worse of the two timers' },
      },
    },
  },
} as const;

export const complaintDetailSchema = {
  type: 'object',
  required: [...complaintSchema.required, 'events'],
  properties: {
    ...complaintSchema.properties,
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'action', 'date', 'actor', 'details'],
        properties: {
          seq: { type: 'integer' },
          action: { type: 'string', enum: ['received', 'acknowledged', 'resolved'] },
          date: DATE,
          actor: { type: 'string' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

export const reputationSchema = {
  type: 'object',
  required: ['months', 'cells', 'alerts', 'rule'],
  properties: {
    months: {
      type: 'array',
      items: {
        type: 'object',
        required: ['month', 'activeBorrowers'],
        properties: { month: { type: 'string' }, activeBorrowers: { type: 'integer' } },
      },
    },
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['month', 'category', 'count', 'per10k', 'spike'],
        properties: {
          month: { type: 'string', examples: ['2026-09'] },
          category: { type: 'string', enum: [...COMPLAINT_CATEGORIES, 'all'] },
          count: { type: 'integer' },
          per10k: {
            type: ['string', 'null'],
            description: 'Complaints per 10,000 active borrowers, 2 decimals; null with none active',
          },
          spike: { type: 'boolean' },
        },
      },
    },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['month', 'category', 'count', 'per10k', 'baselinePer10k', 'message'],
        properties: {
          month: { type: 'string' },
          category: { type: 'string', enum: [...COMPLAINT_CATEGORIES, 'all'] },
          count: { type: 'integer' },
          per10k: { type: 'string' },
          baselinePer10k: { type: ['string', 'null'] },
          message: { type: 'string' },
        },
      },
    },
    rule: { type: 'string', description: 'The spike rule in words' },
  },
} as const;
