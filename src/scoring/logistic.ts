import { counted } from '../money/index.js';
import { ScoringError } from './errors.js';
import { cholesky, choleskyInverse, choleskySolve, normalTwoSidedP } from './linalg.js';

export interface LogisticOptions {
  /** L2 penalty on the coefficients (never on the intercept): adds l2 · Σβ² / 2 to the negative log-likelihood. */
  readonly l2: number;
  readonly iterationsMax: number;
  /** Stop when |Δdeviance| / (|deviance| + 0.1) falls below this (R's glm rule). */
  readonly tolerance: number;
  /** Step halvings tried when a Newton step does not lower the penalised deviance. */
  readonly halvingsMax: number;
  /** Starting coefficients (intercept first); by default the intercept of the base rate and zeros. */
  readonly start?: readonly number[];
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = {
  l2: 0,
  iterationsMax: 50,
  tolerance: 1e-12,
  halvingsMax: 30,
};

/**
 * Above this many rows the fit first runs on an evenly spaced sample of this many rows and starts Newton on all
 * rows from there: the answer is the same (full-data optimum), with fewer passes over the full data.
 */
export const WARM_START_ROWS = 50_000;

/** Also converged when no coefficient moves by more than this, relative to the largest coefficient. */
const STEP_TOLERANCE = 1e-10;

/** Fitted probabilities this close to 0 or 1 count as "numerically 0 or 1" (a sign of separation). */
export const SEPARATION_PROBABILITY_EPS = 1e-10;

export interface LogisticFit {
  readonly names: string[];
  readonly intercept: number;
  readonly coefficients: number[];
  /** Intercept first, then one per coefficient. */
  readonly standardErrors: number[];
  readonly zValues: number[];
  readonly pValues: number[];
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly rows: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest absolute score (gradient) component at the end: near 0 when converged. */
  readonly gradientMax: number;
  readonly separation: {
    readonly detected: boolean;
    readonly rowsAtBoundary: number;
    readonly message: string;
  };
  readonly warnings: string[];
}

function logLikelihoodOf(eta: Float64Array, y: Uint8Array): number {
  let ll = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    // log(1 + exp(e)) computed stably
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    ll += y[i]! * e - softplus;
  }
  return ll;
}

/** η = Xβ with X held column by column (column 0 is the intercept's ones). */
function computeEta(xs: readonly Float64Array[], beta: Float64Array, eta: Float64Array): void {
  eta.fill(beta[0]!);
  for (let j = 1; j < xs.length; j++) {
    const b = beta[j]!;
    if (b === 0) continue;
    const x = xs[j]!;
    for (let i = 0; i < eta.length; i++) eta[i]! += b * x[i]!;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Logistic regression with an intercept by Newton–Raphson (equivalently IRLS), step-halving when a step does not
 * lower the penalised deviance. Standard errors come from the inverse of the (penalised) information matrix at the
 * solution, so without penalty they are the usual Wald errors that R's glm reports.
 */
export function fitLogistic(
  columns: readonly Float64Array[],
  names: readonly string[],
  y: Uint8Array,
  options: Partial<LogisticOptions> = {},
): LogisticFit {
  const o = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  if (!(o.l2 >= 0)) throw new ScoringError('INVALID_OPTION', 'l2 must be zero or positive');
  const n = y.length;
  const p = columns.length;
  const q = p + 1;
  if (n === 0) throw new ScoringError('EMPTY_DATA', 'no rows to fit a logistic regression on');
  for (const c of columns)
    if (c.length !== n) throw new Error('assertion: column length differs from target length');
  // Column-major design: each Hessian entry is one dot product over two contiguous arrays (fast in JavaScript).
  const xs: Float64Array[] = [new Float64Array(n).fill(1), ...columns];
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const beta = new Float64Array(q);
  const rate = positives / n;
  beta[0] = positives > 0 && positives < n ? Math.log(rate / (1 - rate)) : 0;
  if (o.start) {
    if (o.start.length !== q)
      throw new Error('assertion: start needs one value per coefficient and the intercept');
    beta.set(o.start);
  } else if (n > 2 * WARM_START_ROWS) {
    const stride = n / WARM_START_ROWS;
    const rows = Int32Array.from({ length: WARM_START_ROWS }, (_, k) => Math.floor(k * stride));
    const sample = fitLogistic(
      columns.map((c) => Float64Array.from(rows, (r) => c[r]!)),
      names,
      Uint8Array.from(rows, (r) => y[r]!),
      { ...o, tolerance: 1e-8 },
    );
    if (sample.converged && !sample.separation.detected) beta.set([sample.intercept, ...sample.coefficients]);
  }
  const eta = new Float64Array(n);
  computeEta(xs, beta, eta);
  const penalty = (b: Float64Array) => {
    let s = 0;
    for (let j = 1; j < q; j++) s += b[j]! * b[j]!;
    return o.l2 * s;
  };
  let objective = -2 * logLikelihoodOf(eta, y) + penalty(beta);
  const hessian = new Float64Array(q * q);
  const gradient = new Float64Array(q);
  let converged = false;
  let iterations = 0;
  let gradientMax = Number.POSITIVE_INFINITY;
  let factor: Float64Array | undefined;
  const warnings: string[] = [];
  const weights = new Float64Array(n);
  const residuals = new Float64Array(n);
  const weighted = new Float64Array(n);
  const buildSystem = () => {
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      weights[i] = mu * (1 - mu);
      residuals[i] = y[i]! - mu;
    }
    for (let j = 0; j < q; j++) {
      const xj = xs[j]!;
      gradient[j] = dot(xj, residuals);
      for (let i = 0; i < n; i++) weighted[i] = weights[i]! * xj[i]!;
      let k = 0;
      // Four products per pass over `weighted` (memory traffic, not arithmetic, bounds this loop).
      for (; k + 3 <= j; k += 4) {
        const a = xs[k]!;
        const b = xs[k + 1]!;
        const c = xs[k + 2]!;
        const d = xs[k + 3]!;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < n; i++) {
          const v = weighted[i]!;
          s0 += v * a[i]!;
          s1 += v * b[i]!;
          s2 += v * c[i]!;
          s3 += v * d[i]!;
        }
        hessian[j * q + k] = s0;
        hessian[j * q + k + 1] = s1;
        hessian[j * q + k + 2] = s2;
        hessian[j * q + k + 3] = s3;
      }
      for (; k <= j; k++) hessian[j * q + k] = dot(weighted, xs[k]!);
    }
    for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) hessian[k * q + j] = hessian[j * q + k]!;
    for (let j = 1; j < q; j++) {
      hessian[j * q + j]! += o.l2;
      gradient[j]! -= o.l2 * beta[j]!;
    }
    gradientMax = 0;
    for (let j = 0; j < q; j++) gradientMax = Math.max(gradientMax, Math.abs(gradient[j]!));
  };
  const trial = new Float64Array(q);
  for (iterations = 1; iterations <= o.iterationsMax; iterations++) {
    buildSystem();
    factor = cholesky(hessian, q);
    if (!factor) {
      warnings.push(
        'the information matrix is singular: some features are constant or exact linear combinations of others; ' +
          'remove them or set an L2 penalty',
      );
      break;
    }
    const step = choleskySolve(factor, q, gradient);
    let scale = 1;
    let newObjective = Number.POSITIVE_INFINITY;
    for (let h = 0; h <= o.halvingsMax; h++) {
      for (let j = 0; j < q; j++) trial[j] = beta[j]! + scale * step[j]!;
      computeEta(xs, trial, eta);
      newObjective = -2 * logLikelihoodOf(eta, y) + penalty(trial);
      // A rise within rounding noise of the deviance is accepted: at the optimum no step can lower it further.
      if (newObjective <= objective + 1e-10 * (Math.abs(objective) + 0.1)) break;
      scale /= 2;
    }
    let stepMax = 0;
    let betaMax = 0;
    for (let j = 0; j < q; j++) {
      stepMax = Math.max(stepMax, Math.abs(trial[j]! - beta[j]!));
      betaMax = Math.max(betaMax, Math.abs(trial[j]!));
    }
    beta.set(trial);
    const change = Math.abs(objective - newObjective) / (Math.abs(newObjective) + 0.1);
    objective = newObjective;
    if (change < o.tolerance || stepMax <= STEP_TOLERANCE * (1 + betaMax)) {
      converged = true;
      break;
    }
  }
  iterations = Math.min(iterations, o.iterationsMax);
  computeEta(xs, beta, eta);
  buildSystem();
  factor = cholesky(hessian, q);
  const covariance = factor ? choleskyInverse(factor, q) : undefined;
  const standardErrors: number[] = [];
  const zValues: number[] = [];
  const pValues: number[] = [];
  for (let j = 0; j < q; j++) {
    const se = covariance ? Math.sqrt(covariance[j * q + j]!) : Number.NaN;
    standardErrors.push(se);
    const z = beta[j]! / se;
    zValues.push(z);
    pValues.push(normalTwoSidedP(z));
  }
  const ll = logLikelihoodOf(eta, y);
  const nullLl =
    positives === 0 || positives === n
      ? 0
      : positives * Math.log(rate) + (n - positives) * Math.log(1 - rate);
  let atBoundary = 0;
  for (let i = 0; i < n; i++) {
    const mu = 1 / (1 + Math.exp(-eta[i]!));
    if (mu < SEPARATION_PROBABILITY_EPS || mu > 1 - SEPARATION_PROBABILITY_EPS) atBoundary++;
  }
  const coefficientNames = [...names];
  let separationMessage = '';
  if (atBoundary > 0 || (!converged && factor)) {
    const largest = coefficientNames
      .map((name, j) => ({ name, size: Math.abs(beta[j + 1]!) }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map((c) => c.name);
    separationMessage =
      `${atBoundary > 0 ? `${counted(atBoundary, 'row')} ${atBoundary === 1 ? 'is' : 'are'} fitted with probability numerically 0 or 1` : 'the fit did not converge'}: ` +
      `(quasi-)complete separation is likely, led by ${largest.join(', ')}; ` +
      'coefficients and standard errors are unreliable — merge bins, drop the feature or set an L2 penalty';
    warnings.push(separationMessage);
  }
  if (!converged && factor) warnings.push(`no convergence after ${counted(o.iterationsMax, 'iteration')}`);
  return {
    names: coefficientNames,
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    standardErrors,
    zValues,
    pValues,
    deviance: -2 * ll,
    nullDeviance: -2 * nullLl,
    logLikelihood: ll,
    aic: -2 * ll + 2 * q,
    bic: -2 * ll + Math.log(n) * q,
    rows: n,
    iterations,
    converged,
    gradientMax,
    separation: {
      detected: separationMessage.length > 0,
      rowsAtBoundary: atBoundary,
      message: separationMessage,
    },
    warnings,
  };
}

/** Probability of the event for each row from a fit and feature columns in the fit's order. */
export function predictLogistic(
  fit: Pick<LogisticFit, 'intercept' | 'coefficients'>,
  columns: readonly Float64Array[],
  rowCount: number = columns[0]?.length ?? 0,
): Float64Array {
  const out = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    let eta = fit.intercept;
    for (let j = 0; j < columns.length; j++) eta += fit.coefficients[j]! * columns[j]![i]!;
    out[i] = 1 / (1 + Math.exp(-eta));
  }
  return out;
}
