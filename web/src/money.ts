/**
 * Money arrives from the API as a decimal string of yuan ("1234.56"). It is shown without ever
 * becoming a float: the whole part is grouped as a BigInt by the locale, the fraction is kept as text.
 */
const DECIMAL_STRING = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

export type Locale = 'zh-CN' | 'en';

function decimalSeparator(locale: Locale): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** "1234567.5" → "¥1,234,567.50"; anything that is not a plain amount is shown as given. */
export function formatMoney(amount: string, locale: Locale): string {
  const match = DECIMAL_STRING.exec(amount);
  if (match === null) return amount;
  const whole = new Intl.NumberFormat(locale, { useGrouping: true }).format(BigInt(match[1]!));
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return `¥${whole}${decimalSeparator(locale)}${fraction}`;
}

/** Counts (loans, customers) as the locale writes them. */
export function formatCount(count: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(count);
}

/**
 * Dates have one style in both languages: the numeric YYYY-MM-DD that the date pickers take and show,
 * the API writes and Chinese finance systems print; times add HH:mm:ss on a 24-hour clock in the lender's
 * zone (Asia/Shanghai). The locale is kept in the signature for the labels around them.
 */
const DATE_TIME_PARTS = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Asia/Shanghai',
});

/** An instant as `YYYY-MM-DD HH:mm:ss` in the lender's zone (Asia/Shanghai). */
export function formatDateTime(iso: string, _locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = Object.fromEntries(DATE_TIME_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** A business date (YYYY-MM-DD), shown as it is: never shifted through a time zone. */
export function formatBusinessDate(date: string, _locale: Locale): string {
  return date;
}

const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Asia/Shanghai',
});

/** Today in the lender's zone (Asia/Shanghai) as YYYY-MM-DD, whatever the browser's zone. */
export function todayInShanghai(now: Date = new Date()): string {
  const part = Object.fromEntries(SHANGHAI_DATE.formatToParts(now).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}

/** Whole days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
