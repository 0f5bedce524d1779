import { formatMinor } from '../../../money/index.js';
import type { Decision } from '../../../origination/index.js';
import type { Language } from '../../http/messages.js';
import { explanationOf } from '../../origination/presenters.js';

/**
 * Automated decisions explained to the borrower in their language (PIPL Art. 24). The English is the staff
 * explanation; the Chinese says the same facts, and names the reasons by their codes, which the portal
 * page lists in words beside it.
 */

const OUTCOME_ZH: Readonly<Record<string, string>> = {
  approve: '通过',
  decline: '拒绝',
  refer: '转人工审核',
};

/** The shipped line controls' reasons in Chinese, by rule code; a lender's own rule keeps its own words. */
export const LINE_CONTROL_REASONS_ZH: Readonly<Record<string, string>> = {
  LC_M7_CLOSE: '该额度下有借款逾期进入 M7（超过 180 天）：额度已关闭',
  LC_M3_CUT:
    '该额度下有借款逾期进入 M3 或更久（61 天以上）：额度降至已用金额，并冻结借款，直至所有逾期款项还清',
  LC_PAST_DUE_FREEZE: '该额度下有逾期未还的分期：冻结借款，直至所有逾期款项还清',
  LC_CURRENT: '该额度下没有逾期的分期',
};

const LINE_CHANGE_ZH: Readonly<Record<string, string>> = {
  frozen: '冻结',
  unfrozen: '解冻',
  'limit-changed': '调整额度',
  closed: '关闭',
};

export function lineControlReason(code: string, storedReason: string, lang: Language): string {
  return lang === 'zh-CN' ? (LINE_CONTROL_REASONS_ZH[code] ?? storedReason) : storedReason;
}

export function lineControlExplanation(
  c: { lineId: string; day: string; kind: string; code: string; reason: string },
  lang: Language,
): string {
  if (lang === 'en')
    return `The line controls of the credit policy changed line ${c.lineId} on ${c.day} (${c.kind}): ${c.reason} (${c.code}). You may object and ask for a person to review it.`;
  return `信贷政策的额度管控规则于 ${c.day} 对额度 ${c.lineId} 作出了调整（${LINE_CHANGE_ZH[c.kind] ?? c.kind}）：${lineControlReason(c.code, c.reason, lang)}（${c.code}）。你可以提出异议，要求由人工复核。`;
}

export function decisionExplanation(d: Decision, lang: Language): string {
  if (lang === 'en') return explanationOf(d);
  const outcome = OUTCOME_ZH[d.outcome] ?? d.outcome;
  const lines = [
    d.decidedBy !== undefined
      ? `决定：${outcome}，${d.decidedAt}，额度 ${formatMinor(d.limit_fen)} 元；由人工复核自动决策 ${d.supersedes} 后作出（策略 ${d.policy.policyId} ${d.policy.version}）。`
      : `决定：${outcome}，${d.decidedAt}，额度 ${formatMinor(d.limit_fen)} 元；依据策略 ${d.policy.policyId} ${d.policy.version} 和模型 ${d.score.model.modelId}（${d.score.model.version}）自动作出，评分 ${d.score.score}。`,
  ];
  if (d.reasons.length > 0)
    lines.push(`理由（代码）：${d.reasons.map((r) => r.code).join('、')}，其含义见上方理由列表。`);
  if (d.blacklistHits.length > 0) lines.push('- 申请信息与黑名单条目相符。');
  if (d.flags.length > 0) lines.push(`- 申请曾转交分析师复核（${d.flags.map((f) => f.kind).join('、')}）。`);
  if (d.decidedBy === undefined) lines.push('你可以对此决定提出异议，要求由人工复核。');
  return lines.join('\n');
}
