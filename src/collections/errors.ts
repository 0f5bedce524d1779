/**
 * An input to collections that cannot be accepted (a promise in the past, an unknown channel…). `code` is
 * stable; `field` names the input at fault; the message says what is wrong and how to fix it.
 */
export class CollectionsInputError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CollectionsInputError';
  }
}
