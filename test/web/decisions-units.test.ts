import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REVIEW_FLAG_KINDS } from '../../src/origination/index.js';
import { eodDateAllowed, eodDaysClosed } from '../../web/src/data/eod.js';
import { impactPlan } from '../../web/src/data/impact.js';
import { aprPercent, FLAG_KINDS, OUTCOMES, percent, percentFixed } from '../../web/src/decisions.js';
import { en, type MessageKey, zhCN } from '../../web/src/messages.js';
import { formatMoney, todayInShanghai } from '../../web/src/money.js';
import {
  auditDetailsText,
  decidingReasonIndex,
  fenToYuanText,
  legalSource,
  reasonText,
  valueEntries,
} from '../../web/src/reasons.js';

describe('the Decisions pages’ helpers', () => {
  it('shows rates as percentages by moving the decimal point in the text', () => {
    expect(percent('0.0005')).toBe('0.05%');
    expect(percent('0.073001')).toBe('7.3001%');
    expect(percent('0.24')).toBe('24%');
    expect(percent('1')).toBe('100%');
    expect(percent('0')).toBe('0%');
    expect(percent(null)).toBe('—');
    expect(percent('abc')).toBe('—');
  });

  it('shows an APR to two decimals, rounded half-up in the text', () => {
    expect(aprPercent('0.109499')).toBe('10.95%');
    expect(aprPercent('0.1094949')).toBe('10.95%');
    expect(aprPercent('0.1094449')).toBe('10.94%');
    expect(aprPercent('0.24')).toBe('24.00%');
    expect(aprPercent('0.99999')).toBe('100.00%');
    expect(aprPercent('0')).toBe('0.00%');
    expect(aprPercent(null)).toBe('—');
    expect(percentFixed('0.00049', 2)).toBe('0.05%');
    expect(percentFixed('0.0000499', 2)).toBe('0.00%');
  });

  it('gives a hundred times the rate, exactly, for any decimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }), (n, scale) => {
        const digits = n.toString().padStart(scale + 1, '0');
        const rate = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        const shown = percent(rate);
        expect(shown.endsWith('%')).toBe(true);
        // shown × 10^(scale-2) back to an integer must be n.
        const [whole, fraction = ''] = shown.slice(0, -1).split('.');
        const back = BigInt(`${whole}${fraction}`) * 10n ** BigInt(Math.max(0, scale - 2 - fraction.length));
        const divisor = 10n ** BigInt(Math.max(0, fraction.length - (scale - 2)));
        expect(back).toBe(n * divisor);
      }),
    );
  });

  it('knows every flag kind the detectors raise, and names each kind and outcome in both languages', () => {
    expect([...FLAG_KINDS].sort()).toEqual([...REVIEW_FLAG_KINDS].sort());
    for (const kind of FLAG_KINDS) {
      expect(en[`flag.${kind}` as keyof typeof en]).toBeTruthy();
      expect(zhCN[`flag.${kind}` as keyof typeof en]).toBeTruthy();
    }
    expect(OUTCOMES.map((o) => zhCN[`outcome.${o}` as keyof typeof en])).toEqual(['批准', '拒绝', '转人工']);
  });
});

describe('reasons and evidence as staff read them', () => {
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    zhCN[key].replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
      params?.[name] === undefined ? whole : String(params[name]),
    );
  const money = (yuan: string) => formatMoney(yuan, 'zh-CN');

  it('lists the values a rule saw with amounts in yuan, rates as percentages, and known keys labelled', () => {
    const entries = valueEntries(
      { limit_fen: 3000000, 'income.verified': true, apr: '0.073000', applicationIds: ['a', 'b'], other: 1 },
      t,
      money,
    );
    expect(entries.map((e) => [e.label, e.text])).toEqual([
      ['额度', '¥30,000.00'],
      ['收入已核实', '是'],
      ['年化利率', '7.30%'],
      ['相关申请', 'a, b'],
      ['other', '1'],
    ]);
    expect(valueEntries(null, t, money)).toEqual([]);
    expect(fenToYuanText(5)).toBe('0.05');
    expect(fenToYuanText(123456789)).toBe('1234567.89');
  });

  const reason = (source: string, code: string, values: Record<string, unknown> = {}) => ({
    source,
    code,
    message: `${source} ${code}`,
    values,
  });

  it('marks the reason that decided a decline: the first that refuses, in the order the policy applies them', () => {
    const base = { decidedBy: null, record: {}, flags: [] };
    const flag = {
      flagId: 'f',
      kind: 'outside-invitation',
      severity: 'refuse' as const,
      summary: '',
      status: 'open' as const,
    };
    const reasons = [
      reason('fraud', 'FLAG_SHARED_DEVICE'),
      reason('invitation', 'FLAG_OUTSIDE_INVITATION'),
      reason('cutoff', 'CUT_PASS'),
    ];
    expect(decidingReasonIndex({ ...base, outcome: 'decline', reasons, flags: [flag] })).toBe(1);
    // A cut-off decides only when its rule gave "decline".
    const cut = [reason('score', 'SCORE_X'), reason('cutoff', 'CUT_LOW')];
    const record = { rulesFired: [{ ruleId: 'CUT_LOW', outputs: { result: 'decline' } }] };
    expect(decidingReasonIndex({ ...base, outcome: 'decline', reasons: cut, record })).toBe(1);
    expect(decidingReasonIndex({ ...base, outcome: 'decline', reasons: cut })).toBe(-1);
    expect(
      decidingReasonIndex({ ...base, outcome: 'decline', reasons: [reason('limit', 'LIMIT_BELOW_MINIMUM')] }),
    ).toBe(0);
    // An IP blacklist hit only refers; approvals and referrals have no deciding reason to mark.
    const ipHit = [reason('blacklist', 'BLACKLIST_HIT', { subject: 'ip' }), reason('knockout', 'KO_AGE')];
    expect(decidingReasonIndex({ ...base, outcome: 'decline', reasons: ipHit })).toBe(1);
    expect(decidingReasonIndex({ ...base, outcome: 'refer', reasons: ipHit })).toBe(-1);
  });

  it('writes reasons in Chinese from their values, and keeps the server’s words in English', () => {
    const d = {
      riskGrade: 'A',
      record: { rulesFired: [{ ruleId: 'CUT_PASS', outputs: { result: 'pass' } }] },
    };
    const cut = reason('cutoff', 'CUT_PASS', { 'score.value': 612, 'applicant.segment': 'employed' });
    expect(reasonText(cut, d, 'zh-CN', t, money, aprPercent)).toBe('评分 612，客群 受薪：通过（风险等级 A）');
    expect(reasonText(cut, d, 'en', t, money, aprPercent)).toBe('cutoff CUT_PASS');
    expect(reasonText(reason('cap', 'CAP_REQUESTED'), d, 'zh-CN', t, money, aprPercent)).toBe(
      '额度以申请金额为上限',
    );
    expect(reasonText(reason('fraud', 'FLAG_SHARED_DEVICE'), d, 'zh-CN', t, money, aprPercent)).toBe(
      '设备共用',
    );
    // A reason the dashboard does not know keeps the server's words.
    expect(reasonText(reason('fraud', 'FLAG_NEW_KIND'), d, 'zh-CN', t, money, aprPercent)).toBe(
      'fraud FLAG_NEW_KIND',
    );
  });

  it('puts policy rules, score features and their bins, and blacklist subjects in Chinese words', () => {
    const d = { riskGrade: 'B', record: {} };
    const zh = (r: ReturnType<typeof reason>) => reasonText(r, d, 'zh-CN', t, money, aprPercent);
    expect(zh(reason('knockout', 'KO_MULTI_LENDER'))).toBe('近 3 个月内有 6 家及以上机构借贷（多头借贷）');
    expect(zh(reason('referral', 'REF_THIN_FILE'))).toBe('信用记录不足 6 个月');
    // A rule an analyst added that the dashboard has no words for: its code, in a Chinese sentence.
    expect(zh(reason('knockout', 'KO_NEW_RULE'))).toBe('策略规则 KO_NEW_RULE 命中');
    expect(
      zh(
        reason('score', 'SCORE_EXPENSES', {
          feature: 'Expenses',
          value: '117.54 in [81.5, +inf)',
          pointsLost: 24,
        }),
      ),
    ).toBe('月支出（百元） = 117.54，位于区间 [81.5, +∞)，比最优取值少 24 分');
    expect(zh(reason('score', 'SCORE_HOME', { feature: 'Home', value: 'parents', pointsLost: 8 }))).toBe(
      '居住情况 = 与父母同住，比最优取值少 8 分',
    );
    expect(zh(reason('blacklist', 'BLACKLIST_HIT', { subject: 'id-number' }))).toMatch(/身份证号/);
    // The values a rule saw, in words: the feature, its bin, the segment, the blacklist subject and source.
    const entries = valueEntries(
      {
        feature: 'Home',
        value: 'parents',
        'applicant.segment': 'self-employed',
        subject: 'phone',
        source: 'regulator',
      },
      t,
      money,
    );
    expect(entries.map((e) => e.text)).toEqual(['居住情况', '与父母同住', '自雇', '手机号', '监管机构名单']);
    const text = entries.map((e) => `${e.label} ${e.text}`).join(' ');
    expect(text).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('writes an audit entry’s details in words, amounts in yuan, codes by their labels', () => {
    expect(
      auditDetailsText(
        { outcome: 'decline', flags: ['outside-invitation'], limitMinor: 3500000, decisionId: 'dec_1' },
        t,
        money,
        '；',
      ),
    ).toBe('结果: 拒绝；标记: 无邀请；额度: ¥35,000.00；决策: dec_1');
    // A key the dashboard has no label for shows as it is.
    expect(auditDetailsText({ somethingNew: 1 }, t, money, '；')).toBe('somethingNew: 1');
    expect(auditDetailsText(null, t, money, '；')).toBe('');
  });

  it('cites legal sources in Chinese without English words', () => {
    expect(legalSource('征信业管理条例 Art. 15', 'zh-CN')).toBe('征信业管理条例 第 15 条');
    expect(legalSource('民法典 Arts. 188, 189, 195', 'zh-CN')).toBe('民法典 第 188、189、195 条');
    expect(
      legalSource(
        '互联网消费信贷贷后催收 national standard (2025); 中国银行业协会 collection guideline (2026)',
        'zh-CN',
      ),
    ).toBe('互联网消费信贷贷后催收 国家标准（2025）；中国银行业协会 催收指引（2026）');
    expect(legalSource('IFRS 9 §B5.5.37 / CAS 22', 'zh-CN')).toBe(
      'IFRS 9 第 B5.5.37 段 / 企业会计准则第 22 号',
    );
    expect(legalSource('征信业管理条例 Art. 15', 'en')).toBe('征信业管理条例 Art. 15');
  });
});

describe('the impact view and the EOD form', () => {
  it('splits milestones at the last closed day and finds the next action', () => {
    const m = (date: string, kind: string) => ({ date, kind, value: '' });
    const plan = impactPlan(
      [
        m('2026-05-24', 'overdue-start'),
        m('2026-06-10', 'bucket-entry'),
        m('2026-06-23', 'ifrs9-stage-change'),
        m('2026-06-23', 'collection-stage'),
        m('2026-11-19', 'write-off-eligible'),
      ],
      '2026-06-10',
    );
    expect(plan.happened.map((x) => x.kind)).toEqual(['overdue-start', 'bucket-entry']);
    expect(plan.next.map((x) => x.kind)).toEqual([
      'ifrs9-stage-change',
      'collection-stage',
      'write-off-eligible',
    ]);
    expect(plan.nextAction?.kind).toBe('collection-stage');
    expect(impactPlan([m('2026-01-01', 'overdue-start')], '2026-06-10').nextAction).toBeUndefined();
  });

  it('allows EOD dates from the business day to today and counts the days a run closes', () => {
    expect(eodDateAllowed('2026-06-09', '2026-06-10', '2026-12-06')).toBe(false);
    expect(eodDateAllowed('2026-06-10', '2026-06-10', '2026-12-06')).toBe(true);
    expect(eodDateAllowed('2026-12-06', '2026-06-10', '2026-12-06')).toBe(true);
    expect(eodDateAllowed('2026-12-07', '2026-06-10', '2026-12-06')).toBe(false);
    expect(eodDaysClosed('2026-06-10', '2026-06-10')).toBe(1);
    expect(eodDaysClosed('2026-06-13', '2026-06-10')).toBe(4);
    expect(eodDaysClosed('2026-03-01', '2026-02-28')).toBe(2);
    expect(todayInShanghai(new Date('2026-01-01T16:30:00Z'))).toBe('2026-01-02');
  });
});
