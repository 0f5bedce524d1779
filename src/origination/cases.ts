import { parseAmount } from '../money/index.js';
import { idNumberCheckCharacter } from './application.js';
import type { BacktestCase } from './backtest.js';
import { OriginationError } from './errors.js';
import { MODEL_MONEY_UNIT_FEN } from './models.js';
import {
  type Application,
  HOUSINGS,
  type Housing,
  MARITAL_STATUSES,
  type MaritalStatus,
  OCCUPATIONS,
  type Occupation,
} from './types.js';

/**
 * Past applications for a back-test, one CSV row each. Two layouts are read:
 * - the case layout (columns below; amounts in yuan), and
 * - the layout of credit_data.csv (Status, Seniority, Home, Time, Age, Marital, Records, Job, Expenses, Income,
 *   Assets, Debt, Amount, Price), mapped back through the model's money unit (docs/origination.md).
 */
export const CASE_COLUMNS = [
  'case_id',
  'occupation',
  'industry',
  'age',
  'months_in_role',
  'housing',
  'marital_status',
  'declared_monthly_income',
  'verified_monthly_income',
  'monthly_expenses',
  'assets',
  'debts_outstanding',
  'debt_monthly_payments',
  'requested_limit',
  'term_months',
  'worst_days_past_due',
  'overdue_months_24m',
  'lenders_3m',
  'lenders_6m',
  'lenders_12m',
  'history_months',
  'outcome',
] as const;

export type CaseRecord = Readonly<Record<string, string>>;

const CREDIT_DATA_COLUMNS = ['Status', 'Seniority', 'Home', 'Job', 'Income', 'Amount'];

function fail(row: number, column: string, message: string): never {
  throw new OriginationError('cases_invalid', `cases row ${row}, column ${column}: ${message}`, [
    { path: `rows[${row}].${column}`, message },
  ]);
}

function num(r: CaseRecord, column: string, row: number, fallback?: number): number {
  const text = (r[column] ?? '').trim();
  if (text === '' || text === 'NA') {
    if (fallback !== undefined) return fallback;
    fail(row, column, 'is required; give a number');
  }
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0) fail(row, column, `"${text}" is not a number ≥ 0`);
  return v;
}

function yuanFen(r: CaseRecord, column: string, row: number, fallback?: number): number {
  const text = (r[column] ?? '').trim();
  if (text === '' || text === 'NA') {
    if (fallback !== undefined) return fallback;
    fail(row, column, 'is required; give an amount in yuan like 1234.56');
  }
  try {
    return parseAmount(text, { allowZero: true, field: column });
  } catch (error) {
    return fail(row, column, (error as Error).message);
  }
}

function choice<T extends string>(
  r: CaseRecord,
  column: string,
  row: number,
  choices: readonly T[],
  fallback: T,
): T {
  const text = (r[column] ?? '').trim();
  if (text === '') return fallback;
  if (!(choices as readonly string[]).includes(text))
    fail(row, column, `"${text}" is not one of ${choices.join(', ')}`);
  return text as T;
}

function outcomeOf(text: string | undefined, row: number, column: string): 0 | 1 | null {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '' || t === 'na') return null;
  if (t === 'bad' || t === '1') return 1;
  if (t === 'good' || t === '0') return 0;
  return fail(row, column, `"${text}" is not an outcome; give bad or good (or 1 / 0), or leave it empty`);
}

/** A synthetic applicant of the given age: the back-test reads no personal data, only the financial facts. */
function syntheticIdentity(caseId: string, age: number, businessTime: string) {
  const year = Number(businessTime.slice(0, 4)) - age - 1;
  const birthDate = `${year}-07-01`;
  const first17 = `110101${year}0701${String(Math.abs(hash(caseId)) % 1000).padStart(3, '0')}`;
  return {
    name: 'case',
    idNumber: first17 + idNumberCheckCharacter(first17),
    phone: '13800000000',
    birthDate,
  };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

interface CaseFacts {
  caseId: string;
  occupation: Occupation;
  industry: string;
  age: number;
  monthsInRole: number;
  housing: Housing;
  maritalStatus: MaritalStatus;
  declared_fen: number;
  verified_fen: number;
  expenses_fen: number;
  assets_fen: number;
  debts_fen: number;
  debtPayments_fen: number;
  requested_fen: number;
  term_months: number | undefined;
  worstDpd: number;
  overdueMonths: number;
  lenders: [number, number, number];
  historyMonths: number;
  bad: 0 | 1 | null;
}

function applicationOf(f: CaseFacts, businessTime: string): Application {
  return {
    applicationId: f.caseId,
    productId: 'default',
    requestedLimit_fen: f.requested_fen,
    ...(f.term_months === undefined ? {} : { requestedTerm_months: f.term_months }),
    channel: 'backtest',
    submittedAt: businessTime,
    identity: syntheticIdentity(f.caseId, f.age, businessTime),
    address: { province: '-', city: '-', detail: '-' },
    contacts: [],
    maritalStatus: f.maritalStatus,
    housing: f.housing,
    dependants: 0,
    employment: { occupation: f.occupation, industry: f.industry, monthsInRole: f.monthsInRole },
    income: {
      declaredMonthly_fen: f.declared_fen,
      evidence: f.verified_fen > 0 ? [{ kind: 'bank-statement', monthlyAmount_fen: f.verified_fen }] : [],
    },
    monthlyExpenses_fen: f.expenses_fen,
    assets: f.assets_fen > 0 ? [{ kind: 'other', value_fen: f.assets_fen }] : [],
    debts:
      f.debts_fen > 0 || f.debtPayments_fen > 0
        ? [{ kind: 'other', outstanding_fen: f.debts_fen, monthlyPayment_fen: f.debtPayments_fen }]
        : [],
    bureau: {
      outstandingBalance_fen: f.debts_fen,
      lenders3m: f.lenders[0],
      lenders6m: f.lenders[1],
      lenders12m: f.lenders[2],
      worstDaysPastDue: f.worstDpd,
      overdueMonths24m: f.overdueMonths,
      historyMonths: f.historyMonths,
    },
    device: { deviceId: '-', ip: '-', sim: '-', installSource: 'backtest', capturedAt: businessTime },
  };
}

const JOB_TO_OCCUPATION: Record<string, Occupation> = {
  fixed: 'salaried',
  freelance: 'freelancer',
  partime: 'other',
  others: 'other',
};
const HOME_TO_HOUSING: Record<string, Housing> = {
  owner: 'owner',
  rent: 'rent',
  parents: 'parents',
  priv: 'employer',
  other: 'other',
  ignore: 'other',
};
const MARITAL_TO_STATUS: Record<string, MaritalStatus> = {
  single: 'single',
  married: 'married',
  divorced: 'divorced',
  widow: 'widowed',
  separated: 'separated',
};

/** Months a prior adverse record (`Records = yes`) stands for on the bureau: a 60-day delinquency. */
const ADVERSE_RECORD_AS_DPD = 60;

function fromCreditData(r: CaseRecord, row: number): CaseFacts {
  const unit = (column: string) => Math.round(num(r, column, row, 0) * MODEL_MONEY_UNIT_FEN);
  const income = unit('Income');
  const adverse = (r.Records ?? '').trim() === 'yes';
  return {
    caseId: `row-${row}`,
    occupation: JOB_TO_OCCUPATION[(r.Job ?? '').trim()] ?? 'other',
    industry: 'unknown',
    age: num(r, 'Age', row, 35),
    monthsInRole: num(r, 'Seniority', row, 0) * 12,
    housing: HOME_TO_HOUSING[(r.Home ?? '').trim()] ?? 'other',
    maritalStatus: MARITAL_TO_STATUS[(r.Marital ?? '').trim()] ?? 'single',
    declared_fen: income,
    verified_fen: income,
    expenses_fen: unit('Expenses'),
    assets_fen: unit('Assets'),
    debts_fen: unit('Debt'),
    debtPayments_fen: 0,
    requested_fen: unit('Amount'),
    term_months: (r.Time ?? '').trim() === '' ? undefined : num(r, 'Time', row),
    worstDpd: adverse ? ADVERSE_RECORD_AS_DPD : 0,
    overdueMonths: adverse ? 2 : 0,
    lenders: [0, 0, 0],
    historyMonths: 24,
    bad: outcomeOf(r.Status, row, 'Status'),
  };
}

function fromCaseLayout(r: CaseRecord, row: number): CaseFacts {
  const lenders: [number, number, number] = [
    num(r, 'lenders_3m', row, 0),
    num(r, 'lenders_6m', row, 0),
    num(r, 'lenders_12m', row, 0),
  ];
  return {
    caseId: (r.case_id ?? '').trim() || `row-${row}`,
    occupation: choice(r, 'occupation', row, OCCUPATIONS, 'other'),
    industry: (r.industry ?? '').trim() || 'unknown',
    age: num(r, 'age', row),
    monthsInRole: num(r, 'months_in_role', row, 0),
    housing: choice(r, 'housing', row, HOUSINGS, 'other'),
    maritalStatus: choice(r, 'marital_status', row, MARITAL_STATUSES, 'single'),
    declared_fen: yuanFen(r, 'declared_monthly_income', row),
    verified_fen: yuanFen(r, 'verified_monthly_income', row, 0),
    expenses_fen: yuanFen(r, 'monthly_expenses', row, 0),
    assets_fen: yuanFen(r, 'assets', row, 0),
    debts_fen: yuanFen(r, 'debts_outstanding', row, 0),
    debtPayments_fen: yuanFen(r, 'debt_monthly_payments', row, 0),
    requested_fen: yuanFen(r, 'requested_limit', row),
    term_months: (r.term_months ?? '').trim() === '' ? undefined : num(r, 'term_months', row),
    worstDpd: num(r, 'worst_days_past_due', row, 0),
    overdueMonths: num(r, 'overdue_months_24m', row, 0),
    lenders,
    historyMonths: num(r, 'history_months', row, 24),
    bad: outcomeOf(r.outcome, row, 'outcome'),
  };
}

/** Reads CSV records (header → cell) of either layout into back-test cases. Row numbers count data rows from 1. */
export function casesFromRecords(
  header: readonly string[],
  records: readonly CaseRecord[],
  businessTime: string,
): BacktestCase[] {
  const creditData = CREDIT_DATA_COLUMNS.every((c) => header.includes(c));
  if (!creditData) {
    for (const column of ['age', 'declared_monthly_income', 'requested_limit'])
      if (!header.includes(column))
        throw new OriginationError(
          'cases_invalid',
          `the cases file has no column "${column}"; give the case layout (${CASE_COLUMNS.join(', ')}) or the credit_data.csv layout`,
          [{ path: 'header', message: `lacks ${column}` }],
        );
  }
  return records.map((r, i) => {
    const facts = creditData ? fromCreditData(r, i + 1) : fromCaseLayout(r, i + 1);
    if (facts.requested_fen === 0) facts.requested_fen = 100;
    return { caseId: facts.caseId, application: applicationOf(facts, businessTime), bad: facts.bad };
  });
}
