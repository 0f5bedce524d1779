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

/** An instant as date and time in the lender's zone (Asia/Shanghai), written the locale's way. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}

/** A business date (YYYY-MM-DD) written the locale's way, without shifting it through a time zone. */
export function formatBusinessDate(date: string, locale: Locale): string {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}
