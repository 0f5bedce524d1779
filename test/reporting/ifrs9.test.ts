import { describe, expect, it } from 'vitest';
import { ifrs9Stage } from '../../src/reporting/index.js';

describe('IFRS 9 stage by DPD presumptions', () => {
  const table: [number, 1 | 2 | 3][] = [
    [0, 1],
    [1, 1],
    [30, 1],
    [31, 2],
    [60, 2],
    [61, 2],
    [90, 2],
    [91, 3],
    [180, 3],
    [181, 3],
    [270, 3],
    [271, 3],
    [360, 3],
    [361, 3],
  ];
  it.each(table)('DPD %i → stage %i', (dpd, stage) => {
    expect(ifrs9Stage({ daysPastDue: dpd }).stage).toBe(stage);
  });

  it('a rebutted presumption moves the threshold', () => {
    expect(ifrs9Stage({ daysPastDue: 45 }, { stage2AboveDays: 60, stage3AboveDays: 90 }).stage).toBe(1);
  });

  it('SICR and credit-impaired flags raise the stage and are given as reasons', () => {
    expect(ifrs9Stage({ daysPastDue: 0, sicrFlags: ['score-drop'] })).toEqual({
      stage: 2,
      reasons: ['score-drop'],
    });
    expect(ifrs9Stage({ daysPastDue: 40, sicrFlags: ['score-drop'] }).reasons).toEqual([
      'dpd-above-30',
      'score-drop',
    ]);
    expect(ifrs9Stage({ daysPastDue: 10, creditImpairedFlags: ['bankrupt'] })).toEqual({
      stage: 3,
      reasons: ['bankrupt'],
    });
    expect(ifrs9Stage({ daysPastDue: 95 }).reasons).toEqual(['dpd-above-90']);
  });
});
