import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += String(c);
  });
  stderr.on('data', (c) => {
    err += String(c);
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

const data = fileURLToPath(new URL('../../fixtures/data/credit_data.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lendguard-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = join(dir, 'model.json');

async function run(args: string[]) {
  const c = capture();
  const status = await main(args, c.io);
  return { status, out: c.out(), err: c.err() };
}

describe('lendguard score', () => {
  it('trains, evaluates, applies, reports and checks stability', async () => {
    const trained = await run([
      'score',
      'train',
      '--data',
      data,
      '--target',
      'Status',
      '--bad',
      'bad',
      '--seed',
      '3',
      '--out',
      model,
    ]);
    expect(trained.status, trained.err).toBe(0);
    expect(trained.out).toMatch(/trained a scorecard on 4454 rows \(1254 bads\)/);
    expect(trained.out).toMatch(/bin refinement: penalty \d+ — penalty \d+ had the lowest held-out deviance/);
    // Refined (per-bin adjustments), hence format version 2.
    expect(JSON.parse(readFileSync(model, 'utf8'))).toMatchObject({
      format: 'lendguard.scoring-model',
      formatVersion: 2,
      kind: 'scorecard',
      seed: 3,
    });

    const evaluated = await run([
      'score',
      'evaluate',
      '--model',
      model,
      '--data',
      data,
      '--target',
      'Status',
      '--bad',
      'bad',
      '--json',
    ]);
    expect(evaluated.status, evaluated.err).toBe(0);
    const m = JSON.parse(evaluated.out) as Record<string, number>;
    expect(Object.keys(m)).toEqual(['n', 'bads', 'auc', 'ks', 'gini']);
    expect(m.n).toBe(4454);
    expect(m.bads).toBe(1254);
    expect(m.auc).toBeGreaterThan(0.8);
    expect(m.gini).toBeCloseTo(2 * m.auc! - 1, 12);

    const scores = join(dir, 'scores.csv');
    const applied = await run([
      'score',
      'apply',
      '--model',
      model,
      '--data',
      data,
      '--out',
      scores,
      '--reasons',
      '2',
    ]);
    expect(applied.status, applied.err).toBe(0);
    const lines = readFileSync(scores, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4455);
    expect(lines[0]).toBe(
      'Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price,score,probability_bad,reason_1,reason_1_value,reason_1_points,reason_2,reason_2_value,reason_2_points',
    );
    expect(lines[1]).toMatch(/^good,9,rent,60,30,married,no,freelance,73,129,0,0,800,846,\d+,0\.\d+,/);

    const html = join(dir, 'report.html');
    const reported = await run([
      'score',
      'report',
      '--model',
      model,
      '--data',
      data,
      '--target',
      'Status',
      '--bad',
      'bad',
      '--out',
      html,
    ]);
    expect(reported.status, reported.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).toContain('WoE per bin: Seniority');
    // The refined card shows its bins' adjustments and the penalty search.
    expect(page).toContain('<h3>Bin refinement</h3>');
    expect(page).toContain('adjustment (log-odds)');
    expect(page).toMatch(/<td>none \(plain card\)<\/td><td>0\.\d{6}<\/td>/);
    expect(page).not.toContain('<h2>Tuning</h2>');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);

    const psi = await run(['score', 'psi', '--model', model, '--expected', data, '--actual', data, '--json']);
    expect(psi.status, psi.err).toBe(0);
    const p = JSON.parse(psi.out) as { score: { psi: number; band: string }; features: { psi: number }[] };
    expect(p.score.psi).toBeCloseTo(0, 12);
    expect(p.score.band).toBe('stable');
    expect(p.features.length).toBeGreaterThan(0);
  });

  it('counts the trees a boosted model kept, one tree in the singular', async () => {
    const german = fileURLToPath(new URL('../../fixtures/data/german_credit.csv', import.meta.url));
    for (const [trees, words] of [
      ['1', '1 tree kept'],
      ['2', '2 trees kept'],
    ] as const) {
      const out = join(dir, `gbm-${trees}.json`);
      const trained = await run([
        'score',
        'train',
        '--data',
        german,
        '--target',
        'Class',
        '--bad',
        'Bad',
        '--model',
        'gbm',
        '--trees',
        trees,
        '--out',
        out,
      ]);
      expect(trained.status, trained.err).toBe(0);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { gbm: { trees: unknown[] } }).gbm.trees).toHaveLength(
        Number(trees),
      );
      expect(trained.out.split('\n')).toContain(words);
    }
  });

  it('trains the boosted challenger and scores it on the same scale with reason codes in points', async () => {
    const german = fileURLToPath(new URL('../../fixtures/data/german_credit.csv', import.meta.url));
    const gbm = join(dir, 'gbm.json');
    const trained = await run([
      'score',
      'train',
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--model',
      'gbm',
      '--trees',
      '40',
      '--out',
      gbm,
    ]);
    expect(trained.status, trained.err).toBe(0);
    const doc = JSON.parse(readFileSync(gbm, 'utf8')) as {
      kind: string;
      gbm: { trees: unknown[] };
      options: unknown;
    };
    expect(doc.kind).toBe('gbm');
    expect(doc.gbm.trees.length).toBeGreaterThan(0);
    expect(doc.gbm.trees.length).toBeLessThanOrEqual(40);
    const evaluated = await run([
      'score',
      'evaluate',
      '--model',
      gbm,
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--json',
    ]);
    expect(evaluated.status, evaluated.err).toBe(0);
    expect((JSON.parse(evaluated.out) as { auc: number }).auc).toBeGreaterThan(0.75);
    const scores = join(dir, 'gbm-scores.csv');
    const applied = await run([
      'score',
      'apply',
      '--model',
      gbm,
      '--data',
      german,
      '--out',
      scores,
      '--reasons',
      '1',
    ]);
    expect(applied.status, applied.err).toBe(0);
    const [header, first] = readFileSync(scores, 'utf8').split('\n');
    const cells = first!.split(',');
    const names = header!.split(',');
    const score = Number(cells[names.indexOf('score')]);
    const p = Number(cells[names.indexOf('probability_bad')]);
    expect(Number.isInteger(score)).toBe(true);
    // Same scaling as the scorecard: 600 points at odds 50:1, 20 points to double the odds.
    expect(
      Math.abs(score - (600 - (20 / Math.LN2) * Math.log(50) + (20 / Math.LN2) * Math.log((1 - p) / p))),
    ).toBeLessThan(0.51);
    expect(names).toContain('reason_1_points');
  });

  it('evaluates with standard errors and reports a cross-validated AUC', async () => {
    const german = fileURLToPath(new URL('../../fixtures/data/german_credit.csv', import.meta.url));
    const card = join(dir, 'german-card.json');
    const trained = await run([
      'score',
      'train',
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--cv',
      '3',
      '--out',
      card,
    ]);
    expect(trained.status, trained.err).toBe(0);
    expect(trained.out).toMatch(
      /cross-validated AUC 0\.\d{4} ± 0\.\d{4} \(mean of 3 stratified folds, seed 42, ± one standard error; pooled out-of-fold AUC 0\.\d{4}; folds (0\.\d{4}, ){2}0\.\d{4}\)/,
    );
    const doc = JSON.parse(readFileSync(card, 'utf8')) as {
      crossValidation: { folds: number; foldAuc: number[]; meanAuc: number };
    };
    expect(doc.crossValidation.folds).toBe(3);
    expect(doc.crossValidation.foldAuc).toHaveLength(3);
    // Held-out AUC of a 61-column card on 1,000 rows sits well below its in-sample AUC, but above chance.
    expect(doc.crossValidation.meanAuc).toBeGreaterThan(0.7);
    expect(doc.crossValidation.meanAuc).toBeLessThan(0.85);

    const args = [
      'score',
      'evaluate',
      '--model',
      card,
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
    ];
    const table = await run([...args, '--bootstrap', '50', '--seed', '9']);
    expect(table.status, table.err).toBe(0);
    expect(table.out).toMatch(/AUC SE/);
    expect(table.out).toMatch(
      /\(DeLong standard error\); KS 95% interval 0\.\d{4}\.\.0\.\d{4} \(stratified bootstrap, 50 resamples, seed 9/,
    );
    const json = await run([...args, '--json', '--standard-errors', '--bootstrap', '50', '--seed', '9']);
    const m = JSON.parse(json.out) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual([
      'n',
      'bads',
      'auc',
      'ks',
      'gini',
      'aucStandardError',
      'ksStandardError',
      'ksInterval95',
      'bootstrap',
    ]);
    expect(m.aucStandardError as number).toBeGreaterThan(0.005);
    expect(m.aucStandardError as number).toBeLessThan(0.05);
    expect(m.bootstrap).toEqual({ resamples: 50, seed: 9, stratified: true });
    const again = await run([...args, '--json', '--standard-errors', '--bootstrap', '50', '--seed', '9']);
    expect(again.out).toBe(json.out);
    const refused = await run([...args, '--bootstrap', '1']);
    expect(refused.status).toBe(2);
    expect(refused.err).toMatch(/--bootstrap must be a whole number in 2\.\.100000/);
    const badFolds = await run([
      'score',
      'train',
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--cv',
      '1',
      '--out',
      join(dir, 'x.json'),
    ]);
    expect(badFolds.status).toBe(2);
    expect(badFolds.err).toMatch(/--cv must be a whole number in 2\.\.20/);
  });

  it('tunes a boosted model by cross-validation and records the search in the model file', async () => {
    const german = fileURLToPath(new URL('../../fixtures/data/german_credit.csv', import.meta.url));
    const tuned = join(dir, 'german-tuned.json');
    const args = ['score', 'train', '--data', german, '--target', 'Class', '--bad', 'Bad', '--model', 'gbm'];
    const r = await run([
      ...args,
      '--trees',
      '30',
      '--learning-rate',
      '0.1',
      '--tune',
      '--cv',
      '2',
      '--out',
      tuned,
    ]);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/tuning: 2-fold stratified cross-validation \(seed 42\) over 6 settings/);
    expect(r.out).toMatch(/cross-validated AUC 0\.\d{4}/);
    const doc = JSON.parse(readFileSync(tuned, 'utf8')) as {
      options: { gbm: Record<string, unknown> };
      tuning: { gbm: { searched: boolean; chosen: { learningRate: number }; results: unknown[] } };
      gbm: { foldBestRounds: number[] };
      crossValidation: { folds: number };
    };
    expect(doc.tuning.gbm.searched).toBe(true);
    expect(doc.tuning.gbm.results).toHaveLength(6);
    expect(doc.tuning.gbm.chosen.learningRate).toBe(0.1);
    expect(doc.options.gbm).toMatchObject({ trees: 30, learningRate: 0.1, cvFolds: 2 });
    expect(doc.gbm.foldBestRounds).toHaveLength(2);
    expect(doc.crossValidation.folds).toBe(2);

    // The report carries the tuning record: the rule, the grid, every point's figures and the choice.
    const html = join(dir, 'german-tuned.html');
    const reported = await run([
      'score',
      'report',
      '--model',
      tuned,
      '--data',
      german,
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--out',
      html,
    ]);
    expect(reported.status, reported.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Tuning</h2>');
    expect(page).toMatch(/only if it beats the first point \(the defaults\) by more than 2 standard errors/);
    expect(page).toMatch(/<td>maxDepth<\/td><td>3, 2, 4<\/td>/);
    const pointRows =
      page
        .split('<h3>Every point')[1]!
        .split('</table>')[0]!
        .match(/<tr><td>/g) ?? [];
    expect(pointRows).toHaveLength(6);
    expect(page).toMatch(/<td>yes<\/td><\/tr>/);
    expect(page).toContain('<h2>Cross-validation</h2>');
  });

  it('reports the tuning record of a tuned scorecard', async () => {
    const tuned = join(dir, 'card-tuned.json');
    const r = await run([
      'score',
      'train',
      '--data',
      data,
      '--target',
      'Status',
      '--bad',
      'bad',
      '--min-bin-share',
      '0.05',
      '--max-bins',
      '8',
      '--iv-min',
      '0.02',
      '--tune',
      '--cv',
      '2',
      '--out',
      tuned,
    ]);
    expect(r.status, r.err).toBe(0);
    const html = join(dir, 'card-tuned.html');
    const reported = await run([
      'score',
      'report',
      '--model',
      tuned,
      '--data',
      data,
      '--target',
      'Status',
      '--bad',
      'bad',
      '--out',
      html,
    ]);
    expect(reported.status, reported.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Tuning</h2>');
    expect(page).toMatch(/<td>l2PerRow<\/td><td>0, 0\.001, 0\.01<\/td>/);
    // Trend rule 2 × correlation 2 × L2 3 = 12 points, one of them chosen, each with its mean AUC and error.
    const table = page.split('<h3>Every point')[1]!.split('</table>')[0]!;
    expect(table.match(/<tr><td>monotone/g)).toHaveLength(12);
    expect(table.match(/<td>yes<\/td>/g)).toHaveLength(1);
    expect(page).toMatch(/Chosen: trendRule [a-z-]+, minBinShare 0\.05, maxBins 8, ivMin 0\.02/);
  });

  it('exits with status 2 and a precise message on bad input', async () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const empty = write('empty.csv', '');
    const oneClass = write('one.csv', 'a,y\n1,x\n2,x\n');
    const three = write('three.csv', 'a,y\n1,x\n2,z\n3,w\n');
    const textInNumbers = write(
      'text.csv',
      `${readFileSync(data, 'utf8').split('\n').slice(0, 41).join('\n')}\n"good",oops,"rent",60,30,"married","no","fixed",48,131,0,0,1000,1658\n`,
    );
    const future = write(
      'future.json',
      JSON.stringify({ format: 'lendguard.scoring-model', formatVersion: 7 }),
    );
    const cases: [string[], RegExp][] = [
      [
        ['score', 'train', '--data', data, '--target', 'Nope', '--bad', 'bad', '--out', join(dir, 'x.json')],
        /no column named "Nope"/,
      ],
      [
        ['score', 'train', '--data', oneClass, '--target', 'y', '--bad', 'x', '--out', join(dir, 'x.json')],
        /exactly two classes, found 1/,
      ],
      [
        ['score', 'train', '--data', three, '--target', 'y', '--bad', 'x', '--out', join(dir, 'x.json')],
        /exactly two classes, found 3/,
      ],
      [
        ['score', 'train', '--data', empty, '--target', 'y', '--bad', 'x', '--out', join(dir, 'x.json')],
        /is empty/,
      ],
      [
        [
          'score',
          'train',
          '--data',
          data,
          '--target',
          'Status',
          '--bad',
          'awful',
          '--out',
          join(dir, 'x.json'),
        ],
        /no value "awful"/,
      ],
      [
        ['score', 'apply', '--model', model, '--data', textInNumbers, '--out', join(dir, 'y.csv')],
        /column "Seniority", data row 41: found text "oops" where numbers are expected/,
      ],
      [
        [
          'score',
          'train',
          '--data',
          textInNumbers,
          '--target',
          'Status',
          '--bad',
          'bad',
          '--out',
          join(dir, 'x.json'),
        ],
        /column "Seniority", data row 41: found text "oops" where numbers are expected \(40 of 41/,
      ],
      [
        ['score', 'apply', '--model', future, '--data', data, '--out', join(dir, 'y.csv')],
        /format version 7/,
      ],
      [
        [
          'score',
          'train',
          '--data',
          data,
          '--target',
          'Status',
          '--bad',
          'bad',
          '--model',
          'forest',
          '--out',
          join(dir, 'x.json'),
        ],
        /--model must be scorecard or gbm/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.status, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
