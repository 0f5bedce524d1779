import type { LoanState } from '../../ledger/index.js';
import { type Day, formatDate, parseDate } from '../../money/index.js';

/**
 * Engine values in JSONB. The engine keeps exact fractions as bigints, which JSON lacks: they are stored
 * as `{"$bigint": "123"}` and revived on reading. Everything else is the engine's own shape.
 */
const BIGINT_TAG = '$bigint';

export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v,
  );
}

/** Revives `{"$bigint": "…"}` in place, bottom up; returns the value that replaces `value`. */
function reviveBigints(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveBigints(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const tagged = record[BIGINT_TAG];
  if (typeof tagged === 'string') {
    let keys = 0;
    for (const _ in record) keys++;
    if (keys === 1) return BigInt(tagged);
  }
  for (const key in record) record[key] = reviveBigints(record[key]);
  return record;
}

export function fromJsonText<T>(text: string): T {
  // A parse without a reviver and one walk is several times faster than JSON.parse's reviver, and text
  // without the tag needs no walk at all (a loan state is read on every command).
  const parsed: unknown = JSON.parse(text);
  return (text.includes(`"${BIGINT_TAG}"`) ? reviveBigints(parsed) : parsed) as T;
}

/** The engine's "no such day" (a settled loan's next event day) is PostgreSQL's `infinity`. */
const NEVER_DAY: Day = Number.MAX_SAFE_INTEGER;

/** A day as the text PostgreSQL reads into a `date` column. */
export function sqlDate(day: Day): string {
  return day >= NEVER_DAY ? 'infinity' : formatDate(day);
}

/** A `date` column read as `::text` back into a day. */
export function dayFromSql(text: string): Day {
  return text === 'infinity' ? NEVER_DAY : parseDate(text, 'stored date');
}

/**
 * A loan's state is stored in two columns of `loans` (decision 0235): `terms`, the parts that change only
 * when the loan is re-amortised or opened (the plan and the product), and `state`, the rest, which the
 * end-of-day batch rewrites. Readers get the one LoanState back from `loanStateFromColumns`.
 */
export interface LoanTerms {
  plan: LoanState['plan'];
  product: LoanState['product'];
}

/** The `state` column: the state without its terms. */
export function loanDailyText(state: LoanState): string {
  const { plan: _plan, product: _product, ...daily } = state;
  return toJsonText(daily);
}

/** The `terms` column. */
export function loanTermsText(state: LoanState): string {
  return toJsonText(loanTerms(state));
}

export function loanTerms(state: LoanState): LoanTerms {
  return { plan: state.plan, product: state.product };
}

/**
 * Whether `after` has other terms than `before`, the state it was derived from. The engine keeps the same
 * plan and product objects in a state it derives unless it re-amortises, so this compares identity: an
 * equal copy counts as a change and is written again, which is harmless.
 */
export function loanTermsChanged(before: LoanState, after: LoanState): boolean {
  return before.plan !== after.plan || before.product !== after.product;
}

/** The LoanState of a loan row from its two columns (as `::text`). */
export function loanStateFromColumns(stateText: string, termsText: string): LoanState {
  const daily = fromJsonText<Omit<LoanState, 'plan' | 'product'> | null>(stateText);
  const terms = fromJsonText<LoanTerms>(termsText);
  return { ...daily, product: terms.product, plan: terms.plan } as LoanState;
}
