/**
 * Columnar data held in typed arrays: the form every training and scoring function takes.
 * Missing values are NaN in numeric columns and -1 in categorical codes.
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** One value per row; NaN marks a missing value. */
  readonly values: Float64Array;
  /** Declared special values (e.g. -999 "no history"), binned on their own, never merged with others. */
  readonly specialValues: readonly number[];
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** One code per row: an index into `levels`, or -1 for a missing value. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  readonly rowCount: number;
  readonly columns: readonly Column[];
}

/** Binary target: 1 = bad (the event), 0 = good. */
export type Target = Uint8Array;

/** One reason behind a score: a feature, the value seen, and how far it pushed the score towards bad. */
export interface ReasonCode {
  readonly feature: string;
  /** The row's value as text (or the bin label it fell in). */
  readonly value: string;
  /** Contribution towards "bad": positive pushes the probability of bad up (log-odds, or points lost). */
  readonly contribution: number;
}
