/**
 * Amounts cross the API as decimal strings of yuan ("1234.56") and live inside as integer fen.
 * Parsing is exact (no floats) and refuses anything that is not plainly a non-negative amount with at
 * most two decimals: signs, exponents, spaces, more decimals, or values above the named maximum.
 */

export const FEN_PER_YUAN = 100;

export type AmountParse = { ok: true; fen: number } | { ok: false; message: string };

const PLAIN_AMOUNT = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new Error(`assertion: amount ${fen} fen is not a safe non-negative integer`);
  const yuan = Math.trunc(fen / FEN_PER_YUAN);
  const rest = fen % FEN_PER_YUAN;
  return `${yuan}.${String(rest).padStart(2, '0')}`;
}

/** Parses "1234.56" to 123456 fen; the message on failure says what to send instead. */
export function parseAmount(text: string, max_fen: number): AmountParse {
  const example = 'write it like "1234.56"';
  if (text.trim() !== text || text === '')
    return { ok: false, message: `must be a decimal string of yuan; ${example}` };
  if (text.startsWith('-'))
    return { ok: false, message: `must be positive: it must not be negative; ${example}` };
  if (text.startsWith('+')) return { ok: false, message: `must not carry a sign; ${example}` };
  if (/[eE]/.test(text)) return { ok: false, message: `must not use exponent notation; ${example}` };
  if (/^[0-9]*\.[0-9]{3,}$/.test(text)) {
    return { ok: false, message: 'has more than 2 decimal places; amounts are in yuan to the fen (0.01)' };
  }
  const match = PLAIN_AMOUNT.exec(text);
  if (match === null) return { ok: false, message: `is not a plain decimal amount; ${example}` };
  const whole = match[1]!;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const maxText = formatFen(max_fen);
  // Compare digit counts before converting, so a huge value never passes through an unsafe number.
  if (whole.length > maxText.length - 3) return { ok: false, message: `is above the maximum ${maxText}` };
  const fen = Number(whole) * FEN_PER_YUAN + Number(fraction);
  if (!Number.isSafeInteger(fen) || fen > max_fen)
    return { ok: false, message: `is above the maximum ${maxText}` };
  return { ok: true, fen };
}

/** JSON schema of an amount field: a string, checked exactly by parseAmount. */
export const amountSchema = {
  type: 'string',
  maxLength: 24,
  description: 'Amount in yuan as a decimal string with at most 2 decimals, e.g. "1234.56"',
  examples: ['1234.56'],
} as const;
