import { counted } from '../money/index.js';
import type { ModelArtifact, ModelMetrics } from './artifact.js';
import { TUNING_GAIN_STANDARD_ERRORS } from './cv.js';
import { type Band, type RocPoint, rocCurve } from './metrics.js';

/** Points drawn at most on a curve; longer curves are thinned evenly (the shape stays, the file stays small). */
const CURVE_POINTS_MAX = 400;
const CHART_WIDTH_PX = 420;
const CHART_HEIGHT_PX = 260;
const MARGIN_PX = 40;
const HISTOGRAM_BUCKETS = 30;

export interface ReportInput {
  readonly model: ModelArtifact;
  readonly dataName: string;
  readonly metrics: ModelMetrics;
  readonly score: ArrayLike<number>;
  readonly probabilityBad: ArrayLike<number>;
  readonly target: ArrayLike<number>;
  readonly bands: readonly Band[];
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

function thin<T>(items: readonly T[]): T[] {
  if (items.length <= CURVE_POINTS_MAX) return [...items];
  const out: T[] = [];
  for (let i = 0; i < CURVE_POINTS_MAX; i++)
    out.push(items[Math.round((i * (items.length - 1)) / (CURVE_POINTS_MAX - 1))]!);
  return out;
}

interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: readonly Series[],
  yMax = 1,
): string {
  const w = CHART_WIDTH_PX;
  const h = CHART_HEIGHT_PX;
  const m = MARGIN_PX;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const p of s.points) {
      xMin = Math.min(xMin, p[0]);
      xMax = Math.max(xMax, p[0]);
    }
  }
  const sx = (x: number) => m + ((x - xMin) / (xMax - xMin || 1)) * (w - 2 * m);
  const sy = (y: number) => h - m - (y / (yMax || 1)) * (h - 2 * m);
  const paths = series
    .map((s) => {
      const d = thin(s.points)
        .map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
        .join('');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<text x="${m + 8}" y="${m + 14 + i * 16}" fill="${s.color}" font-size="12">${esc(s.label)}</text>`,
    )
    .join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<rect x="${m}" y="${m}" width="${w - 2 * m}" height="${h - 2 * m}" fill="none" stroke="#999"/>
${paths}${legend}
<text x="${w / 2}" y="${h - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>
<text x="12" y="${h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${h / 2})">${esc(yLabel)}</text>
<text x="${m}" y="${h - m + 14}" font-size="10">${fmt(xMin, 0)}</text><text x="${w - m}" y="${h - m + 14}" font-size="10" text-anchor="end">${fmt(xMax, xMax <= 1 ? 1 : 0)}</text>
<text x="${m - 4}" y="${m + 4}" font-size="10" text-anchor="end">${fmt(yMax, 2)}</text><text x="${m - 4}" y="${h - m}" font-size="10" text-anchor="end">0</text>
</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function barChart(title: string, labels: readonly string[], values: readonly number[]): string {
  const w = Math.max(CHART_WIDTH_PX, 60 * labels.length + 2 * MARGIN_PX);
  const h = CHART_HEIGHT_PX;
  const m = MARGIN_PX;
  const top = Math.max(0.1, ...values.map(Math.abs));
  const zero = h / 2;
  const bw = (w - 2 * m) / Math.max(1, labels.length);
  const bars = values
    .map((v, i) => {
      const len = (Math.abs(v) / top) * (h / 2 - m);
      const y = v >= 0 ? zero - len : zero;
      const x = m + i * bw + 4;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 8).toFixed(1)}" height="${len.toFixed(1)}" fill="${v >= 0 ? '#c0392b' : '#2e86c1'}"><title>${esc(labels[i]!)}: ${fmt(v)}</title></rect>
<text x="${(x + (bw - 8) / 2).toFixed(1)}" y="${h - 12}" font-size="9" text-anchor="middle">${esc(labels[i]!.slice(0, 14))}</text>`;
    })
    .join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<line x1="${m}" y1="${zero}" x2="${w - m}" y2="${zero}" stroke="#999"/>${bars}
</svg><figcaption>${esc(title)} (bars up: more bads than average)</figcaption></figure>`;
}

function histogram(score: ArrayLike<number>, target: ArrayLike<number>): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < score.length; i++) {
    lo = Math.min(lo, score[i]!);
    hi = Math.max(hi, score[i]!);
  }
  const width = (hi - lo) / HISTOGRAM_BUCKETS || 1;
  const goods = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  const bads = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  let g = 0;
  let b = 0;
  for (let i = 0; i < score.length; i++) {
    const k = Math.min(HISTOGRAM_BUCKETS - 1, Math.floor((score[i]! - lo) / width));
    if (target[i]) {
      bads[k]!++;
      b++;
    } else {
      goods[k]!++;
      g++;
    }
  }
  const centre = (k: number) => lo + (k + 0.5) * width;
  const gs = goods.map((c, k) => [centre(k), g ? c / g : 0] as const);
  const bs = bads.map((c, k) => [centre(k), b ? c / b : 0] as const);
  const yMax = Math.max(...gs.map((p) => p[1]), ...bs.map((p) => p[1]));
  return lineChart(
    'Score distribution (share of goods and of bads per score bucket)',
    'score',
    'share',
    [
      { label: 'goods', color: '#2e86c1', points: gs },
      { label: 'bads', color: '#c0392b', points: bs },
    ],
    yMax,
  );
}

function ksChart(roc: readonly RocPoint[]): string {
  const n = roc.length - 1 || 1;
  return lineChart(
    'KS: cumulative share of bads and goods, riskiest first',
    'share of rows ranked (by distinct score)',
    'cumulative share',
    [
      { label: 'bads', color: '#c0392b', points: roc.map((p, i) => [i / n, p.truePositiveRate] as const) },
      { label: 'goods', color: '#2e86c1', points: roc.map((p, i) => [i / n, p.falsePositiveRate] as const) },
    ],
  );
}

function gainsPoints(bands: readonly Band[]): (readonly [number, number])[] {
  const total = bands.reduce((a, b) => a + b.rows, 0) || 1;
  let rows = 0;
  const points: (readonly [number, number])[] = [[0, 0]];
  for (const b of bands) {
    rows += b.rows;
    points.push([rows / total, b.cumulativeBadShare]);
  }
  return points;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A self-contained HTML report: no script, no external file, charts as inline SVG. */
/** The bin refinement of a scorecard: the penalties tried, their held-out deviance, the choice and why. */
function refinementSection(model: ModelArtifact): string {
  const r = model.scorecard?.refinement;
  if (!r) return '';
  return `<h3>Bin refinement</h3>
<p>Method: ${esc(r.method)}${r.folds ? ` (${r.folds} folds, seed ${r.seed})` : ''}. Each bin's log-odds is the feature's
coefficient × WoE plus the bin's own adjustment, penalised by the L2 penalty × the sum of squared adjustments; the
penalty with the lowest mean held-out deviance is used. Chosen: <b>${r.l2 === null ? 'none (the plain card)' : `penalty ${r.l2}`}</b> — ${esc(r.reason)}.</p>
${
  r.results.length
    ? table(
        ['penalty', 'held-out deviance per row', 'chosen'],
        r.results.map((x) => [
          x.l2 === null ? 'none (plain card)' : String(x.l2),
          fmt(x.heldOutDeviancePerRow, 6),
          x.l2 === r.l2 ? 'yes' : '',
        ]),
      )
    : ''
}`;
}

/** The tuning record of the model document: grid, cross-validated figures per point, the choice and the rule. */
function tuningSection(model: ModelArtifact): string {
  const rule =
    `The grid point with the highest mean held-out AUC is used only if it beats the first point (the defaults) by ` +
    `more than ${TUNING_GAIN_STANDARD_ERRORS} standard errors of the fold-by-fold AUC differences; otherwise the ` +
    'first point stays.';
  const gridTable = (grid: Record<string, readonly unknown[]>) =>
    table(
      ['setting', 'values searched (first = default)'],
      Object.entries(grid).map(([k, v]) => [k, v.map((x) => String(x)).join(', ')]),
    );
  const reasons = (list: readonly string[]) => `<ul>${list.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`;
  const card = model.tuning?.scorecard;
  if (card) {
    const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
    return `<h2>Tuning</h2>
<p>Method: ${esc(card.method)}; ${card.folds} stratified folds, seed ${card.seed}. ${esc(rule)}</p>
${gridTable(card.grid as unknown as Record<string, readonly unknown[]>)}
<p>Chosen: ${Object.entries(card.chosen)
      .map(([k, v]) => `${esc(k)} ${esc(String(v))}`)
      .join(', ')} — mean AUC ${fmt(card.chosenMeanAuc)} ± ${fmt(card.chosenStandardError)}; the first point's
${fmt(card.defaultMeanAuc)}.</p>
${reasons(card.reasons)}
<h3>Every point (best mean held-out AUC first)</h3>
${table(
  [
    'trend rule',
    'min bin share',
    'max bins',
    'IV min',
    'correlation max',
    'L2 per row',
    'mean AUC',
    'standard error',
    'chosen',
  ],
  card.results.map((r) => [
    r.setting.trendRule,
    String(r.setting.minBinShare),
    String(r.setting.maxBins),
    String(r.setting.ivMin),
    String(r.setting.correlationMax),
    String(r.setting.l2PerRow),
    fmt(r.meanAuc),
    fmt(r.standardError),
    same(r.setting, card.chosen) ? 'yes' : '',
  ]),
)}`;
  }
  const gbm = model.tuning?.gbm;
  if (gbm) {
    const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
    return `<h2>Tuning</h2>
<p>Method: ${esc(gbm.method)}; ${gbm.folds} stratified folds, seed ${gbm.seed}. ${gbm.searched ? esc(rule) : 'The grid was not searched.'}</p>
${gridTable(gbm.grid as unknown as Record<string, readonly unknown[]>)}
<p>Chosen: depth ${gbm.chosen.maxDepth}, learning rate ${gbm.chosen.learningRate}, minimum child weight ${gbm.chosen.minChildWeight}.</p>
${reasons(gbm.reasons)}
${
  gbm.results.length
    ? `<h3>Every point (best mean held-out AUC first)</h3>${table(
        ['depth', 'learning rate', 'min child weight', 'mean AUC', 'mean best rounds', 'chosen'],
        gbm.results.map((r) => [
          String(r.setting.maxDepth),
          String(r.setting.learningRate),
          String(r.setting.minChildWeight),
          fmt(r.meanAuc),
          fmt(r.meanBestRounds, 1),
          same(r.setting, gbm.chosen) ? 'yes' : '',
        ]),
      )}`
    : ''
}`;
  }
  return '';
}

/** The cross-validated AUC of the recipe (`--cv K`), when the model document holds it. */
function crossValidationSection(model: ModelArtifact): string {
  const cv = model.crossValidation;
  if (!cv) return '';
  return `<h2>Cross-validation</h2>
<p>${cv.folds} stratified folds, seed ${cv.seed}: mean held-out AUC ${fmt(cv.meanAuc)} ± ${fmt(cv.standardError)} (one
standard error), pooled out-of-fold AUC ${fmt(cv.pooledAuc)}.</p>
${table(
  ['fold', 'held-out AUC'],
  cv.foldAuc.map((a, i) => [String(i + 1), fmt(a)]),
)}`;
}

export function renderReport(input: ReportInput): string {
  const { model, metrics } = input;
  const roc = rocCurve(input.probabilityBad, input.target);
  const sections: string[] = [];
  sections.push(`<h1>Scoring model report</h1>
<p>Model kind <b>${esc(model.kind)}</b>, trained on ${counted(model.training.rows, 'row')} (${counted(model.training.bads, 'bad')}), target
<code>${esc(model.target.column)}</code> = <code>${esc(model.target.badValue)}</code> is bad; seed ${model.seed}.
Scaling: ${model.scaling.basePoints} points at good:bad odds ${model.scaling.baseOdds}:1, ${model.scaling.pdo} points to double the odds.</p>
<h2>Performance on ${esc(input.dataName)}</h2>
${table(['rows', 'bads', 'AUC', 'KS', 'Gini', 'Brier'], [[String(metrics.rows), String(metrics.bads), fmt(metrics.auc), fmt(metrics.ks), fmt(metrics.gini), fmt(metrics.brier)]])}`);
  sections.push(`<div class="charts">
${lineChart(
  `ROC (AUC ${fmt(metrics.auc)})`,
  'false positive rate (goods declined)',
  'true positive rate (bads caught)',
  [
    {
      label: 'model',
      color: '#c0392b',
      points: roc.map((p) => [p.falsePositiveRate, p.truePositiveRate] as const),
    },
    {
      label: 'random',
      color: '#999',
      points: [
        [0, 0],
        [1, 1],
      ],
    },
  ],
)}
${ksChart(roc)}
${histogram(input.score, input.target)}
${lineChart('Gains: share of bads caught by the riskiest bands', 'share of rows', 'share of bads', [
  { label: 'model', color: '#c0392b', points: gainsPoints(input.bands) },
  {
    label: 'random',
    color: '#999',
    points: [
      [0, 0],
      [1, 1],
    ],
  },
])}
</div>`);
  sections.push(`<h2>Gains, lift and calibration by score band (riskiest first)</h2>
${table(
  [
    'band',
    'score from',
    'score to',
    'rows',
    'bads',
    'bad rate',
    'mean predicted',
    'lift',
    'cumulative bads',
    'cumulative lift',
  ],
  input.bands.map((b) => [
    String(b.band),
    fmt(b.scoreMin, 0),
    fmt(b.scoreMax, 0),
    String(b.rows),
    String(b.bads),
    fmt(b.badRate),
    fmt(b.meanProbabilityBad),
    fmt(b.lift, 2),
    fmt(b.cumulativeBadShare),
    fmt(b.cumulativeLift, 2),
  ]),
)}`);
  if (model.scorecard) {
    const card = model.scorecard;
    sections.push(`<h2>Scorecard</h2><p>Base points ${card.basePoints}; intercept ${fmt(card.intercept)}; score range ${card.scoreRange.min} to ${card.scoreRange.max}.
Fit: ${card.fit.converged ? 'converged' : 'did not converge'} in ${counted(card.fit.iterations, 'iteration')}, deviance ${fmt(card.fit.deviance, 2)}, AIC ${fmt(card.fit.aic, 2)}.</p>
${card.fit.warnings.length ? `<ul class="warn">${card.fit.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}${refinementSection(model)}`);
    for (const f of card.features) {
      const bins = f.binning.bins;
      sections.push(`<h3>${esc(f.name)} — IV ${fmt(f.binning.iv)}, coefficient ${fmt(f.coefficient)} (p ${f.pValue.toPrecision(3)}), trend ${esc(f.binning.trend)}</h3>
${f.binning.notes.length ? `<p class="warn">${f.binning.notes.map(esc).join('<br>')}</p>` : ''}
${table(
  [
    'bin',
    'rows',
    'goods',
    'bads',
    'event rate',
    'WoE',
    'IV',
    ...(f.adjustments ? ['adjustment (log-odds)'] : []),
    'points',
  ],
  bins.map((b, i) => [
    b.label,
    String(b.goods + b.bads),
    String(b.goods),
    String(b.bads),
    b.goods + b.bads ? fmt(b.bads / (b.goods + b.bads)) : '—',
    fmt(b.woe),
    fmt(b.iv),
    ...(f.adjustments ? [fmt(f.adjustments[i]!)] : []),
    String(f.points[i]),
  ]),
)}
${barChart(
  `WoE per bin: ${f.name}`,
  bins.map((b) => b.label),
  bins.map((b) => b.woe),
)}`);
    }
    sections.push(
      `<h2>Feature selection</h2>${table(
        ['feature', 'IV', 'kept', 'why'],
        card.selection.map((d) => [d.feature, fmt(d.iv), d.kept ? 'yes' : 'no', d.reason]),
      )}`,
    );
  }
  sections.push(tuningSection(model), crossValidationSection(model));
  if (model.gbm) {
    sections.push(`<h2>Boosted model</h2><p>${counted(model.gbm.trees.length, 'tree')} on ${counted(model.gbm.features.length, 'feature')};
reason codes are exact TreeSHAP contributions. Bin tables apply to scorecards only.</p>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scoring model report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:0}figcaption{font-size:12px;color:#555}.warn{color:#a04000}
</style></head><body>
${sections.join('\n')}
</body></html>
`;
}
