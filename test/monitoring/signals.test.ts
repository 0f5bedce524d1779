import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoanEvent } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  type EarlyWarningDocument,
  evaluateSignals,
  evidenceKeyOf,
  parseEarlyWarningDocument,
  paymentBehaviourOf,
  planReviewRequests,
  planSignals,
  type SignalInputs,
  sampleFacts,
  signalFactsOf,
} from '../../src/monitoring/index.js';

const raw = JSON.parse(
  readFileSync(new URL('../../policies/early-warning/default.json', import.meta.url), 'utf8'),
);
const parsed = parseEarlyWarningDocument(raw);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const doc: EarlyWarningDocument = parsed.document;
const day = parseDate('2026-06-30');

const inputs = (over: Partial<SignalInputs> = {}): SignalInputs => ({
  day,
  segment: 'salaried',
  industry: 'retail',
  limit_fen: 5_000_000,
  used_fen: 1_000_000,
  drawn30d_fen: 0,
  daysPastDue: 0,
  openLoans: 1,
  payments: { partialPayments: 0, missedPayments: 0, lateInstalments: 0, maxDaysLate: 0 },
  bureauLenders3m: [],
  applicationLenders3m: 1,
  incomeEvidenceValidUntil: null,
  openRequestDueDays: { 'business-statements': [], 'income-evidence': [] },
  statements: [],
  industryShocked: false,
  declaredIncomes_fen: [],
  ...over,
});
const codes = (i: SignalInputs) => evaluateSignals(doc, signalFactsOf(i)).map((h) => h.code);

describe('the early-warning document', () => {
  it('refuses bad rules, naming each by its pointer, and accepts the shipped one', () => {
    const bad = structuredClone(raw);
    bad.rules[0].when = 'utilisation >=';
    bad.rules[1].when = 'salary > 3';
    bad.rules[2].severity = 'dire';
    bad.rules[3].evidence = ['nope'];
    bad.rules[9].offer = undefined;
    bad.rules[4].code = bad.rules[5].code;
    bad.healthReviews[0].templates.en.body = 'send {documents}';
    const r = parseEarlyWarningDocument(bad);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/rules/0/when',
        '/rules/1/when',
        '/rules/2/severity',
        '/rules/3/evidence/0',
        '/rules/9/offer',
        '/rules/5/code',
        '/healthReviews/0/templates/en/body',
      ]),
    );
    const salary = r.ok ? undefined : r.issues.find((i) => i.path === '/rules/1/when');
    expect(salary?.message).toContain('"salary"');
    expect(
      parseEarlyWarningDocument({ ...raw, rules: [{ ...raw.rules[0], when: 'utilisation + 1' }] }).ok,
    ).toBe(false);
  });

  it('a quiet customer raises nothing', () => {
    expect(codes(inputs())).toEqual([]);
    expect(evaluateSignals(doc, sampleFacts())).toEqual([]);
  });

  it('each rule fires on its facts with its evidence', () => {
    expect(codes(inputs({ used_fen: 4_800_000, drawn30d_fen: 3_000_000 }))).toEqual(['EW_UTILISATION_SPIKE']);
    expect(
      codes(
        inputs({ payments: { partialPayments: 2, missedPayments: 0, lateInstalments: 0, maxDaysLate: 0 } }),
      ),
    ).toEqual(['EW_PARTIAL_PAYMENTS']);
    expect(
      codes(
        inputs({ payments: { partialPayments: 0, missedPayments: 2, lateInstalments: 2, maxDaysLate: 4 } }),
      ),
    ).toEqual(['EW_REPEATED_LATE']);
    expect(codes(inputs({ bureauLenders3m: [5] }))).toEqual(['EW_MULTI_LENDER']);
    expect(codes(inputs({ bureauLenders3m: [5, 4] }))).toEqual([]);
    expect(codes(inputs({ incomeEvidenceValidUntil: parseDate('2026-06-01') }))).toEqual([
      'EW_INCOME_EVIDENCE_EXPIRED',
    ]);
    expect(
      codes(
        inputs({
          openRequestDueDays: { 'business-statements': [parseDate('2026-06-20')], 'income-evidence': [] },
        }),
      ),
    ).toEqual(['EW_STATEMENTS_OVERDUE']);
    const s = (rev: number, cf: number, cash: number) => ({
      monthlyRevenue_fen: rev,
      monthlyCosts_fen: rev - cf,
      monthlyOperatingCashFlow_fen: cf,
      cashBalance_fen: cash,
    });
    const falling = evaluateSignals(
      doc,
      signalFactsOf(
        inputs({ statements: [s(6_000_000, -1_000_000, 4_000_000), s(10_000_000, 1_000_000, 9_000_000)] }),
      ),
    );
    expect(falling.map((h) => h.code)).toEqual(['EW_FALLING_REVENUE', 'EW_CASH_RUNWAY']);
    expect(falling[0]?.evidence).toEqual({ revenueChange: -0.4, cashRunwayMonths: 4 });
    expect(falling[0]?.action).toBe('reassess');
    const shock = evaluateSignals(
      doc,
      signalFactsOf(inputs({ industry: 'catering', industryShocked: true })),
    );
    expect(shock.map((h) => [h.code, h.action, h.offer])).toEqual([
      ['EW_INDUSTRY_SHOCK', 'offer-plan-adjustment', { kind: 'payment-holiday', months: 3 }],
    ]);
    expect(codes(inputs({ declaredIncomes_fen: [1_200_000, 2_000_000] }))).toEqual(['EW_INCOME_DROP']);
    expect(codes(inputs({ declaredIncomes_fen: [1_900_000, 2_000_000] }))).toEqual([]);
    expect(codes(inputs({ declaredIncomes_fen: [1_200_000, 2_000_000], openLoans: 0 }))).toEqual([]);
  });
});

describe('planning signals', () => {
  const hit = evaluateSignals(
    doc,
    signalFactsOf(inputs({ declaredIncomes_fen: [1_000_000, 2_000_000] })),
  )[0]!;
  const key = evidenceKeyOf(hit.evidence);
  it('raises a new signal once, refreshes a live one and clears one no rule supports', () => {
    expect(planSignals([], [hit], day).raise).toHaveLength(1);
    const same = planSignals(
      [{ signalId: 's1', code: hit.code, status: 'open', evidenceKey: key }],
      [hit],
      day,
    );
    expect([same.raise.length, same.refresh.length, same.clear.length]).toEqual([0, 0, 0]);
    const moved = planSignals(
      [{ signalId: 's1', code: hit.code, status: 'acknowledged', evidenceKey: 'x' }],
      [hit],
      day,
    );
    expect(moved.refresh.map((r) => r.signalId)).toEqual(['s1']);
    expect(
      planSignals([{ signalId: 's1', code: hit.code, status: 'open', evidenceKey: key }], [], day).clear,
    ).toEqual(['s1']);
  });
  it('does not raise again what a person resolved on the same evidence; new evidence raises anew', () => {
    expect(
      planSignals([{ signalId: 's1', code: hit.code, status: 'resolved', evidenceKey: key }], [hit], day)
        .raise,
    ).toEqual([]);
    expect(
      planSignals([{ signalId: 's1', code: hit.code, status: 'resolved', evidenceKey: 'old' }], [hit], day)
        .raise,
    ).toHaveLength(1);
  });
});

describe('payment behaviour from a loan’s events', () => {
  const due = (n: number, d: string, amount: number) =>
    ({
      type: 'InstallmentDue',
      seq: n,
      day: parseDate(d),
      installmentNumber: n,
      principalMinor: amount,
      interestMinor: 0,
      feeMinor: 0,
      final: false,
    }) as unknown as LoanEvent;
  const paid = (d: string, n: number, amount: number) =>
    ({
      type: 'Repaid',
      day: parseDate(d),
      byInstallment: [
        { installmentNumber: n, principalMinor: amount, interestMinor: 0, feeMinor: 0, penaltyMinor: 0 },
      ],
    }) as unknown as LoanEvent;
  it('counts partial, missed and late instalments within the lookback', () => {
    const events = [
      due(1, '2026-03-10', 1000),
      paid('2026-03-10', 1, 1000), // on time
      due(2, '2026-04-10', 1000),
      paid('2026-04-09', 2, 400), // partial, paid in full 5 days late
      paid('2026-04-15', 2, 600),
      due(3, '2026-05-10', 1000), // missed, paid 3 days late
      paid('2026-05-13', 3, 1000),
      due(4, '2026-06-10', 1000), // missed, still unpaid
    ];
    expect(paymentBehaviourOf(events, day)).toEqual({
      partialPayments: 1,
      missedPayments: 2,
      lateInstalments: 2,
      maxDaysLate: 5,
    });
    expect(paymentBehaviourOf(events, day, 60)).toEqual({
      partialPayments: 0,
      missedPayments: 2,
      lateInstalments: 1,
      maxDaysLate: 3,
    });
  });
});

describe('health reviews', () => {
  const subject = {
    customerId: 'C1',
    segment: 'business-owner',
    lang: 'zh-CN' as const,
    sinceDay: parseDate('2026-01-15'),
    lastReceived: {},
    openRequests: [],
  };
  it('asks a business owner for statements every quarter, once, with the due date in the text', () => {
    expect(planReviewRequests(doc, subject, parseDate('2026-04-14'))).toEqual([]);
    const [r] = planReviewRequests(doc, subject, parseDate('2026-04-15'));
    expect(r?.document).toBe('business-statements');
    expect(r?.body).toBe('请于2026-05-15前提交最新的经营财务报表。');
    expect(
      planReviewRequests(doc, { ...subject, openRequests: ['business-statements'] }, parseDate('2026-04-15')),
    ).toEqual([]);
    expect(
      planReviewRequests(
        doc,
        { ...subject, lastReceived: { 'business-statements': parseDate('2026-04-01') } },
        parseDate('2026-04-15'),
      ),
    ).toEqual([]);
    expect(planReviewRequests(doc, { ...subject, segment: 'freelancer' }, parseDate('2026-04-15'))).toEqual(
      [],
    );
    expect(
      planReviewRequests(doc, { ...subject, segment: 'freelancer' }, parseDate('2026-07-15'))[0]?.document,
    ).toBe('income-evidence');
  });
});
