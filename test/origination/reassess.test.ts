import { describe, expect, it } from 'vitest';
import { type Debt, reassess, verifyRecord } from '../../src/origination/index.js';
import { application, BUSINESS_TIME, championLosing, defaultPolicyAndModels } from './helpers.js';

function context() {
  const { policy, models } = defaultPolicyAndModels();
  return { businessTime: BUSINESS_TIME, policy, models, blacklist: [] };
}

const base = {
  customerId: 'cus-1',
  currentLimit_fen: 3_000_000,
  currentDailyRate: '0.0003',
  lastApplication: application(),
};

describe('reassess', () => {
  it('raises the limit after a verified income rise, saying why', async () => {
    const r = await reassess(
      {
        ...base,
        changes: {
          income: {
            declaredMonthly_fen: 2_500_000,
            evidence: [{ kind: 'tax-record', monthlyAmount_fen: 2_500_000 }],
          },
        },
      },
      context(),
    );
    expect(r.action).toBe('increase');
    expect(r.limit_fen).toBeGreaterThan(3_000_000);
    expect(r.limit_fen).toBeLessThanOrEqual(4 * 2_500_000);
    expect(r.reasons[0]).toMatchObject({ code: 'CHANGE_INCOME' });
    expect(r.dailyRate).not.toBeNull();
    expect(verifyRecord(r)).toBe(true);
  });

  it('refers after a large new external debt and does not raise the limit', async () => {
    const before = await reassess({ ...base, changes: {} }, context());
    const debt: Debt = { kind: 'consumer-loan', outstanding_fen: 20_000_000, monthlyPayment_fen: 600_000 };
    const after = await reassess({ ...base, changes: { newDebts: [debt] } }, context());
    expect(after.derived.debtToIncome).toBeGreaterThan(before.derived.debtToIncome!);
    expect(after.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['CHANGE_NEW_DEBT', 'REF_DEBT_TO_INCOME']),
    );
    expect(after.reasons.find((r) => r.code === 'CHANGE_NEW_DEBT')?.message).toBe('1 new external debt');
    expect(after.limit_fen).toBeLessThanOrEqual(before.limit_fen);
    expect(after.action).not.toBe('increase');
  });

  it('words a score reason by the points it lost, one point in the singular', async () => {
    for (const [points, words] of [
      [1, '1 point'],
      [2, '2 points'],
    ] as const) {
      const r = await reassess({ ...base, changes: {} }, { ...context(), models: championLosing(points) });
      const found = r.reasons.filter((x) => x.source === 'score');
      expect(found.length).toBeGreaterThan(0);
      for (const x of found) {
        expect(x.values).toMatchObject({ pointsLost: points });
        expect(x.message).toBe(
          `${x.values!.feature} = ${x.values!.value} cost ${words} against its best value`,
        );
      }
    }
  });

  it('suspends the line when a knock-out applies (serious delinquency reported)', async () => {
    const r = await reassess(
      {
        ...base,
        changes: { bureau: { ...base.lastApplication.bureau, worstDaysPastDue: 120, overdueMonths24m: 5 } },
      },
      context(),
    );
    expect(r.action).toBe('suspend');
    expect(r.limit_fen).toBe(0);
    expect(r.reasons.map((x) => x.code)).toEqual(
      expect.arrayContaining(['KO_SERIOUS_DELINQUENCY', 'KO_RECENT_DELINQUENCY']),
    );
  });

  it('reads new business statements through debt-service coverage', async () => {
    const owner = application({
      employment: { occupation: 'business-owner', industry: 'catering', monthsInRole: 60 },
      business: { name: '面馆', industry: 'catering' },
    });
    const statements = {
      periodMonths: 12,
      monthlyRevenue_fen: 5_000_000,
      monthlyCosts_fen: 4_800_000,
      monthlyOperatingCashFlow_fen: 200_000,
      cashBalance_fen: 1_000_000,
      monthlyDebtService_fen: 150_000,
      monthsTrading: 40,
    };
    const r = await reassess(
      {
        ...base,
        lastApplication: owner,
        changes: { business: { name: '面馆', industry: 'catering', statements } },
      },
      context(),
    );
    expect(r.derived.debtServiceCoverage).not.toBeNull();
    expect(r.derived.debtServiceCoverage!).toBeLessThan(1);
    expect(r.action).toBe('suspend');
    expect(r.reasons.map((x) => x.code)).toContain('KO_DEBT_SERVICE');
  });

  it('refuses a negative current limit', async () => {
    await expect(reassess({ ...base, currentLimit_fen: -1, changes: {} }, context())).rejects.toMatchObject({
      code: 'reassessment_invalid',
    });
  });
});
