import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { backtest, casesFromRecords, isOriginationError } from '../../src/origination/index.js';
import { defaultPolicyAndModels, fixture, policyWith } from './helpers.js';

const TIME = '2026-01-01T00:00:00+08:00';

function creditDataCases(rows: number) {
  const text = readFileSync(new URL('../fixtures/data/credit_data.csv', import.meta.url), 'utf8');
  const [header, ...data] = parse(text, { skip_empty_lines: true }) as string[][];
  const records = data.slice(0, rows).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
  return casesFromRecords(header!, records, TIME);
}

describe('backtest', () => {
  it('reports approval, expected and observed bad rates and volume by segment', async () => {
    const { policy, models } = defaultPolicyAndModels();
    const cases = creditDataCases(400);
    const report = await backtest(cases, { policy, models, businessTime: TIME });
    const total = report.policy.total;
    expect(report.cases).toBe(400);
    expect(total.cases).toBe(400);
    expect(report.policy.bySegment.reduce((s, x) => s + x.cases, 0)).toBe(400);
    expect(report.policy.bySegment.map((s) => s.segment)).toEqual(['employed', 'other', 'self-employed']);
    expect(total.approvalRate).toBeGreaterThan(0.3);
    expect(total.approvalRate).toBeLessThan(0.95);
    // Approved applicants are safer than the book's 28% bad rate, by the model and by the outcomes.
    expect(total.expectedBadRate!).toBeLessThan(0.2);
    expect(total.observedBadRate!).toBeLessThan(0.2);
    expect(total.approvedLimit_fen).toBeGreaterThan(0);
  });

  it('compares a stricter policy against the default: fewer approvals, fewer bads, and the changes counted', async () => {
    const { policy, models } = defaultPolicyAndModels();
    const strict = policyWith((doc) => {
      const graph = doc.graphs.cutoffs as unknown as {
        nodes: { type: string; id: string; content: { rules: Record<string, string>[] } }[];
      };
      for (const rule of graph.nodes.find((n) => n.id === 'cutoff')!.content.rules)
        if (rule.in1 === '"employed"') {
          if (rule.in2 === '>= 510') rule.in2 = '>= 550';
          if (rule.in2 === '[480..510)') rule.in2 = '[480..550)';
        }
      return { ...doc, version: 'strict' };
    });
    const cases = creditDataCases(400);
    const report = await backtest(cases, { policy: strict, against: policy, models, businessTime: TIME });
    const employed = (side: typeof report.policy) => side.bySegment.find((s) => s.segment === 'employed')!;
    expect(employed(report.policy).approved).toBeLessThan(employed(report.against!).approved);
    expect(employed(report.policy).expectedBadRate!).toBeLessThan(employed(report.against!).expectedBadRate!);
    expect(report.changed!.find((c) => c.from === 'approve' && c.to === 'refer')!.cases).toBe(
      employed(report.against!).approved - employed(report.policy).approved,
    );
  });

  it('reads the case layout and refuses a file without the needed columns', () => {
    const text = readFileSync(fixture('cases.csv'), 'utf8');
    const [header, ...data] = parse(text, { skip_empty_lines: true }) as string[][];
    const records = data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
    const cases = casesFromRecords(header!, records, TIME);
    expect(cases.map((c) => c.bad)).toEqual([0, 1, null]);
    expect(cases[0]!.application.employment.occupation).toBe('salaried');
    expect(cases[0]!.application.requestedLimit_fen).toBe(2_000_000);
    try {
      casesFromRecords(['case_id', 'age'], [], TIME);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(isOriginationError(error) && error.code).toBe('cases_invalid');
    }
  });
});
