import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEP_OUTCOMES } from '../../src/store/collections/step-actions.js';
import { policyReason, SHIPPED_REASONS_ZH } from '../../web/src/policy-reasons.js';
import { stepOutcomeText } from '../../web/src/step-outcomes.js';

/** The `reason` cells of every decision table of a shipped policy file, as the engine gives them (unquoted). */
function shippedReasons(file: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const x of node) walk(x);
    else if (node !== null && typeof node === 'object') {
      const o = node as {
        type?: string;
        content?: { outputs: { id: string; field: string }[]; rules: Record<string, string>[] };
      };
      if (o.type === 'decisionTableNode' && o.content !== undefined) {
        const ids = o.content.outputs.filter((x) => x.field === 'reason').map((x) => x.id);
        for (const rule of o.content.rules) for (const id of ids) out.push(JSON.parse(rule[id]!) as string);
      }
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(JSON.parse(readFileSync(new URL(`../../policies/${file}`, import.meta.url), 'utf8')));
  return out;
}

describe('line-control, limit-review and collection-strategy reasons in the dashboard and portal', () => {
  const shipped = [
    ...shippedReasons('default/linecontrols.json'),
    ...shippedReasons('default/limitreview.json'),
    ...shippedReasons('collections/default-strategy.json'),
  ];

  it('has Chinese for every reason the shipped tables give, and for nothing else', () => {
    expect(shipped.length).toBeGreaterThan(20);
    expect(shipped.filter((r) => !Object.hasOwn(SHIPPED_REASONS_ZH, r))).toEqual([]);
    expect(Object.keys(SHIPPED_REASONS_ZH).filter((r) => !shipped.includes(r))).toEqual([]);
    for (const zh of Object.values(SHIPPED_REASONS_ZH)) expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('shows a shipped reason in Chinese, and any other text as written', () => {
    const pastDue = shipped.find((r) => r.startsWith('an instalment on the line is past due'))!;
    expect(policyReason(pastDue, 'zh-CN')).toBe('该额度下有一期还款已逾期：暂停借款，直至还清所有逾期款项');
    expect(policyReason(pastDue, 'en')).toBe(pastDue);
    // An edited reason (another threshold) is not given the translation of the shipped one.
    const edited = 'behaviour score below 560: limit cut by 30% (never below what is drawn)';
    expect(policyReason(edited, 'zh-CN')).toBe(edited);
    expect(policyReason('constructor', 'zh-CN')).toBe('constructor');
  });
});

describe('a collection step action’s outcome in the dashboard', () => {
  it('has Chinese for every shape the server stores, with its values carried over', () => {
    const samples = [
      STEP_OUTCOMES.reminderQueued('sms'),
      STEP_OUTCOMES.reminderNotSent('daily-cap'),
      STEP_OUTCOMES.noAgency(),
      STEP_OUTCOMES.noOtherAgency('agy_01a2'),
      STEP_OUTCOMES.placedWith('agy_01a3'),
      STEP_OUTCOMES.legalProposed(),
    ];
    expect(samples).toHaveLength(Object.keys(STEP_OUTCOMES).length);
    for (const text of samples) {
      const zh = stepOutcomeText(text, 'zh-CN');
      expect(zh, text).not.toBe(text);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(stepOutcomeText(text, 'en')).toBe(text);
    }
    expect(stepOutcomeText(STEP_OUTCOMES.placedWith('agy_01a3'), 'zh-CN')).toContain('agy_01a3');
    expect(stepOutcomeText(STEP_OUTCOMES.reminderNotSent('daily-cap'), 'zh-CN')).toContain('daily-cap');
    expect(stepOutcomeText('something else', 'zh-CN')).toBe('something else');
  });
});
