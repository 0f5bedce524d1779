import {
  AmountInputError,
  counted,
  type Day,
  formatDate,
  MoneyInputError,
  parseAmount,
  parseDate,
  parseRate,
  toExactDecimalString,
} from '../../money/index.js';
import { isLedgerInputError } from '../errors.js';
import { DEFAULT_PRODUCT, type Product, REPAYMENT_METHODS } from '../product.js';
import { parseProduct } from '../product-validate.js';

/**
 * 存量导入: the layout of a file of existing loans (docs/import.md), read into checked values. Pure: the
 * shell reads the file (and tokenises CSV); this module turns rows into loans, naming the line (CSV) or
 * the path (JSON) of every fault.
 */

/** Loans one file may hold (a bigger book is split into several files). */
export const IMPORT_LOANS_MAX = 200_000;
/** Faults listed before the reading stops (the first ones are the ones to fix). */
export const IMPORT_ERRORS_MAX = 50;
/** Longest loan, customer, line or product reference. */
export const IMPORT_REF_LENGTH_MAX = 64;

/** The balances the lender's old system states for a loan at the end of a day. */
export interface StatedBalances {
  /** The day the balances are as of (end of day), or the repayment's day for balances after it. */
  readonly day: Day;
  /** Outstanding principal (not due, due and overdue). */
  readonly principalMinor: number;
  /** Interest outstanding: billed and unpaid, plus accrued and not yet billed. */
  readonly interestMinor: number;
  /** 罚息 penalty interest accrued and not paid or waived. */
  readonly penaltyMinor: number;
  /** Fees billed and unpaid; not compared when the file leaves it out. */
  readonly feeMinor: number | null;
  readonly daysPastDue: number;
  /** Where in the file the balances are stated (`line 12`, `loans[3].balances[0]`). */
  readonly where: string;
}

export interface ImportRepayment {
  readonly day: Day;
  readonly amountMinor: number;
  /** Money beyond what is billed: `prepay` (default) repays early, `credit` is kept for the next dues. */
  readonly excess: 'prepay' | 'credit';
  /** Balances the old system states just after this repayment, if the file gives them. */
  readonly after: StatedBalances | null;
  readonly where: string;
}

export interface ImportCustomer {
  /** The lender's own customer reference (kept as the customer's external reference). */
  readonly ref: string;
  readonly name: string;
  /** 居民身份证号码, 18 characters. */
  readonly idNumber: string;
  readonly phone: string;
}

/** A product by code, with the terms to create it when the database does not have it. */
export interface ImportProduct {
  readonly code: string;
  /** The whole product document (the code as its id), or null to use the stored product of that code. */
  readonly terms: Product | null;
}

export interface ImportLoan {
  /** The lender's own loan number: unique in a file and across imports. */
  readonly loanRef: string;
  readonly customer: ImportCustomer;
  /** Loans with the same line reference are drawn on one credit line of the customer. */
  readonly lineRef: string;
  /** The line's limit; by default the loan's principal. */
  readonly lineLimitMinor: number | null;
  readonly product: ImportProduct;
  readonly drawdown: { readonly day: Day; readonly principalMinor: number };
  readonly repayments: readonly ImportRepayment[];
  /** At least one; in day order. The last is the statement the import is reconciled against. */
  readonly balances: readonly StatedBalances[];
  readonly where: string;
}

export interface ImportFault {
  /** `line 7` (CSV, counting the header as line 1) or a JSON path such as `loans[2].drawdown.day`. */
  readonly where: string;
  readonly message: string;
}

export type ImportRead =
  | { readonly ok: true; readonly loans: readonly ImportLoan[] }
  | { readonly ok: false; readonly faults: readonly ImportFault[] };

/** A fault in one value: the reader collects them and goes on. */
class FieldFault extends Error {}

const ID_NUMBER_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_NUMBER_CHECK = '10X98765432';

/** What is wrong with a resident ID number (format, birth date, check character), or undefined. */
export function idNumberFault(value: string): string | undefined {
  const id = value.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return 'must be 18 characters: 17 digits then a digit or X';
  try {
    parseDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
  } catch {
    return 'holds a birth date that is not a calendar date';
  }
  let sum = 0;
  ID_NUMBER_WEIGHTS.forEach((w, i) => {
    sum += w * Number(id[i]);
  });
  return ID_NUMBER_CHECK[sum % 11] === id[17]
    ? undefined
    : 'has a wrong check character (last character); check for a typo';
}

function fault(message: string): never {
  throw new FieldFault(message);
}

function text(value: unknown, name: string, required = true): string {
  if (value === undefined || value === null || value === '') {
    if (required) fault(`${name} is missing; give it`);
    return '';
  }
  if (typeof value !== 'string') fault(`${name} must be text, got ${JSON.stringify(value)}`);
  return value.trim();
}

function ref(value: unknown, name: string): string {
  const t = text(value, name);
  if (t.length > IMPORT_REF_LENGTH_MAX || !/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(t)) {
    fault(
      `${name} "${t}" must be 1 to ${IMPORT_REF_LENGTH_MAX} characters of letters, digits and . _ : / -, starting with a letter or digit`,
    );
  }
  return t;
}

function day(value: unknown, name: string): Day {
  const t = text(value, name);
  try {
    return parseDate(t, name);
  } catch (error) {
    if (error instanceof MoneyInputError) fault(error.message);
    throw error;
  }
}

/** Amounts are decimal strings of yuan ("1234.56"); JSON numbers are refused (binary fractions). */
function amount(value: unknown, name: string, allowZero: boolean): number {
  const t = text(value, name);
  if (/^0+(\.0+)?$/.test(t)) {
    if (allowZero) return 0;
    fault(`${name} must be above 0.00, got "${t}"`);
  }
  let minor: number;
  try {
    minor = parseAmount(t, { field: name });
  } catch (error) {
    if (error instanceof AmountInputError || error instanceof MoneyInputError) fault(error.message);
    throw error;
  }
  return minor;
}

function wholeDays(value: unknown, name: string): number {
  const t = typeof value === 'number' ? String(value) : text(value, name);
  if (!/^\d{1,5}$/.test(t)) fault(`${name} must be a whole number of days, 0 or more, got "${t}"`);
  return Number(t);
}

/** Runs `read`, turning its fault into an entry at `where`; returns undefined then. */
function guarded<T>(faults: ImportFault[], where: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldFault) {
      faults.push({ where, message: error.message });
      return undefined;
    }
    if (isLedgerInputError(error)) {
      faults.push({
        where,
        message: `product terms: ${error.field ? `${error.field}: ` : ''}${error.message}`,
      });
      return undefined;
    }
    throw error;
  }
}

function balancesOf(
  get: (name: string) => unknown,
  dayValue: Day,
  where: string,
  names: { principal: string; interest: string; penalty: string; fee: string; daysPastDue: string },
): StatedBalances {
  const fee = get(names.fee);
  return {
    day: dayValue,
    principalMinor: amount(get(names.principal), names.principal, true),
    interestMinor: amount(get(names.interest), names.interest, true),
    penaltyMinor: amount(get(names.penalty), names.penalty, true),
    feeMinor: fee === undefined || fee === null || fee === '' ? null : amount(fee, names.fee, true),
    daysPastDue: wholeDays(get(names.daysPastDue), names.daysPastDue),
    where,
  };
}

function excessOf(value: unknown, name: string): 'prepay' | 'credit' {
  const t = text(value, name, false);
  if (t === '' || t === 'prepay') return 'prepay';
  if (t === 'credit') return 'credit';
  return fault(`${name} must be prepay or credit, got "${t}"`);
}

/** A product from terms given in a file: the terms over the defaults, with the code as its id. */
function productFromTerms(code: string, terms: Record<string, unknown>): Product {
  return parseProduct({ ...DEFAULT_PRODUCT, name: code, ...terms, id: code });
}

/** Checks that hold across a loan's rows: order of days, a statement at the end, the lines' consistency. */
function checkLoans(loans: readonly ImportLoan[], faults: ImportFault[]): void {
  const seen = new Map<string, string>();
  const customers = new Map<string, ImportCustomer & { where: string }>();
  const lines = new Map<string, { customerRef: string; limit: number | null; where: string }>();
  const terms = new Map<string, { json: string; where: string }>();
  for (const loan of loans) {
    const first = seen.get(loan.loanRef);
    if (first !== undefined) {
      faults.push({ where: loan.where, message: `loan ${loan.loanRef} appears again (first at ${first})` });
    }
    seen.set(loan.loanRef, loan.where);
    const c = customers.get(loan.customer.ref);
    if (c === undefined) customers.set(loan.customer.ref, { ...loan.customer, where: loan.where });
    else if (
      c.idNumber.toUpperCase() !== loan.customer.idNumber.toUpperCase() ||
      c.name !== loan.customer.name
    ) {
      faults.push({
        where: loan.where,
        message: `customer ${loan.customer.ref} has another name or ID number than at ${c.where}; one customer reference is one person`,
      });
    }
    const l = lines.get(loan.lineRef);
    if (l === undefined) {
      lines.set(loan.lineRef, {
        customerRef: loan.customer.ref,
        limit: loan.lineLimitMinor,
        where: loan.where,
      });
    } else if (l.customerRef !== loan.customer.ref) {
      faults.push({
        where: loan.where,
        message: `credit line ${loan.lineRef} belongs to customer ${l.customerRef} (at ${l.where}), not ${loan.customer.ref}`,
      });
    } else if (loan.lineLimitMinor !== null && l.limit !== null && loan.lineLimitMinor !== l.limit) {
      faults.push({
        where: loan.where,
        message: `credit line ${loan.lineRef} has another limit than at ${l.where}; give one limit per line`,
      });
    }
    if (loan.product.terms !== null) {
      const json = JSON.stringify(loan.product.terms);
      const t = terms.get(loan.product.code);
      if (t === undefined) terms.set(loan.product.code, { json, where: loan.where });
      else if (t.json !== json) {
        faults.push({
          where: loan.where,
          message: `product ${loan.product.code} has other terms than at ${t.where}; give each set of terms its own code`,
        });
      }
    }
    const start = loan.drawdown.day;
    for (const r of loan.repayments) {
      if (r.day <= start) {
        faults.push({
          where: r.where,
          message: `repayment on ${formatDate(r.day)} is not after the drawdown on ${formatDate(start)}`,
        });
      }
    }
    for (const b of loan.balances) {
      if (b.day < start) {
        faults.push({
          where: b.where,
          message: `balances as of ${formatDate(b.day)} are before the drawdown on ${formatDate(start)}`,
        });
      }
    }
    const last = loan.balances.at(-1);
    if (last === undefined) {
      faults.push({
        where: loan.where,
        message: `loan ${loan.loanRef} has no stated balances; add a balance record (as of the day before the business day) to reconcile it against`,
      });
    } else {
      const lastPaid = loan.repayments.at(-1)?.day;
      if (lastPaid !== undefined && lastPaid > last.day) {
        faults.push({
          where: last.where,
          message: `the last balances (as of ${formatDate(last.day)}) are before the last repayment on ${formatDate(lastPaid)}; state the balances as of a day on or after it`,
        });
      }
    }
  }
}

function byDay<T extends { day: Day }>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.day - b.item.day || a.i - b.i)
    .map((x) => x.item);
}

function finish(loans: ImportLoan[], faults: ImportFault[]): ImportRead {
  if (faults.length === 0) checkLoans(loans, faults);
  if (faults.length === 0 && loans.length === 0)
    faults.push({ where: 'file', message: 'the file holds no loans' });
  return faults.length === 0
    ? { ok: true, loans }
    : { ok: false, faults: faults.slice(0, IMPORT_ERRORS_MAX) };
}

// ---------------------------------------------------------------------------------------------------
// CSV: one table, a `record` column saying what each row is (loan, repayment, balance).

export const CSV_COLUMNS_REQUIRED = [
  'record',
  'loan_ref',
  'customer_ref',
  'name',
  'id_number',
  'phone',
  'product',
  'day',
  'amount',
  'principal',
  'interest',
  'penalty',
  'days_past_due',
] as const;

export const CSV_COLUMNS_OPTIONAL = [
  'line_ref',
  'line_limit',
  'excess',
  'fee',
  'method',
  'term_count',
  'rate',
  'frequency',
  'day_count',
  'grace_days',
] as const;

const CSV_COLUMNS = new Set<string>([...CSV_COLUMNS_REQUIRED, ...CSV_COLUMNS_OPTIONAL]);

/** One CSV record with its line number in the file (the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

const FREQUENCIES = ['monthly', 'biweekly', 'weekly'];

/** CSV terms columns (method, term_count, rate, frequency, day_count, grace_days) as a product's fields. */
function csvTerms(get: (name: string) => string): Record<string, unknown> | null {
  const terms: Record<string, unknown> = {};
  const method = get('method');
  if (method !== '') {
    if (!(REPAYMENT_METHODS as readonly string[]).includes(method)) {
      fault(`method must be one of ${REPAYMENT_METHODS.join(', ')}, got "${method}"`);
    }
    terms.method = method;
  }
  const term = get('term_count');
  if (term !== '') {
    if (!/^\d{1,3}$/.test(term)) fault(`term_count must be a whole number of instalments, got "${term}"`);
    terms.termCount = Number(term);
  }
  const rate = get('rate');
  if (rate !== '') {
    try {
      const r = parseRate(rate, 'rate');
      terms.rate = {
        value: toExactDecimalString(r.value) ?? fault(`rate "${rate}" is not a decimal`),
        per: r.per,
      };
    } catch (error) {
      if (error instanceof MoneyInputError) fault(error.message);
      throw error;
    }
  }
  const frequency = get('frequency');
  if (frequency !== '') {
    if (!FREQUENCIES.includes(frequency)) fault(`frequency must be one of ${FREQUENCIES.join(', ')}`);
    terms.frequency = frequency;
  }
  const dayCount = get('day_count');
  if (dayCount !== '') terms.dayCount = dayCount;
  const grace = get('grace_days');
  if (grace !== '') terms.graceDays = wholeDays(grace, 'grace_days');
  return Object.keys(terms).length === 0 ? null : terms;
}

interface LoanDraft {
  loanRef: string;
  customer: ImportCustomer;
  lineRef: string;
  lineLimitMinor: number | null;
  product: ImportProduct;
  drawdown: { day: Day; principalMinor: number };
  repayments: ImportRepayment[];
  balances: StatedBalances[];
  where: string;
}

/**
 * Reads CSV records (the first the header) into loans. A loan's `loan` row comes before its repayment
 * and balance rows; rows of different loans may interleave.
 */
export function readImportCsv(records: readonly CsvRecord[]): ImportRead {
  const faults: ImportFault[] = [];
  const header = records[0];
  if (header === undefined)
    return { ok: false, faults: [{ where: 'line 1', message: 'the file is empty; it needs a header row' }] };
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS_REQUIRED.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    faults.push({
      where: `line ${header.line}`,
      message: `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the layout is in docs/import.md`,
    });
  }
  const unknown = names.filter((n) => !CSV_COLUMNS.has(n));
  if (unknown.length > 0) {
    faults.push({
      where: `line ${header.line}`,
      message: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the columns are ${[...CSV_COLUMNS].join(', ')}`,
    });
  }
  if (faults.length > 0) return { ok: false, faults };
  const index = new Map(names.map((n, i) => [n, i]));
  const drafts = new Map<string, LoanDraft>();
  const order: LoanDraft[] = [];
  const loanRows = new Set<string>();
  const failedDraft = (): Pick<LoanDraft, 'repayments' | 'balances'> => ({ repayments: [], balances: [] });
  for (const record of records.slice(1)) {
    if (faults.length >= IMPORT_ERRORS_MAX) break;
    const where = `line ${record.line}`;
    const get = (name: string): string => {
      const i = index.get(name);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    if (record.fields.length !== names.length) {
      faults.push({
        where,
        message: `the row has ${counted(record.fields.length, 'field')}, the header ${names.length}`,
      });
      continue;
    }
    guarded(faults, where, () => {
      const kind = get('record');
      const loanRef = ref(get('loan_ref'), 'loan_ref');
      if (kind === 'loan') {
        loanRows.add(loanRef);
        if (drafts.has(loanRef))
          fault(`loan ${loanRef} has a second loan row (first at ${drafts.get(loanRef)?.where})`);
        const customerRef = ref(get('customer_ref'), 'customer_ref');
        const idNumber = text(get('id_number'), 'id_number').toUpperCase();
        const idProblem = idNumberFault(idNumber);
        if (idProblem !== undefined) fault(`id_number ${idProblem}`);
        const phone = text(get('phone'), 'phone');
        if (!/^1[3-9]\d{9}$/.test(phone))
          fault(`phone must be a mainland mobile number of 11 digits, got "${phone}"`);
        const code = ref(get('product'), 'product');
        const terms = csvTerms(get);
        const lineRefText = get('line_ref');
        const limitText = get('line_limit');
        const draft: LoanDraft = {
          loanRef,
          customer: { ref: customerRef, name: text(get('name'), 'name'), idNumber, phone },
          lineRef: lineRefText === '' ? `loan:${loanRef}` : ref(lineRefText, 'line_ref'),
          lineLimitMinor: limitText === '' ? null : amount(limitText, 'line_limit', false),
          product: { code, terms: terms === null ? null : productFromTerms(code, terms) },
          drawdown: { day: day(get('day'), 'day'), principalMinor: amount(get('amount'), 'amount', false) },
          repayments: [],
          balances: [],
          where,
        };
        drafts.set(loanRef, draft);
        order.push(draft);
        return;
      }
      if (kind !== 'repayment' && kind !== 'balance') {
        fault(`record must be loan, repayment or balance, got "${kind}"`);
      }
      // A loan whose own row is faulty is named there once; its other rows are still checked.
      const draft = drafts.get(loanRef) ?? (loanRows.has(loanRef) ? failedDraft() : undefined);
      if (draft === undefined) fault(`loan ${loanRef} has no loan row before this ${kind} row`);
      const d = day(get('day'), 'day');
      const balanceNames = {
        principal: 'principal',
        interest: 'interest',
        penalty: 'penalty',
        fee: 'fee',
        daysPastDue: 'days_past_due',
      };
      if (kind === 'repayment') {
        const stated = ['principal', 'interest', 'penalty', 'days_past_due'].filter((n) => get(n) !== '');
        if (stated.length > 0 && stated.length < 4) {
          fault(
            'a repayment states the balances after it in all of principal, interest, penalty and days_past_due, or in none',
          );
        }
        draft.repayments.push({
          day: d,
          amountMinor: amount(get('amount'), 'amount', false),
          excess: excessOf(get('excess'), 'excess'),
          after: stated.length === 0 ? null : balancesOf(get, d, where, balanceNames),
          where,
        });
      } else {
        draft.balances.push(balancesOf(get, d, where, balanceNames));
      }
    });
  }
  return finish(
    order.map((d) => ({ ...d, repayments: byDay(d.repayments), balances: byDay(d.balances) })),
    faults,
  );
}

// ---------------------------------------------------------------------------------------------------
// JSON: { "loans": [ { loanRef, customer, creditLine, product, drawdown, repayments, balances } ] }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (!isObject(value)) fault(`${path} must be an object`);
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  if (extra.length > 0)
    fault(
      `${path} has unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')}; its fields are ${keys.join(', ')}`,
    );
  return value;
}

const BALANCE_KEYS = ['asOf', 'principal', 'interest', 'penalty', 'fee', 'daysPastDue'];
const JSON_BALANCE_NAMES = {
  principal: 'principal',
  interest: 'interest',
  penalty: 'penalty',
  fee: 'fee',
  daysPastDue: 'daysPastDue',
};

function jsonBalances(
  value: unknown,
  path: string,
  dayOf: ((b: Record<string, unknown>) => Day) | null,
): StatedBalances {
  const b = objectAt(value, path, dayOf === null ? BALANCE_KEYS : BALANCE_KEYS.filter((k) => k !== 'asOf'));
  const at = (name: string) => `${path}.${name}`;
  const named = Object.fromEntries(
    Object.entries(JSON_BALANCE_NAMES).map(([k, v]) => [k, at(v)]),
  ) as typeof JSON_BALANCE_NAMES;
  const d = dayOf === null ? day(b.asOf, at('asOf')) : dayOf(b);
  return balancesOf((n) => b[n.slice(path.length + 1)], d, path, named);
}

function jsonLoan(value: unknown, path: string, faults: ImportFault[]): ImportLoan | undefined {
  const start = faults.length;
  const loan = guarded(faults, path, () =>
    objectAt(value, path, [
      'loanRef',
      'customer',
      'creditLine',
      'product',
      'drawdown',
      'repayments',
      'balances',
    ]),
  );
  if (loan === undefined) return undefined;
  const at = (name: string) => `${path}.${name}`;
  const loanRef = guarded(faults, at('loanRef'), () => ref(loan.loanRef, at('loanRef')));
  const customer = guarded(faults, at('customer'), () => {
    const c = objectAt(loan.customer, at('customer'), ['ref', 'name', 'idNumber', 'phone']);
    const idNumber = text(c.idNumber, at('customer.idNumber')).toUpperCase();
    const idProblem = idNumberFault(idNumber);
    if (idProblem !== undefined) fault(`${at('customer.idNumber')} ${idProblem}`);
    const phone = text(c.phone, at('customer.phone'));
    if (!/^1[3-9]\d{9}$/.test(phone))
      fault(`${at('customer.phone')} must be a mainland mobile number of 11 digits`);
    return { ref: ref(c.ref, at('customer.ref')), name: text(c.name, at('customer.name')), idNumber, phone };
  });
  const line = guarded(faults, at('creditLine'), () => {
    if (loan.creditLine === undefined) return { ref: null, limit: null };
    const l = objectAt(loan.creditLine, at('creditLine'), ['ref', 'limit']);
    return {
      ref: l.ref === undefined ? null : ref(l.ref, at('creditLine.ref')),
      limit: l.limit === undefined ? null : amount(l.limit, at('creditLine.limit'), false),
    };
  });
  const product = guarded(faults, at('product'), (): ImportProduct => {
    if (typeof loan.product === 'string') return { code: ref(loan.product, at('product')), terms: null };
    const p = objectAt(loan.product, at('product'), ['code', 'terms']);
    const code = ref(p.code, at('product.code'));
    if (p.terms === undefined) return { code, terms: null };
    if (!isObject(p.terms)) fault(`${at('product.terms')} must be an object of product fields`);
    return { code, terms: productFromTerms(code, p.terms) };
  });
  const drawdown = guarded(faults, at('drawdown'), () => {
    const d = objectAt(loan.drawdown, at('drawdown'), ['day', 'principal']);
    return {
      day: day(d.day, at('drawdown.day')),
      principalMinor: amount(d.principal, at('drawdown.principal'), false),
    };
  });
  const repayments: ImportRepayment[] = [];
  const list = (name: string): unknown[] => {
    const v = loan[name];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      faults.push({ where: at(name), message: `${at(name)} must be an array` });
      return [];
    }
    return v;
  };
  list('repayments').forEach((item, i) => {
    const p = `${at('repayments')}[${i}]`;
    const r = guarded(faults, p, (): ImportRepayment => {
      const o = objectAt(item, p, ['day', 'amount', 'excess', 'balancesAfter']);
      const d = day(o.day, `${p}.day`);
      return {
        day: d,
        amountMinor: amount(o.amount, `${p}.amount`, false),
        excess: excessOf(o.excess, `${p}.excess`),
        after:
          o.balancesAfter === undefined ? null : jsonBalances(o.balancesAfter, `${p}.balancesAfter`, () => d),
        where: p,
      };
    });
    if (r !== undefined) repayments.push(r);
  });
  const balances: StatedBalances[] = [];
  list('balances').forEach((item, i) => {
    const b = guarded(faults, `${at('balances')}[${i}]`, () =>
      jsonBalances(item, `${at('balances')}[${i}]`, null),
    );
    if (b !== undefined) balances.push(b);
  });
  if (faults.length > start) return undefined;
  return {
    loanRef: loanRef!,
    customer: customer!,
    lineRef: line?.ref ?? `loan:${loanRef}`,
    lineLimitMinor: line?.limit ?? null,
    product: product!,
    drawdown: drawdown!,
    repayments: byDay(repayments),
    balances: byDay(balances),
    where: path,
  };
}

/** Reads a parsed JSON document `{ "loans": [...] }` into loans. */
export function readImportJson(document: unknown): ImportRead {
  const faults: ImportFault[] = [];
  if (!isObject(document) || !Array.isArray(document.loans)) {
    return {
      ok: false,
      faults: [
        {
          where: '(top)',
          message: 'the file must be an object with a "loans" array; the layout is in docs/import.md',
        },
      ],
    };
  }
  if (document.loans.length > IMPORT_LOANS_MAX) {
    return {
      ok: false,
      faults: [{ where: 'loans', message: `at most ${IMPORT_LOANS_MAX} loans per file; split it` }],
    };
  }
  const loans: ImportLoan[] = [];
  document.loans.forEach((item, i) => {
    if (faults.length >= IMPORT_ERRORS_MAX) return;
    const loan = jsonLoan(item, `loans[${i}]`, faults);
    if (loan !== undefined) loans.push(loan);
  });
  return finish(loans, faults);
}

/**
 * Faults of loans dated after `lastDay` (the day before the business day: the last closed day of the
 * book). History is what happened before today's business; anything later is refused, with its place.
 */
export function importDayFaults(loans: readonly ImportLoan[], lastDay: Day): ImportFault[] {
  const faults: ImportFault[] = [];
  const late = (where: string, what: string, d: Day) =>
    faults.push({
      where,
      message: `${what} on ${formatDate(d)} is after ${formatDate(lastDay)}, the last closed day of the book; import history up to the day before the business day`,
    });
  for (const loan of loans) {
    if (faults.length >= IMPORT_ERRORS_MAX) break;
    if (loan.drawdown.day > lastDay) late(loan.where, 'the drawdown', loan.drawdown.day);
    for (const r of loan.repayments) if (r.day > lastDay) late(r.where, 'a repayment', r.day);
    for (const b of loan.balances) if (b.day > lastDay) late(b.where, 'a balance', b.day);
  }
  return faults.slice(0, IMPORT_ERRORS_MAX);
}
