import { describe, expect, it } from 'vitest';
import { csvRows, monthEndOf, twoPlaces } from '../../web/src/finance.js';

describe('the finance pages’ own checks', () => {
  it('turns a month into its last day, leap years included, and refuses what is not a month', () => {
    expect(monthEndOf('2026-04')).toBe('2026-04-30');
    expect(monthEndOf('2028-02')).toBe('2028-02-29');
    expect(monthEndOf(' 2026-12 ')).toBe('2026-12-31');
    for (const bad of ['2026-13', '2026-4', 'April', '2026-04-30', ''])
      expect(monthEndOf(bad), bad).toBeUndefined();
  });

  it('writes amounts with two places and reads a CSV with or without its header', () => {
    expect(twoPlaces('150000')).toBe('150000.00');
    expect(twoPlaces('10.5')).toBe('10.50');
    expect(twoPlaces('0.05')).toBe('0.05');
    expect(
      csvRows('day,amount,label\n2026-07-10,100.00,bank loan, tranche A\r\n\n2026-07-11,5,fee\n'),
    ).toEqual([
      { day: '2026-07-10', amount: '100.00', label: 'bank loan, tranche A' },
      { day: '2026-07-11', amount: '5', label: 'fee' },
    ]);
    expect(csvRows('2026-07-10,1.00,x')).toEqual([{ day: '2026-07-10', amount: '1.00', label: 'x' }]);
  });
});
