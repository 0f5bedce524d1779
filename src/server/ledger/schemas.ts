/** The JSON schemas of the ledger's responses (and the OpenAPI document's). */

import { loanRestructuringResponse } from './restructuring-present.js';

const money = { type: 'string' } as const;

export const lineResponse = {
  type: 'object',
  required: ['lineId', 'customerId', 'status', 'currency', 'limit', 'used', 'available', 'openedOn'],
  properties: {
    lineId: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string', enum: ['active', 'frozen', 'closed'] },
    currency: { type: 'string' },
    limit: { type: 'string' },
    used: { type: 'string', description: 'Outstanding principal of the loans drawn on the line' },
    available: {
      type: 'string',
      description:
        'Limit less used: the headroom of the line. Drawable only while status is active; a frozen line says why and until when under freeze',
    },
    openedOn: { type: 'string' },
    loanCount: { type: 'integer' },
  },
} as const;

const lineChange = {
  type: 'object',
  required: ['day', 'kind', 'fromStatus', 'toStatus', 'fromLimit', 'toLimit', 'source', 'code', 'reason'],
  properties: {
    day: { type: 'string' },
    kind: { type: 'string', enum: ['frozen', 'unfrozen', 'limit-changed', 'closed'] },
    fromStatus: { type: 'string' },
    toStatus: { type: 'string' },
    fromLimit: { type: 'string' },
    toLimit: { type: 'string' },
    source: {
      type: 'string',
      enum: ['control', 'operator'],
      description: "control: the policy's line controls (EOD, repayments); operator: a person",
    },
    code: { type: 'string' },
    reason: { type: 'string' },
    policyVersion: { type: ['string', 'null'] },
  },
} as const;

/** One line with why it is frozen (when it is) and its history of status and limit changes, oldest first. */
export const lineDetailResponse = {
  ...lineResponse,
  required: [...lineResponse.required, 'freeze', 'history'],
  properties: {
    ...lineResponse.properties,
    freeze: {
      type: ['object', 'null'],
      description: 'Set while the line is frozen: why, since when and until when',
      properties: {
        reason: { type: 'string' },
        code: { type: ['string', 'null'] },
        source: { type: ['string', 'null'] },
        since: { type: ['string', 'null'] },
        until: { type: 'string' },
      },
    },
    history: { type: 'array', items: lineChange },
  },
} as const;

export const loanResponse = {
  type: 'object',
  required: [
    'loanId',
    'customerId',
    'lineId',
    'productId',
    'productVersion',
    'status',
    'openedOn',
    'principal',
    'asOf',
    'lastClosedDay',
    'daysPastDue',
    'bucket',
    'outstandingPrincipal',
    'totalOwed',
  ],
  properties: {
    loanId: { type: 'string' },
    customerId: { type: 'string' },
    lineId: { type: 'string' },
    productId: { type: 'string' },
    productVersion: { type: 'integer' },
    status: { type: 'string', enum: ['active', 'settled', 'written-off'] },
    openedOn: { type: 'string' },
    principal: money,
    asOf: { type: 'string', description: 'The day the balances are as of (its end)' },
    lastClosedDay: { type: 'string', description: 'Last business day the end-of-day step ran for this loan' },
    nextEventDay: {
      type: ['string', 'null'],
      description: 'First day EOD has something to do; null when settled',
    },
    daysPastDue: { type: 'integer' },
    bucket: { type: 'string' },
    outstandingPrincipal: money,
    overduePrincipal: money,
    overdueInterest: money,
    overdueFee: money,
    duePrincipal: money,
    dueInterest: money,
    dueFee: money,
    accruedInterest: money,
    penaltyOutstanding: money,
    credit: money,
    totalOwed: money,
    restructuring: loanRestructuringResponse,
    creditReportStatus: {
      type: 'string',
      description:
        '征信 monthly status as of the day: N, *, 1…7 overdue, C settled, B bad debt (written off, still claimed)',
    },
    writeOff: {
      type: ['object', 'null'],
      description: '核销: null unless written off; the balances above are then the claim kept off the books',
      properties: {
        writtenOffOn: { type: 'string' },
        evidenceRef: { type: 'string' },
        writtenOff: { ...money, description: 'Everything taken to the write-off loss' },
        principalClaimed: { ...money, description: 'Written-off principal still claimed (memo account)' },
        recovered: { ...money, description: 'Recovered since (recoveries income)' },
      },
    },
  },
} as const;

export const installmentResponse = {
  type: 'object',
  required: ['number', 'startDate', 'dueDate', 'principal', 'interest', 'fee', 'total', 'remainingPrincipal'],
  properties: {
    number: { type: 'integer' },
    startDate: { type: 'string' },
    dueDate: { type: 'string' },
    principal: money,
    interest: money,
    fee: money,
    total: money,
    remainingPrincipal: money,
  },
} as const;

export const commandResponse = {
  type: 'object',
  required: ['loan', 'effectiveDate', 'amount', 'events'],
  properties: {
    loan: loanResponse,
    effectiveDate: { type: 'string' },
    amount: money,
    backdated: { type: 'boolean', description: 'true when dated on a day the loan had already closed' },
    events: {
      type: 'array',
      description: 'The events the change appended (end-of-day catch-up first, then the command)',
      items: { type: 'object', additionalProperties: true },
    },
  },
} as const;

export const eventResponse = {
  type: 'object',
  required: ['seq', 'day', 'type', 'recordedAt', 'detail'],
  properties: {
    seq: { type: 'integer' },
    day: { type: 'string' },
    type: { type: 'string' },
    clientId: { type: ['string', 'null'] },
    recordedAt: { type: 'string', format: 'date-time' },
    detail: { type: 'object', additionalProperties: true },
  },
} as const;

export const postingResponse = {
  type: 'object',
  required: ['postingNo', 'customerId', 'loanId', 'day', 'eventSeq', 'eventRef', 'lines'],
  properties: {
    postingNo: { type: 'integer' },
    customerId: { type: 'string' },
    loanId: { type: 'string' },
    day: { type: 'string' },
    eventSeq: { type: 'integer' },
    eventRef: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account'],
        properties: { account: { type: 'string' }, debit: money, credit: money },
      },
    },
  },
} as const;

export const scheduleResponse = {
  type: 'object',
  required: ['loanId', 'plan', 'dues'],
  properties: {
    loanId: { type: 'string' },
    plan: { type: 'array', items: installmentResponse },
    dues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['installmentNumber', 'dueDate', 'principal', 'interest', 'fee', 'overdue'],
        properties: {
          installmentNumber: { type: 'integer' },
          dueDate: { type: 'string' },
          principal: money,
          interest: money,
          fee: money,
          overdue: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const payoffQuoteResponse = {
  type: 'object',
  required: ['loanId', 'date', 'principal', 'interest', 'fee', 'penalty', 'credit', 'total'],
  properties: {
    loanId: { type: 'string' },
    date: { type: 'string' },
    principal: money,
    interest: money,
    fee: money,
    penalty: money,
    credit: money,
    total: money,
  },
} as const;

export const trialBalanceResponse = {
  type: 'object',
  required: ['date', 'accounts', 'totalDebit', 'totalCredit', 'balanced'],
  properties: {
    date: { type: 'string' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account', 'debit', 'credit'],
        properties: { account: { type: 'string' }, debit: money, credit: money },
      },
    },
    totalDebit: money,
    totalCredit: money,
    balanced: { type: 'boolean' },
  },
} as const;

export const productResponse = {
  type: 'object',
  required: ['productId', 'version', 'createdAt', 'product'],
  properties: {
    productId: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    product: { type: 'object', additionalProperties: true, description: 'The product document' },
  },
} as const;
