import { ASSET_CLASSES, REPORT_KINDS } from '../../reporting/index.js';

/** Most borrowers the API simulates under each scenario of a stress report (`simulate=true`). */
export const STRESS_SIMULATION_API_MAX_BORROWERS = 2_000;
/** Most months the API simulates for a stress report. */
export const STRESS_SIMULATION_API_MAX_MONTHS = 24;

const label = {
  type: 'object',
  required: ['en', 'zh'],
  properties: { en: { type: 'string' }, zh: { type: 'string' } },
} as const;

const valueType = { type: 'string', enum: ['text', 'int', 'money', 'ratio', 'date'] } as const;
const cell = {
  type: ['string', 'number', 'null'],
  description:
    'Money as a decimal string of yuan ("1234.50"), ratios as decimal strings ("0.012345"), counts as integers',
} as const;

export const reportKindParam = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { type: 'string', maxLength: 40, description: `One of ${REPORT_KINDS.join(', ')}` } },
} as const;

export const reportQuery = {
  type: 'object',
  required: ['asOf'],
  additionalProperties: false,
  properties: {
    asOf: {
      type: 'string',
      maxLength: 10,
      description: 'The report describes the last month end on or before this day (YYYY-MM-DD)',
    },
    scenario: { type: 'string', minLength: 1, maxLength: 40, description: 'For forward-looking kinds only' },
    by: {
      type: 'string',
      minLength: 1,
      maxLength: 20,
      description:
        'For vintage and recovery only: the segments besides all loans, product (the vintage\'s default; recovery curves have none unless given), channel or policy (the approving origination policy version); loans without the attribute are under "unknown"',
    },
    format: {
      type: 'string',
      enum: ['json', 'xlsx'],
      default: 'json',
      description: 'xlsx: an Excel workbook',
    },
    omit: {
      type: 'string',
      pattern: '^[a-z0-9-]{1,60}(,[a-z0-9-]{1,60}){0,29}$',
      description:
        "Tables to leave out (their names, comma-separated); the summary, the notes and the other tables as they are. The ECL report's per-exposure table (exposures) has a row for every loan and undrawn line of the book: the dashboard leaves it out",
    },
    simulate: {
      type: 'boolean',
      default: false,
      description:
        'stress only: also run the strategy lab under each scenario (the same scenario documents) and add its results as the simulated tables',
    },
    population: {
      type: 'string',
      pattern: '^[a-z0-9-]{1,40}$',
      description: 'With simulate: a shipped population (GET /simulation/options); default baseline',
    },
    strategy: {
      type: 'string',
      pattern: '^[a-z0-9-]{1,40}$',
      description: 'With simulate: a shipped strategy (GET /simulation/options); default default',
    },
    borrowers: {
      type: 'integer',
      minimum: 10,
      maximum: STRESS_SIMULATION_API_MAX_BORROWERS,
      default: 500,
      description: 'With simulate: borrowers simulated under each scenario',
    },
    months: {
      type: 'integer',
      minimum: 2,
      maximum: STRESS_SIMULATION_API_MAX_MONTHS,
      default: 12,
      description: 'With simulate: months simulated from the month after asOf',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 2_147_483_647,
      default: 1,
      description: 'With simulate: the same seed gives the same figures',
    },
  },
} as const;

export const reportCellQuery = {
  type: 'object',
  required: ['asOf', 'table', 'row', 'column'],
  additionalProperties: false,
  properties: {
    asOf: reportQuery.properties.asOf,
    scenario: reportQuery.properties.scenario,
    by: reportQuery.properties.by,
    table: { type: 'string', minLength: 1, maxLength: 60, description: "The table's name (tables[].name)" },
    row: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      description: "The row's key: the value of its first column",
    },
    column: { type: 'string', minLength: 1, maxLength: 60, description: "The column's key (columns[].key)" },
  },
} as const;

export const reportSchema = {
  type: 'object',
  required: ['kind', 'asOf', 'title', 'summary', 'tables', 'notes'],
  properties: {
    kind: { type: 'string', enum: [...REPORT_KINDS] },
    asOf: { type: 'string', description: 'The month end described (YYYY-MM-DD)' },
    scenario: { type: 'string' },
    title: label,
    summary: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'label', 'type', 'value'],
        properties: { key: { type: 'string' }, label, type: valueType, value: cell },
      },
    },
    tables: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'label', 'columns', 'rows'],
        properties: {
          name: { type: 'string' },
          label,
          columns: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'label', 'type'],
              properties: { key: { type: 'string' }, label, type: valueType },
            },
          },
          rows: { type: 'array', items: { type: 'object', additionalProperties: cell } },
        },
      },
    },
    notes: { type: 'array', items: label },
  },
} as const;

export const cellLoansSchema = {
  type: 'object',
  required: ['kind', 'asOf', 'table', 'row', 'column', 'loans', 'loanIds', 'truncated'],
  properties: {
    kind: { type: 'string' },
    asOf: { type: 'string' },
    table: { type: 'string' },
    row: { type: 'string' },
    column: { type: 'string' },
    loans: { type: 'integer', description: 'Loans behind the figure' },
    loanIds: { type: 'array', items: { type: 'string' } },
    truncated: { type: 'boolean', description: 'True when more loans are behind the figure than listed' },
  },
} as const;

const assetClass = { type: 'string', enum: [...ASSET_CLASSES] } as const;

export const overrideSchema = {
  type: 'object',
  required: [
    'overrideId',
    'loanId',
    'monthEnd',
    'assetClass',
    'rulesClass',
    'reason',
    'status',
    'proposedBy',
  ],
  properties: {
    overrideId: { type: 'string' },
    loanId: { type: 'string' },
    monthEnd: { type: 'string' },
    assetClass,
    rulesClass: { ...assetClass, description: 'The class the rules give (DPD and restructuring floors)' },
    reason: { type: 'string' },
    status: { type: 'string', enum: ['proposed', 'approved', 'rejected'] },
    proposedBy: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decisionNote: { type: ['string', 'null'] },
  },
} as const;

export const overrideBody = {
  type: 'object',
  required: ['loanId', 'monthEnd', 'assetClass', 'reason'],
  additionalProperties: false,
  properties: {
    loanId: { type: 'string', minLength: 1, maxLength: 64 },
    monthEnd: { type: 'string', maxLength: 10, description: 'The month end (YYYY-MM-DD) the class is for' },
    assetClass: { ...assetClass, description: 'The class, the same as or worse than the rules give' },
    reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' },
  },
} as const;

export const decisionBody = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: {
    decision: { type: 'string', enum: ['approve', 'reject'] },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

export const riskReportQuery = {
  type: 'object',
  required: ['asOf'],
  additionalProperties: false,
  properties: {
    asOf: {
      type: 'string',
      maxLength: 10,
      description: 'The report describes the last month end on or before this day (YYYY-MM-DD)',
    },
    format: { type: 'string', enum: ['html', 'pdf'], default: 'html', description: 'One HTML file or a PDF' },
    locale: {
      type: 'string',
      enum: ['zh-CN', 'en'],
      default: 'zh-CN',
      description: 'The language of the report',
    },
  },
} as const;

const yuan = (description: string) =>
  ({ type: 'string', pattern: '^-?\\d+\\.\\d{2}$', description: `${description} (yuan)` }) as const;

export const eclPostingBody = {
  type: 'object',
  required: ['monthEnd'],
  additionalProperties: false,
  properties: {
    monthEnd: {
      type: 'string',
      maxLength: 10,
      description: "The month end to post (YYYY-MM-DD): a month's last day the end-of-day batch has closed",
    },
  },
} as const;

export const eclPostingParam = {
  type: 'object',
  required: ['monthEnd'],
  additionalProperties: false,
  properties: { monthEnd: eclPostingBody.properties.monthEnd },
} as const;

export const eclPostingSchema = {
  type: 'object',
  required: [
    'monthEnd',
    'alreadyPosted',
    'postingNo',
    'opening',
    'closing',
    'used',
    'charge',
    'exposures',
    'scenarioSet',
  ],
  properties: {
    monthEnd: { type: 'string' },
    alreadyPosted: {
      type: 'boolean',
      description: 'True when the month had been posted before this request: nothing was written',
    },
    postingNo: {
      type: ['integer', 'null'],
      description: 'The journal posting of the allowance entry; null when the entry moved nothing',
    },
    opening: yuan('The loss allowance on the books before the entry'),
    closing: yuan("The month end's ECL: the allowance after the entry"),
    used: yuan('Allowance used by the write-offs of the month'),
    charge: yuan('Impairment charged (negative: released) to profit or loss'),
    exposures: { type: ['integer', 'null'], description: 'Exposures measured in the stored run' },
    scenarioSet: {
      type: ['string', 'null'],
      description: 'The scenarios and weights of the stored run (id@version:weight …)',
    },
    rollForward: {
      type: ['array', 'null'],
      description:
        'The movements of the allowance from the previous month end to this one (opening, transfers between stages, new, derecognised, write-off, remeasurement, closing), by stage; left out of the list',
      items: {
        type: 'object',
        required: ['movement', 'stage1', 'stage2', 'stage3', 'total'],
        properties: {
          movement: {
            type: 'string',
            enum: [
              'opening',
              'transfer-to-1',
              'transfer-to-2',
              'transfer-to-3',
              'new',
              'derecognised',
              'write-off',
              'remeasurement',
              'closing',
            ],
          },
          stage1: yuan('Stage 1'),
          stage2: yuan('Stage 2'),
          stage3: yuan('Stage 3'),
          total: yuan('All stages'),
        },
      },
    },
    journal: {
      type: 'array',
      description:
        'The journal lines the entry posted (none when the allowance did not move); left out of the list',
      items: {
        type: 'object',
        required: ['account', 'debit', 'credit'],
        properties: {
          account: { type: 'string' },
          debit: { type: ['string', 'null'], pattern: '^\\d+\\.\\d{2}$' },
          credit: { type: ['string', 'null'], pattern: '^\\d+\\.\\d{2}$' },
        },
      },
    },
  },
} as const;

export const eclPostingListSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      description: 'The month ends posted, newest first',
      items: {
        ...eclPostingSchema,
        properties: {
          monthEnd: eclPostingSchema.properties.monthEnd,
          alreadyPosted: eclPostingSchema.properties.alreadyPosted,
          postingNo: eclPostingSchema.properties.postingNo,
          opening: eclPostingSchema.properties.opening,
          closing: eclPostingSchema.properties.closing,
          used: eclPostingSchema.properties.used,
          charge: eclPostingSchema.properties.charge,
          exposures: eclPostingSchema.properties.exposures,
          scenarioSet: eclPostingSchema.properties.scenarioSet,
        },
      },
    },
  },
} as const;

export const fundingOutflowsBody = {
  type: 'object',
  required: ['outflows'],
  additionalProperties: false,
  properties: {
    outflows: {
      type: 'array',
      minItems: 1,
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['day', 'amount', 'label'],
        additionalProperties: false,
        properties: {
          day: { type: 'string', maxLength: 10, description: 'The day the money goes out (YYYY-MM-DD)' },
          amount: yuan('The amount, above 0'),
          label: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            description: 'What it is (a bank loan due …)',
          },
        },
      },
    },
  },
} as const;

export const fundingOutflowsSchema = {
  type: 'object',
  required: ['stored'],
  properties: {
    stored: {
      type: 'integer',
      description: 'Outflows stored (an outflow entered again replaces the earlier one)',
    },
  },
} as const;

export const fundingOutflowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', maxLength: 10, description: 'Outflows on or after this day (YYYY-MM-DD)' },
    to: { type: 'string', maxLength: 10, description: 'Outflows on or before this day (YYYY-MM-DD)' },
  },
} as const;

export const fundingOutflowListSchema = {
  type: 'object',
  required: ['items', 'truncated'],
  properties: {
    items: {
      type: 'array',
      description: 'The stored outflows by day',
      items: {
        type: 'object',
        required: ['outflowId', 'day', 'amount', 'label', 'enteredBy'],
        properties: {
          outflowId: { type: 'string' },
          day: { type: 'string' },
          amount: yuan('The amount'),
          label: { type: 'string' },
          enteredBy: {
            type: 'string',
            description: 'Who entered it (a user id, or the name given to the CLI)',
          },
        },
      },
    },
    truncated: {
      type: 'boolean',
      description: 'True when more outflows are stored in the range than listed',
    },
  },
} as const;
