import { DISPUTE_STATUSES } from '../../reporting/index.js';

const DATE = { type: 'string', format: 'date' } as const;
export const STATUS_CODES = [
  'N',
  '*',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  'C',
  'G',
  'D',
  'Z',
  'B',
  '#',
  '/',
] as const;

export const disputeSchema = {
  type: 'object',
  required: [
    'disputeId',
    'customerId',
    'loanId',
    'month',
    'claim',
    'receivedDate',
    'replyBy',
    'status',
    'finding',
    'correctedStatus',
    'decidedDate',
    'overdue',
  ],
  properties: {
    disputeId: { type: 'string' },
    customerId: { type: 'string' },
    loanId: { type: 'string' },
    month: { type: 'string', examples: ['2026-05'] },
    claim: { type: 'string' },
    receivedDate: DATE,
    replyBy: {
      ...DATE,
      description: 'Verified and answered in writing by this day (征信业管理条例 Art. 25: 20 days)',
    },
    status: { type: 'string', enum: [...DISPUTE_STATUSES] },
    finding: { type: ['string', 'null'] },
    correctedStatus: { type: ['string', 'null'] },
    decidedDate: { type: ['string', 'null'], format: 'date' },
    overdue: { type: 'boolean', description: 'Still open after its reply day' },
  },
} as const;

export const disputeDetailSchema = {
  type: 'object',
  required: [...disputeSchema.required, 'events', 'record'],
  properties: {
    ...disputeSchema.properties,
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'action', 'date', 'actor', 'details'],
        properties: {
          seq: { type: 'integer' },
          action: { type: 'string', enum: [...DISPUTE_STATUSES] },
          date: DATE,
          actor: { type: 'string' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
    record: {
      type: 'object',
      required: ['statusCode', 'grid', 'release', 'version', 'disputed'],
      properties: {
        statusCode: { type: 'string' },
        grid: { type: 'string' },
        release: { type: 'string', enum: ['ready', 'held', 'exported'] },
        holdReason: { type: ['string', 'null'] },
        version: { type: 'integer' },
        disputed: { type: 'boolean' },
      },
    },
  },
} as const;
