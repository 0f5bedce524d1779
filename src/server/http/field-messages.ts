import { ID_PATTERN } from '../../store/index.js';

/**
 * Field messages in words: what the field must be, never a regular expression a person has to decode.
 * `describePattern` serves the one mapping from schema errors to problems (errors.ts).
 */

/** The thing an id names, from its field name: `loanId` → "loan", `lineId` → "credit line". */
const ID_NOUNS: Record<string, string> = {
  line: 'credit line',
  run: 'EOD run',
  entry: 'blacklist entry',
  flag: 'review flag',
  request: 'explanation request or objection',
  token: 'token',
};

function nounOfIdField(field: string): string {
  const stem = field.replace(/Id$/, '');
  return ID_NOUNS[stem] ?? stem.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const WORDS_BY_PATTERN: Record<string, string> = {
  '^1[3-9][0-9]{9}$': 'a mainland mobile number: 11 digits starting 13 to 19, e.g. 13812345678',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'a date written YYYY-MM-DD, e.g. 2026-03-31',
  '\\S': 'text that is not blank',
  '^[A-Za-z0-9_.:-]+$': 'letters, digits and _ . : - only',
  '^[A-Za-z0-9_-]{4,40}$': '4 to 40 letters, digits, _ or -',
  '^[a-z][a-z0-9_.-]{2,39}$': '3 to 40 lower-case letters, digits, _ . or -, starting with a letter',
  '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$': 'up to 64 letters, digits, _ . or -, starting with a letter or digit',
  '^0\\.[0-9]{1,8}$': 'a decimal below 1 with up to 8 places, e.g. "0.0005"',
  '^M[0-7](,M[0-7]){0,7}$': 'buckets M0 to M7 separated by commas, e.g. M1,M2',
  '^[a-z_]+\\.[a-z_]+$': 'an action such as customer.read',
};

/** The message for a value that does not match `pattern` at the field named last in `path`. */
export function describePattern(path: string, pattern: string): string {
  const field = path.split('/').at(-1) ?? '';
  if (pattern === ID_PATTERN) {
    const noun = nounOfIdField(field);
    return `has the wrong form: no such ${noun} (a ${noun} id is a short prefix, "_" and 28 hex digits, as the API gave it out)`;
  }
  const words = WORDS_BY_PATTERN[pattern];
  return words === undefined
    ? "has the wrong form; see the field's pattern in /openapi.json"
    : `has the wrong form: must be ${words} (the field's pattern is in /openapi.json)`;
}
