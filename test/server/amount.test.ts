import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor as formatFen } from '../../src/money/index.js';
import { readAmount as parseAmount } from '../../src/server/http/amount.js';

const MAX_FEN = 1_000_000_000_00;

describe('decimal amounts', () => {
  it.each([
    ['0', 0],
    ['0.5', 50],
    ['0.05', 5],
    ['1234.56', 123456],
    ['1000000000.00', MAX_FEN],
    ['7', 700],
  ])('parses %s to %i fen', (text, fen) => {
    expect(parseAmount(text, MAX_FEN)).toEqual({ ok: true, fen });
  });

  it.each([
    ['-1.00', /negative/],
    ['+1.00', /sign/],
    ['1e3', /exponent/],
    ['1E3', /exponent/],
    ['1.005', /more than 2 decimal places/],
    ['0.001', /more than 2 decimal places/],
    ['1000000000.01', /above the maximum 1000000000.00/],
    ['99999999999999999999999', /above the maximum/],
    ['01.00', /plain decimal/],
    ['1.', /plain decimal/],
    ['.5', /plain decimal/],
    ['1,000', /plain decimal/],
    ['', /decimal string/],
    [' 1', /decimal string/],
    ['NaN', /plain decimal/],
    ['Infinity', /plain decimal/],
    ['0x10', /plain decimal/],
    ['１２', /plain decimal/],
  ])('refuses %j', (text, message) => {
    const result = parseAmount(text, MAX_FEN);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('round-trips every fen amount up to the maximum exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        expect(parseAmount(formatFen(fen), MAX_FEN)).toEqual({ ok: true, fen });
      }),
    );
  });

  it('agrees with integer arithmetic on yuan and fen parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 99 }), (yuan, cents) => {
        const text = `${yuan}.${String(cents).padStart(2, '0')}`;
        expect(parseAmount(text, MAX_FEN)).toEqual({ ok: true, fen: yuan * 100 + cents });
      }),
    );
  });

  it('formats fen with two decimals', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(123456)).toBe('1234.56');
    expect(formatFen(-1)).toBe('-0.01');
    expect(() => formatFen(0.5)).toThrow(/invariant/);
  });
});
