import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decide, OCCUPATIONS } from '../../src/origination/index.js';
import { application, contextFor, invitationFor, policyWith } from './helpers.js';

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

const applicant = fc.record({
  occupation: fc.constantFrom(...OCCUPATIONS.filter((o) => o !== 'business-owner')),
  declared_fen: fc.integer({ min: 0, max: 10_000_000 }),
  verifiedShare: fc.option(fc.double({ min: 0, max: 1.5, noNaN: true }), { nil: undefined }),
  requested_fen: fc.integer({ min: 100, max: 50_000_000 }),
  monthsInRole: fc.integer({ min: 0, max: 480 }),
  assets_fen: fc.integer({ min: 0, max: 500_000_000 }),
  debtPayment_fen: fc.integer({ min: 0, max: 5_000_000 }),
  worstDaysPastDue: fc.integer({ min: 0, max: 200 }),
  lenders3m: fc.integer({ min: 0, max: 8 }),
  historyMonths: fc.integer({ min: 0, max: 240 }),
  cap_fen: fc.integer({ min: 0, max: 30_000_000 }),
});

function fromArb(a: {
  occupation: string;
  declared_fen: number;
  verifiedShare: number | undefined;
  requested_fen: number;
  monthsInRole: number;
  assets_fen: number;
  debtPayment_fen: number;
  worstDaysPastDue: number;
  lenders3m: number;
  historyMonths: number;
}) {
  const verified = a.verifiedShare === undefined ? undefined : Math.floor(a.declared_fen * a.verifiedShare);
  return application({
    requestedLimit: yuan(a.requested_fen),
    employment: { occupation: a.occupation, industry: 'retail', monthsInRole: a.monthsInRole },
    income: {
      declaredMonthly: yuan(a.declared_fen),
      evidence: verified === undefined ? [] : [{ kind: 'tax-record', monthlyAmount: yuan(verified) }],
    },
    assets: [{ kind: 'deposit', value: yuan(a.assets_fen) }],
    debts: [
      {
        kind: 'consumer-loan',
        outstanding: yuan(a.debtPayment_fen * 10),
        monthlyPayment: yuan(a.debtPayment_fen),
      },
    ],
    bureau: {
      worstDaysPastDue: a.worstDaysPastDue,
      lenders3m: a.lenders3m,
      lenders6m: a.lenders3m,
      lenders12m: a.lenders3m,
      historyMonths: a.historyMonths,
    },
  });
}

describe('decision invariants', () => {
  it('never grants more than the invitation cap, the income-based cap or the amount asked; prices within the APR cap', async () => {
    await fc.assert(
      fc.asyncProperty(applicant, async (a) => {
        const app = fromArb(a);
        const ctx = contextFor(app, { invitations: [invitationFor(app, { limitCap_fen: a.cap_fen })] });
        const d = await decide(app, ctx);
        const incomeCap = Math.floor(4 * d.derived.verifiedMonthlyIncome_fen);
        expect(d.limit_fen).toBeLessThanOrEqual(a.cap_fen);
        expect(d.limit_fen).toBeLessThanOrEqual(incomeCap);
        expect(d.limit_fen).toBeLessThanOrEqual(app.requestedLimit_fen);
        expect(d.limit_fen % 10_000).toBe(0);
        if (d.outcome === 'approve') expect(d.limit_fen).toBeGreaterThanOrEqual(100_000);
        if (d.outcome === 'decline') expect(d.limit_fen).toBe(0);
        for (const t of d.termOptions) expect(Number(t.apr)).toBeLessThanOrEqual(0.24);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every price within the cap whatever daily rate the pricing table gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom('0.24', '0.18', '0.12'),
        async (rateMillionths, aprCap) => {
          const rate = (rateMillionths / 1_000_000).toFixed(6);
          const policy = policyWith((doc) => {
            const graph = doc.graphs.pricing as unknown as {
              nodes: { type: string; content: { rules: Record<string, string>[] } }[];
            };
            for (const rule of graph.nodes.find((n) => n.type === 'decisionTableNode')!.content.rules)
              rule.out1 = JSON.stringify(rate);
            return { ...doc, settings: { ...doc.settings, aprCap } };
          });
          const app = application();
          const d = await decide(app, contextFor(app, { policy }));
          expect(d.dailyRate).not.toBeNull();
          for (const t of d.termOptions) expect(Number(t.apr)).toBeLessThanOrEqual(Number(aprCap));
          if (Number(rate) * 365 < Number(aprCap) - 0.001) expect(d.dailyRate).toBe(rate);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives the same decision bytes for the same input', async () => {
    await fc.assert(
      fc.asyncProperty(applicant, async (a) => {
        const first = await decide(fromArb(a), contextFor(fromArb(a)));
        const second = await decide(fromArb(a), contextFor(fromArb(a)));
        expect(canonicalJson(second)).toBe(canonicalJson(first));
      }),
      { numRuns: 25 },
    );
  });
});
