import type ExcelJS from 'exceljs';
import type { PresentedComplianceReport } from './compliance-presenter.js';

/** The rules' short names in Chinese, for the workbook (the API answers with the rule ids). */
export const CONTACT_RULE_NAMES_ZH: Readonly<Record<string, string>> = {
  complaint_open: '投诉处理期间',
  quiet_hours: '22:00–08:00 禁止催收',
  third_party_channel: '第三方仅限电话或短信',
  third_party_only_when_unreachable: '仅在失联时联系第三方',
  third_party_attempts_per_day: '第三方每日次数上限',
  answered_calls_per_day: '每日接通次数上限',
  unanswered_dials_per_day: '每日未接通拨打上限',
  messages_per_day: '每日信息条数上限',
};

const TEXT = {
  en: {
    summary: 'Summary',
    byRule: 'By rule',
    byCollector: 'By collector',
    byDay: 'By day',
    refusals: 'Refusals',
    breaches: 'Breaches',
    window: 'Window',
    zone: 'Zone',
    attempts: 'Attempts',
    allowed: 'Allowed',
    refused: 'Refused',
    breachCount: 'Breaches',
    rule: 'Rule',
    collector: 'Collector',
    date: 'Date',
    attempt: 'Attempt',
    case: 'Case',
    customer: 'Customer',
    at: "At (borrower's time)",
    channel: 'Channel',
    party: 'Party',
    outcome: 'Outcome',
    why: 'Why the rules refuse it now',
  },
  'zh-CN': {
    summary: '概要',
    byRule: '按规则',
    byCollector: '按催收员',
    byDay: '按日',
    refusals: '拒绝记录',
    breaches: '违规记录',
    window: '期间',
    zone: '时区',
    attempts: '联系尝试',
    allowed: '允许',
    refused: '拒绝',
    breachCount: '违规',
    rule: '规则',
    collector: '催收员',
    date: '日期',
    attempt: '尝试编号',
    case: '案件',
    customer: '客户',
    at: '时间（借款人当地）',
    channel: '渠道',
    party: '对象',
    outcome: '结果',
    why: '按现行规则应拒绝的原因',
  },
} as const;

/**
 * The compliance report as an .xlsx workbook: a summary, the counts by rule, collector and day, and every
 * refusal and breach of the window, one sheet each, header rows frozen.
 */
export async function complianceWorkbook(
  report: PresentedComplianceReport,
  lang: 'en' | 'zh-CN',
): Promise<Buffer> {
  const t = TEXT[lang];
  const rule = (r: string) => (lang === 'zh-CN' ? (CONTACT_RULE_NAMES_ZH[r] ?? r) : r);
  const { Workbook } = (await import('exceljs')).default;
  const book: ExcelJS.Workbook = new Workbook();
  book.creator = 'Lendguard';
  // A fixed creation time keeps the same report's workbook identical from run to run.
  book.created = new Date(`${report.to}T00:00:00Z`);
  book.modified = book.created;
  const sheet = (name: string, headings: string[]) => {
    const s = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    s.addRow(headings).font = { bold: true };
    return s;
  };
  const summary = sheet(t.summary, [t.window, t.zone, t.attempts, t.allowed, t.refused, t.breachCount]);
  summary.addRow([
    `${report.from} – ${report.to}`,
    report.zone,
    report.totals.attempts,
    report.totals.allowed,
    report.totals.refused,
    report.totals.breaches,
  ]);
  const byRule = sheet(t.byRule, [t.rule, t.refused, t.breachCount]);
  for (const r of report.byRule) byRule.addRow([rule(r.rule), r.refused, r.breaches]);
  const byCollector = sheet(t.byCollector, [t.collector, t.attempts, t.refused, t.breachCount]);
  for (const c of report.byCollector) byCollector.addRow([c.collector, c.attempts, c.refused, c.breaches]);
  const byDay = sheet(t.byDay, [t.date, t.attempts, t.refused, t.breachCount]);
  for (const d of report.byDay) byDay.addRow([d.date, d.attempts, d.refused, d.breaches]);
  const common = [t.attempt, t.case, t.customer, t.at, t.channel, t.party, t.collector, t.rule];
  const refusals = sheet(t.refusals, common);
  for (const r of report.refusals)
    refusals.addRow([
      r.attemptId,
      r.caseId,
      r.customerId,
      r.at,
      r.channel,
      r.party,
      r.collector,
      rule(r.rule),
    ]);
  const breaches = sheet(t.breaches, [...common, t.outcome, t.why]);
  for (const b of report.breaches)
    breaches.addRow([
      b.attemptId,
      b.caseId,
      b.customerId,
      b.at,
      b.channel,
      b.party,
      b.collector,
      rule(b.rule),
      b.outcome,
      b.message,
    ]);
  for (const s of book.worksheets)
    s.columns.forEach((col) => {
      col.width = 18;
    });
  return Buffer.from(await book.xlsx.writeBuffer());
}
