import {
  CASE_CLOSE_REASONS,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
} from '../../collections/index.js';
import { BUCKETS } from '../../ledger/index.js';
import { PROBLEM_CODES } from '../http/problem.js';

const DATE = { type: 'string', format: 'date' } as const;
const AMOUNT = { type: 'string', description: 'yuan, e.g. "1234.56"' } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;

/** The strategy's step, the assessment and the work allocation of a case (set by each refresh). */
export const assessmentSchema = {
  type: ['object', 'null'],
  properties: {
    verdict: { type: 'string', enum: ['inability', 'unwillingness', 'undetermined'] },
    inabilityPoints: { type: 'integer' },
    unwillingnessPoints: { type: 'integer' },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          side: { type: 'string' },
          points: { type: 'integer' },
          text: { type: 'string' },
          textZh: { type: 'string', description: 'The reason in Chinese' },
          seen: { type: 'string' },
        },
      },
    },
    vulnerabilities: { type: 'array', items: { type: 'string' } },
  },
} as const;

const operationsProperties = {
  strategyArm: { type: 'string', enum: ['champion', 'challenger'] },
  strategyVersion: {
    ...NULLABLE_TEXT,
    description: 'The strategy version that set the step ("shipped" = default)',
  },
  strategyStep: { ...NULLABLE_TEXT, description: 'The strategy rule the case is at, e.g. CS_M2_CALL' },
  nextAction: {
    type: ['string', 'null'],
    enum: [
      'reminder',
      'call',
      'letter',
      'negotiation-offer',
      'agency-placement',
      'legal-review',
      'hold',
      null,
    ],
  },
  nextActionChannel: NULLABLE_TEXT,
  nextActionReason: NULLABLE_TEXT,
  nextActionDueDate: { type: ['string', 'null'], format: 'date' },
  behaviourScore: { type: ['integer', 'null'] },
  assessment: assessmentSchema,
  assessmentVersion: {
    type: ['string', 'null'],
    description: 'The assessment weights version the assessment was made with ("shipped": the defaults)',
  },
  assessmentOverride: {
    type: ['object', 'null'],
    properties: {
      verdict: { type: 'string' },
      note: { type: 'string' },
      by: { type: 'string' },
      day: { type: 'string' },
    },
  },
  verdict: {
    type: 'string',
    enum: ['inability', 'unwillingness', 'undetermined'],
    description: 'The verdict in force: the override, else the assessment',
  },
  vulnerabilities: { type: 'array', items: { type: 'string' } },
  cureProbability: { type: 'string', description: 'Probability of cure, e.g. "0.6000"' },
  priority: { ...AMOUNT, description: 'Expected recovery: overdue × probability of cure' },
  recovered: { ...AMOUNT, description: 'Paid on the borrower’s loans since the case opened' },
  teamId: NULLABLE_TEXT,
  agencyId: { ...NULLABLE_TEXT, description: 'The agency the case is placed with (委外), if any' },
} as const;

export const caseSchema = {
  type: 'object',
  required: [
    'caseId',
    'customerId',
    'status',
    'openedDate',
    'closedDate',
    'closeReason',
    'bucket',
    'maxDaysPastDue',
    'overdue',
    'totalOwed',
    'pastDueLoanIds',
    'borrowerZone',
    'lostContact',
    'assignee',
    'updatedDate',
  ],
  properties: {
    caseId: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string', enum: ['open', 'closed'] },
    openedDate: DATE,
    closedDate: { type: ['string', 'null'], format: 'date' },
    closeReason: {
      type: ['string', 'null'],
      enum: [...CASE_CLOSE_REASONS, null],
      description:
        'cured (nothing past due), paid-off (nothing owed), written-off (what was past due was written off, 核销), restructuring-kept (a restructuring made while the case was open kept through its observation period)',
    },
    bucket: { type: 'string', enum: [...BUCKETS] },
    maxDaysPastDue: { type: 'integer' },
    overdue: { ...AMOUNT, description: 'Overdue principal, interest, fees and penalty over all loans' },
    totalOwed: { ...AMOUNT, description: 'Everything owed on all the borrower’s loans' },
    pastDueLoanIds: { type: 'array', items: { type: 'string' } },
    borrowerZone: { type: 'string', description: 'IANA zone whose clock the contact rules follow' },
    lostContact: {
      type: 'boolean',
      description: '失联: marked by a person; third parties may then be contacted',
    },
    assignee: { type: ['string', 'null'], description: 'User id of the collector working the case' },
    updatedDate: DATE,
    ...operationsProperties,
  },
} as const;

export const contactSchema = {
  type: 'object',
  required: [
    'attemptId',
    'caseId',
    'at',
    'channel',
    'party',
    'outcome',
    'allowed',
    'rule',
    'nextAllowedAt',
    'actor',
    'note',
  ],
  properties: {
    attemptId: { type: 'string' },
    caseId: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: "In the borrower's zone" },
    channel: { type: 'string', enum: [...CONTACT_CHANNELS] },
    party: { type: 'string', enum: [...CONTACT_PARTIES] },
    outcome: { type: 'string', enum: [...CONTACT_OUTCOMES] },
    allowed: { type: 'boolean' },
    rule: { type: ['string', 'null'], description: 'The conduct rule that refused it' },
    nextAllowedAt: { type: ['string', 'null'], format: 'date-time' },
    actor: { type: 'string' },
    note: { type: ['string', 'null'] },
  },
} as const;

export const promiseSchema = {
  type: 'object',
  required: [
    'promiseId',
    'caseId',
    'amount',
    'promisedDate',
    'madeDate',
    'status',
    'decidedDate',
    'paid',
    'actor',
  ],
  properties: {
    promiseId: { type: 'string' },
    caseId: { type: 'string' },
    amount: AMOUNT,
    promisedDate: DATE,
    madeDate: DATE,
    status: { type: 'string', enum: ['pending', 'kept', 'broken'] },
    decidedDate: { type: ['string', 'null'], format: 'date' },
    paid: { type: ['string', 'null'], description: 'Paid since the promise, when decided' },
    actor: { type: 'string' },
  },
} as const;

/** What the case refresh carried out of the strategy's steps, or holds pending (decision 0757). */
export const stepActionSchema = {
  type: 'object',
  required: ['kind', 'step', 'date', 'status', 'outcome', 'reference'],
  properties: {
    kind: { type: 'string', enum: ['reminder', 'agency-placement', 'legal-review'] },
    step: { type: 'string', description: 'The strategy step (rule code) the action came from' },
    date: { type: 'string', format: 'date', description: 'The refresh day it was carried out or last tried' },
    status: {
      type: 'string',
      enum: ['done', 'pending', 'dropped'],
      description:
        'done; pending (e.g. no agency active: tried again on each refresh); dropped (the case left the step)',
    },
    outcome: { type: 'string', description: 'What was done, or why it waits' },
    reference: {
      type: ['string', 'null'],
      description: 'The reminder key, placement id or legal action id made',
    },
  },
} as const;

/** A recall holding the case off its strategy step (decision 0912): the step does not place it again. */
export const placementHoldSchema = {
  type: ['object', 'null'],
  description:
    'The recall that holds the open case off its strategy step (decision 0912): taken back from an agency with a reason (not to move agencies) while on this step, the step does not place it with an agency until the case leaves the step (another step, or the case closed). Null when nothing holds it; a recall with `placeAgain` holds nothing, and the step places the case with another agency.',
  required: [
    'step',
    'placementActionSkipped',
    'placementId',
    'agencyId',
    'agencyName',
    'recalledDate',
    'reason',
    'recalledBy',
  ],
  properties: {
    step: { type: 'string', description: 'The strategy step (rule code) held: the case is on it now' },
    placementActionSkipped: {
      type: 'boolean',
      description:
        'The step is an agency-placement step: each refresh skips its placement while the hold lasts',
    },
    placementId: { type: 'string', description: 'The recalled placement' },
    agencyId: { type: 'string' },
    agencyName: { type: 'string' },
    recalledDate: { type: 'string', format: 'date' },
    reason: { type: 'string', description: "The recall's reason" },
    recalledBy: { type: 'string', description: 'The user id of who recalled it' },
  },
} as const;

export const caseDetailSchema = {
  type: 'object',
  required: [...caseSchema.required, 'contacts', 'promises', 'stepActions', 'placementHold'],
  properties: {
    ...caseSchema.properties,
    contacts: { type: 'array', items: contactSchema },
    promises: { type: 'array', items: promiseSchema },
    stepActions: { type: 'array', items: stepActionSchema },
    placementHold: placementHoldSchema,
  },
} as const;

/** The 422 of a refused contact: a problem with the rule and when contact is next allowed. */
export const contactRefusedResponse = {
  description: 'The conduct rules refuse the attempt (it is logged as refused); `code` is contact_refused',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: [
          'type',
          'title',
          'status',
          'detail',
          'code',
          'requestId',
          'rule',
          'nextAllowedAt',
          'attemptId',
        ],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', enum: Object.keys(PROBLEM_CODES) },
          requestId: { type: 'string' },
          rule: { type: 'string' },
          nextAllowedAt: { type: ['string', 'null'], format: 'date-time' },
          attemptId: { type: 'string' },
        },
      },
    },
  },
} as const;
