import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_POINT_KEYS,
  type AssessmentEvidence,
  AssessmentWeightsError,
  assessCase,
  checkAssessmentWeights,
  DEFAULT_ASSESSMENT_SETTINGS,
} from '../../src/collections/index.js';

const evidence: AssessmentEvidence = {
  hardships: [],
  verifiedMonthlyIncomeMinor: null,
  monthlyInstallmentMinor: 100_000,
  contacts: [],
  promisesKept: 0,
  promisesBroken: 1,
  paidSinceOpenMinor: 0,
  overdueMinor: 50_000,
  maxDaysPastDue: 12,
  lostContact: true,
  evasionSigns: [],
};

describe('assessment weights as data', () => {
  it('the shipped weights read back as themselves, and are the ones decision 0712 states', () => {
    expect(checkAssessmentWeights(JSON.parse(JSON.stringify(DEFAULT_ASSESSMENT_SETTINGS)))).toEqual(
      DEFAULT_ASSESSMENT_SETTINGS,
    );
    expect(DEFAULT_ASSESSMENT_SETTINGS.points).toMatchObject({ hardship: 3, evasion: 3, lostContact: 2 });
    // Lost contact (2) and one broken promise (1): 3 points of unwillingness, none of inability.
    const a = assessCase(evidence);
    expect(a).toMatchObject({ verdict: 'unwillingness', unwillingnessPoints: 3, inabilityPoints: 0 });
  });

  it('changed weights change the points, the reasons and the verdict', () => {
    const w = {
      ...DEFAULT_ASSESSMENT_SETTINGS,
      verdictPointsMin: 4,
      points: { ...DEFAULT_ASSESSMENT_SETTINGS.points, lostContact: 1 },
    };
    const a = assessCase(evidence, checkAssessmentWeights(w));
    expect(a.verdict).toBe('undetermined');
    expect(a.unwillingnessPoints).toBe(2);
    expect(a.reasons.find((r) => r.code === 'AS_LOST_CONTACT')?.points).toBe(1);
    // A higher bar for "repeatedly broken": two broken promises read as one reason of one point.
    const b = assessCase(
      { ...evidence, lostContact: false, promisesBroken: 2 },
      { ...DEFAULT_ASSESSMENT_SETTINGS, promisesBrokenRepeatedMin: 3 },
    );
    expect(b.reasons).toEqual([
      expect.objectContaining({ code: 'AS_PROMISE_BROKEN', points: 1, seen: '2 broken' }),
    ]);
  });

  it('refuses a document with every issue by path', () => {
    const bad = {
      verdictPointsMin: 0,
      incomeShortfall_pct: 200,
      silentFromDaysPastDue: 30.5,
      promisesBrokenRepeatedMin: 2,
      drawdownWindowDays: 30,
      bustOutUsed_pct: 90,
      windowDrawn_pct: 50,
      windowDrawsMin: 3,
      steadyHistoryDays: 180,
      steadyDrawsMin: 3,
      extra: 1,
      points: { ...DEFAULT_ASSESSMENT_SETTINGS.points, evasion: -1, courage: 2 },
    };
    try {
      checkAssessmentWeights(bad);
      expect.unreachable('the document is invalid');
    } catch (error) {
      expect(error).toBeInstanceOf(AssessmentWeightsError);
      expect((error as AssessmentWeightsError).issues.map((i) => i.path).sort()).toEqual(
        [
          '/verdictPointsMin',
          '/silentFromDaysPastDue',
          '/wrongNumbersMin',
          '/points/evasion',
          '/points/courage',
          '/extra',
        ].sort(),
      );
    }
    expect(() => checkAssessmentWeights([])).toThrow(AssessmentWeightsError);
    const { hardship: _, ...missing } = DEFAULT_ASSESSMENT_SETTINGS.points;
    expect(() => checkAssessmentWeights({ ...DEFAULT_ASSESSMENT_SETTINGS, points: missing })).toThrow(
      /\/points\/hardship/,
    );
    expect(ASSESSMENT_POINT_KEYS).toHaveLength(Object.keys(DEFAULT_ASSESSMENT_SETTINGS.points).length);
  });
});
