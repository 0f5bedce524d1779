import { formatDate, formatMinor } from '../money/index.js';
import type { CreditReportRecord, HoldReason } from './credit-report-record.js';
import { formatMonthKey, lastDayOfMonthKey, type MonthKey } from './months.js';
import type { Report } from './report.js';

/** A stored month-end record with its release state, as the credit-report view reads it. */
export interface CreditRecordRow {
  readonly record: CreditReportRecord;
  readonly status: 'ready' | 'held' | 'exported';
  readonly holdReason: HoldReason | null;
  readonly version: number;
  readonly disputed: boolean;
}

const money = (minor: number) => formatMinor(minor);

function recordRow(s: CreditRecordRow) {
  const r = s.record;
  return {
    loanId: r.loanId,
    customerId: r.customerId,
    statusCode: r.statusCode,
    grid: r.grid,
    balance: money(r.balanceMinor),
    overdue: money(r.overdueMinor),
    daysPastDue: r.daysPastDue,
    specials: r.specials.map((x) => x.code).join(';'),
    release: s.status,
    holdReason: s.holdReason,
    version: s.version,
    disputed: s.disputed ? 'yes' : 'no',
  };
}

/**
 * The `credit-report` report of a month: the records the month-end job stored, counts by status code and
 * special transaction, and what is held back and why.
 */
export function creditReportView(key: MonthKey, records: readonly CreditRecordRow[]): Report {
  const month = formatMonthKey(key);
  const count = (f: (s: CreditRecordRow) => boolean) => records.filter(f).length;
  const byCode = new Map<string, number>();
  for (const s of records) byCode.set(s.record.statusCode, (byCode.get(s.record.statusCode) ?? 0) + 1);
  const specials = new Map<string, number>();
  for (const s of records)
    for (const x of s.record.specials)
      specials.set(`${x.kind}|${x.code}`, (specials.get(`${x.kind}|${x.code}`) ?? 0) + 1);
  return {
    kind: 'credit-report',
    asOf: formatDate(lastDayOfMonthKey(key)),
    title: { en: `Credit reporting, ${month}`, zh: `征信报送 ${month}` },
    summary: [
      { key: 'accounts', label: { en: 'Accounts', zh: '账户数' }, type: 'int', value: records.length },
      {
        key: 'negative',
        label: { en: 'Negative records', zh: '不良记录' },
        type: 'int',
        value: count((s) => s.record.negative),
      },
      {
        key: 'held',
        label: { en: 'Held back', zh: '暂缓报送' },
        type: 'int',
        value: count((s) => s.status === 'held'),
      },
      {
        key: 'exported',
        label: { en: 'Exported', zh: '已报送' },
        type: 'int',
        value: count((s) => s.status === 'exported'),
      },
      {
        key: 'disputed',
        label: { en: 'Under objection', zh: '异议中' },
        type: 'int',
        value: count((s) => s.disputed),
      },
    ],
    tables: [
      {
        name: 'status-codes',
        label: { en: 'Accounts by status code', zh: '按还款状态' },
        columns: [
          { key: 'statusCode', label: { en: 'Status', zh: '状态' }, type: 'text' },
          { key: 'accounts', label: { en: 'Accounts', zh: '账户数' }, type: 'int' },
        ],
        rows: [...byCode.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([statusCode, accounts]) => ({ statusCode, accounts })),
      },
      {
        name: 'special-transactions',
        label: { en: 'Special transactions', zh: '特殊交易' },
        columns: [
          { key: 'kind', label: { en: 'Kind', zh: '类型' }, type: 'text' },
          { key: 'code', label: { en: 'Code', zh: '代码' }, type: 'text' },
          { key: 'accounts', label: { en: 'Accounts', zh: '账户数' }, type: 'int' },
        ],
        rows: [...specials.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, accounts]) => {
            const [kind, code] = k.split('|');
            return { kind: kind ?? '', code: code ?? '', accounts };
          }),
      },
      {
        name: 'records',
        label: { en: 'Account records', zh: '账户记录' },
        columns: [
          { key: 'loanId', label: { en: 'Account', zh: '账户' }, type: 'text' },
          { key: 'customerId', label: { en: 'Customer', zh: '客户' }, type: 'text' },
          { key: 'statusCode', label: { en: 'Status', zh: '状态' }, type: 'text' },
          { key: 'grid', label: { en: '24-month grid', zh: '24个月还款状态' }, type: 'text' },
          { key: 'balance', label: { en: 'Balance', zh: '余额' }, type: 'money' },
          { key: 'overdue', label: { en: 'Overdue', zh: '逾期金额' }, type: 'money' },
          { key: 'daysPastDue', label: { en: 'Days past due', zh: '逾期天数' }, type: 'int' },
          { key: 'specials', label: { en: 'Special transactions', zh: '特殊交易' }, type: 'text' },
          { key: 'release', label: { en: 'Release', zh: '报送状态' }, type: 'text' },
          { key: 'holdReason', label: { en: 'Held because', zh: '暂缓原因' }, type: 'text' },
          { key: 'version', label: { en: 'Version', zh: '版本' }, type: 'int' },
          { key: 'disputed', label: { en: 'Objection open', zh: '异议中' }, type: 'text' },
        ],
        rows: records.map(recordRow),
      },
    ],
    notes: [
      {
        en: 'Records as stored by the month-end job; a first negative record without the notice of 征信业管理条例 Art. 15 sent in time is held back.',
        zh: '按月末任务保存的记录；首次报送不良信息前未按《征信业管理条例》第十五条及时告知的，暂缓报送。',
      },
      ...(records.length === 0
        ? [
            {
              en: `No records for ${month}: run lendguard credit-report build --month ${month}`,
              zh: `${month} 尚无记录：请运行 lendguard credit-report build --month ${month}`,
            },
          ]
        : []),
    ],
  };
}
