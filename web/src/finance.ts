/** What the finance pages check and convert themselves, before the API checks it again. */

/** The last day of a month "YYYY-MM", or undefined when the text is not one. */
export function monthEndOf(month: string): string | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month.trim());
  if (m === null) return undefined;
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`;
}

/** One funding outflow as typed or imported (strings, checked before sending). */
export interface OutflowRow {
  day: string;
  amount: string;
  label: string;
}

/** An amount as the API takes it: yuan with two places ("100" → "100.00"). */
export function twoPlaces(amount: string): string {
  const [whole, part = ''] = amount.trim().split('.');
  return `${whole}.${part.padEnd(2, '0')}`;
}

/** Rows of a CSV with the header day,amount,label (as `lendguard funding import` reads). */
export function csvRows(text: string): OutflowRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.toLowerCase().replace(/\s/g, '') ?? '';
  const body = first.startsWith('day,amount,label') ? lines.slice(1) : lines;
  return body.map((line) => {
    const [day = '', amount = '', ...label] = line.split(',');
    return { day: day.trim(), amount: amount.trim(), label: label.join(',').trim() };
  });
}
