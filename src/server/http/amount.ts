import { AmountInputError, parseAmount } from '../../money/index.js';

/**
 * Amounts cross the API as decimal strings of yuan ("1234.56") and live inside as integer fen; they are
 * parsed by money's `parseAmount` and written by money's `formatMinor`, nowhere else.
 */

/** A request's amount in fen, or the phrase to put beside the field's path in a problem. */
export type AmountReading = { ok: true; fen: number } | { ok: false; message: string };

/** Reads an amount from a request (zero allowed: each route says whether zero makes sense). */
export function readAmount(text: string, max_fen: number): AmountReading {
  try {
    return { ok: true, fen: parseAmount(text, { allowZero: true, maxMinor: max_fen }) };
  } catch (error) {
    if (error instanceof AmountInputError) return { ok: false, message: error.fault };
    throw error;
  }
}

/** JSON schema of an amount field: a string, checked exactly by parseAmount. */
export const amountSchema = {
  type: 'string',
  maxLength: 24,
  description: 'Amount in yuan as a decimal string with at most 2 decimals, e.g. "1234.56"',
  examples: ['1234.56'],
} as const;
