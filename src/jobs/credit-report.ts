import { createHash } from 'node:crypto';
import { formatDate, parseDate } from '../money/index.js';
import {
  buildCreditReportRecord,
  type CreditReportCodes,
  DEFAULT_CREDIT_REPORT_CODES,
  DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  exportFile,
  firstDayOfMonthKey,
  identityFile,
  lastDayOfMonthKey,
  type MonthKey,
  monthKey,
  type NegativeInformationSettings,
  negativeReportGate,
} from '../reporting/index.js';
import {
  accountsForMonth,
  type Db,
  findCustomer,
  getBusinessDay,
  loanLogs,
  monthRecords,
  noticeFacts,
  type PiiCipher,
  type RecordToSave,
  recordBatch,
  saveRecords,
} from '../store/index.js';
import { LENDER_TIME_ZONE_DEFAULT } from './business-day.js';

/**
 * The month-end credit-reporting job (征信): builds every account's record for a month from the loans'
 * event logs, holds back a first negative record whose Art. 15 notice was not sent in time, and stores the
 * records in one transaction per batch of accounts; the export writes the records ready to go out as one
 * file (docs/credit-reporting.md) and marks them exported.
 */

/** Accounts built and written per transaction. */
export const CREDIT_REPORT_ACCOUNTS_PER_TRANSACTION = 500;

export class CreditReportJobError extends Error {
  constructor(
    readonly code: 'month_invalid' | 'month_not_closed' | 'identity_missing',
    message: string,
  ) {
    super(message);
    this.name = 'CreditReportJobError';
  }
}

/** `YYYY-MM` → its month key; a clear error otherwise. */
export function parseReportMonth(text: string): MonthKey {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m === null) throw new CreditReportJobError('month_invalid', `month must be YYYY-MM; got "${text}"`);
  return monthKey(Number(m[1]), Number(m[2]));
}

export interface CreditReportBuildOptions {
  readonly zone?: string;
  readonly codes?: CreditReportCodes;
  readonly settings?: NegativeInformationSettings;
  readonly progress?: (done: number, total: number) => void;
}

export interface CreditReportBuildCounts {
  readonly month: string;
  readonly accounts: number;
  readonly ready: number;
  readonly held: number;
  readonly negative: number;
  /** Records already exported, kept as they went out. */
  readonly keptExported: number;
}

/** Builds and stores every account's record of `month`; the month's last day must be closed by EOD. */
export async function buildCreditReportMonth(
  db: Db,
  month: string,
  options: CreditReportBuildOptions = {},
): Promise<CreditReportBuildCounts> {
  const key = parseReportMonth(month);
  const end = lastDayOfMonthKey(key);
  const businessDay = await getBusinessDay(db);
  if (businessDay <= end) {
    throw new CreditReportJobError(
      'month_not_closed',
      `${month} is reported once its last day ${formatDate(end)} is closed; the business day is ${formatDate(businessDay)}`,
    );
  }
  const accounts = await accountsForMonth(db, formatDate(firstDayOfMonthKey(key)), formatDate(end));
  const codes = options.codes ?? DEFAULT_CREDIT_REPORT_CODES;
  const settings = options.settings ?? DEFAULT_NEGATIVE_INFORMATION_SETTINGS;
  let ready = 0;
  let held = 0;
  let negative = 0;
  let saved = 0;
  let built = 0;
  for (let start = 0; start < accounts.length; start += CREDIT_REPORT_ACCOUNTS_PER_TRANSACTION) {
    const chunk = accounts.slice(start, start + CREDIT_REPORT_ACCOUNTS_PER_TRANSACTION).map((a) => a.loanId);
    await db.transaction(async (tx) => {
      const logs = await loanLogs(tx, chunk);
      const notices = await noticeFacts(tx, chunk, month, options.zone ?? LENDER_TIME_ZONE_DEFAULT);
      const rows: RecordToSave[] = [];
      for (const loanId of chunk) {
        const record = buildCreditReportRecord(logs.get(loanId) ?? [], key, codes);
        if (record === null) continue;
        const notice = notices.get(loanId);
        const gate = negativeReportGate({
          negative: record.negative,
          earlierNegativeReported: notice?.earlierNegativeReported ?? false,
          noticeSentDay: notice?.noticeSentDay == null ? null : parseDate(notice.noticeSentDay),
          month: key,
          settings,
        });
        if (record.negative) negative += 1;
        if (gate.release) ready += 1;
        else held += 1;
        rows.push({ record, hold: gate.release ? null : { reason: gate.reason, message: gate.message } });
      }
      built += rows.length;
      saved += await saveRecords(tx, rows);
    });
    options.progress?.(Math.min(accounts.length, start + chunk.length), accounts.length);
  }
  return { month, accounts: built, ready, held, negative, keptExported: built - saved };
}

export interface CreditReportExport {
  readonly month: string;
  /** Null when nothing was ready to go out. */
  readonly batchId: string | null;
  readonly records: number;
  readonly sha256: string;
  readonly text: string;
  /** The identity segment (name and ID number of each borrower in the file), when asked for with a cipher. */
  readonly identity: { readonly text: string; readonly sha256: string; readonly borrowers: number } | null;
}

export interface CreditReportExportOptions {
  /** Decrypts the borrowers' names and ID numbers for the identity segment; without it none is written. */
  readonly cipher?: PiiCipher;
}

/**
 * Writes the month's records that are ready (first sendings and corrections; held ones stay behind) as the
 * export file and marks them exported, in one transaction.
 */
export async function exportCreditReportMonth(
  db: Db,
  month: string,
  actor: string,
  options: CreditReportExportOptions = {},
): Promise<CreditReportExport> {
  parseReportMonth(month);
  const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  return db.transaction(async (tx) => {
    const ready = await monthRecords(tx, month, 'ready');
    const text = exportFile(ready.map((r) => ({ record: r.record, version: r.version })));
    const sha256 = hash(text);
    let identity: CreditReportExport['identity'] = null;
    if (options.cipher !== undefined) {
      const people = [];
      for (const customerId of [...new Set(ready.map((r) => r.record.customerId))].sort()) {
        const c = await findCustomer(tx, options.cipher, customerId);
        if (c === undefined) {
          // Thrown inside the transaction: nothing is marked exported.
          throw new CreditReportJobError(
            'identity_missing',
            `the borrower ${customerId} of ${month}'s records has no customer record: the identity segment cannot be written`,
          );
        }
        people.push({ customerId, name: c.name, idNumber: c.idNumber });
      }
      const identityText = identityFile(people);
      identity = { text: identityText, sha256: hash(identityText), borrowers: people.length };
    }
    const batchId =
      ready.length === 0
        ? null
        : await recordBatch(
            tx,
            month,
            ready.map((r) => r.record.loanId),
            sha256,
            actor,
          );
    return { month, batchId, records: ready.length, sha256, text, identity };
  });
}
