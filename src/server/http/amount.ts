import { AmountInputError, formatMinor, parseAmount } from '../../money/index.js';
import { engineRefusal } from './engine-refusals.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { type Message, render, say } from './messages.js';
import { fieldProblem, ProblemError } from './problem.js';

/**
 * Amounts cross the API as decimal strings of yuan ("1234.56") and live inside as integer fen; they are
 * parsed by money's `parseAmount` and written by money's `formatMinor`, nowhere else.
 */

/** A request's amount in fen, or the phrase to put beside the field's path in a problem. */
export type AmountReading = { ok: true; fen: number } | { ok: false; message: string; text: Message };

/** Reads an amount from a request (zero allowed: each route says whether zero makes sense). */
export function readAmount(text: string, max_fen: number): AmountReading {
  try {
    return { ok: true, fen: parseAmount(text, { allowZero: true, maxMinor: max_fen }) };
  } catch (error) {
    if (error instanceof AmountInputError) {
      return {
        ok: false,
        message: error.fault,
        text: engineRefusal(error.code, error.fault, '', { max: formatMinor(max_fen) }),
      };
    }
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

/** The problem for an amount field: `text` says what is wrong with it, in every language. */
export function amountProblem(name: string, path: string, text: Message): ProblemError {
  return new ProblemError(
    'amount_invalid',
    say(KERNEL_MESSAGES, 'amount_field', {
      name,
      en_fault: render(text, 'en'),
      zh_fault: render(text, 'zh-CN'),
    }),
    [fieldProblem(path, text)],
  );
}
