/** money/: exact amounts, rates, rounding, allocation, calendar dates and day counts, and counts in English. */
export { allocate, type RemainderRule, splitEvenly } from './allocate.js';
export {
  AMOUNT_MINOR_MAX,
  AmountInputError,
  addMoney,
  assertMinor,
  CURRENCIES,
  type CurrencyCode,
  formatMinor,
  formatMinorGrouped,
  formatMoney,
  isCurrencyCode,
  type Money,
  money,
  type ParseAmountOptions,
  parseAmount,
  subtractMoney,
} from './amount.js';
export { counted } from './counted.js';
export {
  addDays,
  addMonths,
  type CivilDate,
  civilFromDay,
  DAY_MAX,
  DAY_MIN,
  type Day,
  dayFromCivil,
  daysInMonth,
  daysInYear,
  endOfMonth,
  formatDate,
  isLeapYear,
  monthsBetween,
  parseDate,
  startOfMonth,
  weekday,
} from './date.js';
export {
  DAY_COUNTS,
  type DayCount,
  dayCountDays,
  daysPerYear,
  isDayCount,
  yearFraction,
} from './day-count.js';
export { InvariantError, invariant, MoneyInputError } from './errors.js';
export {
  dailyRate,
  formatRate,
  type InterestRate,
  nominalAnnualRate,
  parseRate,
  type RatePeriod,
} from './rate.js';
export {
  add,
  compare,
  divide,
  formatDecimal,
  formatScaledInteger,
  isZero,
  multiply,
  ONE,
  parseDecimal,
  type Rational,
  rational,
  roundRational,
  subtract,
  toExactDecimalString,
  toNumber,
  ZERO,
} from './rational.js';
export { divideRounded, isRoundingMode, ROUNDING_MODES, type RoundingMode } from './rounding.js';
