import { GbmError } from './errors.js';
import type { GbmOptions, MonotoneDirection } from './types.js';

/** Bins a feature may have, the missing-value bin included: codes must fit a byte. */
export const BINS_PER_FEATURE_MAX = 255;

/**
 * Defaults chosen for unseen credit portfolios rather than for one data set: shallow trees, strong shrinkage,
 * row and feature subsampling, L2, and early stopping on held-out rows followed by a refit on all rows.
 */
export const GBM_DEFAULTS: GbmOptions = Object.freeze({
  trees: 600,
  maxDepth: 3,
  maxLeaves: 0,
  learningRate: 0.05,
  subsample: 0.8,
  colsampleByTree: 0.5,
  l2: 1,
  minChildWeight: 1,
  minSplitGain: 0,
  maxBins: BINS_PER_FEATURE_MAX,
  earlyStoppingRounds: 50,
  validationShare: 0.2,
  refit: true,
  monotone: Object.freeze({}),
  trainingLossEachRound: false,
});

function requireNumber(name: string, value: number, low: number, high: number, lowOpen: boolean): void {
  const tooLow = lowOpen ? !(value > low) : !(value >= low);
  if (!Number.isFinite(value) || tooLow || value > high) {
    const range = `${lowOpen ? '(' : '['}${low}, ${high}]`;
    throw new GbmError('GBM_INVALID_OPTION', `option ${name} is ${value}; give a number in ${range}`);
  }
}

function requireInteger(name: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new GbmError(
      'GBM_INVALID_OPTION',
      `option ${name} is ${value}; give a whole number in [${low}, ${high}]`,
    );
  }
}

/** Fills defaults and validates every option once; the result is frozen. */
export function resolveGbmOptions(partial: Partial<GbmOptions>): GbmOptions {
  const merged: GbmOptions = { ...GBM_DEFAULTS, ...stripUndefined(partial) };
  requireInteger('trees', merged.trees, 1, 100_000);
  requireInteger('maxDepth', merged.maxDepth, 1, 16);
  requireInteger('maxLeaves', merged.maxLeaves, 0, 65_536);
  if (merged.maxLeaves === 1) {
    throw new GbmError('GBM_INVALID_OPTION', 'option maxLeaves is 1; give 0 (no limit) or at least 2');
  }
  requireNumber('learningRate', merged.learningRate, 0, 1, true);
  requireNumber('subsample', merged.subsample, 0, 1, true);
  requireNumber('colsampleByTree', merged.colsampleByTree, 0, 1, true);
  requireNumber('l2', merged.l2, 0, 1e12, false);
  requireNumber('minChildWeight', merged.minChildWeight, 0, 1e12, false);
  requireNumber('minSplitGain', merged.minSplitGain, 0, 1e12, false);
  requireInteger('maxBins', merged.maxBins, 3, BINS_PER_FEATURE_MAX);
  requireInteger('earlyStoppingRounds', merged.earlyStoppingRounds, 0, 100_000);
  requireNumber('validationShare', merged.validationShare, 0, 0.9, true);
  if (typeof merged.refit !== 'boolean') {
    throw new GbmError('GBM_INVALID_OPTION', `option refit is ${String(merged.refit)}; give true or false`);
  }
  if (typeof merged.trainingLossEachRound !== 'boolean') {
    throw new GbmError(
      'GBM_INVALID_OPTION',
      `option trainingLossEachRound is ${String(merged.trainingLossEachRound)}; give true or false`,
    );
  }
  if (merged.cvFolds !== undefined) {
    if (merged.cvFolds !== 0) requireInteger('cvFolds', merged.cvFolds, 2, 20);
    if (merged.cvFolds !== 0 && !merged.refit) {
      throw new GbmError(
        'GBM_INVALID_OPTION',
        'option cvFolds chooses a round count for a refit on all rows; leave refit true or give cvFolds 0',
      );
    }
  }
  const monotone: Record<string, MonotoneDirection> = {};
  for (const [name, direction] of Object.entries(merged.monotone)) {
    if (direction !== -1 && direction !== 0 && direction !== 1) {
      throw new GbmError(
        'GBM_INVALID_OPTION',
        `monotone constraint for ${name} is ${String(direction)}; give -1 (decreasing), 0 (free) or 1 (increasing)`,
      );
    }
    monotone[name] = direction;
  }
  return Object.freeze({ ...merged, monotone: Object.freeze(monotone) });
}

function stripUndefined(partial: Partial<GbmOptions>): Partial<GbmOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) out[key] = value;
  return out as Partial<GbmOptions>;
}
