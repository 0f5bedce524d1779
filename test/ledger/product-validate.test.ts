import { describe, expect, it } from 'vitest';
import { LedgerInputError } from '../../src/ledger/errors.js';
import { DEFAULT_PRODUCT } from '../../src/ledger/product.js';
import { parseProduct } from '../../src/ledger/product-validate.js';

describe('parseProduct', () => {
  it('fills every field from the defaults', () => {
    expect(parseProduct({})).toEqual(DEFAULT_PRODUCT);
  });

  it('merges nested settings field by field and freezes the result', () => {
    const product = parseProduct({ penalty: { uplift: '0.3' }, rounding: { scale: 1 } });
    expect(product.penalty).toEqual({ ...DEFAULT_PRODUCT.penalty, uplift: '0.3' });
    expect(product.rounding).toEqual({ mode: 'half-up', scale: 1 });
    expect(Object.isFrozen(product)).toBe(true);
    expect(Object.isFrozen(product.penalty)).toBe(true);
  });

  it('takes the default for settings a product document written before them does not have', () => {
    // A product document as stored before earlyInstallmentInterest existed still validates, with the default.
    const { earlyInstallmentInterest: _, ...older } = DEFAULT_PRODUCT;
    expect(parseProduct(JSON.parse(JSON.stringify(older)))).toEqual(DEFAULT_PRODUCT);
    expect(DEFAULT_PRODUCT.earlyInstallmentInterest).toBe('to-due-date');
    expect(parseProduct({ earlyInstallmentInterest: 'to-payment-date' }).earlyInstallmentInterest).toBe(
      'to-payment-date',
    );
  });

  it('accepts 等本等息 (flat-rate) within the cap on its APR, not on its quoted rate', () => {
    // 1% a month flat over 12 months: quoted 12% a year, APR about 21.5% — within 24%.
    expect(
      parseProduct({ method: 'flat-rate', rate: '0.12/year', periodicRateBasis: 'nominal' }).method,
    ).toBe('flat-rate');
  });

  it('accepts a rate written as text, percent included', () => {
    expect(parseProduct({ rate: '0.05%/day' }).rate).toEqual({ value: '0.0005', per: 'day' });
    expect(parseProduct({ rate: '0.18/year' }).rate).toEqual({ value: '0.18', per: 'year' });
  });

  it('accepts a rate up to the cap and a higher one when the cap is raised', () => {
    // 0.000657/day × 365 = 23.98% ≤ 24%.
    expect(parseProduct({ rate: '0.000657/day', method: 'pay-any-time' }).rate.value).toBe('0.000657');
    expect(parseProduct({ rate: '0.0008/day', aprCap: '0.36' }).aprCap).toBe('0.36');
  });

  const bad: [string, unknown, string, string][] = [
    ['not an object', [], 'invalid_type', ''],
    ['unknown field', { termCuont: 12 }, 'unknown_field', 'termCuont'],
    ['unknown nested field', { penalty: { upflit: '0.5' } }, 'unknown_field', 'penalty.upflit'],
    ['empty id', { id: '' }, 'invalid_value', 'id'],
    ['blank name', { name: '  ' }, 'out_of_range', 'name'],
    ['unknown currency', { currency: 'EUR' }, 'invalid_value', 'currency'],
    ['unknown method', { method: 'balloon' }, 'invalid_value', 'method'],
    ['term 0', { termCount: 0 }, 'out_of_range', 'termCount'],
    ['term 361', { termCount: 361 }, 'out_of_range', 'termCount'],
    ['fractional term', { termCount: 1.5 }, 'invalid_type', 'termCount'],
    ['term as text', { termCount: '12' }, 'invalid_type', 'termCount'],
    ['unknown frequency', { frequency: 'daily' }, 'invalid_value', 'frequency'],
    ['pay-any-time weekly', { method: 'pay-any-time', frequency: 'weekly' }, 'invalid_value', 'frequency'],
    ['negative rate', { rate: { value: '-0.0005', per: 'day' } }, 'out_of_range', 'rate.value'],
    ['rate not a decimal', { rate: { value: '5e-4', per: 'day' } }, 'invalid_decimal', 'rate.value'],
    ['rate as a number', { rate: { value: 0.0005, per: 'day' } }, 'invalid_type', 'rate.value'],
    ['rate per month', { rate: { value: '0.015', per: 'month' } }, 'invalid_value', 'rate.per'],
    ['rate text without period', { rate: '0.0005' }, 'invalid_rate', 'rate'],
    ['implausible rate', { rate: '0.05/day' }, 'rate_implausible', 'rate.value'],
    ['rate above the cap', { rate: '0.0007/day' }, 'rate_above_apr_cap', 'rate.value'],
    ['unknown day count', { dayCount: 'ACT/364' }, 'invalid_value', 'dayCount'],
    ['unknown rate basis', { periodicRateBasis: 'flat' }, 'invalid_value', 'periodicRateBasis'],
    ['unknown rounding mode', { rounding: { mode: 'bankers' } }, 'invalid_value', 'rounding.mode'],
    ['rounding scale 3', { rounding: { scale: 3 } }, 'out_of_range', 'rounding.scale'],
    ['negative uplift', { penalty: { uplift: '-0.1' } }, 'out_of_range', 'penalty.uplift'],
    ['uplift 150%', { penalty: { uplift: '1.5' } }, 'out_of_range', 'penalty.uplift'],
    ['unknown penalty base', { penalty: { base: 'total' } }, 'invalid_value', 'penalty.base'],
    ['compounding as text', { penalty: { compounding: 'yes' } }, 'invalid_type', 'penalty.compounding'],
    ['grace 31 days', { graceDays: 31 }, 'out_of_range', 'graceDays'],
    ['negative grace', { graceDays: -1 }, 'out_of_range', 'graceDays'],
    [
      'order missing principal',
      { allocation: { order: ['penalty', 'fee', 'interest'] } },
      'not_a_permutation',
      'allocation.order',
    ],
    [
      'order with a repeat',
      { allocation: { order: ['penalty', 'interest', 'interest', 'principal'] } },
      'not_a_permutation',
      'allocation.order',
    ],
    [
      'order with an unknown part',
      { allocation: { order: ['tax', 'fee', 'interest', 'principal'] } },
      'invalid_value',
      'allocation.order',
    ],
    ['unknown across', { allocation: { across: 'newest-first' } }, 'invalid_value', 'allocation.across'],
    ['unknown early effect', { earlyRepayment: 'refund' }, 'invalid_value', 'earlyRepayment'],
    [
      'unknown early-instalment interest',
      { earlyInstallmentInterest: 'none' },
      'invalid_value',
      'earlyInstallmentInterest',
    ],
    [
      'a flat rate whose APR is over the cap',
      { method: 'flat-rate', rate: '0.144/year', periodicRateBasis: 'nominal' },
      'apr_above_cap',
      'aprCap',
    ],
    ['fees not a list', { fees: {} }, 'invalid_type', 'fees'],
    [
      'fee unknown field',
      { fees: [{ name: 'a', kind: 'upfront', basis: 'fixed', value: '1', vat: '0' }] },
      'unknown_field',
      'fees[0].vat',
    ],
    [
      'fee unknown kind',
      { fees: [{ name: 'a', kind: 'monthly', basis: 'fixed', value: '1' }] },
      'invalid_value',
      'fees[0].kind',
    ],
    [
      'fee negative',
      { fees: [{ name: 'a', kind: 'upfront', basis: 'fixed', value: '-1' }] },
      'out_of_range',
      'fees[0].value',
    ],
    [
      'fee to the tenth of a fen',
      { fees: [{ name: 'a', kind: 'upfront', basis: 'fixed', value: '1.005' }] },
      'out_of_range',
      'fees[0].value',
    ],
    [
      'fee rate 60%',
      { fees: [{ name: 'a', kind: 'upfront', basis: 'principal-rate', value: '0.6' }] },
      'out_of_range',
      'fees[0].value',
    ],
    [
      'duplicate fee names',
      {
        fees: [
          { name: 'a', kind: 'upfront', basis: 'fixed', value: '1' },
          { name: 'a', kind: 'per-installment', basis: 'fixed', value: '1' },
        ],
      },
      'duplicate_fee',
      'fees[1].name',
    ],
    ['cap 0', { aprCap: '0' }, 'out_of_range', 'aprCap'],
    ['cap 150%', { aprCap: '1.5' }, 'out_of_range', 'aprCap'],
    [
      'fees push the APR over the cap',
      { fees: [{ name: 'service', kind: 'upfront', basis: 'principal-rate', value: '0.05' }] },
      'apr_above_cap',
      'aprCap',
    ],
  ];

  it.each(bad)('refuses %s', (_label, input, code, field) => {
    let caught: unknown;
    try {
      parseProduct(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LedgerInputError);
    const error = caught as LedgerInputError;
    expect({ code: error.code, field: error.field }).toEqual({ code, field });
    // The message names the field and says what to do.
    if (field) expect(error.message).toContain(field.split('[')[0]!);
    expect(error.message).toMatch(/;|, use|give|lower|remove|list|write|must/);
  });

  it('explains the cap in terms of the rate that fits it', () => {
    expect(() => parseProduct({ rate: '0.0007/day' })).toThrowError(
      /25\.55% a year, above the APR cap 0\.24.*0\.000657/,
    );
  });
});
