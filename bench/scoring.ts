/**
 * Scoring benchmark (not a test): a seeded synthetic 1,000,000 × 30 data set with numeric and categorical columns,
 * missing and special values; times binning + scorecard fit and the boosted challenger, and measures test AUC, side
 * by side with scikit-learn (binning + LogisticRegression) and xgboost (hist) measured in the same run when the
 * Debian packages python3-sklearn / python3-xgboost are installed. Run: `npm run bench:scoring` (tsx, from source).
 * Then the searches, on a stratified sample of the training rows (--search-rows, default 20,000), one thread each
 * and on the same folds: our scorecard tuning (`tuneScorecard`, its 96-point grid) against scikit-learn's
 * GridSearchCV of its pipeline over the dimensions that have a counterpart there (bins and L2), and our boosted
 * tuning (`tuneChallenger`, 12 points, k-fold early stopping) against xgboost's `cv` over the same grid.
 * Options: --rows N (default 1,000,000), --no-gbm, --no-peers, --no-search, --search-rows N.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Column, Dataset } from '../src/scoring/index.js';
import {
  auc,
  GBM_GRID,
  SCORECARD_GRID,
  SeededRandom,
  scoreChallenger,
  scoreScorecard,
  seededRandom,
  selectRows,
  stratifiedFolds,
  stratifiedFoldsOf,
  stratifiedSplit,
  trainChallenger,
  trainScorecard,
  tuneChallenger,
  tuneScorecard,
} from '../src/scoring/index.js';

const SEED = 20_240_601;
const NUMERIC_COLUMNS = 20;
const CATEGORICAL_COLUMNS = 10;
const MISSING_SHARE = 0.05;
const SPECIAL_VALUE = -999;
const TEST_SHARE = 0.3;
/** Boosting settings shared with xgboost so that the times compare like for like. */
const GBM_TREES = 300;
const GBM_DEPTH = 3;
const GBM_ETA = 0.05;
const PYTHON = '/usr/bin/python3';
const SINGLE_ROW_CALLS = 10_000;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const rows = Number(argValue('--rows') ?? 1_000_000);
const withGbm = !process.argv.includes('--no-gbm');
const withPeers = !process.argv.includes('--no-peers');
const withSearch = !process.argv.includes('--no-search');
const searchRows = Number(argValue('--search-rows') ?? 20_000);
/** Folds of every search (ours and the peers', the same rows in the same folds). */
const SEARCH_FOLDS = 5;

function gaussian(random: () => number): number {
  const u = Math.max(1e-12, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Synthetic applicants: the log-odds of bad mix linear, threshold, U-shaped and categorical effects plus noise. */
function generate(n: number, seed: number): { data: Dataset; target: Uint8Array } {
  const random = seededRandom(seed);
  const latent = new Float64Array(n).fill(-1.6);
  const columns: Column[] = [];
  for (let c = 0; c < NUMERIC_COLUMNS; c++) {
    const values = new Float64Array(n);
    const weight = c < 12 ? (c % 2 ? 0.35 : -0.3) / (1 + c / 4) : 0;
    const shape = c % 4;
    for (let i = 0; i < n; i++) {
      const z = gaussian(random);
      let effect = weight * z;
      if (shape === 1) effect = weight * (z > 0.5 ? 1.5 : -0.3);
      if (shape === 3) effect = Math.abs(weight) * (z * z - 1) * 0.6;
      latent[i]! += effect;
      // Heavy-tailed amounts for some columns; missing and special values that carry their own risk.
      const v = c % 5 === 0 ? Math.round(Math.exp(7 + z)) : z * 10 + 50;
      const r = random();
      if (r < MISSING_SHARE) {
        values[i] = Number.NaN;
        latent[i]! += c < 6 ? 0.4 : 0;
      } else if (c % 7 === 2 && r < MISSING_SHARE + 0.02) {
        values[i] = SPECIAL_VALUE;
        latent[i]! += 0.6;
      } else values[i] = v;
    }
    columns.push({
      kind: 'numeric',
      name: `num_${c}`,
      values,
      specialValues: c % 7 === 2 ? [SPECIAL_VALUE] : [],
    });
  }
  for (let c = 0; c < CATEGORICAL_COLUMNS; c++) {
    const levelCount = 3 + ((c * 5) % 18);
    const levels = Array.from({ length: levelCount }, (_, k) => `c${c}_${k}`);
    const effects = levels.map(() => (c < 6 ? gaussian(random) * 0.35 : 0));
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // Skewed level frequencies: a few common levels and a long tail.
      const k = Math.min(levelCount - 1, Math.floor(levelCount * random() ** 2));
      if (random() < MISSING_SHARE) codes[i] = -1;
      else {
        codes[i] = k;
        latent[i]! += effects[k]!;
      }
    }
    columns.push({ kind: 'categorical', name: `cat_${c}`, codes, levels });
  }
  const target = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    target[i] = random() < 1 / (1 + Math.exp(-(latent[i]! + gaussian(random) * 0.5))) ? 1 : 0;
  return { data: { rowCount: n, columns }, target };
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

interface Peer {
  sklearn?: { fit_s: number; auc: number; version: string };
  xgboost?: { fit_s: number; cpu_s: number; auc: number; version: string; threads: number }[];
  sklearnSearch?: {
    wall_s: number;
    cpu_s: number;
    points: number;
    fits: number;
    best: string;
    bestAuc: number;
  };
  xgboostSearch?: {
    wall_s: number;
    cpu_s: number;
    points: number;
    fits: number;
    best: string;
    bestAuc: number;
  };
  error?: string;
}

/** The sample the searches run on: rows of the full data set, with each search's fold of every sample row. */
interface SearchInput {
  rows: Int32Array;
  scorecardFolds: Int32Array;
  gbmFolds: Int32Array;
}

function runPeers(
  data: Dataset,
  target: Uint8Array,
  testRows: Int32Array,
  search: SearchInput | undefined,
): Peer {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found` };
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-bench-'));
  try {
    const n = data.rowCount;
    const p = data.columns.length;
    const matrix = new Float64Array(n * p);
    data.columns.forEach((column, j) => {
      for (let i = 0; i < n; i++) {
        const v =
          column.kind === 'numeric'
            ? column.values[i]!
            : column.codes[i]! < 0
              ? Number.NaN
              : column.codes[i]!;
        matrix[i * p + j] = v;
      }
    });
    const isTest = new Uint8Array(n);
    for (const r of testRows) isTest[r] = 1;
    writeFileSync(join(dir, 'x.f64'), matrix);
    writeFileSync(join(dir, 'y.u8'), target);
    writeFileSync(join(dir, 'test.u8'), isTest);
    if (search) {
      writeFileSync(join(dir, 'search-rows.i32'), search.rows);
      writeFileSync(join(dir, 'search-scorecard-folds.i32'), search.scorecardFolds);
      writeFileSync(join(dir, 'search-gbm-folds.i32'), search.gbmFolds);
    }
    const meta = {
      search: search
        ? {
            folds: SEARCH_FOLDS,
            seed: SEED,
            l2PerRow: SCORECARD_GRID.l2PerRow,
            bins: SCORECARD_GRID.maxBins,
            gbmGrid: GBM_GRID,
          }
        : null,
      rows: n,
      kinds: data.columns.map((c) => c.kind),
      trees: GBM_TREES,
      depth: GBM_DEPTH,
      eta: GBM_ETA,
      xgboost: withGbm,
    };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    const script = fileURLToPath(new URL('./scoring_peers.py', import.meta.url));
    const out = spawnSync(PYTHON, [script, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0)
      return { error: (out.stderr || out.stdout).trim().split('\n').slice(-3).join(' | ') };
    return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Peer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const loadText = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
console.log(`load average at the start: ${loadText()} (${availableParallelism()} cores)`);
const t0 = performance.now();
const { data, target } = generate(rows, SEED);
console.log(
  `generated ${rows} rows × ${data.columns.length} columns in ${seconds(t0).toFixed(1)} s (seed ${SEED})`,
);
const { train, test } = stratifiedSplit(target, TEST_SHARE, SEED);
const trainData = selectRows(data, train);
const testData = selectRows(data, test);
const yTrain = Uint8Array.from(train, (r) => target[r]!);
const yTest = Uint8Array.from(test, (r) => target[r]!);

let start = performance.now();
const card = trainScorecard(trainData, yTrain, {}, SEED);
const cardFit = seconds(start);
start = performance.now();
const cardScored = scoreScorecard(card, testData, 0);
const cardScore = seconds(start);
const cardAuc = auc(cardScored.probabilityBad, yTest);
console.log(
  `scorecard: fit ${cardFit.toFixed(2)} s (${card.features.length} features), test AUC ${cardAuc.toFixed(4)}, scoring ${test.length} rows ${cardScore.toFixed(2)} s`,
);

{
  // Single-row scoring, as an origination decision would call it: one-row Dataset in, score and 4 reasons out.
  const singles = Math.min(SINGLE_ROW_CALLS, test.length);
  const oneRows = Array.from({ length: singles }, (_, i) => selectRows(testData, [i]));
  start = performance.now();
  for (const one of oneRows) scoreScorecard(card, one, 4);
  const perRow_us = ((performance.now() - start) * 1000) / singles;
  console.log(
    `scorecard: single-row scoring with 4 reason codes ${perRow_us.toFixed(1)} µs per row (${singles} calls)`,
  );
}

interface GbmRun {
  threads: number;
  fit: number;
  cpu: number;
}
let gbm: { runs: GbmRun[]; auc: number } | undefined;
if (withGbm) {
  // Once on one thread (like for like with xgboost's single-thread CPU time) and once on every core; the
  // thread count must not change the model.
  const runs: GbmRun[] = [];
  let firstModel: string | undefined;
  let testAuc = 0;
  for (const threads of [...new Set([1, availableParallelism()])]) {
    start = performance.now();
    const cpuStart = process.cpuUsage();
    const model = trainChallenger(
      trainData,
      yTrain,
      {
        trees: GBM_TREES,
        maxDepth: GBM_DEPTH,
        learningRate: GBM_ETA,
        earlyStoppingRounds: 0,
        subsample: 1,
        colsampleByTree: 1,
      },
      SEED,
      { nthread: threads },
    );
    const fit = seconds(start);
    const cpuUsed = process.cpuUsage(cpuStart);
    // CPU time is the fairer figure on a shared machine: wall time also counts waiting for the cores.
    const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
    runs.push({ threads, fit, cpu });
    const json = JSON.stringify(model);
    if (firstModel === undefined) {
      firstModel = json;
      const scored = scoreChallenger(model, testData, 0);
      testAuc = auc(scored.probabilityBad, yTest);
    } else if (json !== firstModel) throw new Error(`the model trained on ${threads} threads differs`);
    console.log(
      `boosted, ${threads} thread(s): fit ${fit.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (${model.trees.length} trees), test AUC ${testAuc.toFixed(4)}${runs.length > 1 ? ', same model as on one thread' : ''}`,
    );
  }
  gbm = { runs, auc: testAuc };
}

interface OurSearch {
  wall: number;
  cpu: number;
  points: number;
  fits: number;
  best: string;
}
let search: SearchInput | undefined;
const ourSearch: { scorecard?: OurSearch; gbm?: OurSearch } = {};
if (withSearch) {
  // A stratified sample of the training rows (the boosted search runs only up to 50,000 rows by design).
  const share = Math.min(1, searchRows / train.length);
  const { test: sampleAt } = stratifiedSplit(yTrain, share, SEED + 1);
  const sampleLocal = Int32Array.from(sampleAt).sort();
  const sampleData = selectRows(trainData, sampleLocal);
  const ySample = Uint8Array.from(sampleLocal, (r) => yTrain[r]!);
  search = {
    rows: Int32Array.from(sampleLocal, (r) => train[r]!),
    // The folds each of our searches deals from the seed, handed to the peers as they are.
    scorecardFolds: stratifiedFolds(ySample, SEARCH_FOLDS, SEED),
    gbmFolds: stratifiedFoldsOf(ySample, SEARCH_FOLDS, new SeededRandom(SEED)),
  };
  const timed = <T>(work: () => T): { value: T; wall: number; cpu: number } => {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const value = work();
    const used = process.cpuUsage(cpuStart);
    return { value, wall: seconds(started), cpu: (used.user + used.system) / 1e6 };
  };
  const card = timed(() => tuneScorecard(sampleData, ySample, {}, SEARCH_FOLDS, SEED));
  const cardBest = card.value.tuning.results[0]!;
  ourSearch.scorecard = {
    wall: card.wall,
    cpu: card.cpu,
    points: card.value.tuning.results.length,
    fits: card.value.tuning.results.length * SEARCH_FOLDS,
    best: `mean AUC ${cardBest.meanAuc.toFixed(4)}`,
  };
  console.log(
    `scorecard search on ${ySample.length} rows: ${ourSearch.scorecard.points} points × ${SEARCH_FOLDS} folds in ${card.wall.toFixed(1)} s wall, ${card.cpu.toFixed(1)} s CPU; best ${ourSearch.scorecard.best}`,
  );
  if (withGbm) {
    const gbm = timed(() =>
      tuneChallenger(sampleData, ySample, {}, new Set(), SEARCH_FOLDS, SEED, { nthread: 1 }),
    );
    const gbmBest = gbm.value.tuning.results[0]!;
    ourSearch.gbm = {
      wall: gbm.wall,
      cpu: gbm.cpu,
      points: gbm.value.tuning.results.length,
      fits: gbm.value.tuning.results.length * SEARCH_FOLDS,
      best: `depth ${gbmBest.setting.maxDepth}, eta ${gbmBest.setting.learningRate}, min child weight ${gbmBest.setting.minChildWeight}: mean AUC ${gbmBest.meanAuc.toFixed(4)}`,
    };
    console.log(
      `boosted search on ${ySample.length} rows (1 thread): ${ourSearch.gbm.points} points × ${SEARCH_FOLDS} folds in ${gbm.wall.toFixed(1)} s wall, ${gbm.cpu.toFixed(1)} s CPU; best ${ourSearch.gbm.best}`,
    );
  }
}

const peers: Peer = withPeers ? runPeers(data, target, test, search) : { error: 'skipped (--no-peers)' };
if (peers.error) console.log(`peers not measured: ${peers.error}`);
for (const [key, value] of Object.entries(peers))
  if (key.endsWith('_error') || key.endsWith('_missing')) console.log(`peers: ${key}: ${String(value)}`);

console.log('');
console.log(
  row([
    'model',
    'fit time (s)',
    'test AUC',
    'peer fit time (s)',
    'peer test AUC',
    'time ratio (ours / peer)',
    'AUC difference',
  ]),
);
console.log(row(['---', '---', '---', '---', '---', '---', '---']));
const sk = peers.sklearn;
console.log(
  row([
    'scorecard vs scikit-learn binning + LogisticRegression',
    cardFit.toFixed(2),
    cardAuc.toFixed(4),
    sk ? sk.fit_s.toFixed(2) : '—',
    sk ? sk.auc.toFixed(4) : '—',
    sk ? (cardFit / sk.fit_s).toFixed(2) : '—',
    sk ? (cardAuc - sk.auc).toFixed(4) : '—',
  ]),
);
if (gbm) {
  // One row per thread count, ours and xgboost's on the same number of threads; CPU times below the table.
  const { runs } = gbm;
  const xgRuns = peers.xgboost ?? [];
  const counts = [...new Set([...runs.map((r) => r.threads), ...xgRuns.map((x) => x.threads)])].sort();
  for (const threads of counts) {
    const ours = runs.find((r) => r.threads === threads) ?? runs[0]!;
    const xg = xgRuns.find((x) => x.threads === threads);
    console.log(
      row([
        `boosting vs xgboost hist (${GBM_TREES} trees, depth ${GBM_DEPTH}, eta ${GBM_ETA}, ${ours.threads} thread${ours.threads > 1 ? 's' : ''}${xg && xg.threads !== ours.threads ? ` vs ${xg.threads}` : ''})`,
        ours.fit.toFixed(2),
        gbm.auc.toFixed(4),
        xg ? xg.fit_s.toFixed(2) : '—',
        xg ? xg.auc.toFixed(4) : '—',
        xg ? (ours.fit / xg.fit_s).toFixed(2) : '—',
        xg ? (gbm.auc - xg.auc).toFixed(4) : '—',
      ]),
    );
  }
  const cpuLine = counts.map((threads) => {
    const ours = runs.find((r) => r.threads === threads);
    const xg = xgRuns.find((x) => x.threads === threads);
    const ratio = ours && xg ? ` (ratio ${(ours.cpu / xg.cpu_s).toFixed(2)})` : '';
    return `${threads} thread(s): ours ${ours ? ours.cpu.toFixed(2) : '—'} s, xgboost ${xg ? xg.cpu_s.toFixed(2) : '—'} s${ratio}`;
  });
  console.log(`\nCPU time of the boosting fits (summed over threads) — ${cpuLine.join('; ')}`);
}
if (search) {
  console.log('');
  console.log(
    row([
      'search (same folds, 1 thread)',
      'ours: points × folds',
      'ours: wall / CPU (s)',
      'peer: points × folds',
      'peer: wall / CPU (s)',
      'CPU ratio (ours / peer)',
    ]),
  );
  console.log(row(['---', '---', '---', '---', '---', '---']));
  const pairs = [
    ['scorecard tuning vs scikit-learn GridSearchCV', ourSearch.scorecard, peers.sklearnSearch],
    ['boosted tuning vs xgboost cv', ourSearch.gbm, peers.xgboostSearch],
  ] as const;
  for (const [name, ours, peer] of pairs) {
    if (!ours) continue;
    console.log(
      row([
        name,
        `${ours.points} × ${SEARCH_FOLDS}`,
        `${ours.wall.toFixed(1)} / ${ours.cpu.toFixed(1)}`,
        peer ? `${peer.points} × ${SEARCH_FOLDS}` : '—',
        peer ? `${peer.wall_s.toFixed(1)} / ${peer.cpu_s.toFixed(1)}` : '—',
        peer ? (ours.cpu / peer.cpu_s).toFixed(2) : '—',
      ]),
    );
    if (peer)
      console.log(
        `  ${name}: ours best ${ours.best}; peer best ${peer.best}: mean AUC ${peer.bestAuc.toFixed(4)}`,
      );
  }
}
if (sk || peers.xgboost)
  console.log(`\npeers: scikit-learn ${sk?.version ?? '—'}, xgboost ${peers.xgboost?.[0]?.version ?? '—'}`);
console.log(`load average at the end: ${loadText()}`);
