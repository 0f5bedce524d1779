import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileLimitReview,
  DEFAULT_LIMIT_REVIEW,
  evaluateLimitReview,
  factorThousandths,
  LimitReviewError,
  limitReviewFactsOf,
  planLimitProposal,
} from '../../src/monitoring/index.js';

const review = compileLimitReview(DEFAULT_LIMIT_REVIEW);
const line = (limitMinor: number, usedMinor: number, status: 'active' | 'frozen' = 'active') => ({
  limitMinor,
  usedMinor,
  status,
});

describe('limit review (动态额度)', () => {
  it('the shipped table: score and utilisation × action, and the limit each proposes', async () => {
    // score, used of a ¥50,000 limit → action, proposed limit (fen) or none
    const table: [number, number, string, number | null][] = [
      [450, 2_000_000, 'freeze', 5_000_000],
      [520, 2_000_000, 'cut', 3_500_000],
      [520, 4_800_000, 'cut', 4_800_000], // 70% would be under what is drawn: cut to the drawn amount
      [600, 2_000_000, 'none', null],
      [630, 2_000_000, 'raise', 6_000_000],
      [630, 1_000_000, 'none', null], // 20% in use: no raise
    ];
    const seen: [number, number, string, number | null][] = [];
    for (const [score, used] of table) {
      const l = line(5_000_000, used);
      const decision = await evaluateLimitReview(
        review,
        limitReviewFactsOf(l, { score, probabilityBad: 0.1 }),
      );
      const proposal = planLimitProposal(l, decision);
      seen.push([score, used, decision.action, proposal?.toLimitMinor ?? null]);
    }
    expect(seen).toEqual(table);
  });

  it('the shipped table: an open high-severity signal cuts, any open signal holds back a raise', async () => {
    const l = line(5_000_000, 2_000_000);
    const decide = async (score: number, signals: { open: number; high: number }) => {
      const d = await evaluateLimitReview(
        review,
        limitReviewFactsOf(l, { score, probabilityBad: 0.1 }, signals),
      );
      return [d.code, planLimitProposal(l, d)?.toLimitMinor ?? null];
    };
    expect(await decide(630, { open: 1, high: 1 })).toEqual(['LR_SIGNAL_HIGH_CUT', 3_500_000]);
    expect(await decide(600, { open: 2, high: 1 })).toEqual(['LR_SIGNAL_HIGH_CUT', 3_500_000]);
    expect(await decide(630, { open: 1, high: 0 })).toEqual(['LR_SIGNAL_NO_RAISE', null]);
    // A very low score still freezes; no signal, the score decides as before.
    expect(await decide(450, { open: 1, high: 1 })).toEqual(['LR_VERY_LOW_SCORE_FREEZE', 5_000_000]);
    expect(await decide(630, { open: 0, high: 0 })).toEqual(['LR_HIGH_SCORE_RAISE', 6_000_000]);
    expect(await decide(520, { open: 1, high: 0 })).toEqual(['LR_LOW_SCORE_CUT', 3_500_000]);
  });

  it('leaves lines that are not active to the line controls', async () => {
    const frozen = line(5_000_000, 0, 'frozen');
    const d = await evaluateLimitReview(
      review,
      limitReviewFactsOf(frozen, { score: 400, probabilityBad: 0.9 }),
    );
    expect(d.code).toBe('LR_NOT_ACTIVE');
    expect(
      planLimitProposal(frozen, { action: 'freeze', factor: '1', code: 'X', reason: 'x' }),
    ).toBeUndefined();
  });

  it('a raise is rounded down to ¥100 and exact for any limit', () => {
    const p = planLimitProposal(line(1_234_567, 1_000_000), {
      action: 'raise',
      factor: '1.333',
      code: 'R',
      reason: 'r',
    });
    // 1,234,567 × 1.333 = 1,645,677.8 → 1,640,000
    expect(p?.toLimitMinor).toBe(1_640_000);
    expect(factorThousandths('0.7')).toBe(700);
    expect(factorThousandths('11')).toBeUndefined();
    expect(factorThousandths('1.2345')).toBeUndefined();
  });

  it('refuses a bad table naming the cell', () => {
    const bad = structuredClone(DEFAULT_LIMIT_REVIEW) as unknown as {
      nodes: { content?: { rules: Record<string, string>[] } }[];
    };
    bad.nodes[1]!.content!.rules[1]!.out1 = '"suspend"';
    expect(() => compileLimitReview(bad)).toThrow(LimitReviewError);
    expect(() => compileLimitReview(bad)).toThrow(/rules\[1\]\.out1 action is/);
    const badFactor = structuredClone(DEFAULT_LIMIT_REVIEW) as unknown as typeof bad;
    badFactor.nodes[1]!.content!.rules[2]!.out2 = '"-1"';
    expect(() => compileLimitReview(badFactor)).toThrow(/factor is/);
  });

  it('the shipped constant equals policies/default/limitreview.json', () => {
    expect(JSON.parse(readFileSync('policies/default/limitreview.json', 'utf8'))).toEqual(
      DEFAULT_LIMIT_REVIEW,
    );
  });
});
