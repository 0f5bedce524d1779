/**
 * Types of the boosted challenger model: its options and its saved (JSON) form.
 */

/** Direction a feature may move the probability of bad: 1 = never down as it rises, -1 = never up, 0 = free. */
export type MonotoneDirection = -1 | 0 | 1;

/** Options of histogram gradient boosting for binary log-loss. Every field has a default (see `GBM_DEFAULTS`). */
export interface GbmOptions {
  /** Maximum number of boosting rounds (trees). Early stopping may keep fewer. Default 600. */
  readonly trees: number;
  /** Maximum depth of a tree (root has depth 0). Default 3. */
  readonly maxDepth: number;
  /** Maximum leaves of a tree, grown best-first; 0 = limited only by `maxDepth`. Default 0. */
  readonly maxLeaves: number;
  /** Shrinkage applied to every leaf value. Default 0.05. */
  readonly learningRate: number;
  /** Share of training rows drawn (without replacement, per tree) to grow each tree, in (0, 1]. Default 0.8. */
  readonly subsample: number;
  /** Share of features offered to each tree, in (0, 1]. Default 0.5. */
  readonly colsampleByTree: number;
  /** L2 penalty (lambda) on leaf values. Default 1. */
  readonly l2: number;
  /** Minimum hessian sum (p(1-p) summed over rows) in each child of a split. Default 1. */
  readonly minChildWeight: number;
  /** Minimum loss reduction for a split to be made (gamma). Default 0. */
  readonly minSplitGain: number;
  /** Bins per feature including the missing-value bin, at most 255. Default 255. */
  readonly maxBins: number;
  /** Stop after this many rounds without a better validation log-loss; 0 = no early stopping. Default 50. */
  readonly earlyStoppingRounds: number;
  /** Share of rows (stratified) held out to choose the number of rounds when early stopping. Default 0.2. */
  readonly validationShare: number;
  /**
   * After early stopping chose the number of rounds on the held-out rows, train again on all rows with that
   * many rounds (scaled up by the larger data), so that no data is wasted on small portfolios. Default true.
   */
  readonly refit: boolean;
  /** Per-feature monotone constraints by feature name; features not listed are free. Default {}. */
  readonly monotone: Readonly<Record<string, MonotoneDirection>>;
  /**
   * Record the training log-loss after every round (one logarithm per row and round) instead of once for the
   * final model. Default false.
   */
  readonly trainingLossEachRound: boolean;
  /**
   * With early stopping: choose the number of rounds by k-fold cross-validation (this many stratified, seeded
   * folds; the mean best round scaled to all rows) instead of one held-out share, then train on all rows.
   * Absent or 0 = one held-out share (`validationShare`).
   */
  readonly cvFolds?: number;
}

/** How training runs, as opposed to what it learns: nothing here changes the model, bit for bit. */
export interface GbmExecution {
  /**
   * Threads that build histograms and gradients, the calling one included; 0 or absent = one per core the
   * process may use. Small data (under 50,000 training rows) always trains on the calling thread alone.
   */
  readonly nthread?: number;
}

/** How a raw column becomes the number the trees compare. */
export type GbmFeatureEncoding =
  | { readonly name: string; readonly kind: 'numeric' }
  | {
      readonly name: string;
      readonly kind: 'categorical';
      /**
       * Training levels ordered by smoothed training event rate (lowest first); a row's encoded value is the
       * index of its level here. Levels not listed (unseen in training) are treated as missing.
       */
      readonly levels: readonly string[];
    };

/**
 * One regression tree in flat arrays indexed by node id; node 0 is the root.
 * A node is a leaf when `left[node] === -1`. An internal node sends a row left when its encoded value is
 * `<= threshold[node]`, right when greater, and to the `defaultLeft[node]` side when the value is missing.
 */
export interface GbmTree {
  readonly feature: readonly number[];
  readonly threshold: readonly number[];
  readonly defaultLeft: readonly boolean[];
  readonly left: readonly number[];
  readonly right: readonly number[];
  /** Leaf value in log-odds, learning rate already applied (0 at internal nodes). */
  readonly value: readonly number[];
  /** Hessian sum of the training rows that reached the node; a parent's cover is the sum of its children's. */
  readonly cover: readonly number[];
}

/** The saved model: plain JSON (no typed arrays), enough to score and to explain a score. */
export interface GbmModelBody {
  readonly format: 'lendguard.gbm';
  readonly formatVersion: 1;
  readonly features: readonly GbmFeatureEncoding[];
  /** Starting log-odds (training bad rate) added to the sum of the trees. */
  readonly baseScore: number;
  readonly trees: readonly GbmTree[];
  /** Options in force, defaults filled in. */
  readonly options: GbmOptions;
  /** Number of rounds kept (equals `trees.length`). */
  readonly bestIteration: number;
  /**
   * Log-loss on the rows the kept trees were fitted to: one entry for the final model, or with
   * `trainingLossEachRound` one per kept round.
   */
  readonly trainingLogLoss: readonly number[];
  /**
   * Log-loss on the held-out rows after each round of the early-stopping fit (with `cvFolds`, the mean over the
   * folds); empty without early stopping.
   */
  readonly validationLogLoss: readonly number[];
  /** With `cvFolds`: the best round of each fold. */
  readonly foldBestRounds?: readonly number[];
}

/** A model on a numeric matrix: what `trainGbmMatrix` returns and `predictMargin` scores. */
export interface GbmMatrixModel {
  readonly featureNames: readonly string[];
  readonly baseScore: number;
  readonly trees: readonly GbmTree[];
  readonly bestIteration: number;
  readonly trainingLogLoss: readonly number[];
  readonly validationLogLoss: readonly number[];
  readonly options: GbmOptions;
  /** With `cvFolds`: the best round of each fold. */
  readonly foldBestRounds?: readonly number[];
}
