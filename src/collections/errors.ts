/**
 * An input to collections that cannot be accepted (a promise in the past, an unknown channel…). `code` is
 * stable; `field` names the input at fault; the message says what is wrong and how to fix it. `variant`
 * tells apart the sentences one code and field can have, and `params` carries the values the sentence
 * quotes (dates, statuses, limits), so the edge can say the same in another language with the same figures.
 */
export class CollectionsInputError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
    readonly params: Readonly<Record<string, string | number>> = {},
    readonly variant = '',
  ) {
    super(message);
    this.name = 'CollectionsInputError';
  }
}
