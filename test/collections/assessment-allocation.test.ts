import { describe, expect, it } from 'vitest';
import {
  type AllocatableCase,
  type AssessmentEvidence,
  allocateCases,
  assessCase,
  cureProbability_bp,
  priorityMinor,
  type Team,
  worklistOrder,
} from '../../src/collections/index.js';
import type { Bucket } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';

const none: AssessmentEvidence = {
  hardships: [],
  verifiedMonthlyIncomeMinor: null,
  monthlyInstallmentMinor: 100_000,
  contacts: [],
  promisesKept: 0,
  promisesBroken: 0,
  paidSinceOpenMinor: 0,
  overdueMinor: 100_000,
  maxDaysPastDue: 10,
  lostContact: false,
  evasionSigns: [],
};
const day = parseDate('2026-11-05');

describe('ability or willingness, from the evidence', () => {
  it('no evidence: undetermined, no reasons', () => {
    expect(assessCase(none)).toMatchObject({ verdict: 'undetermined', reasons: [] });
  });

  it('李四: hardship (illness), short income, answers and pays part → inability, vulnerable', () => {
    const a = assessCase({
      ...none,
      hardships: [{ cause: 'illness', day }],
      verifiedMonthlyIncomeMinor: 150_000,
      contacts: [{ party: 'borrower', outcome: 'answered', allowed: true }],
      paidSinceOpenMinor: 20_000,
    });
    expect(a.verdict).toBe('inability');
    expect(a.reasons.map((r) => r.code)).toEqual([
      'AS_HARDSHIP',
      'AS_INCOME_SHORT',
      'AS_RESPONSIVE',
      'AS_PAYS_PART',
    ]);
    expect(a.vulnerabilities).toEqual(['illness']);
    expect(a.reasons[1]!.seen).toBe('150000 fen a month');
  });

  it('an industry on the lender’s shock list makes the borrower vulnerable without a hardship application', () => {
    const shocked = assessCase({ ...none, industryShocked: true });
    expect(shocked.vulnerabilities).toEqual(['shock-industry']);
    // It is a vulnerability, not evidence of inability: the verdict and points are the evidence's alone.
    expect(shocked).toMatchObject({ verdict: 'undetermined', inabilityPoints: 0, reasons: [] });
    const both = assessCase({
      ...none,
      industryShocked: true,
      hardships: [
        { cause: 'shock-industry', day },
        { cause: 'illness', day },
      ],
    });
    expect(both.vulnerabilities).toEqual(['illness', 'shock-industry']);
    expect(assessCase({ ...none, industryShocked: false }).vulnerabilities).toEqual([]);
  });

  it('张三: business failed, then lost contact, silent and long past due → unwillingness wins over the hardship', () => {
    const a = assessCase({
      ...none,
      hardships: [{ cause: 'business-failure', day }],
      lostContact: true,
      maxDaysPastDue: 75,
      contacts: [
        { party: 'borrower', outcome: 'wrong-number', allowed: true },
        { party: 'borrower', outcome: 'wrong-number', allowed: true },
      ],
    });
    expect(a).toMatchObject({ verdict: 'unwillingness', inabilityPoints: 3, unwillingnessPoints: 5 });
    expect(a.vulnerabilities).toEqual([]);
  });

  it('ample verified income, nothing paid, refuses on the phone → unwillingness', () => {
    const a = assessCase({
      ...none,
      verifiedMonthlyIncomeMinor: 2_000_000,
      contacts: [
        { party: 'borrower', outcome: 'refused', allowed: true },
        { party: 'borrower', outcome: 'refused', allowed: false }, // a refused attempt is no evidence
      ],
    });
    expect(a.verdict).toBe('unwillingness');
    expect(a.reasons.find((r) => r.code === 'AS_REFUSES')?.seen).toBe('1 refused');
  });

  it('a tie stays undetermined', () => {
    const a = assessCase({ ...none, hardships: [{ cause: 'other', day }], evasionSigns: ['moved away'] });
    expect(a).toMatchObject({ inabilityPoints: 3, unwillingnessPoints: 3, verdict: 'undetermined' });
  });
});

describe('priority and allocation', () => {
  it('cure probability by bucket, moved by the behaviour score; priority is exact fen', () => {
    expect(cureProbability_bp('M1', null)).toBe(6000);
    expect(cureProbability_bp('M1', 600)).toBe(6000);
    expect(cureProbability_bp('M1', 650)).toBe(7500); // odds 1.5 → 3
    expect(cureProbability_bp('M1', 550)).toBe(4286); // odds 1.5 → 0.75
    expect(cureProbability_bp('M7', 100)).toBeGreaterThanOrEqual(1);
    expect(priorityMinor(123_457, 6000)).toBe(74_074);
    expect(priorityMinor(900_719_925_474_099, 9_999)).toBe(900_629_853_481_551);
  });

  const teams: Team[] = [
    {
      teamId: 'early',
      buckets: ['M1', 'M2'],
      collectors: [
        { userId: 'a', capacity: 4 },
        { userId: 'b', capacity: 2 },
      ],
    },
    { teamId: 'late', buckets: ['M3'], collectors: [{ userId: 'c', capacity: 10 }] },
  ];
  const kase = (
    i: number,
    bucket: Bucket,
    overdue: number,
    assignee: string | null = null,
  ): AllocatableCase => ({
    caseId: `cs_${i}`,
    bucket,
    overdueMinor: overdue,
    priorityMinor: overdue,
    assignee,
    placedWithAgency: false,
  });

  it('balances count relative to capacity, then amount; respects capacity; waits when full', () => {
    const cases = [1, 2, 3, 4, 5, 6, 7].map((i) => kase(i, 'M1', i * 1000));
    const plan = allocateCases(cases, teams);
    const loads = Object.fromEntries(plan.loads.map((l) => [l.userId, l]));
    expect(loads.a).toMatchObject({ cases: 4 });
    expect(loads.b).toMatchObject({ cases: 2 });
    expect(plan.unassigned).toBe(1);
    // The lowest-priority case waits.
    expect(plan.changes.find((c) => c.assignee === null)).toBeUndefined();
    expect(plan.changes.map((c) => c.caseId)).not.toContain('cs_1');
    expect(plan.changes.every((c) => c.reason === 'new')).toBe(true);
  });

  it('keeps a case with its collector; moves it when the bucket changed team or over capacity', () => {
    const cases = [
      kase(1, 'M1', 5000, 'a'),
      kase(2, 'M3', 4000, 'a'), // rolled to M3: the late team's
      kase(3, 'M2', 3000, 'b'),
      kase(4, 'M2', 2000, 'b'),
      kase(5, 'M2', 1000, 'b'), // b holds 3 with capacity 2: the lowest moves
      kase(6, 'M1', 900, 'gone'),
      { ...kase(7, 'M4', 99_000), placedWithAgency: true },
      kase(8, 'M5', 500),
    ];
    const plan = allocateCases(cases, teams);
    expect(plan.kept).toBe(3);
    expect(plan.changes).toEqual([
      { caseId: 'cs_2', teamId: 'late', assignee: 'c', reason: 'team-changed' },
      { caseId: 'cs_5', teamId: 'early', assignee: 'a', reason: 'over-capacity' },
      { caseId: 'cs_6', teamId: 'early', assignee: 'a', reason: 'collector-left' },
      { caseId: 'cs_8', teamId: null, assignee: null, reason: 'no-team' },
    ]);
  });

  it('spreads amounts: two collectors of equal capacity end within one case and close in money', () => {
    const two: Team[] = [
      {
        teamId: 't',
        buckets: ['M1'],
        collectors: [
          { userId: 'x', capacity: 1000 },
          { userId: 'y', capacity: 1000 },
        ],
      },
    ];
    const cases = Array.from({ length: 101 }, (_, i) => kase(i, 'M1', 1000 + ((i * 7919) % 5000)));
    const [x, y] = allocateCases(cases, two).loads;
    expect(Math.abs(x!.cases - y!.cases)).toBeLessThanOrEqual(1);
    const total = x!.overdueMinor + y!.overdueMinor;
    expect(Math.abs(x!.overdueMinor - y!.overdueMinor) / total).toBeLessThan(0.05);
  });

  it('orders today’s list: promises due first, then actions due, then by priority', () => {
    const d = parseDate('2026-11-05');
    const order = worklistOrder(
      [
        { caseId: 'a', priorityMinor: 900, nextActionDueDay: d + 3, nextPromiseDay: null },
        { caseId: 'b', priorityMinor: 100, nextActionDueDay: d, nextPromiseDay: null },
        { caseId: 'c', priorityMinor: 50, nextActionDueDay: d + 1, nextPromiseDay: d },
        { caseId: 'd', priorityMinor: 60, nextActionDueDay: null, nextPromiseDay: d - 1 },
        { caseId: 'e', priorityMinor: 500, nextActionDueDay: d - 2, nextPromiseDay: d + 4 },
      ],
      d,
    );
    expect(order.map((e) => e.caseId)).toEqual(['d', 'c', 'e', 'b', 'a']);
  });
});
