import type { Locale } from './money.js';

/**
 * A collection step's action outcome in the UI's language. The server stores it in English, in one of a few
 * shapes (src/store/collections/step-actions.ts, STEP_OUTCOMES); each shape has its Chinese here, with the
 * channel, reason or agency carried over. Text of any other shape is shown as stored. A test holds the shapes
 * to the server's.
 */
const ZH: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^reminder queued on (\S+)$/, (m) => `提醒已排入发送（${m[1]}）`],
  [/^reminder recorded, not sent: (\S+)$/, (m) => `提醒已记录，未发送：${m[1]}`],
  [
    /^pending placement: no collection agency is active; register or activate one \(委外\)$/,
    () => '待委外：没有可用的催收机构，请登记或启用一家（委外）',
  ],
  [
    /^pending placement: no active agency other than (\S+), which the case was recalled from to move it; register or activate one \(委外\)$/,
    (m) => `待委外：除案件为转机构而撤回的 ${m[1]} 外没有可用的催收机构，请登记或启用一家（委外）`,
  ],
  [/^placed with (\S+)$/, (m) => `已委外给 ${m[1]}`],
  [/^legal escalation proposed: awaiting a person’s approval$/, () => '已提出法律升级：等待人工批准'],
];

export function stepOutcomeText(text: string, locale: Locale): string {
  if (locale !== 'zh-CN') return text;
  for (const [shape, zh] of ZH) {
    const m = shape.exec(text);
    if (m !== null) return zh(m);
  }
  return text;
}
