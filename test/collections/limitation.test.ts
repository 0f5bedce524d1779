import { describe, expect, it } from 'vitest';
import { limitationPeriod } from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';

const d = (s: string) => parseDate(s);

describe('limitation period (民法典 Arts. 188, 189, 195)', () => {
  it('3 years from the last due date of an instalment debt', () => {
    expect(limitationPeriod({ lastDueDay: d('2026-12-15') })).toEqual({
      startDay: d('2026-12-15'),
      endDay: d('2029-12-15'),
      restartedBy: [],
      ignoredDemands: [],
    });
  });

  it('a leap-day start ends on 28 February', () => {
    expect(limitationPeriod({ lastDueDay: d('2028-02-29') }).endDay).toBe(d('2031-02-28'));
  });

  it('each demand within the running period restarts it from the demand', () => {
    const p = limitationPeriod({
      lastDueDay: d('2026-12-15'),
      demandDays: [d('2029-06-01'), d('2028-01-10')],
    });
    expect(p.restartedBy).toEqual([d('2028-01-10'), d('2029-06-01')]);
    expect(p.endDay).toBe(d('2032-06-01'));
  });

  it('a demand before the period starts or after it ran out does not restart it', () => {
    const p = limitationPeriod({
      lastDueDay: d('2026-12-15'),
      demandDays: [d('2026-05-01'), d('2029-12-16'), d('2031-01-01')],
    });
    expect(p.endDay).toBe(d('2029-12-15'));
    expect(p.ignoredDemands).toEqual([d('2026-05-01'), d('2029-12-16'), d('2031-01-01')]);
    // On the last day it still counts.
    expect(limitationPeriod({ lastDueDay: d('2026-12-15'), demandDays: [d('2029-12-15')] }).endDay).toBe(
      d('2032-12-15'),
    );
  });

  it('acceleration before the last due date starts it earlier', () => {
    expect(limitationPeriod({ lastDueDay: d('2026-12-15'), accelerationDay: d('2026-09-01') }).endDay).toBe(
      d('2029-09-01'),
    );
  });

  it('the number of years is a setting', () => {
    expect(limitationPeriod({ lastDueDay: d('2026-12-15') }, { years: 2 }).endDay).toBe(d('2028-12-15'));
  });
});
