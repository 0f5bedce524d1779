/** Stable codes of the expected failures of the boosted model. Never reused for another meaning. */
export type GbmErrorCode =
  | 'GBM_INVALID_OPTION'
  | 'GBM_INVALID_TARGET'
  | 'GBM_EMPTY_DATA'
  | 'GBM_MISSING_COLUMN'
  | 'GBM_COLUMN_KIND'
  | 'GBM_INVALID_MODEL';

/** An expected failure of training or scoring the boosted model: a stable code and an actionable message. */
export class GbmError extends Error {
  readonly code: GbmErrorCode;

  constructor(code: GbmErrorCode, message: string) {
    super(message);
    this.name = 'GbmError';
    this.code = code;
  }
}

/** An impossible state: stops the work loudly. Kept in production code on purpose. */
export function gbmAssert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`gbm invariant broken: ${message}`);
}
