import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportText } from '../../src/cli/commands/simulate.js';
import { main } from '../../src/cli/main.js';
import { runSimulation } from '../../src/jobs/index.js';
import {
  parsePopulation,
  parseScenario,
  parseStrategy,
  reportHtml,
  SimulationInputError,
} from '../../src/simulation/index.js';
import { SCENARIO_DIR, strategyPath } from '../simulation/lab-helpers.js';

const options = {
  scenario: `${SCENARIO_DIR}pandemic.json`,
  strategies: [strategyPath('default'), strategyPath('relief')],
  borrowers: 14,
  months: 8,
  seed: 42,
  replications: 2,
  startDate: '2027-01-01',
};

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += String(d);
  });
  stderr.on('data', (d) => {
    err += String(d);
  });
  const code = await main(args, { stdout, stderr });
  return { code, out, err };
}

function issuesOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof SimulationInputError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('strategy lab runs', () => {
  it('gives the same report byte for byte for the same seed, in one thread or in two workers', async () => {
    const a = await runSimulation({ ...options, workers: 0 });
    const b = await runSimulation({ ...options, workers: 0 });
    const c = await runSimulation({ ...options, workers: 2 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).toBe(JSON.stringify(a));
    expect(reportHtml(c)).toBe(reportHtml(a));
    const d = await runSimulation({ ...options, seed: 43, workers: 0 });
    expect(JSON.stringify(d)).not.toBe(JSON.stringify(a));
    // Two strategies, their difference with an interval over two replications, the archetypes under each.
    expect(a.strategies.map((s) => s.name)).toEqual(['default', 'pandemic-relief']);
    expect(a.difference?.a).toBe('default');
    const diff = a.difference!.metrics.cashIn_fen;
    expect(diff.low).toBeLessThanOrEqual(diff.mean);
    expect(diff.high).toBeGreaterThanOrEqual(diff.mean);
    expect(Object.keys(a.archetypes)).toEqual(['default', 'pandemic-relief']);
    expect(a.archetypes.default!.map((t) => t.name)).toEqual(['张三', '李四', '王五']);
    // 李四's restaurant is closed from month 3: under the relief strategy he is offered a payment holiday.
    const li = a.archetypes['pandemic-relief']![1]!;
    expect(li.rows.some((r) => r.events.includes('catering closed'))).toBe(true);
  });

  it('counts one borrower, month and replication in the singular, in the text and the page', async () => {
    const run = (n: number) =>
      runSimulation({
        ...options,
        strategies: [strategyPath('default')],
        borrowers: n,
        months: n,
        replications: n,
        workers: 0,
      });
    const one = await run(1);
    expect(reportText(one).split('\n')[0]).toBe(
      'population baseline, scenario pandemic (pandemic.json): 1 borrower × 1 month, seed 42, 1 replication',
    );
    expect(reportHtml(one)).toContain(
      '<b>pandemic (pandemic.json)</b>, 1 borrower × 1 month from 2027-01-01, seed 42, 1 replication.',
    );
    const two = await run(2);
    expect(reportText(two).split('\n')[0]).toBe(
      'population baseline, scenario pandemic (pandemic.json): 2 borrowers × 2 months, seed 42, 2 replications',
    );
    expect(reportHtml(two)).toContain(
      '<b>pandemic (pandemic.json)</b>, 2 borrowers × 2 months from 2027-01-01, seed 42, 2 replications.',
    );
  });

  it('runs from the command line: JSON on stdout, an HTML page with inline SVG charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const html = join(dir, 'report.html');
    const r = await cli([
      'simulate',
      '--strategy',
      strategyPath('default'),
      '--borrowers',
      '6',
      '--months',
      '4',
      '--seed',
      '3',
      '--workers',
      '0',
      '--json',
      '--html',
      html,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.format).toBe('lendguard.simulation.report');
    expect(report.run).toMatchObject({ borrowers: 6, months: 4, seed: 3, replications: 1 });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('张三');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('refuses bad population, scenario and strategy files with every problem by place', async () => {
    const population = issuesOf(() =>
      parsePopulation({
        format: 'lendguard.simulation.population',
        formatVersion: 1,
        regions: { 北京市: 0.5, 上海市: 0.3 },
        behavior: {},
        groups: [{ id: 'salaried', share: 1, process: 'wages', medianMonthlyIncome_fen: -5 }],
      }),
    );
    expect(population).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.behavior: is not a known field/),
        expect.stringMatching(/^\$\.regions: shares sum to 0\.8; they must sum to 1/),
        expect.stringMatching(/^\$\.groups\[0\]\.process: is "wages"; give one of "salary"/),
        expect.stringMatching(/^\$\.groups\[0\]\.medianMonthlyIncome_fen: is -5; give a whole number/),
      ]),
    );
    expect(
      issuesOf(() =>
        parseScenario({
          format: 'lendguard.simulation.scenario',
          formatVersion: 1,
          shocks: [{ kind: 'closure', fromMonth: 0 }],
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        '$.name: is missing; name the scenario',
        expect.stringMatching(/^\$\.shocks\[0\]\.fromMonth: is 0; give a whole number from 1/),
        expect.stringMatching(/^\$\.shocks\[0\]\.industries: name the industries closed/),
        expect.stringMatching(/^\$\.shocks\[0\]\.months: is missing/),
      ]),
    );
    expect(
      issuesOf(() =>
        parseStrategy({
          format: 'lendguard.simulation.strategy',
          formatVersion: 2,
          name: 'x',
          collections: { writeOffDaysPastDue: 10 },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.formatVersion: is 2; the only version is 1/),
        expect.stringMatching(/^\$\.origination: is missing/),
        expect.stringMatching(/^\$\.lineControls: is missing/),
        expect.stringMatching(/^\$\.collections\.writeOffDaysPastDue: is 10; give a whole number from 30/),
      ]),
    );
    // On the command line: exit 2, the file named, each problem on its own line; a named document that is missing.
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const bad = join(dir, 'strategy.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'lendguard.simulation.strategy',
        formatVersion: 1,
        name: 'x',
        origination: { policy: 'nowhere' },
        lineControls: 'x.json',
        reminders: 'y.json',
      }),
    );
    const r = await cli([
      'simulate',
      '--strategy',
      bad,
      '--borrowers',
      '2',
      '--months',
      '2',
      '--workers',
      '0',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read policy');
    writeFileSync(
      bad,
      JSON.stringify({ format: 'lendguard.simulation.strategy', formatVersion: 1, origination: {} }),
    );
    const r2 = await cli(['simulate', '--strategy', bad, '--workers', '0']);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`${bad}: 4 problems`);
    expect(r2.err).toContain('$.origination.policy: is missing');
  });
});
