import { describe, expect, it } from 'vitest';
import {
  deriveMeasures,
  evaluateGraph,
  evaluateGraphs,
  factPathsRead,
  isOriginationError,
  type JdmGraph,
  type PolicyDocument,
  parsePolicy,
  policyFacts,
  scoreApplication,
  withEvaluationMemo,
} from '../../src/origination/index.js';
import { application, BUSINESS_TIME, defaultPolicyAndModels, merge, policyWith } from './helpers.js';

type Json = Record<string, unknown>;

/** The facts the graphs see for the salaried applicant, with fields overridden. */
function facts(patch: Json = {}): Json {
  const { document, models } = defaultPolicyAndModels();
  const app = application();
  const derived = deriveMeasures(app, document.settings, BUSINESS_TIME);
  const score = scoreApplication(models.champion, app, derived, document.settings);
  return merge(policyFacts(app, derived, score) as unknown as Json, patch);
}

async function codes(graph: 'knockout' | 'referral', patch: Json): Promise<string[]> {
  const { policy } = defaultPolicyAndModels();
  const out = await evaluateGraph(policy, graph, facts(patch));
  return out.fired.map((r) => r.ruleId);
}

describe('default policy: knock-out rules', () => {
  it('fires nothing for the salaried applicant', async () => {
    expect(await codes('knockout', {})).toEqual([]);
  });

  it.each([
    ['KO_MINOR', { applicant: { ageYears: 17 } }, { 'applicant.ageYears': 17 }],
    ['KO_AGE_MAX', { applicant: { ageYears: 65 } }, { 'applicant.ageYears': 65 }],
    ['KO_STUDENT', { applicant: { occupation: 'student' } }, { 'applicant.occupation': 'student' }],
    ['KO_NO_INCOME', { income: { declaredMonthly: 0 } }, { 'income.declaredMonthly': 0 }],
    ['KO_SERIOUS_DELINQUENCY', { bureau: { worstDaysPastDue: 90 } }, { 'bureau.worstDaysPastDue': 90 }],
    ['KO_RECENT_DELINQUENCY', { bureau: { overdueMonths24m: 4 } }, { 'bureau.overdueMonths24m': 4 }],
    ['KO_MULTI_LENDER', { bureau: { lenders3m: 6 } }, { 'bureau.lenders3m': 6 }],
    ['KO_DEBT_TO_INCOME', { debt: { toIncome: 0.71 } }, { 'debt.toIncome': 0.71 }],
    ['KO_DEBT_SERVICE', { business: { debtServiceCoverage: 0.9 } }, { 'business.debtServiceCoverage': 0.9 }],
    ['KO_CASH_RUNWAY', { business: { cashRunwayMonths: 2.5 } }, { 'business.cashRunwayMonths': 2.5 }],
    ['KO_OWN_BOOK_PAST_DUE', { book: { maxDaysPastDue: 91 } }, { 'book.maxDaysPastDue': 91 }],
    ['KO_OWN_BOOK_WRITTEN_OFF', { book: { writtenOffLoans: 1 } }, { 'book.writtenOffLoans': 1 }],
    [
      'KO_OWN_BOOK_RESTRUCTURING_BROKEN',
      { book: { brokenRestructurings: 1 } },
      { 'book.brokenRestructurings': 1 },
    ],
  ])('%s fires with the value it saw', async (code, patch, values) => {
    const { policy } = defaultPolicyAndModels();
    const out = await evaluateGraph(policy, 'knockout', facts(patch));
    expect(out.fired.map((r) => r.ruleId)).toEqual([code]);
    expect(out.fired[0]!.values).toEqual(values);
    expect(out.fired[0]!.graph).toBe('knockout');
    expect(typeof out.fired[0]!.outputs.message).toBe('string');
  });

  it.each([
    [{ applicant: { ageYears: 18 } }],
    [{ applicant: { ageYears: 64 } }],
    [{ bureau: { worstDaysPastDue: 89 } }],
    [{ bureau: { lenders3m: 5 } }],
    [{ debt: { toIncome: 0.7 } }],
    [{ business: { debtServiceCoverage: 1 } }],
    [{ business: { cashRunwayMonths: 3 } }],
  ])('stays quiet just inside the bound %j', async (patch) => {
    expect(await codes('knockout', patch)).toEqual([]);
  });

  it('collects every knock-out that applies', async () => {
    expect(await codes('knockout', { applicant: { ageYears: 17 }, bureau: { lenders3m: 9 } })).toEqual([
      'KO_MINOR',
      'KO_MULTI_LENDER',
    ]);
  });
});

describe('default policy: score cut-offs by segment and risk grades', () => {
  it.each([
    ['employed', 510, 'pass', 'C'],
    ['employed', 509, 'refer', 'D'],
    ['employed', 479, 'decline', 'E'],
    ['self-employed', 524, 'refer', 'C'],
    ['self-employed', 525, 'pass', 'C'],
    ['business', 489, 'decline', 'D'],
    ['retired', 520, 'pass', 'C'],
    ['other', 539, 'refer', 'C'],
    ['student', 700, 'decline', 'A'],
    ['employed', 570, 'pass', 'A'],
    ['employed', 569, 'pass', 'B'],
  ])('segment %s at score %i: %s, grade %s', async (segment, score, result, grade) => {
    const { policy } = defaultPolicyAndModels();
    const out = await evaluateGraph(
      policy,
      'cutoffs',
      facts({ applicant: { segment }, score: { value: score } }),
    );
    expect(out.result).toMatchObject({ result, riskGrade: grade });
    const cut = out.fired.find((r) => r.table === 'Score cut-off by segment')!;
    // The catch-all row of a segment without a cut-off reads nothing.
    expect(cut.values['score.value']).toBe(segment === 'student' ? undefined : score);
  });
});

describe('default policy: limit matrix and pricing', () => {
  it.each([
    ['A', true, 2999, 5000],
    ['A', true, 3000, 15000],
    ['A', true, 25000, 80000],
    ['B', true, 8000, 20000],
    ['C', true, 12000, 20000],
    ['D', true, 6000, 6000],
    ['E', true, 50000, 0],
    ['A', false, 0, 0],
  ])('grade %s, verified %s, income %i yuan → %i yuan', async (grade, verified, income, limit) => {
    const { policy } = defaultPolicyAndModels();
    const out = await evaluateGraph(policy, 'limits', {
      ...facts({ income: { verified, verifiedMonthly: income } }),
      riskGrade: grade,
    });
    expect(out.result).toMatchObject({ limit });
    expect(out.fired).toHaveLength(1);
  });

  it.each([
    ['A', '0.0002'],
    ['B', '0.0003'],
    ['C', '0.0004'],
    ['D', '0.00055'],
    ['E', '0.00065'],
  ])('grade %s is priced at %s a day', async (grade, rate) => {
    const { policy } = defaultPolicyAndModels();
    const out = await evaluateGraph(policy, 'pricing', { ...facts(), riskGrade: grade });
    expect(out.result).toMatchObject({ dailyRate: rate });
  });
});

describe('default policy: referral rules', () => {
  it.each([
    ['REF_INCOME_UNVERIFIED', { income: { verified: false } }],
    ['REF_BUSINESS_DOCUMENTS', { business: { statementsRequired: true, statementsSupplied: false } }],
    ['REF_DEBT_SERVICE_THIN', { business: { debtServiceCoverage: 1.1 } }],
    ['REF_CASH_RUNWAY_SHORT', { business: { cashRunwayMonths: 4 } }],
    ['REF_NEW_BUSINESS', { business: { monthsTrading: 6 } }],
    ['REF_THIN_FILE', { bureau: { historyMonths: 3 } }],
    ['REF_MULTI_LENDER', { bureau: { lenders3m: 3 } }],
    ['REF_DEBT_TO_INCOME', { debt: { toIncome: 0.55 } }],
    ['REF_OWN_BOOK_PAST_DUE', { book: { maxDaysPastDue: 1 } }],
    ['REF_OWN_BOOK_PAST_DUE', { book: { maxDaysPastDue: 90 } }],
    ['REF_OWN_BOOK_RESTRUCTURED', { book: { restructuredLoans: 1 } }],
  ])('%s fires', async (code, patch) => {
    expect(await codes('referral', patch)).toEqual([code]);
  });

  it('leaves a loan here more than 90 days past due to the knock-out, not to a referral', async () => {
    expect(await codes('referral', { book: { maxDaysPastDue: 91 } })).toEqual([]);
  });

  it('fires nothing for the salaried applicant', async () => {
    expect(await codes('referral', {})).toEqual([]);
  });
});

describe('parsePolicy', () => {
  function refused(change: (doc: Json) => void) {
    const doc = structuredClone(defaultPolicyAndModels().document) as unknown as Json;
    change(doc);
    try {
      parsePolicy(doc);
    } catch (error) {
      if (isOriginationError(error)) {
        expect(error.code).toBe('policy_invalid');
        return error.issues;
      }
      throw error;
    }
    throw new Error('expected the policy to be refused');
  }

  it('accepts the default pack', () => {
    const doc = parsePolicy(structuredClone(defaultPolicyAndModels().document));
    expect(doc.settings.termOptions_months).toEqual([3, 6, 12]);
  });

  it('refuses an APR cap above 24%', () => {
    const issues = refused((d) => {
      (d.settings as Json).aprCap = '0.36';
    });
    expect(issues[0]!.path).toBe('settings.aprCap');
  });

  it('refuses a term above 24 months', () => {
    const issues = refused((d) => {
      (d.settings as Json).termOptions_months = [12, 36];
    });
    expect(issues[0]!.path).toBe('settings.termOptions_months');
  });

  it('refuses a missing graph', () => {
    const issues = refused((d) => {
      delete (d.graphs as Json).pricing;
    });
    expect(issues.map((i) => i.path)).toContain('graphs.pricing');
  });

  it('names a cell whose expression does not parse', () => {
    const issues = refused((d) => {
      const graph = (d.graphs as Record<string, PolicyDocument['graphs']['knockout']>).knockout!;
      const table = graph.nodes.find((n) => n.type === 'decisionTableNode') as unknown as {
        content: { rules: Json[] };
      };
      table.content.rules[0]!.in1 = '>>> 18';
    });
    expect(issues[0]!.path).toBe('graphs.knockout.nodes[1].content.rules[0].in1');
    expect(issues[0]!.message).toMatch(/does not parse/);
  });

  it('refuses an unknown setting', () => {
    const issues = refused((d) => {
      (d.settings as Json).maxLimit = 5;
    });
    expect(issues[0]!.path).toBe('settings.maxLimit');
  });
});

describe('evaluating graphs together', () => {
  it('gives the same results and fired rules in one engine call as one call per graph', async () => {
    const { policy } = defaultPolicyAndModels();
    expect([...policy.stages.keys()]).toEqual(['knockout+cutoffs+referral', 'limits+pricing']);
    for (const patch of [
      {},
      { applicant: { ageYears: 17 }, income: { verified: false } },
      { bureau: { lenders3m: 4 } },
    ]) {
      const f = { ...facts(patch), riskGrade: 'B' };
      const together = await evaluateGraphs(policy, ['knockout', 'cutoffs', 'referral'], f);
      const second = await evaluateGraphs(policy, ['limits', 'pricing'], f);
      for (const [name, got] of Object.entries({ ...together, ...second })) {
        const alone = await evaluateGraph(policy, name as 'knockout', f);
        expect(got.fired, name).toEqual(alone.fired);
        if (name !== 'knockout' && name !== 'referral') expect(got.result, name).toEqual(alone.result);
      }
    }
  });

  it('falls back to one call per graph when a graph is not flat', async () => {
    const policy = policyWith((doc) => {
      const graph = doc.graphs.knockout as unknown as { edges: Json[] };
      graph.edges.push({ id: 'straight', sourceId: 'request', targetId: 'response', type: 'edge' });
      return doc;
    });
    expect([...policy.stages.keys()]).toEqual(['limits+pricing']);
    const out = await evaluateGraphs(
      policy,
      ['knockout', 'cutoffs', 'referral'],
      facts({ applicant: { ageYears: 17 } }),
    );
    expect(out.knockout.fired.map((r) => r.ruleId)).toEqual(['KO_MINOR']);
  });
});

describe('withEvaluationMemo', () => {
  it('gives the evaluations the engine gives, kept or not', async () => {
    const { policy } = defaultPolicyAndModels();
    const kept = withEvaluationMemo(policy);
    const cases: Json[] = [];
    for (let score = 380; score <= 760; score += 9)
      for (const segment of ['employed', 'self-employed', 'business-owner'])
        for (const toIncome of [0, 0.45, 0.71])
          cases.push({
            score: { value: score, probabilityBad: score / 1000 },
            applicant: { segment },
            debt: { toIncome },
            income: { verified: score % 2 === 0, verifiedMonthly: 3000 + (score % 5) * 1000 },
          });
    for (const patch of cases) {
      const f = facts(patch);
      const direct = await evaluateGraphs(policy, ['knockout', 'cutoffs', 'referral'], f);
      const grade = { ...f, riskGrade: (direct.cutoffs.result as Json).riskGrade };
      const directPrice = await evaluateGraphs(policy, ['limits', 'pricing'], grade);
      for (let round = 0; round < 2; round += 1) {
        expect(await evaluateGraphs(kept, ['knockout', 'cutoffs', 'referral'], f)).toEqual(direct);
        expect(await evaluateGraphs(kept, ['limits', 'pricing'], grade)).toEqual(directPrice);
      }
    }
    // Applicants differing only in facts the price tables do not read share their evaluation.
    expect(kept.memo!.answers.size).toBeLessThan(cases.length * 5);
  });

  it('keeps nothing for a graph whose reads cannot be told', () => {
    const table = (cell: string): JdmGraph => ({
      nodes: [
        { id: 'in', type: 'inputNode' },
        {
          id: 't',
          type: 'decisionTableNode',
          content: {
            hitPolicy: 'first',
            inputs: [{ id: 'i1', field: 'score.value' }],
            outputs: [{ id: 'o1', field: 'grade' }],
            rules: [{ _id: 'r1', i1: '> 500', o1: cell }],
          },
        },
        { id: 'out', type: 'outputNode' },
      ],
      edges: [],
    });
    expect(factPathsRead(table('"A"'))).toEqual([['score', 'value']]);
    expect(factPathsRead(table('income.verified ? "A" : book'))).toEqual([
      ['book'],
      ['income', 'verified'],
      ['score', 'value'],
    ]);
    expect(factPathsRead(table('$root.score'))).toBeNull();
    expect(factPathsRead(table('date("now")'))).toBeNull();
    expect(factPathsRead({ nodes: [{ id: 'f', type: 'functionNode', content: {} }], edges: [] })).toBeNull();
  });
});
