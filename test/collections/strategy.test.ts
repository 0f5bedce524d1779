import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ArmCaseResult,
  compareArms,
  compileStrategy,
  DEFAULT_COLLECTION_STRATEGY,
  evaluateStrategy,
  memoisedStrategy,
  ratio4,
  StrategyError,
  type StrategyFacts,
  strategyArmOf,
  strategyFactKey,
  strategyFacts,
  strategyFactsRead,
} from '../../src/collections/index.js';
import type { Bucket } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';

const strategy = compileStrategy(DEFAULT_COLLECTION_STRATEGY);

function facts(over: Partial<Parameters<typeof strategyFacts>[0]> = {}): StrategyFacts {
  return strategyFacts({
    bucket: 'M1',
    maxDaysPastDue: 5,
    overdueMinor: 100_000,
    totalOwedMinor: 1_000_000,
    behaviourScore: null,
    assessment: 'undetermined',
    vulnerabilities: [],
    complaintOpen: false,
    lostContact: false,
    promisesBroken: 0,
    promisesKept: 0,
    openedDay: parseDate('2026-11-01'),
    day: parseDate('2026-11-05'),
    ...over,
  });
}

describe('the shipped collection strategy, rule by rule', () => {
  it('is the file policies/collections/default-strategy.json', () => {
    const file = JSON.parse(readFileSync('policies/collections/default-strategy.json', 'utf8'));
    expect(file).toEqual(DEFAULT_COLLECTION_STRATEGY);
  });

  const m = (bucket: Bucket, dpd: number) => ({ bucket, maxDaysPastDue: dpd });
  // One row per segment: the facts that differ from an M1 case of 1,000.00 overdue, and the step expected.
  const table: [
    string,
    Partial<Parameters<typeof strategyFacts>[0]>,
    string,
    string | null,
    string,
    number,
  ][] = [
    [
      'an open complaint holds everything, even M5 unwilling',
      { ...m('M5', 130), complaintOpen: true, assessment: 'unwillingness' },
      'hold',
      null,
      'CS_COMPLAINT_HOLD',
      1,
    ],
    [
      'vulnerable before unwilling',
      { ...m('M4', 100), vulnerabilities: ['illness'], assessment: 'unwillingness' },
      'negotiation-offer',
      null,
      'CS_VULNERABLE_RELIEF',
      1,
    ],
    [
      'unwilling from M3 → legal review',
      { ...m('M3', 70), assessment: 'unwillingness' },
      'legal-review',
      null,
      'CS_UNWILLING_LEGAL',
      0,
    ],
    [
      'unwilling in M2 → demand letter',
      { ...m('M2', 40), assessment: 'unwillingness' },
      'letter',
      null,
      'CS_UNWILLING_DEMAND',
      0,
    ],
    [
      'unable → negotiation, even in M6',
      { ...m('M6', 160), assessment: 'inability' },
      'negotiation-offer',
      null,
      'CS_INABILITY_NEGOTIATE',
      0,
    ],
    ['M4 undetermined → agency', m('M4', 95), 'agency-placement', null, 'CS_M4_AGENCY', 0],
    ['M7 undetermined → agency', m('M7', 200), 'agency-placement', null, 'CS_M4_AGENCY', 0],
    ['M3 → demand letter', m('M3', 65), 'letter', null, 'CS_M3_DEMAND', 0],
    ['M1 lost contact → trace', { lostContact: true }, 'call', null, 'CS_LOST_CONTACT_TRACE', 0],
    ['M2 → call', m('M2', 35), 'call', null, 'CS_M2_CALL', 0],
    ['M1 broken promise → call', { promisesBroken: 1 }, 'call', null, 'CS_PROMISE_BROKEN_CALL', 0],
    [
      'M1 small, good score → app',
      { overdueMinor: 40_000, behaviourScore: 650 },
      'reminder',
      'app',
      'CS_M1_LOW_RISK_APP',
      2,
    ],
    [
      'M1 small, weak score → sms',
      { overdueMinor: 40_000, behaviourScore: 580 },
      'reminder',
      'sms',
      'CS_M1_SMS',
      1,
    ],
    [
      'M1 small, no score → sms (null never passes a score test)',
      { overdueMinor: 40_000 },
      'reminder',
      'sms',
      'CS_M1_SMS',
      1,
    ],
    [
      'M1 large, good score → sms',
      { overdueMinor: 80_000, behaviourScore: 700 },
      'reminder',
      'sms',
      'CS_M1_SMS',
      1,
    ],
  ];
  it.each(table)('%s', async (_name, over, action, channel, code, due) => {
    const step = await evaluateStrategy(strategy, facts(over));
    expect(step).toMatchObject({ action, channel, code, dueInDays: due });
    expect(step.reason.length).toBeGreaterThan(10);
  });
});

describe('a strategy graph is checked before use', () => {
  const copy = () => JSON.parse(JSON.stringify(DEFAULT_COLLECTION_STRATEGY));
  it('refuses an action it does not know, a collect table and a reminder without a channel, by path', () => {
    const g = copy();
    const t = g.nodes[1].content;
    t.hitPolicy = 'collect';
    t.rules[0].out1 = '"threaten"';
    t.rules[11].out2 = '';
    let error: unknown;
    try {
      compileStrategy(g);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrategyError);
    const issues = (error as StrategyError).issues.map((i) => i.path);
    expect(issues).toEqual([
      'strategy.nodes[1].content.hitPolicy',
      'strategy.nodes[1].content.rules[0].out1',
      'strategy.nodes[1].content.rules[11]',
    ]);
  });
  it('refuses a graph that is not one', () => {
    expect(() => compileStrategy({ nodes: 1 })).toThrow(/JDM decision graph/);
  });
  it('refuses a due time out of bounds at evaluation', async () => {
    const g = copy();
    g.nodes[1].content.rules[0].out5 = '90';
    await expect(evaluateStrategy(compileStrategy(g), facts({ complaintOpen: true }))).rejects.toThrow(
      /dueInDays 90/,
    );
  });
});

describe('a strategy evaluated once per distinct facts it reads (the case refresh)', () => {
  const copy = () => JSON.parse(JSON.stringify(DEFAULT_COLLECTION_STRATEGY));
  it('reads the facts its graph names, and every fact when a node could read them unnamed', () => {
    expect(strategyFactsRead(DEFAULT_COLLECTION_STRATEGY)).toEqual([
      'bucketRank',
      'overdue',
      'behaviourScore',
      'assessment',
      'vulnerable',
      'complaintOpen',
      'lostContact',
      'promisesBroken',
    ]);
    const cell = copy();
    cell.nodes[1].content.rules[0].in4 = '> daysInCase';
    expect(strategyFactsRead(cell)).toContain('daysInCase');
    const fn = copy();
    fn.nodes.push({ id: 'f', type: 'functionNode', name: 'f', content: 'export const handler = (i) => i;' });
    expect(strategyFactsRead(fn)).toHaveLength(14);
    const root = copy();
    root.nodes[1].content.rules[0].in1 = '$root.totalOwed > 0';
    expect(strategyFactsRead(root)).toHaveLength(14);
  });
  it('gives the step a direct evaluation gives, for every case, evaluating each distinct read once', async () => {
    const memo = memoisedStrategy(strategy);
    const buckets: Bucket[] = ['M1', 'M2', 'M3', 'M4', 'M7'];
    const all: StrategyFacts[] = [];
    for (const bucket of buckets)
      for (const overdueMinor of [49_999, 50_000, 120_000])
        for (const behaviourScore of [null, 619, 620])
          for (const [assessment, vulnerabilities] of [
            ['undetermined', []],
            ['inability', []],
            ['unwillingness', []],
            ['undetermined', ['illness']],
          ] as const)
            for (const [complaintOpen, lostContact, promisesBroken] of [
              [false, false, 0],
              [true, false, 0],
              [false, true, 0],
              [false, false, 2],
            ] as const)
              for (const totalOwedMinor of [1_000_000, 2_000_000])
                all.push(
                  facts({
                    bucket,
                    overdueMinor,
                    behaviourScore,
                    assessment,
                    vulnerabilities,
                    complaintOpen,
                    lostContact,
                    promisesBroken,
                    totalOwedMinor,
                  }),
                );
    const memoised = await Promise.all(all.map((f) => memo(f)));
    const direct = await Promise.all(all.map((f) => evaluateStrategy(strategy, f)));
    expect(memoised).toEqual(direct);
    // The total owed is not read: the two cases differing only in it share one evaluation.
    expect(new Set(memoised).size).toBe(all.length / 2);
  });
});

describe('the key of a case for the strategy: a number compared only with constants, by its place', () => {
  const copy = () => JSON.parse(JSON.stringify(DEFAULT_COLLECTION_STRATEGY));
  const keyOf = strategyFactKey(DEFAULT_COLLECTION_STRATEGY);
  it('keys an overdue amount by its place around the ¥500 of `< 500`, and the score around 620', () => {
    const at = (overdueMinor: number, behaviourScore: number | null) =>
      keyOf(facts({ overdueMinor, behaviourScore }));
    expect(at(10_000, 700)).toBe(at(49_999, 621));
    expect(at(10_000, 700)).not.toBe(at(50_000, 700));
    expect(at(50_000, 700)).not.toBe(at(50_001, 700));
    expect(at(50_001, 700)).toBe(at(9_000_000, 700));
    expect(at(10_000, 620)).not.toBe(at(10_000, 621));
    expect(at(10_000, 619)).not.toBe(at(10_000, 620));
    expect(at(10_000, null)).not.toBe(at(10_000, 0));
  });
  it('keys a number by its exact value when the graph does anything else with it', () => {
    const arithmetic = copy();
    arithmetic.nodes[1].content.rules[10].in5 = '$ * 2 < 1000';
    const named = copy();
    named.nodes[1].content.rules[10].in6 = '> overdue';
    const elsewhere = copy();
    elsewhere.nodes.push({
      id: 'x',
      type: 'expressionNode',
      name: 'x',
      content: { expressions: [{ id: 'e', key: 'o', value: 'overdue + 1' }] },
    });
    for (const graph of [arithmetic, named, elsewhere]) {
      const key = strategyFactKey(graph);
      expect(key(facts({ overdueMinor: 10_000 }))).not.toBe(key(facts({ overdueMinor: 20_000 })));
    }
  });
  it('gives, for random cases, the step a direct evaluation gives (property)', async () => {
    const memo = memoisedStrategy(strategy);
    const buckets: Bucket[] = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...buckets),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.option(fc.integer({ min: 300, max: 900 })),
        fc.constantFrom('undetermined', 'inability', 'unwillingness'),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        async (bucket, overdueMinor, behaviourScore, assessment, lostContact, promisesBroken) => {
          const f = facts({
            bucket,
            overdueMinor,
            behaviourScore,
            assessment: assessment as 'undetermined' | 'inability' | 'unwillingness',
            lostContact,
            promisesBroken,
          });
          expect(await memo(f)).toEqual(await evaluateStrategy(strategy, f));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('champion and challenger', () => {
  it('splits by a hash of the case id: stable, and near the share asked', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `cs_${i.toString(16).padStart(28, '0')}`);
    const arms = ids.map((id) => strategyArmOf(id, 2_000));
    expect(ids.map((id) => strategyArmOf(id, 2_000))).toEqual(arms);
    const share = arms.filter((a) => a === 'challenger').length / ids.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    expect(ids.every((id) => strategyArmOf(id, 0) === 'champion')).toBe(true);
    expect(ids.every((id) => strategyArmOf(id, 10_000) === 'challenger')).toBe(true);
    expect(() => strategyArmOf(ids[0]!, 10_001)).toThrow();
  });

  it('compares cure rate, recovery and promises kept per arm', () => {
    const row = (
      arm: 'champion' | 'challenger',
      closeReason: string | null,
      recovered: number,
      kept = 0,
      broken = 0,
    ): ArmCaseResult => ({
      arm,
      status: closeReason === null ? 'open' : 'closed',
      closeReason,
      openingOverdueMinor: 10_000,
      recoveredMinor: recovered,
      promisesKept: kept,
      promisesBroken: broken,
    });
    const [champion, challenger] = compareArms([
      row('champion', 'cured', 10_000, 1, 0),
      row('champion', null, 0, 0, 2),
      row('champion', 'paid-off', 12_000),
      row('challenger', null, 3_000, 1, 1),
    ]);
    expect(champion).toMatchObject({
      cases: 3,
      cured: 2,
      cureRate: '0.6667',
      recoveredMinor: 22_000,
      recoveryRate: '0.7333',
      promisesKept: 1,
      promisesDecided: 3,
      promiseKeptRate: '0.3333',
    });
    expect(challenger).toMatchObject({ cases: 1, cured: 0, cureRate: '0.0000', promiseKeptRate: '0.5000' });
    expect(ratio4(1, 0)).toBeNull();
    expect(ratio4(2, 3)).toBe('0.6667');
  });
});
