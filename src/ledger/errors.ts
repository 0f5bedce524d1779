/**
 * An input to the ledger that cannot be accepted: a product field, a loan term, a command argument.
 *
 * - `code` is stable (documented in docs/ledger-products.md and the engine docs); callers and tests match on
 *   it, never on the message.
 * - `field` names the input at fault with a dotted path (`rate.value`, `allocation.order`, `principalMinor`),
 *   or `''` when the fault is not one field's.
 * - `message` says what is wrong and how to fix it, e.g.
 *   `termCount must be a whole number from 1 to 360, got 0: give the number of instalments, e.g. 12`.
 *
 * Impossible states (broken invariants) are not inputs: they throw `InvariantError` from money/.
 */
export class LedgerInputError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
    /** The values the message quotes (amounts, dates, percentages), for saying it in another language. */
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'LedgerInputError';
  }
}

/** True for a `LedgerInputError`, also across module copies (checks the name, not only the prototype). */
export function isLedgerInputError(error: unknown): error is LedgerInputError {
  return (
    error instanceof LedgerInputError ||
    (error instanceof Error &&
      error.name === 'LedgerInputError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
