import {
  CURRENCIES,
  compare,
  DAY_COUNTS,
  divide,
  formatDecimal,
  isCurrencyCode,
  isDayCount,
  MoneyInputError,
  nominalAnnualRate,
  parseDecimal,
  parseRate,
  type Rational,
  ROUNDING_MODES,
  rational,
  toExactDecimalString,
} from '../money/index.js';
import { assertWithinAprCap } from './apr.js';
import { LedgerInputError } from './errors.js';
import {
  type AllocationComponent,
  type AllocationSettings,
  DEFAULT_PRODUCT,
  type EarlyInstallmentInterest,
  type EarlyRepaymentEffect,
  type FeeSettings,
  type Frequency,
  type PenaltyBase,
  type PenaltySettings,
  type PeriodicRateBasis,
  type Product,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  type RoundingSettings,
} from './product.js';
import { TERM_COUNT_MAX } from './schedule.js';

/**
 * Products arrive as data (a JSON file, an API body, a CLI option) and are checked here once. Every field
 * of `Product` is validated; a missing field takes its value from `DEFAULT_PRODUCT` (nested objects are
 * merged field by field, arrays are replaced whole); an unknown field is refused, so that a misspelt
 * setting never silently falls back to a default. Each refusal is a `LedgerInputError` naming the field
 * and saying how to fix it. Codes are listed in docs/ledger-products.md.
 */

/** Bounds on product fields. */
export const PRODUCT_BOUNDS = {
  idLengthMax: 64,
  nameLengthMax: 200,
  termCountMin: 1,
  termCountMax: TERM_COUNT_MAX,
  graceDaysMin: 0,
  graceDaysMax: 30,
  /** Penalty uplift over the contract rate: 0 (none) to 1 (double). PBOC 银发〔2003〕251号: 0.3–0.5. */
  penaltyUpliftMax: '1',
  /** A nominal annual contract rate above this (100%) is taken for a typo, whatever the cap. */
  nominalAnnualRateMax: '1',
  /** The APR cap itself must lie in (0, 1]. */
  aprCapMax: '1',
  feesMax: 10,
  feeNameLengthMax: 40,
  /** A fee as a share of the principal above this (50%) is taken for a typo. */
  feePrincipalRateMax: '0.5',
} as const;

const FREQUENCIES: readonly Frequency[] = ['monthly', 'biweekly', 'weekly'];
const RATE_BASES: readonly PeriodicRateBasis[] = ['actual-days', 'nominal'];
const PENALTY_BASES: readonly PenaltyBase[] = ['overdue-principal', 'overdue-principal-and-interest'];
const COMPONENTS: readonly AllocationComponent[] = ['penalty', 'fee', 'interest', 'principal'];
const ACROSS: readonly AllocationSettings['across'][] = ['oldest-due-first', 'component-first'];
const EARLY_EFFECTS: readonly EarlyRepaymentEffect[] = ['reduce-installment', 'shorten-term'];
const EARLY_INSTALLMENT_INTEREST: readonly EarlyInstallmentInterest[] = ['to-due-date', 'to-payment-date'];
const FEE_KINDS: readonly FeeSettings['kind'][] = ['upfront', 'per-installment'];
const FEE_BASES: readonly FeeSettings['basis'][] = ['fixed', 'principal-rate'];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const PRODUCT_FIELDS = Object.keys(DEFAULT_PRODUCT) as (keyof Product)[];

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (isPlainObject(value)) return 'an object';
  return String(value);
}

function fail(code: string, field: string, message: string): never {
  throw new LedgerInputError(code, field, `${field} ${message}`);
}

function refuseUnknown(value: Json, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const field = prefix ? `${prefix}.${key}` : key;
      throw new LedgerInputError(
        'unknown_field',
        field,
        `${field} is not a product field; remove it or correct its name (fields${prefix ? ` of ${prefix}` : ''}: ${allowed.join(', ')})`,
      );
    }
  }
}

function objectField(value: unknown, field: string): Json {
  if (!isPlainObject(value)) fail('invalid_type', field, `must be an object, got ${describe(value)}`);
  return value;
}

function stringField(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string')
    fail('invalid_type', field, `must be a string, got ${describe(value)}; e.g. ${example}`);
  return value;
}

function oneOf<T extends string>(value: unknown, options: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail('invalid_value', field, `is ${describe(value)}; use one of: ${options.join(', ')}`);
  }
  return value as T;
}

function integerIn(value: unknown, min: number, max: number, field: string, hint: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(
      'invalid_type',
      field,
      `must be a whole number from ${min} to ${max}, got ${describe(value)}; ${hint}`,
    );
  }
  if (value < min || value > max) {
    fail('out_of_range', field, `must be from ${min} to ${max}, got ${value}; ${hint}`);
  }
  return value;
}

function decimalField(value: unknown, field: string, example: string): Rational {
  const text = stringField(value, field, example);
  try {
    return parseDecimal(text, field);
  } catch (error) {
    if (error instanceof MoneyInputError) {
      fail(
        'invalid_decimal',
        field,
        `"${text}" is not a plain decimal; write it as a string like ${example}`,
      );
    }
    throw error;
  }
}

function booleanField(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    fail('invalid_type', field, `must be true or false, got ${describe(value)}`);
  return value;
}

function merged(input: Json, key: keyof Product): Json {
  const defaults = DEFAULT_PRODUCT[key] as unknown as Json;
  if (!(key in input)) return { ...defaults };
  const given = objectField(input[key], key);
  refuseUnknown(given, Object.keys(defaults), key);
  return { ...defaults, ...given };
}

/** Codes of `parseRate`'s refusals as product codes. */
const RATE_TEXT_CODES: Readonly<Record<string, string>> = {
  rate_negative: 'out_of_range',
  rate_out_of_range: 'rate_implausible',
};

function parseRateField(input: Json): Product['rate'] {
  // Shorthand accepted in files and on the command line: "rate": "0.0005/day" (or "0.05%/day").
  if (typeof input.rate === 'string') {
    try {
      const rate = parseRate(input.rate, 'rate');
      return { value: toExactDecimalString(rate.value) ?? '', per: rate.per };
    } catch (error) {
      if (error instanceof MoneyInputError) {
        const code = RATE_TEXT_CODES[error.code] ?? 'invalid_rate';
        throw new LedgerInputError(code, 'rate', `${error.message} (e.g. "0.0005/day" or "0.18/year")`);
      }
      throw error;
    }
  }
  const rate = merged(input, 'rate');
  const per = oneOf(rate.per, ['day', 'year'] as const, 'rate.per');
  const value = decimalField(rate.value, 'rate.value', '"0.0005"');
  if (value.num < 0n)
    fail('out_of_range', 'rate.value', `is negative (${rate.value as string}); rates are 0 or more`);
  return { value: rate.value as string, per };
}

function parseRounding(input: Json, currency: keyof typeof CURRENCIES): RoundingSettings {
  const rounding = merged(input, 'rounding');
  const mode = oneOf(rounding.mode, ROUNDING_MODES, 'rounding.mode');
  const currencyScale = CURRENCIES[currency].scale;
  const scale = integerIn(
    rounding.scale,
    0,
    currencyScale,
    'rounding.scale',
    `the decimals kept in scheduled amounts: 2 = fen, 1 = jiao, 0 = yuan`,
  ) as RoundingSettings['scale'];
  return { mode, scale };
}

function parsePenalty(input: Json): PenaltySettings {
  const penalty = merged(input, 'penalty');
  const uplift = decimalField(penalty.uplift, 'penalty.uplift', '"0.5" for contract rate + 50%');
  if (uplift.num < 0n || compare(uplift, parseDecimal(PRODUCT_BOUNDS.penaltyUpliftMax)) > 0) {
    fail(
      'out_of_range',
      'penalty.uplift',
      `is ${penalty.uplift as string}; give the uplift over the contract rate from 0 to ${PRODUCT_BOUNDS.penaltyUpliftMax} (PBOC 银发〔2003〕251号: 0.3 to 0.5, e.g. "0.5")`,
    );
  }
  return {
    uplift: penalty.uplift as string,
    base: oneOf(penalty.base, PENALTY_BASES, 'penalty.base'),
    compounding: booleanField(penalty.compounding, 'penalty.compounding'),
  };
}

function parseAllocation(input: Json): AllocationSettings {
  const allocation = merged(input, 'allocation');
  const order = allocation.order;
  if (!Array.isArray(order)) {
    fail(
      'invalid_type',
      'allocation.order',
      `must be a list of ${COMPONENTS.join(', ')}, got ${describe(order)}`,
    );
  }
  for (const item of order) oneOf(item, COMPONENTS, 'allocation.order');
  const unique = new Set(order as string[]);
  if (order.length !== COMPONENTS.length || unique.size !== COMPONENTS.length) {
    fail(
      'not_a_permutation',
      'allocation.order',
      `is ${describe(order)}; list each of ${COMPONENTS.join(', ')} exactly once, e.g. ["penalty", "fee", "interest", "principal"]`,
    );
  }
  return {
    order: Object.freeze([...(order as AllocationComponent[])]),
    across: oneOf(allocation.across, ACROSS, 'allocation.across'),
  };
}

function parseFees(input: Json, currency: keyof typeof CURRENCIES): FeeSettings[] {
  if (!('fees' in input)) return [];
  const fees = input.fees;
  if (!Array.isArray(fees))
    fail('invalid_type', 'fees', `must be a list of fees, got ${describe(fees)}; use [] for none`);
  if (fees.length > PRODUCT_BOUNDS.feesMax) {
    fail(
      'out_of_range',
      'fees',
      `has ${fees.length} fees; at most ${PRODUCT_BOUNDS.feesMax} are allowed, combine some`,
    );
  }
  const names = new Set<string>();
  return fees.map((raw, index) => {
    const field = `fees[${index}]`;
    const fee = objectField(raw, field);
    refuseUnknown(fee, ['name', 'kind', 'basis', 'value'], field);
    const name = stringField(fee.name, `${field}.name`, '"service"');
    if (name.length === 0 || name.length > PRODUCT_BOUNDS.feeNameLengthMax) {
      fail('out_of_range', `${field}.name`, `must be 1 to ${PRODUCT_BOUNDS.feeNameLengthMax} characters`);
    }
    if (names.has(name))
      fail('duplicate_fee', `${field}.name`, `"${name}" is used twice; give each fee its own name`);
    names.add(name);
    const kind = oneOf(fee.kind, FEE_KINDS, `${field}.kind`);
    const basis = oneOf(fee.basis, FEE_BASES, `${field}.basis`);
    const value = decimalField(
      fee.value,
      `${field}.value`,
      basis === 'fixed' ? '"20.00" (yuan)' : '"0.01" (1% of the principal)',
    );
    if (value.num < 0n) fail('out_of_range', `${field}.value`, `is negative; fees are 0 or more`);
    if (basis === 'fixed') {
      const scale = CURRENCIES[currency].scale;
      const minor = rational(value.num * 10n ** BigInt(scale), value.den);
      if (minor.den !== 1n) {
        fail(
          'out_of_range',
          `${field}.value`,
          `"${fee.value as string}" has more than ${scale} decimals; fixed fees are amounts in yuan like "20.00"`,
        );
      }
    } else if (compare(value, parseDecimal(PRODUCT_BOUNDS.feePrincipalRateMax)) > 0) {
      fail(
        'out_of_range',
        `${field}.value`,
        `is ${fee.value as string} of the principal, above ${PRODUCT_BOUNDS.feePrincipalRateMax}; write a rate like "0.01" for 1%`,
      );
    }
    return Object.freeze({ name, kind, basis, value: fee.value as string });
  });
}

/**
 * Validates a product given as data and returns it complete and frozen. Throws `LedgerInputError` on the
 * first fault, naming the field (dotted path) and how to fix it; also when the product's APR (all fees,
 * representative drawdown of 10,000.00 yuan) exceeds its `aprCap`.
 */
export function parseProduct(input: unknown): Product {
  if (!isPlainObject(input)) {
    throw new LedgerInputError(
      'invalid_type',
      '',
      `a product must be an object of fields, got ${describe(input)}`,
    );
  }
  refuseUnknown(input, PRODUCT_FIELDS, '');
  const d = DEFAULT_PRODUCT;
  const get = (key: keyof Product): unknown => (key in input ? input[key] : d[key]);

  const id = stringField(get('id'), 'id', '"cash-loan-12m"');
  if (!ID_PATTERN.test(id) || id.length > PRODUCT_BOUNDS.idLengthMax) {
    fail(
      'invalid_value',
      'id',
      `"${id}" must be 1 to ${PRODUCT_BOUNDS.idLengthMax} letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const name = stringField(get('name'), 'name', '"12-month cash loan"');
  if (name.trim().length === 0 || name.length > PRODUCT_BOUNDS.nameLengthMax) {
    fail('out_of_range', 'name', `must be 1 to ${PRODUCT_BOUNDS.nameLengthMax} characters`);
  }
  const currencyText = stringField(get('currency'), 'currency', '"CNY"');
  if (!isCurrencyCode(currencyText)) {
    fail(
      'invalid_value',
      'currency',
      `is "${currencyText}"; use one of: ${Object.keys(CURRENCIES).join(', ')}`,
    );
  }
  const currency = currencyText;
  const method: RepaymentMethod = oneOf(get('method'), REPAYMENT_METHODS, 'method');
  const termCount = integerIn(
    get('termCount'),
    PRODUCT_BOUNDS.termCountMin,
    PRODUCT_BOUNDS.termCountMax,
    'termCount',
    method === 'pay-any-time'
      ? 'give the months to maturity, e.g. 12'
      : 'give the number of instalments, e.g. 12',
  );
  const frequency = oneOf(get('frequency'), FREQUENCIES, 'frequency');
  if (method === 'pay-any-time' && frequency !== 'monthly') {
    fail(
      'invalid_value',
      'frequency',
      `is "${frequency}", but pay-any-time has one maturity termCount months on; use "monthly"`,
    );
  }
  const rate = parseRateField(input);
  const dayCountText = stringField(get('dayCount'), 'dayCount', '"ACT/365F"');
  if (!isDayCount(dayCountText))
    fail('invalid_value', 'dayCount', `is "${dayCountText}"; use one of: ${DAY_COUNTS.join(', ')}`);
  const dayCount = dayCountText;
  const annual = nominalAnnualRate({ value: parseDecimal(rate.value), per: rate.per }, dayCount);
  if (compare(annual, parseDecimal(PRODUCT_BOUNDS.nominalAnnualRateMax)) > 0) {
    fail(
      'rate_implausible',
      'rate.value',
      `${rate.value}/${rate.per} is over 100% a year; check the decimal point and the period (0.0005/day = 0.05% a day)`,
    );
  }
  const periodicRateBasis = oneOf(get('periodicRateBasis'), RATE_BASES, 'periodicRateBasis');
  const rounding = parseRounding(input, currency);
  const penalty = parsePenalty(input);
  const graceDays = integerIn(
    get('graceDays'),
    PRODUCT_BOUNDS.graceDaysMin,
    PRODUCT_BOUNDS.graceDaysMax,
    'graceDays',
    'give the days after a due date before penalty interest starts (convention 0 to 3)',
  );
  const allocation = parseAllocation(input);
  const earlyRepayment = oneOf(get('earlyRepayment'), EARLY_EFFECTS, 'earlyRepayment');
  const earlyInstallmentInterest = oneOf(
    get('earlyInstallmentInterest'),
    EARLY_INSTALLMENT_INTEREST,
    'earlyInstallmentInterest',
  );
  const fees = parseFees(input, currency);
  const aprCapText = stringField(get('aprCap'), 'aprCap', '"0.24"');
  const aprCap = decimalField(aprCapText, 'aprCap', '"0.24"');
  if (aprCap.num <= 0n || compare(aprCap, parseDecimal(PRODUCT_BOUNDS.aprCapMax)) > 0) {
    fail(
      'out_of_range',
      'aprCap',
      `is ${aprCapText}; give the highest APR allowed as a decimal above 0 and at most 1, e.g. "0.24" for 24%`,
    );
  }
  if (compare(annual, aprCap) > 0) {
    const percent = (Number((annual.num * 1_000_000n) / annual.den) / 10_000).toFixed(2);
    fail(
      'rate_above_apr_cap',
      'rate.value',
      `${rate.value}/${rate.per} is ${percent}% a year, above the APR cap ${aprCapText}; lower the rate (at ${dayCount} the cap allows ${capAsRate(aprCap, rate.per, dayCount)}/${rate.per})`,
    );
  }

  const product: Product = Object.freeze({
    id,
    name,
    currency,
    method,
    termCount,
    frequency,
    rate: Object.freeze(rate),
    dayCount,
    periodicRateBasis,
    rounding: Object.freeze(rounding),
    penalty: Object.freeze(penalty),
    graceDays,
    allocation: Object.freeze(allocation),
    earlyRepayment,
    earlyInstallmentInterest,
    fees: Object.freeze(fees),
    aprCap: aprCapText,
  });
  assertWithinAprCap(product);
  return product;
}

/** The highest rate per `per` within the cap, rounded down for messages: 0.24/year at ACT/365F → 0.000657534/day. */
function capAsRate(cap: Rational, per: 'day' | 'year', dayCount: Product['dayCount']): string {
  if (per === 'year') return formatDecimal(cap, 6, 'down').replace(/0+$/, '');
  const days = nominalAnnualRate({ value: rational(1), per: 'day' }, dayCount);
  return formatDecimal(divide(cap, days), 9, 'down').replace(/0+$/, '');
}
