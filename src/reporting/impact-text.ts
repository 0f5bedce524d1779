import type { CollectionStageId } from '../collections/index.js';
import { counted } from '../money/index.js';
import type { AssetClass } from './classification.js';
import type { Milestone } from './milestones.js';

/** Languages of the impact command's text. */
export type Lang = 'en' | 'zh';

export const LANGS: readonly Lang[] = ['en', 'zh'];

/**
 * The language used when `--lang` is not given: Chinese when the locale (LANG, then LC_ALL) starts with
 * "zh", English otherwise.
 */
export function defaultLang(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = env.LC_ALL || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

interface Text {
  readonly title: (principal: string, currency: string, missedDue: string, months: number) => string;
  readonly assumption: (overdueFrom: string, missedDue: string) => string;
  readonly columns: readonly string[];
  readonly milestonesTitle: string;
  readonly dpd: (days: number) => string;
  /** Marks a date that follows from an industry convention (a setting). */
  readonly convention: string;
  readonly beyondHorizon: string;
  readonly assetClass: Readonly<Record<AssetClass, string>>;
  readonly collectionStage: Readonly<Record<CollectionStageId, string>>;
  readonly stage: (stage: number) => string;
  readonly milestone: (m: Milestone, extra: MilestoneExtra) => string;
  readonly footnote: string;
}

/** Figures a milestone's text needs besides the milestone itself. */
export interface MilestoneExtra {
  readonly currency: string;
  /** Penalty uplift over the contract rate, e.g. "50%". */
  readonly penaltyUplift: string;
  /** What penalty interest is charged on (product setting). */
  readonly penaltyBase: 'overdue-principal' | 'overdue-principal-and-interest';
  readonly horizonEnd: string;
  readonly chargeOffDays: number;
}

const EN: Text = {
  title: (principal, currency, missedDue, months) =>
    `What being overdue means: ${principal} ${currency} loan, first missed instalment due ${missedDue}, ${counted(months, 'month')}`,
  assumption: (overdueFrom, missedDue) =>
    `Assumed: every instalment due before ${overdueFrom} is paid on its due date; from then on nothing is paid (first missed due date ${missedDue}). Amounts from the loan ledger as of each date.`,
  columns: [
    'Date',
    'DPD',
    'Bucket',
    'Credit report',
    'Five-category class',
    'IFRS 9',
    'Overdue principal',
    'Overdue interest',
    'Penalty interest',
    'Total owed',
  ],
  milestonesTitle: 'Milestones',
  dpd: (days) => `DPD ${days}`,
  convention: 'industry convention, a setting',
  beyondHorizon: '(after the period shown)',
  assetClass: {
    normal: 'normal',
    'special-mention': 'special mention',
    substandard: 'substandard (NPL)',
    doubtful: 'doubtful (NPL)',
    loss: 'loss (NPL)',
  },
  collectionStage: {
    reminder: 'reminders before the due date (SMS, app)',
    early:
      'early collection: SMS, app and calls — never 22:00–08:00, at most 3 live calls a day and 6 unanswered dials a day to one number',
    intensive: 'intensive collection: calls and letters, same contact limits',
    'agency-legal':
      'outsourced collection agency (the lender stays liable) and legal review: payment order, lawsuit, arbitration or a notarised debt instrument',
  },
  stage: (s) => `stage ${s}`,
  milestone: (m, x) => {
    switch (m.kind) {
      case 'overdue-start':
        return 'The instalment is overdue: the loan is in bucket M1 and the lender starts collecting.';
      case 'penalty-start':
        return `Penalty interest (contract rate + ${x.penaltyUplift}) starts to accrue every day on the overdue ${x.penaltyBase === 'overdue-principal' ? 'principal' : 'principal and interest'} until it is paid.`;
      case 'negative-notice-deadline':
        return 'Last day for the lender to tell you that the overdue will be reported to the credit bureau (notice is required before the first negative report).';
      case 'first-negative-report':
        return `The credit report shows this month with status ${m.value}: your first negative record. Other lenders will see it.`;
      case 'bucket-entry':
        return `Bucket ${m.value}: ${counted(m.daysPastDue, 'day')} past due; the monthly credit-report status becomes ${m.value.slice(1)}.`;
      case 'class-change':
        return `The lender must classify the loan at least as ${EN.assetClass[m.value as AssetClass]}.`;
      case 'ifrs9-stage-change':
        return m.value === '2'
          ? 'IFRS 9 stage 2: the lender assumes credit risk has risen significantly and provisions for lifetime expected loss.'
          : 'IFRS 9 stage 3: the loan is treated as credit-impaired (in default).';
      case 'collection-stage':
        return `Collection: ${EN.collectionStage[m.value as CollectionStageId]}.`;
      case 'write-off-eligible':
        return `At ${counted(x.chargeOffDays, 'day')} past due the lender may write the loan off its books, with documented evidence — but the debt is not cancelled: it stays owed, collection and recovery go on, and the credit report keeps the record.`;
      case 'limitation-end':
        return m.value === '0'
          ? 'End of the 3-year limitation period, counted from the last due date. Every demand for payment restarts it, so in practice it usually runs longer.'
          : `End of the 3-year limitation period, restarted ${counted(Number(m.value), 'time')} by demands for payment.`;
      case 'retention-end-if-repaid':
        return `If you repaid everything on ${x.horizonEnd}, the negative records would be deleted on this day: 5 years after the overdue ends. Until you repay, the 5 years do not start.`;
    }
  },
  footnote:
    'DPD = days past due. Credit-report status: N paid as due, * nothing due, 1–7 overdue 1–30 … > 180 days, C settled. NPL = non-performing loan.',
};

const ZH: Text = {
  title: (principal, currency, missedDue, months) =>
    `逾期影响：借款 ${principal} ${currency}，首次未还款日 ${missedDue}，共 ${months} 个月`,
  assumption: (overdueFrom, missedDue) =>
    `假设：${overdueFrom} 之前到期的每期都在到期日按时还清；此后不再还款（首个未还到期日 ${missedDue}）。金额取自贷款账务系统在各日期的结果。`,
  columns: [
    '日期',
    '逾期天数',
    '账龄',
    '征信状态',
    '五级分类',
    'IFRS 9',
    '逾期本金',
    '逾期利息',
    '罚息',
    '欠款合计',
  ],
  milestonesTitle: '关键节点',
  dpd: (days) => `逾期 ${days} 天`,
  convention: '行业惯例，可配置',
  beyondHorizon: '（在所示期间之后）',
  assetClass: {
    normal: '正常',
    'special-mention': '关注',
    substandard: '次级（不良）',
    doubtful: '可疑（不良）',
    loss: '损失（不良）',
  },
  collectionStage: {
    reminder: '到期前提醒（短信、App）',
    early:
      '早期催收：短信、App、电话——22:00至次日08:00不得催收，每日人工或智能语音通话不超过3次，同一号码每日未接通拨打不超过6次',
    intensive: '强化催收：电话、信函，联系限制同上',
    'agency-legal':
      '委外催收（贷款机构仍承担责任）及法律评估：支付令、诉讼、仲裁或赋予强制执行效力的公证债权文书',
  },
  stage: (s) => `第${['', '一', '二', '三'][s] ?? s}阶段`,
  milestone: (m, x) => {
    switch (m.kind) {
      case 'overdue-start':
        return '该期已逾期：账龄进入 M1，贷款机构开始催收。';
      case 'penalty-start':
        return `开始对逾期${x.penaltyBase === 'overdue-principal' ? '本金' : '本金和利息'}按日计收罚息（合同利率上浮 ${x.penaltyUplift}），直至还清。`;
      case 'negative-notice-deadline':
        return '贷款机构告知你将向征信系统报送逾期信息的最后一天（首次报送不良信息前须事先告知）。';
      case 'first-negative-report':
        return `征信报告本月还款状态显示为 ${m.value}：这是你的第一条不良记录，其他贷款机构都能看到。`;
      case 'bucket-entry':
        return `进入 ${m.value}：逾期 ${m.daysPastDue} 天，征信月度还款状态变为 ${m.value.slice(1)}。`;
      case 'class-change':
        return `贷款机构须将该笔贷款至少归为「${ZH.assetClass[m.value as AssetClass]}」类。`;
      case 'ifrs9-stage-change':
        return m.value === '2'
          ? 'IFRS 9 第二阶段：推定信用风险显著增加，按整个存续期预期信用损失计提减值。'
          : 'IFRS 9 第三阶段：视为已发生信用减值（违约）。';
      case 'collection-stage':
        return `催收：${ZH.collectionStage[m.value as CollectionStageId]}。`;
      case 'write-off-eligible':
        return `逾期满 ${x.chargeOffDays} 天，贷款机构可凭证据材料将其核销出表——但债务并未免除：你仍然欠款，催收和追偿继续，征信记录保留。`;
      case 'limitation-end':
        return m.value === '0'
          ? '3年诉讼时效届满日，自最后一期到期日起算。每次催告还款都会使时效重新计算，实际上往往更长。'
          : `3年诉讼时效届满日，已因催告还款重新计算 ${m.value} 次。`;
      case 'retention-end-if-repaid':
        return `如果你在 ${x.horizonEnd} 还清全部欠款，不良记录将于此日删除：自逾期结束之日起保存5年。未还清前，5年不开始计算。`;
    }
  },
  footnote:
    '征信状态：N 正常还款，* 当月无应还款，1–7 逾期 1–30 天 … 180 天以上，C 结清。不良 = 次级 + 可疑 + 损失。',
};

export function textFor(lang: Lang): Text {
  return lang === 'zh' ? ZH : EN;
}
