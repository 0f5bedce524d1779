/** Stable codes of the scoring toolkit's expected failures (never reused). */
export type ScoringErrorCode =
  | 'TEXT_IN_NUMERIC_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'RAGGED_ROW'
  | 'EMPTY_DATA'
  | 'NO_TARGET_COLUMN'
  | 'MISSING_TARGET'
  | 'TARGET_NOT_BINARY'
  | 'BAD_VALUE_ABSENT'
  | 'NO_FEATURES'
  | 'MISSING_FEATURE_COLUMN'
  | 'FEATURE_KIND_MISMATCH'
  | 'UNKNOWN_MODEL_FORMAT'
  | 'UNSUPPORTED_MODEL_VERSION'
  | 'INVALID_MODEL'
  | 'INVALID_OPTION';

/** An expected failure: bad data, a bad option or a model file that cannot be used. The message says how to fix it. */
export class ScoringError extends Error {
  constructor(
    readonly code: ScoringErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScoringError';
  }
}
