/**
 * An input that cannot be turned into a valid amount, rate or date. `code` is stable and listed in the
 * docs; the message says what was wrong and how to fix it.
 */
export class MoneyInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyInputError';
  }
}

/** An impossible state: a broken invariant. Kept in production code; never caught to carry on. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantError';
  }
}

export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'function' ? message() : message);
}
