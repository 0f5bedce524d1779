import { describe, expect, it } from 'vitest';
import {
  type AssessmentEvidence,
  assessCase,
  checkAssessmentWeights,
  DEFAULT_ASSESSMENT_SETTINGS,
  type DrawdownHistory,
  drawdownFacts,
  readDrawdowns,
  readStoredAssessmentWeights,
} from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';

const F = parseDate('2026-11-01'); // the first missed due date
const d = (daysBefore: number, principalMinor: number) => ({ day: F - daysBefore, principalMinor });

const quiet: AssessmentEvidence = {
  hardships: [],
  verifiedMonthlyIncomeMinor: null,
  monthlyInstallmentMinor: 100_000,
  contacts: [],
  promisesKept: 0,
  promisesBroken: 0,
  paidSinceOpenMinor: 0,
  overdueMinor: 50_000,
  maxDaysPastDue: 3,
  lostContact: false,
  evasionSigns: [],
};

const history = (
  draws: DrawdownHistory['draws'],
  usedOnMissedDayMinor: number,
  limitMinor = 2_000_000,
): DrawdownHistory => ({ firstMissedDueDay: F, draws, limitMinor, usedOnMissedDayMinor });

const codes = (h: DrawdownHistory | null) =>
  assessCase({ ...quiet, drawdowns: h })
    .reasons.filter((r) => r.code.startsWith('AS_DRAW') || r.code === 'AS_BUST_OUT')
    .map((r) => `${r.code}:${r.points}`);

describe('drawdown pattern before default: the facts', () => {
  it('counts the window (N days up to and including the missed date), the draws after it and the history', () => {
    const f = drawdownFacts(
      history([d(400, 100_000), d(30, 500_000), d(29, 600_000), d(0, 300_000), d(-2, 1)], 1_900_000),
      30,
    );
    expect(f).toEqual({
      firstMissedDueDay: F,
      windowDays: 30,
      limitMinor: 2_000_000,
      windowDraws: 2, // 29 days before and the day itself; 30 days before is outside a 30-day window
      windowDrawnMinor: 900_000,
      windowDrawn_bp: 4500,
      usedOnMissedDay_bp: 9500,
      drawsAfterMissed: 1,
      drawsBeforeWindow: 2,
      historyDays: 400,
    });
    expect(drawdownFacts(history([], 0, 0), 30)).toMatchObject({
      windowDrawn_bp: 0,
      usedOnMissedDay_bp: 0,
      historyDays: 0,
    });
  });
});

describe('drawdown pattern before default: the rule table', () => {
  const t = DEFAULT_ASSESSMENT_SETTINGS; // window 30 days, near full 90%, heavy 50%, frequent 3, steady 180 days × 3
  const rows: [string, DrawdownHistory | null, string[]][] = [
    ['not read (no missed due date): nothing', null, []],
    [
      'bust-out: 95% drawn in the window, 100% used',
      history([d(5, 1_900_000)], 2_000_000),
      ['AS_BUST_OUT:3'],
    ],
    [
      'bust-out in several draws, after a long history',
      history(
        [d(400, 10_000), d(300, 10_000), d(200, 10_000), d(20, 600_000), d(10, 600_000), d(2, 600_000)],
        1_850_000,
      ),
      ['AS_BUST_OUT:3'],
    ],
    ['near full but drawn long before: not a bust-out', history([d(200, 1_900_000)], 1_900_000), []],
    [
      'heavy draw in the window, line not near full: drawn before default',
      history([d(10, 1_000_000)], 1_200_000),
      ['AS_DRAWN_BEFORE_DEFAULT:1'],
    ],
    [
      'frequent small draws, no history: drawn before default',
      history([d(20, 10_000), d(10, 10_000), d(5, 10_000)], 30_000),
      ['AS_DRAWN_BEFORE_DEFAULT:1'],
    ],
    [
      'steady usage: monthly draws for a year, one in the window',
      history(
        [
          d(360, 200_000),
          d(300, 200_000),
          d(240, 200_000),
          d(180, 200_000),
          d(120, 200_000),
          d(60, 200_000),
          d(15, 200_000),
        ],
        400_000,
      ),
      [],
    ],
    [
      'steady usage with frequent draws in the window: neutral',
      history(
        [d(360, 50_000), d(300, 50_000), d(240, 50_000), d(20, 50_000), d(10, 50_000), d(5, 50_000)],
        150_000,
      ),
      [],
    ],
    [
      'a draw after the missed date',
      history([d(200, 100_000), d(-3, 100_000)], 100_000),
      ['AS_DRAW_AFTER_MISSED:2'],
    ],
    [
      'bust-out and a draw after the missed date',
      history([d(3, 1_900_000), d(-1, 100_000)], 1_900_000),
      ['AS_BUST_OUT:3', 'AS_DRAW_AFTER_MISSED:2'],
    ],
    ['no limit (a closed line): no share read', history([d(3, 100_000)], 100_000, 0), []],
  ];
  it.each(rows)('%s', (_name, h, expected) => {
    expect(codes(h)).toEqual(expected);
  });

  it('the reasons show what was seen, and a bust-out alone is enough for unwillingness', () => {
    const a = assessCase({ ...quiet, drawdowns: history([d(5, 1_900_000)], 2_000_000) });
    expect(a.verdict).toBe('unwillingness');
    expect(a.reasons).toEqual([
      {
        code: 'AS_BUST_OUT',
        side: 'unwillingness',
        points: 3,
        text: 'the line was drawn to near full just before the first missed payment',
        seen: '95% of the 2000000 fen limit drawn in 1 draw in the 30 days to 2026-11-01; 100% used on 2026-11-01',
      },
    ]);
    expect(readDrawdowns(drawdownFacts(history([d(5, 1_900_000)], 2_000_000), 30), t)).toEqual({
      bustOut: true,
      drawnBeforeDefault: false,
      drawAfterMissed: false,
      steady: false,
    });
  });

  it('counts days, draws and wrong numbers in the reasons in English: one in the singular, two in the plural', () => {
    const seen = (e: Partial<AssessmentEvidence>, settings: Partial<typeof t> = {}) =>
      Object.fromEntries(
        assessCase({ ...quiet, ...e }, { ...t, ...settings }).reasons.map((r) => [r.code, r.seen] as const),
      );
    const wrong = (n: number) =>
      Array.from({ length: n }, () => ({
        party: 'borrower' as const,
        outcome: 'wrong-number' as const,
        allowed: true,
      }));
    expect(
      seen({ maxDaysPastDue: 1, contacts: wrong(1) }, { silentFromDaysPastDue: 1, wrongNumbersMin: 1 }),
    ).toMatchObject({
      AS_SILENT: '1 day past due',
      AS_NUMBER_DEAD: '1 wrong number',
    });
    expect(
      seen({ maxDaysPastDue: 2, contacts: wrong(2) }, { silentFromDaysPastDue: 1, wrongNumbersMin: 1 }),
    ).toMatchObject({
      AS_SILENT: '2 days past due',
      AS_NUMBER_DEAD: '2 wrong numbers',
    });
    const one = seen(
      { drawdowns: history([d(0, 1_900_000), d(-1, 1)], 1_900_001) },
      { drawdownWindowDays: 1 },
    );
    expect(one).toMatchObject({
      AS_BUST_OUT:
        '95% of the 2000000 fen limit drawn in 1 draw in the 1 day to 2026-11-01; 95% used on 2026-11-01',
      AS_DRAW_AFTER_MISSED: '1 draw after 2026-11-01',
    });
    const two = seen(
      { drawdowns: history([d(1, 950_000), d(0, 950_000), d(-1, 1), d(-2, 1)], 1_900_002) },
      { drawdownWindowDays: 2 },
    );
    expect(two).toMatchObject({
      AS_BUST_OUT:
        '95% of the 2000000 fen limit drawn in 2 draws in the 2 days to 2026-11-01; 95% used on 2026-11-01',
      AS_DRAW_AFTER_MISSED: '2 draws after 2026-11-01',
    });
  });

  it('the weights move the window, the thresholds and the points', () => {
    const h = history([d(40, 1_900_000)], 1_900_000);
    expect(codes(h)).toEqual([]); // 40 days before: outside the 30-day window
    const wider = { ...t, drawdownWindowDays: 60, points: { ...t.points, bustOut: 5 } };
    const a = assessCase({ ...quiet, drawdowns: h }, wider);
    expect(a.reasons.map((r) => `${r.code}:${r.points}`)).toEqual(['AS_BUST_OUT:5']);
    const stricter = { ...t, bustOutUsed_pct: 100 };
    expect(
      assessCase({ ...quiet, drawdowns: history([d(5, 1_900_000)], 1_950_000) }, stricter).reasons,
    ).toEqual([
      expect.objectContaining({ code: 'AS_DRAWN_BEFORE_DEFAULT' }), // heavy, no longer near full enough
    ]);
  });

  it('a stored document from before the drawdown evidence reads with the shipped thresholds and no points for it', () => {
    const { bustOut: _b, drawnBeforeDefault: _d, drawAfterMissed: _a, ...oldPoints } = t.points;
    const {
      drawdownWindowDays: _w,
      bustOutUsed_pct: _u,
      windowDrawn_pct: _p,
      windowDrawsMin: _m,
      steadyHistoryDays: _h,
      steadyDrawsMin: _s,
      ...old
    } = t;
    const oldDoc = { ...old, points: oldPoints };
    expect(() => checkAssessmentWeights(oldDoc)).toThrow(/drawdownWindowDays/);
    const read = readStoredAssessmentWeights(oldDoc);
    expect(read).toMatchObject({
      drawdownWindowDays: 30,
      points: { bustOut: 0, drawnBeforeDefault: 0, drawAfterMissed: 0, hardship: 3 },
    });
    // The facts are shown, weighed 0.
    expect(assessCase({ ...quiet, drawdowns: history([d(5, 1_900_000)], 2_000_000) }, read).reasons).toEqual([
      expect.objectContaining({ code: 'AS_BUST_OUT', points: 0 }),
    ]);
    // A current document reads as itself.
    expect(readStoredAssessmentWeights(JSON.parse(JSON.stringify(t)))).toEqual(t);
  });
});
