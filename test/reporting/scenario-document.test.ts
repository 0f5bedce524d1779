import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SENSITIVITIES,
  parseScenario as parseScenarioDocument,
  ScenarioFileError,
  scenarioPdMultiplier,
} from '../../src/reporting/index.js';
import {
  closedIndustries,
  conditionsFor,
  parseScenario as parseLabScenario,
  SimulationInputError,
} from '../../src/simulation/index.js';
import { SCENARIO_DIR } from '../simulation/lab-helpers.js';

const file = (id: string) => JSON.parse(readFileSync(`${SCENARIO_DIR}${id}.json`, 'utf8')) as unknown;

describe('one scenario document for the stress tests and the strategy lab (decision 0907)', () => {
  it('reads the same pandemic file on both paths: the stress PDs and the lab months agree on who is hit', () => {
    const raw = file('pandemic');
    const stress = parseScenarioDocument(raw, 'pandemic.json');
    const lab = parseLabScenario(raw, 'pandemic.json');
    expect(lab.name).toBe('pandemic');
    expect(closedIndustries(lab)).toEqual(['catering', 'tourism']);
    // The lab: catering closed in months 3–6 at 15 % of income, recovering after; other industries untouched.
    expect(conditionsFor(lab, 2, 'self-employed', 'business-owner', 'catering').closed).toBe(false);
    const closed = conditionsFor(lab, 3, 'self-employed', 'business-owner', 'catering');
    expect(closed.closed).toBe(true);
    expect(closed.incomeFactor).toBe(0.15);
    expect(closed.lossMultiplier).toBe(5);
    expect(conditionsFor(lab, 4, 'salaried', 'salaried', 'manufacturing').incomeFactor).toBe(1);
    // The stress test: the closure's four months through the sensitivity, for catering alone.
    const pd = (industry: string) =>
      scenarioPdMultiplier(stress, { occupation: 'business-owner', industry }, DEFAULT_SENSITIVITIES);
    expect(pd('catering')).toBeGreaterThan(pd('manufacturing'));
    expect(pd('catering')).toBe(Math.round((pd('manufacturing') * (1_000_000 + 4 * 300_000)) / 1_000_000));
  });

  it('reads the lab shocks of the downturn exactly as the lab wrote them', () => {
    const lab = parseLabScenario(file('downturn'), 'downturn.json');
    // Unemployment and rates move the stress PDs only; the hazard and the incomes are the lab's.
    expect(lab.shocks.map((s) => s.kind)).toEqual(['hazard', 'income', 'income']);
    expect(lab.shocks[1]).toMatchObject({ factor: 0.8, fromMonth: 4, months: 12, recoveryMonths: 6 });
    expect(lab.shocks[2]).toMatchObject({ factor: 0.95, occupations: ['salaried'] });
    expect(parseLabScenario(file('rates-up'), 'rates-up.json').shocks).toEqual([]);
  });

  it('counts one problem in the singular and two in the plural, on both paths', () => {
    const raw = JSON.parse(readFileSync(`${SCENARIO_DIR}pandemic.json`, 'utf8'));
    const known =
      'is not a known field; expected one of id, version, label, description, weight, pdMultiplier, lgdAddOn, shocks';
    const message = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the file to be refused');
    };
    for (const parse of [parseScenarioDocument, parseLabScenario] as ((
      raw: unknown,
      file: string,
    ) => unknown)[]) {
      expect(message(() => parse({ ...raw, colour: 'red' }, 'x.json'))).toBe(
        `x.json: 1 problem:\n  $.colour: ${known}`,
      );
      expect(message(() => parse({ ...raw, colour: 'red', size: 2 }, 'x.json'))).toBe(
        `x.json: 2 problems:\n  $.colour: ${known}\n  $.size: ${known}`,
      );
    }
  });

  it('lists every problem of a bad file by place, on both paths', () => {
    const bad = {
      id: 'Bad',
      version: 1,
      label: { en: 'bad' },
      weight: 0.5,
      colour: 'red',
      shocks: [
        { kind: 'closure', industries: [], months: 0 },
        { kind: 'income', incomeChange: '0.2' },
        { kind: 'war' },
      ],
    };
    let issues: string[] = [];
    try {
      parseScenarioDocument(bad, 'bad.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioFileError);
      expect((error as Error).message).toMatch(/^bad\.json: 8 problems:/);
      issues = (error as ScenarioFileError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.colour: is not a known field/),
        expect.stringMatching(/^\$\.id: is "Bad"; use lower-case letters/),
        expect.stringMatching(/^\$\.label\.zh: is missing/),
        expect.stringMatching(/^\$\.weight: is 0\.5; give a decimal string/),
        expect.stringMatching(/^\$\.shocks\[0\]\.industries: name the industries closed/),
        expect.stringMatching(/^\$\.shocks\[0\]\.months: is 0; give a whole number from 1/),
        expect.stringMatching(/^\$\.shocks\[1\]\.incomeChange: is 0\.2; give a value from -1 to 0/),
        expect.stringMatching(/^\$\.shocks\[2\]\.kind: is "war"; give one of unemployment, rates/),
      ]),
    );
    expect(() => parseLabScenario(bad, 'bad.json')).toThrow(SimulationInputError);
    expect(() => parseLabScenario(bad, 'bad.json')).toThrow(/\$\.shocks\[2\]\.kind: is "war"/);
  });
});
