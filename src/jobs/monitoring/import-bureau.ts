import { createHash } from 'node:crypto';
import { counted, type Day, parseDate } from '../../money/index.js';
import {
  type BureauRefresh,
  type Db,
  existingCustomerIds,
  insertBureauRefreshes,
} from '../../store/index.js';

/** Bounds of a bureau refresh file. */
export const BUREAU_IMPORT_BOUNDS = { rows_max: 1_000_000, issues_shown_max: 20 } as const;

/** The file's columns, in this order, with a header line. */
export const BUREAU_COLUMNS = [
  'customerId',
  'asOf',
  'lenders3m',
  'lenders6m',
  'lenders12m',
  'outstandingBalance',
  'worstDaysPastDue',
] as const;

export class BureauImportError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { line: number; message: string }[],
  ) {
    super(message);
    this.name = 'BureauImportError';
  }
}

const WHOLE = /^\d{1,9}$/;
const YUAN = /^\d{1,13}(\.\d{1,2})?$/;

function fenOf(yuan: string): number {
  const [whole, frac = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Parses a refresh file; every bad line is named, and a file with any is refused whole. */
export function parseBureauFile(text: string): BureauRefresh[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const issues: { line: number; message: string }[] = [];
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header.join(',') !== BUREAU_COLUMNS.join(','))
    throw new BureauImportError(`line 1: the header must be ${BUREAU_COLUMNS.join(',')}`, [
      { line: 1, message: `the header must be ${BUREAU_COLUMNS.join(',')}` },
    ]);
  if (lines.length - 1 > BUREAU_IMPORT_BOUNDS.rows_max)
    throw new BureauImportError(`the file has more than ${BUREAU_IMPORT_BOUNDS.rows_max} rows; split it`, []);
  const out: BureauRefresh[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== BUREAU_COLUMNS.length) {
      issues.push({
        line,
        message: `has ${counted(cells.length, 'field')}; expected ${BUREAU_COLUMNS.length}`,
      });
      return;
    }
    const [customerId, asOf, l3, l6, l12, outstanding, worst] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    let day: Day | undefined;
    try {
      day = parseDate(asOf);
    } catch {
      issues.push({ line, message: `asOf "${asOf}" is not a date (YYYY-MM-DD)` });
    }
    for (const [name, v] of [
      ['lenders3m', l3],
      ['lenders6m', l6],
      ['lenders12m', l12],
      ['worstDaysPastDue', worst],
    ] as const)
      if (!WHOLE.test(v)) issues.push({ line, message: `${name} "${v}" is not a whole number ≥ 0` });
    if (!YUAN.test(outstanding))
      issues.push({ line, message: `outstandingBalance "${outstanding}" is not an amount like 1234.56` });
    if (customerId === '') issues.push({ line, message: 'customerId is empty' });
    const key = `${customerId}/${asOf}`;
    if (seen.has(key)) issues.push({ line, message: `${customerId} as of ${asOf} appears twice` });
    seen.add(key);
    if (day !== undefined && issues.every((x) => x.line !== line))
      out.push({
        customerId,
        asOfDay: day,
        lenders3m: Number(l3),
        lenders6m: Number(l6),
        lenders12m: Number(l12),
        outstandingMinor: fenOf(outstanding),
        worstDaysPastDue: Number(worst),
      });
  });
  if (issues.length > 0) throw new BureauImportError(summary(issues), issues);
  return out;
}

function summary(issues: readonly { line: number; message: string }[]): string {
  const shown = issues
    .slice(0, BUREAU_IMPORT_BOUNDS.issues_shown_max)
    .map((x) => `line ${x.line}: ${x.message}`);
  const more = issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}; nothing was imported`;
}

/**
 * Imports a periodic bureau refresh (新的多头借贷 comes from it): the whole file in one transaction, or
 * nothing when a line is bad or names an unknown customer. The signals are evaluated by the next EOD.
 */
export async function importBureauRefresh(db: Db, text: string): Promise<{ rows: number; sha256: string }> {
  const rows = parseBureauFile(text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return db.transaction(async (tx) => {
    const ids = [...new Set(rows.map((r) => r.customerId))];
    const known = await existingCustomerIds(tx, ids);
    const issues = rows
      .map((r, i) => ({ line: i + 2, id: r.customerId }))
      .filter((x) => !known.has(x.id))
      .map((x) => ({ line: x.line, message: `customer ${x.id} does not exist` }));
    if (issues.length > 0) throw new BureauImportError(summary(issues), issues);
    return { rows: await insertBureauRefreshes(tx, rows, sha256), sha256 };
  });
}
