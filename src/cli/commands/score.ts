import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse';
import {
  assignBins,
  aucDeLong,
  type BinningOptions,
  bucketCounts,
  type Criterion,
  CV_FOLDS_MAX,
  columnKindsFor,
  crossValidateModel,
  type Dataset,
  DEFAULT_CV_FOLDS,
  DEFAULT_REASON_COUNT,
  DEFAULT_SCALING,
  DEFAULT_TRAINING_SEED,
  findColumn,
  GbmError,
  KS_BOOTSTRAP_RESAMPLES,
  ksBootstrap,
  type ModelArtifact,
  type ModelKind,
  measure,
  NORMAL_95,
  parseModel,
  psiBand,
  psiFromCounts,
  quantileCuts,
  renderReport,
  ScoringError,
  type SelectionOptions,
  type Stepwise,
  scoreBands,
  scoreModel,
  serialiseModel,
  type TrainRequest,
  type Trend,
  targetFromColumn,
  trainModel,
  withoutColumns,
} from '../../scoring/index.js';
import { loadCsv } from '../csv-load.js';
import { type CliIo, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addBehaviourTableCommand } from './behaviour.js';

/** Buckets of the score for PSI (deciles of the expected sample). */
const PSI_SCORE_BUCKETS = 10;
/** Numeric features of a boosted model are bucketed at the expected sample's deciles for PSI. */
const PSI_FEATURE_BUCKETS = 10;

/** Runs a command body, turning the toolkit's expected failures into usage errors (exit status 2). */
async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ScoringError || error instanceof GbmError) throw new UsageError(error.message);
    throw error;
  }
}

function parseInteger(text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, got "${text}"`);
  return Number(text);
}

function parseReal(text: string, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new UsageError(`${what} must be a number, got "${text}"`);
  return v;
}

function readModel(path: string): ModelArtifact {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read model file "${path}"; check the path`);
  }
  try {
    return parseModel(text);
  } catch (error) {
    if (error instanceof ScoringError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

async function loadForModel(
  model: ModelArtifact,
  path: string,
  io: CliIo,
  target?: string,
): Promise<Dataset> {
  const data = await loadCsv(path, { kinds: columnKindsFor(model, target), progressStream: io.stderr });
  for (const f of model.features) {
    if (!findColumn(data, f.name)) {
      throw new UsageError(
        `${path} has no column "${f.name}", which the model needs; add it (values may be empty for missing)`,
      );
    }
  }
  return data;
}

function loadTarget(data: Dataset, path: string, column: string, bad: string): Uint8Array {
  try {
    return targetFromColumn(data, column, bad);
  } catch (error) {
    if (error instanceof ScoringError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

interface TrainFlags {
  data: string;
  target: string;
  bad: string;
  model: string;
  seed: string;
  exclude?: string;
  out: string;
  special?: string;
  basePoints?: string;
  baseOdds?: string;
  pdo?: string;
  trend?: string;
  minBinShare?: string;
  maxBins?: string;
  minBads?: string;
  ivMin?: string;
  stepwise?: string;
  criterion?: string;
  l2?: string;
  trees?: string;
  maxDepth?: string;
  learningRate?: string;
  minChildWeight?: string;
  subsample?: string;
  colsample?: string;
  cv?: string;
  tune?: boolean;
  json?: boolean;
}

/** Bootstrap resamples `score evaluate --bootstrap` accepts at most. */
const BOOTSTRAP_RESAMPLES_MAX = 100_000;

async function train(flags: TrainFlags, io: CliIo): Promise<void> {
  const kind = flags.model as ModelKind;
  if (kind !== 'scorecard' && kind !== 'gbm')
    throw new UsageError(`--model must be scorecard or gbm, got "${flags.model}"`);
  const seed = parseInteger(flags.seed, '--seed');
  const excluded = (flags.exclude ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const specials = (flags.special ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseReal(s, '--special'));
  const data = await loadCsv(flags.data, {
    kinds: new Map([[flags.target, 'categorical']]),
    specialValues: new Map([['*', specials]]),
    progressStream: io.stderr,
  });
  for (const name of excluded) {
    if (!findColumn(data, name))
      throw new UsageError(`--exclude names "${name}", which is not a column of ${flags.data}`);
  }
  const target = loadTarget(data, flags.data, flags.target, flags.bad);
  const features = withoutColumns(data, new Set([flags.target, ...excluded]));
  const binning: Partial<BinningOptions> = {
    ...(flags.trend ? { trend: flags.trend as Trend } : {}),
    ...(flags.minBinShare ? { minBinShare: parseReal(flags.minBinShare, '--min-bin-share') } : {}),
    ...(flags.maxBins ? { maxBins: parseInteger(flags.maxBins, '--max-bins') } : {}),
    ...(flags.minBads ? { minBadsPerBin: parseInteger(flags.minBads, '--min-bads') } : {}),
  };
  if (flags.stepwise && !['forward', 'backward', 'none'].includes(flags.stepwise)) {
    throw new UsageError(`--stepwise must be forward, backward or none, got "${flags.stepwise}"`);
  }
  if (flags.criterion && !['aic', 'bic'].includes(flags.criterion)) {
    throw new UsageError(`--criterion must be aic or bic, got "${flags.criterion}"`);
  }
  const selection: Partial<SelectionOptions> = {
    ...(flags.ivMin ? { ivMin: parseReal(flags.ivMin, '--iv-min') } : {}),
    ...(flags.stepwise ? { stepwise: flags.stepwise as Stepwise } : {}),
    ...(flags.criterion ? { criterion: flags.criterion as Criterion } : {}),
  };
  const scaling = {
    basePoints: flags.basePoints ? parseReal(flags.basePoints, '--base-points') : DEFAULT_SCALING.basePoints,
    baseOdds: flags.baseOdds ? parseReal(flags.baseOdds, '--base-odds') : DEFAULT_SCALING.baseOdds,
    pdo: flags.pdo ? parseReal(flags.pdo, '--pdo') : DEFAULT_SCALING.pdo,
  };
  const folds = flags.cv === undefined ? undefined : parseInteger(flags.cv, '--cv');
  if (folds !== undefined && (folds < 2 || folds > CV_FOLDS_MAX))
    throw new UsageError(`--cv must be a whole number in 2..${CV_FOLDS_MAX}, got ${folds}`);
  const request: TrainRequest = {
    kind,
    target: { column: flags.target, badValue: flags.bad },
    excluded,
    seed,
    scaling,
    scorecard: {
      binning,
      selection,
      logistic: flags.l2 ? { l2: parseReal(flags.l2, '--l2') } : {},
    },
    gbm: {
      ...(flags.trees ? { trees: parseInteger(flags.trees, '--trees') } : {}),
      ...(flags.maxDepth ? { maxDepth: parseInteger(flags.maxDepth, '--max-depth') } : {}),
      ...(flags.learningRate ? { learningRate: parseReal(flags.learningRate, '--learning-rate') } : {}),
      ...(flags.minChildWeight
        ? { minChildWeight: parseReal(flags.minChildWeight, '--min-child-weight') }
        : {}),
      ...(flags.subsample ? { subsample: parseReal(flags.subsample, '--subsample') } : {}),
      ...(flags.colsample ? { colsampleByTree: parseReal(flags.colsample, '--colsample') } : {}),
    },
    ...(flags.tune ? { tuneFolds: folds ?? DEFAULT_CV_FOLDS } : {}),
  };
  const trained = trainModel(features, target, request);
  // The cross-validated figure trains the whole recipe (tuning included) once per fold on the other folds.
  const crossValidation =
    folds === undefined ? undefined : crossValidateModel(features, target, request, folds, seed);
  const model = crossValidation ? { ...trained, crossValidation } : trained;
  writeFileSync(flags.out, serialiseModel(model));
  const m = model.trainingMetrics;
  if (flags.json) {
    writeJson(io, {
      kind,
      out: flags.out,
      features: model.features.map((f) => f.name),
      training: m,
      ...(crossValidation ? { crossValidation } : {}),
      ...(model.tuning ? { tuning: model.tuning.scorecard?.chosen ?? model.tuning.gbm?.chosen } : {}),
    });
    return;
  }
  writeLine(
    io.stdout,
    `trained ${kind === 'gbm' ? 'a GBM' : 'a scorecard'} on ${counted(m.rows, 'row')} (${counted(m.bads, 'bad')}), ${counted(model.features.length, 'feature')}; wrote ${flags.out}`,
  );
  writeLine(
    io.stdout,
    `in-sample AUC ${m.auc.toFixed(4)}, KS ${m.ks.toFixed(4)}, Gini ${m.gini.toFixed(4)} (use "score evaluate" on held-out data)`,
  );
  if (crossValidation) {
    writeLine(
      io.stdout,
      `cross-validated AUC ${crossValidation.meanAuc.toFixed(4)} ± ${crossValidation.standardError.toFixed(4)} ` +
        `(mean of ${counted(crossValidation.folds, 'stratified fold')}, seed ${crossValidation.seed}, ± one standard error; ` +
        `pooled out-of-fold AUC ${crossValidation.pooledAuc.toFixed(4)}; folds ${crossValidation.foldAuc.map((a) => a.toFixed(4)).join(', ')})`,
    );
  }
  const tuning = model.tuning?.scorecard ?? model.tuning?.gbm;
  for (const reason of tuning?.reasons ?? []) writeLine(io.stdout, `tuning: ${reason}`);
  if (model.scorecard) {
    const card = model.scorecard;
    writeLine(
      io.stdout,
      renderTable(
        [
          { header: 'feature' },
          { header: 'IV', align: 'right' },
          { header: 'bins', align: 'right' },
          { header: 'coefficient', align: 'right' },
          { header: 'p-value', align: 'right' },
          { header: 'points', align: 'right' },
        ],
        card.features.map((f) => [
          f.name,
          f.binning.iv.toFixed(4),
          String(f.binning.bins.length),
          f.coefficient.toFixed(4),
          f.pValue.toPrecision(3),
          `${Math.min(...f.points)}..${Math.max(...f.points)}`,
        ]),
      ),
    );
    writeLine(
      io.stdout,
      `base points ${card.basePoints}; score range ${card.scoreRange.min}..${card.scoreRange.max}`,
    );
    if (card.refinement)
      writeLine(
        io.stdout,
        `bin refinement: ${card.refinement.l2 === null ? 'none (plain card)' : `penalty ${card.refinement.l2}`} — ${card.refinement.reason}`,
      );
    const dropped = card.selection.filter((d) => !d.kept).length;
    writeLine(
      io.stdout,
      `${counted(dropped, 'candidate feature')} dropped (reasons in the model file's scorecard.selection)`,
    );
    for (const w of card.fit.warnings) writeLine(io.stdout, `warning: ${w}`);
    for (const d of card.selection) {
      if (!d.kept && d.reason.startsWith('wrong-sign'))
        writeLine(io.stdout, `warning: ${d.feature}: ${d.reason}`);
    }
    for (const c of card.candidateIv)
      for (const note of c.notes) writeLine(io.stdout, `note: ${c.feature}: ${note}`);
  }
  if (model.gbm) writeLine(io.stdout, `${counted(model.gbm.trees.length, 'tree')} kept`);
}

async function apply(
  flags: { model: string; data: string; out: string; reasons: string },
  io: CliIo,
): Promise<void> {
  const model = readModel(flags.model);
  const reasonCount = parseInteger(flags.reasons, '--reasons');
  if (reasonCount < 0) throw new UsageError('--reasons must be 0 or more');
  const data = await loadForModel(model, flags.data, io);
  const scored = scoreModel(model, data, reasonCount);
  // Second pass over the file: copy every input cell exactly as written, then append the model's columns.
  const out = createWriteStream(flags.out);
  const extra = ['score', 'probability_bad'];
  for (let k = 1; k <= reasonCount; k++) extra.push(`reason_${k}`, `reason_${k}_value`, `reason_${k}_points`);
  const parser = createReadStream(flags.data).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let row = -1;
  for await (const record of parser as AsyncIterable<string[]>) {
    const cells = record.map(csvCell);
    if (row < 0) cells.push(...extra);
    else {
      cells.push(String(scored.score[row]!), scored.probabilityBad[row]!.toPrecision(6));
      const reasons = scored.reasons[row]!;
      for (let k = 0; k < reasonCount; k++) {
        const r = reasons[k];
        cells.push(
          r ? csvCell(r.feature) : '',
          r ? csvCell(r.value) : '',
          r ? String(Math.round(r.contribution * 100) / 100) : '',
        );
      }
    }
    if (!out.write(`${cells.join(',')}\n`)) await once(out, 'drain');
    row++;
  }
  out.end();
  await once(out, 'finish');
  writeLine(io.stderr, `scored ${counted(data.rowCount, 'row')}; wrote ${flags.out}`);
}

interface EvaluateFlags {
  model: string;
  data: string;
  target: string;
  bad: string;
  json?: boolean;
  standardErrors?: boolean;
  bootstrap: string;
  seed: string;
}

async function evaluate(flags: EvaluateFlags, io: CliIo): Promise<void> {
  const resamples = parseInteger(flags.bootstrap, '--bootstrap');
  if (resamples < 2 || resamples > BOOTSTRAP_RESAMPLES_MAX)
    throw new UsageError(
      `--bootstrap must be a whole number in 2..${BOOTSTRAP_RESAMPLES_MAX}, got ${resamples}`,
    );
  const seed = parseInteger(flags.seed, '--seed');
  const model = readModel(flags.model);
  const data = await loadForModel(model, flags.data, io, flags.target);
  const target = loadTarget(data, flags.data, flags.target, flags.bad);
  const scored = scoreModel(model, data, 0);
  const m = measure(scored, target);
  const withErrors = !flags.json || flags.standardErrors;
  const aucError = withErrors ? aucDeLong(scored.probabilityBad, target) : undefined;
  const ksError = withErrors ? ksBootstrap(scored.probabilityBad, target, resamples, seed) : undefined;
  if (flags.json) {
    writeLine(
      io.stdout,
      JSON.stringify({
        n: m.rows,
        bads: m.bads,
        auc: m.auc,
        ks: m.ks,
        gini: m.gini,
        ...(aucError && ksError
          ? {
              aucStandardError: aucError.standardError,
              ksStandardError: ksError.standardError,
              ksInterval95: ksError.interval,
              bootstrap: { resamples, seed, stratified: true },
            }
          : {}),
      }),
    );
    return;
  }
  const aucSe = aucError!.standardError;
  const ksSe = ksError!.standardError;
  writeLine(
    io.stdout,
    renderTable(
      ['rows', 'bads', 'AUC', 'AUC SE', 'KS', 'KS SE', 'Gini', 'Brier'].map((header) => ({
        header,
        align: 'right' as const,
      })),
      [
        [
          String(m.rows),
          String(m.bads),
          m.auc.toFixed(4),
          aucSe.toFixed(4),
          m.ks.toFixed(4),
          ksSe.toFixed(4),
          m.gini.toFixed(4),
          m.brier.toFixed(4),
        ],
      ],
    ),
  );
  writeLine(
    io.stdout,
    `AUC 95% interval ${(m.auc - NORMAL_95 * aucSe).toFixed(4)}..${(m.auc + NORMAL_95 * aucSe).toFixed(4)} ` +
      `(DeLong standard error); KS 95% interval ${ksError!.interval[0].toFixed(4)}..${ksError!.interval[1].toFixed(4)} ` +
      `(stratified bootstrap, ${counted(resamples, 'resample')}, seed ${seed}: percentile interval, SE = sd of the resamples)`,
  );
  const bands = scoreBands(scored.score, scored.probabilityBad, target);
  writeLine(
    io.stdout,
    renderTable(
      ['band', 'scores', 'rows', 'bads', 'bad rate', 'predicted', 'lift', 'cum. bads'].map((header) => ({
        header,
        align: 'right' as const,
      })),
      bands.map((b) => [
        String(b.band),
        `${b.scoreMin}..${b.scoreMax}`,
        String(b.rows),
        String(b.bads),
        b.badRate.toFixed(4),
        b.meanProbabilityBad.toFixed(4),
        b.lift.toFixed(2),
        b.cumulativeBadShare.toFixed(4),
      ]),
    ),
  );
}

async function report(
  flags: { model: string; data: string; target: string; bad: string; out: string },
  io: CliIo,
): Promise<void> {
  const model = readModel(flags.model);
  const data = await loadForModel(model, flags.data, io, flags.target);
  const target = loadTarget(data, flags.data, flags.target, flags.bad);
  const scored = scoreModel(model, data, 0);
  const html = renderReport({
    model,
    dataName: flags.data,
    metrics: measure(scored, target),
    score: scored.score,
    probabilityBad: scored.probabilityBad,
    target,
    bands: scoreBands(scored.score, scored.probabilityBad, target),
  });
  writeFileSync(flags.out, html);
  writeLine(io.stderr, `wrote ${flags.out}`);
}

/** Per-feature bucket counts for PSI: the scorecard's own bins, or deciles / levels for a boosted model. */
function featureBuckets(
  model: ModelArtifact,
  expected: Dataset,
  actual: Dataset,
): { feature: string; e: number[]; a: number[] }[] {
  if (model.scorecard) {
    return model.scorecard.features.map((f) => {
      const count = (d: Dataset) => {
        const bins = assignBins(f.binning, findColumn(d, f.name)!);
        const c = new Array<number>(f.binning.bins.length).fill(0);
        for (const b of bins) c[b]!++;
        return c;
      };
      return { feature: f.name, e: count(expected), a: count(actual) };
    });
  }
  return model.features.map((f) => {
    const ec = findColumn(expected, f.name)!;
    const ac = findColumn(actual, f.name)!;
    if (ec.kind === 'numeric' && ac.kind === 'numeric') {
      const present = (v: Float64Array) => v.filter((x) => !Number.isNaN(x));
      const cuts = quantileCuts(present(ec.values), PSI_FEATURE_BUCKETS);
      const missing = (v: Float64Array) => v.length - present(v).length;
      return {
        feature: f.name,
        e: [...bucketCounts(present(ec.values), cuts), missing(ec.values)],
        a: [...bucketCounts(present(ac.values), cuts), missing(ac.values)],
      };
    }
    if (ec.kind === 'categorical' && ac.kind === 'categorical') {
      const levels = [...new Set([...ec.levels, ...ac.levels])];
      const count = (codes: Int32Array, own: readonly string[]) => {
        const c = new Array<number>(levels.length + 1).fill(0);
        for (const code of codes) c[code < 0 ? levels.length : levels.indexOf(own[code]!)]!++;
        return c;
      };
      return { feature: f.name, e: count(ec.codes, ec.levels), a: count(ac.codes, ac.levels) };
    }
    throw new Error(`assertion: column ${f.name} read with different kinds`);
  });
}

async function psi(
  flags: { model: string; expected: string; actual: string; json?: boolean },
  io: CliIo,
): Promise<void> {
  const model = readModel(flags.model);
  const expected = await loadForModel(model, flags.expected, io);
  const actual = await loadForModel(model, flags.actual, io);
  const se = scoreModel(model, expected, 0).score;
  const sa = scoreModel(model, actual, 0).score;
  const cuts = quantileCuts(se, PSI_SCORE_BUCKETS);
  const e = bucketCounts(se, cuts);
  const a = bucketCounts(sa, cuts);
  const scorePsi = psiFromCounts(e, a);
  const features = featureBuckets(model, expected, actual).map((f) => {
    const value = psiFromCounts(f.e, f.a);
    return { feature: f.feature, psi: value, band: psiBand(value) };
  });
  const result = {
    expectedRows: expected.rowCount,
    actualRows: actual.rowCount,
    score: {
      psi: scorePsi,
      band: psiBand(scorePsi),
      buckets: e.map((count, i) => ({
        from: i === 0 ? null : cuts[i - 1]!,
        to: i === cuts.length ? null : cuts[i]!,
        expected: count,
        actual: a[i]!,
      })),
    },
    features,
  };
  if (flags.json) {
    writeJson(io, result);
    return;
  }
  writeLine(
    io.stdout,
    `score PSI ${scorePsi.toFixed(4)} (${psiBand(scorePsi)}); bands: < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25 significant shift`,
  );
  writeLine(
    io.stdout,
    renderTable(
      [{ header: 'feature' }, { header: 'PSI', align: 'right' }, { header: 'band' }],
      features.map((f) => [f.feature, f.psi.toFixed(4), f.band]),
    ),
  );
}

export const registerScore: RegisterCommand = (program: Command, io: CliIo) => {
  const score = program
    .command('score')
    .description('Credit scoring: train, apply, evaluate, report and monitor models');
  score
    .command('train')
    .description('train a scorecard (WoE binning + logistic regression) or a boosted model on all rows given')
    .requiredOption('--data <file>', 'training data, CSV with a header row')
    .requiredOption('--target <column>', 'target column')
    .requiredOption('--bad <value>', 'target value that means bad')
    .option('--model <kind>', 'scorecard or gbm', 'scorecard')
    .option('--seed <n>', 'seed for every random choice', String(DEFAULT_TRAINING_SEED))
    .option('--exclude <columns>', 'comma-separated columns not to use as features')
    .requiredOption('--out <file>', 'model file to write (JSON)')
    .option('--special <values>', 'comma-separated special numeric values binned on their own (e.g. -999)')
    .option('--base-points <n>', `points at the base odds (default ${DEFAULT_SCALING.basePoints})`)
    .option('--base-odds <n>', `good:bad odds at the base points (default ${DEFAULT_SCALING.baseOdds})`)
    .option('--pdo <n>', `points to double the odds (default ${DEFAULT_SCALING.pdo})`)
    .option('--trend <trend>', 'scorecard bins: auto, ascending, descending, peak, valley or none')
    .option('--min-bin-share <share>', 'scorecard bins: least share of rows per bin (default 0.05)')
    .option('--max-bins <n>', 'scorecard bins: most bins per feature (default 10)')
    .option('--min-bads <n>', 'scorecard bins: least bads per bin (default 5)')
    .option('--iv-min <iv>', 'scorecard selection: least IV to keep a feature (default 0.01)')
    .option('--stepwise <dir>', 'scorecard selection: forward, backward or none (default none)')
    .option('--criterion <c>', 'scorecard stepwise criterion: aic or bic (default aic)')
    .option('--l2 <penalty>', 'scorecard logistic regression L2 penalty (default 0)')
    .option('--trees <n>', 'gbm: most boosting rounds')
    .option('--max-depth <n>', 'gbm: deepest tree')
    .option('--learning-rate <eta>', 'gbm: shrinkage per tree')
    .option('--min-child-weight <w>', 'gbm: least hessian sum in a child (default 1)')
    .option('--subsample <share>', 'gbm: share of rows drawn per tree, seeded (default 0.8)')
    .option('--colsample <share>', 'gbm: share of features offered per tree, seeded (default 0.5)')
    .option(
      '--cv <k>',
      'report the stratified k-fold cross-validated AUC of this recipe (and the folds --tune uses)',
    )
    .option(
      '--tune',
      `choose settings by stratified k-fold CV (k from --cv, default ${DEFAULT_CV_FOLDS}): scorecard binning, selection and L2; gbm rounds by k-fold early stopping and, on small data, depth, learning rate, min child weight`,
    )
    .option('--json', 'print the summary as JSON')
    .action((flags: TrainFlags) => guarded(() => train(flags, io)));
  score
    .command('apply')
    .description('score a file: the input columns plus score, probability of bad and reason codes')
    .requiredOption('--model <file>', 'model file')
    .requiredOption('--data <file>', 'data to score, CSV')
    .requiredOption('--out <file>', 'scores file to write, CSV')
    .option('--reasons <n>', 'reason codes per row', String(DEFAULT_REASON_COUNT))
    .action((flags: { model: string; data: string; out: string; reasons: string }) =>
      guarded(() => apply(flags, io)),
    );
  score
    .command('evaluate')
    .description('AUC and KS with standard errors, Gini and gains by score band on labelled data')
    .requiredOption('--model <file>', 'model file')
    .requiredOption('--data <file>', 'labelled data, CSV')
    .requiredOption('--target <column>', 'target column')
    .requiredOption('--bad <value>', 'target value that means bad')
    .option('--json', 'print {"n","bads","auc","ks","gini"}')
    .option(
      '--standard-errors',
      'with --json, also print aucStandardError (DeLong), ksStandardError and ksInterval95 (bootstrap)',
    )
    .option(
      '--bootstrap <n>',
      'stratified bootstrap resamples for the KS error',
      String(KS_BOOTSTRAP_RESAMPLES),
    )
    .option('--seed <n>', 'seed of the bootstrap', String(DEFAULT_TRAINING_SEED))
    .action((flags: EvaluateFlags) => guarded(() => evaluate(flags, io)));
  score
    .command('report')
    .description('self-contained HTML report: bin tables, WoE, score distribution, ROC, KS and gains charts')
    .requiredOption('--model <file>', 'model file')
    .requiredOption('--data <file>', 'labelled data, CSV')
    .requiredOption('--target <column>', 'target column')
    .requiredOption('--bad <value>', 'target value that means bad')
    .requiredOption('--out <file>', 'HTML file to write')
    .action((flags: { model: string; data: string; target: string; bad: string; out: string }) =>
      guarded(() => report(flags, io)),
    );
  score
    .command('psi')
    .description('population stability of the score and of each feature between two samples')
    .requiredOption('--model <file>', 'model file')
    .requiredOption('--expected <file>', 'reference sample, CSV')
    .requiredOption('--actual <file>', 'recent sample, CSV')
    .option('--json', 'print the result as JSON')
    .action((flags: { model: string; expected: string; actual: string; json?: boolean }) =>
      guarded(() => psi(flags, io)),
    );
  addBehaviourTableCommand(score, io);
};
