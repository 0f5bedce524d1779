import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REVIEW_FLAG_KINDS } from '../../src/origination/index.js';
import { aprPercent, FLAG_KINDS, OUTCOMES, percent, percentFixed } from '../../web/src/decisions.js';
import { en, zhCN } from '../../web/src/messages.js';

describe('the Decisions pages’ helpers', () => {
  it('shows rates as percentages by moving the decimal point in the text', () => {
    expect(percent('0.0005')).toBe('0.05%');
    expect(percent('0.073001')).toBe('7.3001%');
    expect(percent('0.24')).toBe('24%');
    expect(percent('1')).toBe('100%');
    expect(percent('0')).toBe('0%');
    expect(percent(null)).toBe('—');
    expect(percent('abc')).toBe('—');
  });

  it('shows an APR to two decimals, rounded half-up in the text', () => {
    expect(aprPercent('0.109499')).toBe('10.95%');
    expect(aprPercent('0.1094949')).toBe('10.95%');
    expect(aprPercent('0.1094449')).toBe('10.94%');
    expect(aprPercent('0.24')).toBe('24.00%');
    expect(aprPercent('0.99999')).toBe('100.00%');
    expect(aprPercent('0')).toBe('0.00%');
    expect(aprPercent(null)).toBe('—');
    expect(percentFixed('0.00049', 2)).toBe('0.05%');
    expect(percentFixed('0.0000499', 2)).toBe('0.00%');
  });

  it('gives a hundred times the rate, exactly, for any decimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }), (n, scale) => {
        const digits = n.toString().padStart(scale + 1, '0');
        const rate = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        const shown = percent(rate);
        expect(shown.endsWith('%')).toBe(true);
        // shown × 10^(scale-2) back to an integer must be n.
        const [whole, fraction = ''] = shown.slice(0, -1).split('.');
        const back = BigInt(`${whole}${fraction}`) * 10n ** BigInt(Math.max(0, scale - 2 - fraction.length));
        const divisor = 10n ** BigInt(Math.max(0, fraction.length - (scale - 2)));
        expect(back).toBe(n * divisor);
      }),
    );
  });

  it('knows every flag kind the detectors raise, and names each kind and outcome in both languages', () => {
    expect([...FLAG_KINDS].sort()).toEqual([...REVIEW_FLAG_KINDS].sort());
    for (const kind of FLAG_KINDS) {
      expect(en[`flag.${kind}` as keyof typeof en]).toBeTruthy();
      expect(zhCN[`flag.${kind}` as keyof typeof en]).toBeTruthy();
    }
    expect(OUTCOMES.map((o) => zhCN[`outcome.${o}` as keyof typeof en])).toEqual(['批准', '拒绝', '转人工']);
  });
});
