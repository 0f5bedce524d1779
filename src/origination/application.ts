import { counted, MoneyInputError, parseAmount, parseDate } from '../money/index.js';
import { OriginationError } from './errors.js';
import {
  type ApplicantContact,
  type Application,
  ASSET_KINDS,
  type Asset,
  type BureauSummary,
  type BusinessFacts,
  type BusinessPlan,
  CONTACT_RELATIONS,
  DEBT_KINDS,
  type Debt,
  type DeviceFacts,
  type Employment,
  type FieldIssue,
  type FinancialStatements,
  HOUSINGS,
  INCOME_EVIDENCE_KINDS,
  type Income,
  type IncomeEvidence,
  MARITAL_STATUSES,
  OCCUPATIONS,
  type PersonalDataField,
} from './types.js';

/** Fields of an application that are personal data: the shell encrypts them at rest and masks them in views. */
export const PERSONAL_DATA_FIELDS: readonly PersonalDataField[] = [
  { path: 'identity.name', kind: 'name' },
  { path: 'identity.idNumber', kind: 'id-number' },
  { path: 'identity.phone', kind: 'phone' },
  { path: 'address.detail', kind: 'address-detail' },
  { path: 'contacts[].name', kind: 'name' },
  { path: 'contacts[].phone', kind: 'phone' },
  { path: 'device.deviceId', kind: 'device' },
  { path: 'device.ip', kind: 'ip' },
  { path: 'device.sim', kind: 'sim' },
];

/** Largest amount accepted in any application field: 100 million yuan. */
export const APPLICATION_AMOUNT_MAX_FEN = 10_000_000_000;
/** Contacts an applicant may name. */
export const CONTACTS_MAX = 10;
/** Items in any list of an application (evidence, assets, debts). */
export const LIST_ITEMS_MAX = 50;
/** Longest free text accepted (names, purposes, references). */
export const TEXT_LENGTH_MAX = 200;
/** Longest term an applicant may ask for (domain.md §1: up to 24 months). */
const TERM_MONTHS_MAX = 24;
/** Counts (lenders, months) above this are refused as implausible. */
const COUNT_MAX = 1200;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MOBILE = /^1[3-9]\d{9}$/;
const ID_NUMBER = /^\d{17}[\dX]$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of an 18-character resident ID number (GB 11643-1999) from its first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Milliseconds since the epoch of an ISO 8601 instant with an offset; NaN when it is not one. */
export function instantMs(text: string): number {
  return ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
}

type Obj = Record<string, unknown>;

/** Collects every issue in one pass, so the applicant sees all the fields to fix at once. */
class Reader {
  readonly issues: FieldIssue[] = [];

  fail(
    path: string,
    message: string,
    key: NonNullable<FieldIssue['key']>,
    params: FieldIssue['params'] = {},
  ): void {
    this.issues.push({ path, message, key, params });
  }

  object(value: unknown, path: string, known: readonly string[]): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path || '(body)', `must be an object with the fields ${known.join(', ')}`, 'not_object', {
        known: known.join(', '),
      });
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        this.fail(
          join(path, key),
          `is not a field of ${path || 'an application'}; remove it (known: ${known.join(', ')})`,
          'unknown_field',
          { known: known.join(', ') },
        );
    }
    return value as Obj;
  }

  text(o: Obj, key: string, path: string, optional = false): string | undefined {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (!optional) this.fail(p, 'is required; give a text', 'text_required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.fail(p, 'must be a non-empty text', 'text_blank');
      return undefined;
    }
    if (v.length > TEXT_LENGTH_MAX) {
      this.fail(p, `is ${v.length} characters long; at most ${TEXT_LENGTH_MAX} are accepted`, 'text_long', {
        length: v.length,
        max: TEXT_LENGTH_MAX,
      });
      return undefined;
    }
    return v.trim();
  }

  choice<T extends string>(o: Obj, key: string, path: string, choices: readonly T[]): T | undefined {
    const v = o[key];
    const p = join(path, key);
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      this.fail(
        p,
        `${v === undefined ? 'is required' : `is ${JSON.stringify(v)}`}; give one of ${choices.join(', ')}`,
        v === undefined ? 'choice_required' : 'choice_invalid',
        { got: JSON.stringify(v) ?? '', choices: choices.join(', ') },
      );
      return undefined;
    }
    return v as T;
  }

  amount(o: Obj, key: string, path: string, optional = false): number | undefined {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (!optional)
        this.fail(p, 'is required; give an amount in yuan as a string, like "1234.56"', 'amount_required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.fail(
        p,
        'must be an amount in yuan as a string, like "1234.56" (not a JSON number)',
        'amount_not_string',
      );
      return undefined;
    }
    try {
      return parseAmount(v, { allowZero: true, maxMinor: APPLICATION_AMOUNT_MAX_FEN, field: p });
    } catch (error) {
      if (error instanceof MoneyInputError) {
        this.fail(p, error.message.replace(`${p} `, ''), `engine.${error.code}`);
        return undefined;
      }
      throw error;
    }
  }

  count(o: Obj, key: string, path: string, max = COUNT_MAX, optional = false): number | undefined {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      this.fail(
        p,
        `${v === undefined ? 'is required' : `is ${JSON.stringify(v)}`}; give a whole number from 0 to ${max}`,
        v === undefined ? 'count_required' : 'count_invalid',
        { got: JSON.stringify(v) ?? '', max },
      );
      return undefined;
    }
    return v;
  }

  instant(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    const p = join(path, key);
    if (typeof v !== 'string' || Number.isNaN(instantMs(v))) {
      this.fail(
        p,
        `${v === undefined ? 'is required' : `is ${JSON.stringify(v)}`}; give a time with its offset, like "2026-11-28T09:30:00+08:00"`,
        v === undefined ? 'instant_required' : 'instant_invalid',
        { got: JSON.stringify(v) ?? '' },
      );
      return undefined;
    }
    return v;
  }

  date(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    const p = join(path, key);
    if (typeof v !== 'string') {
      this.fail(
        p,
        `${v === undefined ? 'is required' : `is ${JSON.stringify(v)}`}; give a date as YYYY-MM-DD`,
        v === undefined ? 'date_required' : 'date_invalid',
        { got: JSON.stringify(v) ?? '' },
      );
      return undefined;
    }
    try {
      parseDate(v, p);
      return v;
    } catch (error) {
      if (error instanceof MoneyInputError) {
        this.fail(p, error.message.replace(`${p} `, ''), `engine.${error.code}`);
        return undefined;
      }
      throw error;
    }
  }

  list(o: Obj, key: string, path: string, max: number, optional = true): unknown[] | undefined {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (optional) return [];
      this.fail(p, 'is required; give a list', 'list_required');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.fail(p, 'must be a list', 'list_invalid');
      return undefined;
    }
    if (v.length > max) {
      this.fail(p, `holds ${v.length} items; at most ${max} are accepted`, 'list_long', {
        length: v.length,
        max,
      });
      return undefined;
    }
    return v;
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Runs `read` on every item of a list and keeps the items read without issues. */
function items<T>(list: unknown[] | undefined, path: string, read: (v: unknown, p: string) => T | undefined) {
  if (!list) return undefined;
  const out: T[] = [];
  let ok = true;
  list.forEach((v, i) => {
    const item = read(v, join(path, i));
    if (item === undefined) ok = false;
    else out.push(item);
  });
  return ok ? out : undefined;
}

function all<T extends object>(
  values: { [K in keyof T]: T[K] | undefined },
  optionalKeys: readonly (keyof T)[] = [],
): T | undefined {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined && !optionalKeys.includes(k as keyof T)) return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out as T;
}

function readIdentity(r: Reader, v: unknown, p: string) {
  const o = r.object(v, p, ['name', 'idNumber', 'phone', 'birthDate']);
  if (!o) return undefined;
  const name = r.text(o, 'name', p);
  let idNumber = r.text(o, 'idNumber', p)?.toUpperCase();
  let phone = r.text(o, 'phone', p)?.replace(/[\s-]/g, '');
  const birthDate = r.date(o, 'birthDate', p);
  if (idNumber !== undefined) {
    if (!ID_NUMBER.test(idNumber)) {
      r.fail(
        join(p, 'idNumber'),
        'must be an 18-character resident ID number: 17 digits then a digit or X',
        'id_number_form',
      );
      idNumber = undefined;
    } else if (idNumberCheckCharacter(idNumber) !== idNumber[17]) {
      r.fail(
        join(p, 'idNumber'),
        'has a wrong check character (the 18th); check the number was typed correctly',
        'id_number_check',
      );
      idNumber = undefined;
    } else if (birthDate !== undefined && idNumber.slice(6, 14) !== birthDate.replaceAll('-', '')) {
      r.fail(
        join(p, 'birthDate'),
        'does not match the birth date inside the ID number; check both',
        'birth_date_mismatch',
      );
    }
  }
  if (phone !== undefined && !MOBILE.test(phone)) {
    r.fail(
      join(p, 'phone'),
      'must be an 11-digit mainland mobile number starting with 1, like 13800138000',
      'phone_form',
    );
    phone = undefined;
  }
  return all({ name, idNumber, phone, birthDate });
}

function readAddress(r: Reader, v: unknown, p: string) {
  const o = r.object(v, p, ['province', 'city', 'detail']);
  if (!o) return undefined;
  return all({
    province: r.text(o, 'province', p),
    city: r.text(o, 'city', p),
    detail: r.text(o, 'detail', p),
  });
}

function readContact(r: Reader, v: unknown, p: string): ApplicantContact | undefined {
  const o = r.object(v, p, ['name', 'relation', 'phone']);
  if (!o) return undefined;
  let phone = r.text(o, 'phone', p)?.replace(/[\s-]/g, '');
  if (phone !== undefined && !MOBILE.test(phone)) {
    r.fail(join(p, 'phone'), 'must be an 11-digit mainland mobile number starting with 1', 'phone_form');
    phone = undefined;
  }
  return all({ name: r.text(o, 'name', p), relation: r.choice(o, 'relation', p, CONTACT_RELATIONS), phone });
}

function readEmployment(r: Reader, v: unknown, p: string): Employment | undefined {
  const o = r.object(v, p, ['occupation', 'industry', 'employer', 'monthsInRole']);
  if (!o) return undefined;
  return all(
    {
      occupation: r.choice(o, 'occupation', p, OCCUPATIONS),
      industry: r.text(o, 'industry', p),
      employer: r.text(o, 'employer', p, true),
      monthsInRole: r.count(o, 'monthsInRole', p),
    },
    ['employer'],
  );
}

function readEvidence(r: Reader, v: unknown, p: string): IncomeEvidence | undefined {
  const o = r.object(v, p, ['kind', 'monthlyAmount', 'documentRef']);
  if (!o) return undefined;
  return all(
    {
      kind: r.choice(o, 'kind', p, INCOME_EVIDENCE_KINDS),
      monthlyAmount_fen: r.amount(o, 'monthlyAmount', p),
      documentRef: r.text(o, 'documentRef', p, true),
    },
    ['documentRef'],
  );
}

function readIncome(r: Reader, v: unknown, p: string): Income | undefined {
  const o = r.object(v, p, ['declaredMonthly', 'evidence']);
  if (!o) return undefined;
  const declaredMonthly_fen = r.amount(o, 'declaredMonthly', p);
  const evidence = items(r.list(o, 'evidence', p, LIST_ITEMS_MAX), join(p, 'evidence'), (x, q) =>
    readEvidence(r, x, q),
  );
  return all({ declaredMonthly_fen, evidence });
}

function readAsset(r: Reader, v: unknown, p: string): Asset | undefined {
  const o = r.object(v, p, ['kind', 'value']);
  if (!o) return undefined;
  return all({ kind: r.choice(o, 'kind', p, ASSET_KINDS), value_fen: r.amount(o, 'value', p) });
}

function readDebt(r: Reader, v: unknown, p: string): Debt | undefined {
  const o = r.object(v, p, ['kind', 'outstanding', 'monthlyPayment']);
  if (!o) return undefined;
  return all({
    kind: r.choice(o, 'kind', p, DEBT_KINDS),
    outstanding_fen: r.amount(o, 'outstanding', p),
    monthlyPayment_fen: r.amount(o, 'monthlyPayment', p),
  });
}

function readBureau(r: Reader, v: unknown, p: string): BureauSummary | undefined {
  const o = r.object(v, p, [
    'outstandingBalance',
    'lenders3m',
    'lenders6m',
    'lenders12m',
    'worstDaysPastDue',
    'overdueMonths24m',
    'historyMonths',
  ]);
  if (!o) return undefined;
  const b = all<BureauSummary>({
    outstandingBalance_fen: r.amount(o, 'outstandingBalance', p),
    lenders3m: r.count(o, 'lenders3m', p),
    lenders6m: r.count(o, 'lenders6m', p),
    lenders12m: r.count(o, 'lenders12m', p),
    worstDaysPastDue: r.count(o, 'worstDaysPastDue', p, 100_000),
    overdueMonths24m: r.count(o, 'overdueMonths24m', p, 24),
    historyMonths: r.count(o, 'historyMonths', p),
  });
  if (b && !(b.lenders3m <= b.lenders6m && b.lenders6m <= b.lenders12m)) {
    r.fail(
      join(p, 'lenders6m'),
      'lenders in a longer window cannot be fewer: need lenders3m ≤ lenders6m ≤ lenders12m',
      'lenders_order',
    );
    return undefined;
  }
  return b;
}

function readDevice(r: Reader, v: unknown, p: string): DeviceFacts | undefined {
  const o = r.object(v, p, ['deviceId', 'ip', 'sim', 'installSource', 'capturedAt']);
  if (!o) return undefined;
  return all({
    deviceId: r.text(o, 'deviceId', p),
    ip: r.text(o, 'ip', p),
    sim: r.text(o, 'sim', p),
    installSource: r.text(o, 'installSource', p),
    capturedAt: r.instant(o, 'capturedAt', p),
  });
}

function readPlan(r: Reader, v: unknown, p: string): BusinessPlan | undefined {
  const o = r.object(v, p, [
    'purpose',
    'projectedMonthlyRevenue',
    'projectedMonthlyCosts',
    'monthsToBreakEven',
  ]);
  if (!o) return undefined;
  return all({
    purpose: r.text(o, 'purpose', p),
    projectedMonthlyRevenue_fen: r.amount(o, 'projectedMonthlyRevenue', p),
    projectedMonthlyCosts_fen: r.amount(o, 'projectedMonthlyCosts', p),
    monthsToBreakEven: r.count(o, 'monthsToBreakEven', p, 120),
  });
}

function readStatements(r: Reader, v: unknown, p: string): FinancialStatements | undefined {
  const o = r.object(v, p, [
    'periodMonths',
    'monthlyRevenue',
    'monthlyCosts',
    'monthlyOperatingCashFlow',
    'cashBalance',
    'monthlyDebtService',
    'monthsTrading',
  ]);
  if (!o) return undefined;
  const periodMonths = r.count(o, 'periodMonths', p, 120);
  if (periodMonths === 0)
    r.fail(
      join(p, 'periodMonths'),
      'must be at least 1: the months the statements cover',
      'period_months_zero',
    );
  let cashFlow: number | undefined;
  const raw = o.monthlyOperatingCashFlow;
  if (typeof raw === 'string' && raw.startsWith('-')) {
    const positive = r.amount({ v: raw.slice(1) }, 'v', join(p, 'monthlyOperatingCashFlow'));
    cashFlow = positive === undefined ? undefined : -positive;
  } else cashFlow = r.amount(o, 'monthlyOperatingCashFlow', p);
  return all({
    periodMonths: periodMonths === 0 ? undefined : periodMonths,
    monthlyRevenue_fen: r.amount(o, 'monthlyRevenue', p),
    monthlyCosts_fen: r.amount(o, 'monthlyCosts', p),
    monthlyOperatingCashFlow_fen: cashFlow,
    cashBalance_fen: r.amount(o, 'cashBalance', p),
    monthlyDebtService_fen: r.amount(o, 'monthlyDebtService', p),
    monthsTrading: r.count(o, 'monthsTrading', p),
  });
}

function readBusiness(r: Reader, v: unknown, p: string): BusinessFacts | undefined {
  const o = r.object(v, p, ['name', 'industry', 'plan', 'statements']);
  if (!o) return undefined;
  const plan = o.plan === undefined ? undefined : readPlan(r, o.plan, join(p, 'plan'));
  const statements =
    o.statements === undefined ? undefined : readStatements(r, o.statements, join(p, 'statements'));
  if ((o.plan !== undefined && !plan) || (o.statements !== undefined && !statements)) return undefined;
  return all({ name: r.text(o, 'name', p), industry: r.text(o, 'industry', p), plan, statements }, [
    'plan',
    'statements',
  ]);
}

const APPLICATION_FIELDS = [
  'applicationId',
  'customerId',
  'invitationCode',
  'productId',
  'requestedLimit',
  'requestedTerm_months',
  'channel',
  'submittedAt',
  'identity',
  'address',
  'contacts',
  'maritalStatus',
  'housing',
  'dependants',
  'employment',
  'income',
  'monthlyExpenses',
  'assets',
  'debts',
  'bureau',
  'device',
  'business',
];

/**
 * Checks an application as received (JSON: amounts as yuan strings like "1234.56", instants with an offset,
 * dates YYYY-MM-DD) and returns it validated with amounts in fen. Unknown fields are refused. On any fault it
 * throws `application_invalid` with every issue found (path + how to fix it), as problem+json `errors[]`.
 */
export function validateApplication(raw: unknown): Application {
  const r = new Reader();
  const o = r.object(raw, '', APPLICATION_FIELDS);
  if (!o)
    throw new OriginationError('application_invalid', 'the application must be a JSON object', r.issues);
  const requestedLimit_fen = r.amount(o, 'requestedLimit', '');
  if (requestedLimit_fen === 0) r.fail('requestedLimit', 'must be more than 0', 'limit_zero');
  const occupation = (o.employment as Obj | undefined)?.occupation;
  const application = all<Application>(
    {
      applicationId: r.text(o, 'applicationId', ''),
      customerId: r.text(o, 'customerId', '', true),
      invitationCode: r.text(o, 'invitationCode', '', true),
      productId: r.text(o, 'productId', ''),
      requestedLimit_fen: requestedLimit_fen === 0 ? undefined : requestedLimit_fen,
      requestedTerm_months:
        o.requestedTerm_months === undefined
          ? undefined
          : (() => {
              const t = r.count(o, 'requestedTerm_months', '', TERM_MONTHS_MAX);
              if (t === 0)
                r.fail('requestedTerm_months', `must be from 1 to ${TERM_MONTHS_MAX}`, 'term_range', {
                  max: TERM_MONTHS_MAX,
                });
              return t === 0 ? undefined : t;
            })(),
      channel: r.text(o, 'channel', ''),
      submittedAt: r.instant(o, 'submittedAt', ''),
      identity: readIdentity(r, o.identity, 'identity'),
      address: readAddress(r, o.address, 'address'),
      contacts: items(r.list(o, 'contacts', '', CONTACTS_MAX), 'contacts', (x, q) => readContact(r, x, q)),
      maritalStatus: r.choice(o, 'maritalStatus', '', MARITAL_STATUSES),
      housing: r.choice(o, 'housing', '', HOUSINGS),
      dependants: r.count(o, 'dependants', '', 20),
      employment: readEmployment(r, o.employment, 'employment'),
      income: readIncome(r, o.income, 'income'),
      monthlyExpenses_fen: r.amount(o, 'monthlyExpenses', ''),
      assets: items(r.list(o, 'assets', '', LIST_ITEMS_MAX), 'assets', (x, q) => readAsset(r, x, q)),
      debts: items(r.list(o, 'debts', '', LIST_ITEMS_MAX), 'debts', (x, q) => readDebt(r, x, q)),
      bureau: readBureau(r, o.bureau, 'bureau'),
      device: readDevice(r, o.device, 'device'),
      business: o.business === undefined ? undefined : readBusiness(r, o.business, 'business'),
    },
    ['customerId', 'invitationCode', 'business', 'requestedTerm_months'],
  );
  if (occupation === 'business-owner' && o.business === undefined) {
    r.fail(
      'business',
      'is required for a business owner: give the business name and industry (and plan and statements above the policy threshold)',
      'business_required',
    );
  }
  if (r.issues.length > 0 || !application || (o.business !== undefined && !application.business)) {
    const first = r.issues[0];
    throw new OriginationError(
      'application_invalid',
      first
        ? `the application has ${counted(r.issues.length, 'invalid field')}; first: ${first.path} ${first.message}`
        : 'the application is invalid',
      r.issues,
    );
  }
  return application;
}
