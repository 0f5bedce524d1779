import { aprOf, buildSchedule, DEFAULT_PRODUCT, type Product } from '../ledger/index.js';
import {
  compare,
  formatScaledInteger,
  multiply,
  parseDate,
  parseDecimal,
  rational,
  roundRational,
} from '../money/index.js';
import { OriginationError } from './errors.js';
import type { PolicySettings, TermOption } from './types.js';

const DAILY_RATE = /^0\.\d{1,8}$/;
/** A daily rate is lowered in steps of 10^-RATE_DECIMALS (0.000001) until every term's APR is within the cap. */
const RATE_DECIMALS = 6;
const RATE_SCALE = rational(10n ** BigInt(RATE_DECIMALS));
/** A line of 10,000 yuan is quoted when the decision grants no limit (a referral at 0). */
const QUOTE_PRINCIPAL_FEN = 1_000_000;

export interface PriceQuote {
  readonly dailyRate: string;
  /** True when the policy's rate was lowered to stay within the APR cap. */
  readonly capped: boolean;
  readonly termOptions: readonly TermOption[];
  /** APR at the longest term. */
  readonly apr: string;
}

function productFor(settings: PolicySettings, dailyRate: string, months: number): Product {
  return {
    ...DEFAULT_PRODUCT,
    id: settings.productId,
    rate: { value: dailyRate, per: 'day' },
    termCount: months,
    aprCap: settings.aprCap,
  };
}

function options(
  settings: PolicySettings,
  dailyRate: string,
  principal_fen: number,
  startDate: string,
): TermOption[] {
  const start = parseDate(startDate, 'businessTime');
  return settings.termOptions_months.map((months) => {
    const product = productFor(settings, dailyRate, months);
    const schedule = buildSchedule(product, principal_fen, start);
    return {
      months,
      method: 'equal-installment',
      apr: aprOf(schedule, product),
      instalment_fen: schedule.installments[0]?.totalMinor ?? 0,
    };
  });
}

/**
 * Prices a line: the policy's daily rate, lowered in steps of 0.000001 until the APR including all fees is
 * within the cap at every term offered (so a pricing table can never price above the cap).
 */
export function quote(
  settings: PolicySettings,
  dailyRate: unknown,
  limit_fen: number,
  businessTime: string,
): PriceQuote {
  if (typeof dailyRate !== 'string' || !DAILY_RATE.test(dailyRate) || Number(dailyRate) <= 0)
    throw new OriginationError(
      'policy_output_invalid',
      `the pricing graph gave dailyRate ${JSON.stringify(dailyRate)}; it must give a decimal string such as "0.0003"`,
    );
  const cap = parseDecimal(settings.aprCap, 'aprCap');
  const principal = limit_fen > 0 ? limit_fen : QUOTE_PRINCIPAL_FEN;
  const startDate = businessTime.slice(0, 10);
  let rate = dailyRate;
  let capped = false;
  for (;;) {
    const terms = options(settings, rate, principal, startDate);
    if (terms.every((t) => compare(parseDecimal(t.apr, 'apr'), cap) <= 0)) {
      return { dailyRate: rate, capped, termOptions: terms, apr: terms[terms.length - 1]!.apr };
    }
    // Exact, in whole steps: the rate's steps rounded down, less one; on the first lowering no higher than
    // the cap's daily equivalent (cap / 365, rounded down), so that the search starts near its answer.
    let steps = roundRational(multiply(parseDecimal(rate, 'dailyRate'), RATE_SCALE), 'down') - 1n;
    if (!capped) {
      const capSteps = roundRational(multiply(multiply(cap, rational(1n, 365n)), RATE_SCALE), 'down');
      if (capSteps < steps) steps = capSteps;
    }
    if (steps <= 0n)
      throw new OriginationError(
        'policy_output_invalid',
        `no positive daily rate keeps the APR within ${settings.aprCap}`,
      );
    rate = formatScaledInteger(steps, RATE_DECIMALS);
    capped = true;
  }
}
