import type ExcelJS from 'exceljs';
import { formatMinor } from '../../money/index.js';
import type { WorklistItem } from '../../store/index.js';

/** Column headings of the exported list, in both languages. */
const HEADINGS = {
  en: [
    '#',
    'Case',
    'Customer',
    'Bucket',
    'Days past due',
    'Overdue',
    'Total owed',
    'Priority',
    'Next action',
    'Due',
    'Promise due',
    'Assessment',
    'Strategy step',
  ],
  'zh-CN': [
    '序号',
    '案件',
    '客户',
    '账龄',
    '逾期天数',
    '逾期金额',
    '总欠款',
    '优先级',
    '下一步',
    '到期日',
    '承诺日',
    '评估',
    '策略步骤',
  ],
} as const;

const ACTIONS_ZH: Record<string, string> = {
  reminder: '提醒',
  call: '电话',
  letter: '信函',
  'negotiation-offer': '协商方案',
  'agency-placement': '委外',
  'legal-review': '法务审查',
  hold: '暂停',
};
const VERDICTS_ZH: Record<string, string> = {
  inability: '还款能力不足',
  unwillingness: '还款意愿不足',
  undetermined: '未定',
};

/**
 * A collector's list as an .xlsx workbook: one row per case in the list's order, amounts as numbers with
 * two decimals (exact: formatted from fen, then read as the decimal they are), frozen header row.
 */
export async function worklistWorkbook(
  items: readonly WorklistItem[],
  date: string,
  lang: 'en' | 'zh-CN',
): Promise<Buffer> {
  const { Workbook } = (await import('exceljs')).default;
  const book: ExcelJS.Workbook = new Workbook();
  book.creator = 'Lendguard';
  // A fixed creation time keeps the same list's workbook identical from run to run.
  book.created = new Date(`${date}T00:00:00Z`);
  book.modified = book.created;
  const sheet = book.addWorksheet(lang === 'zh-CN' ? `催收清单 ${date}` : `Work list ${date}`, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.addRow([...HEADINGS[lang]]).font = { bold: true };
  items.forEach((item, i) => {
    const c = item.kase;
    const verdict = c.assessmentOverride?.verdict ?? c.assessment?.verdict ?? 'undetermined';
    sheet.addRow([
      i + 1,
      c.caseId,
      c.customerId,
      c.bucket,
      c.maxDaysPastDue,
      Number(formatMinor(c.overdueMinor)),
      Number(formatMinor(c.totalOwedMinor)),
      Number(formatMinor(c.priorityMinor)),
      lang === 'zh-CN' ? (ACTIONS_ZH[c.nextAction ?? ''] ?? '') : (c.nextAction ?? ''),
      c.nextActionDueDay ?? '',
      item.nextPromiseDay ?? '',
      lang === 'zh-CN' ? VERDICTS_ZH[verdict] : verdict,
      c.strategyStep ?? '',
    ]);
  });
  for (const col of [6, 7, 8]) sheet.getColumn(col).numFmt = '#,##0.00';
  sheet.columns.forEach((col) => {
    col.width = 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
