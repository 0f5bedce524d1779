/**
 * Chinese for the issues the cores raise when they check a rules document a risk analyst wrote (a
 * collection strategy graph, the early-warning document): each English sentence shape, with its values
 * captured, and the Chinese that quotes the same values. These checkers write their sentences directly (they
 * are read in the CLI and the logs too), so the words for other languages are matched here, at the edge; a
 * test reads the checkers' sources and holds this table to every sentence they can write.
 */
const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // Graphs (collection strategy).
  [/^must be a JDM decision graph: .*$/, '须为 JDM 决策图：{ "nodes": [...], "edges": [...] }'],
  [/^holds no decision table; add one giving the action$/, '没有决策表；请添加一个给出 action 的决策表'],
  [
    /^is (.*); a strategy table gives one step: use "first"$/,
    '取值 $1 无效；催收策略表每次只给出一步：请用 "first"',
  ],
  [/^has no "(.*)" output; add it$/, '缺少输出 "$1"；请添加'],
  [/^action is (.*); give one of (.*) \(quoted\)$/, 'action 取值 $1 无效；请填写 $2 之一（带引号）'],
  [
    /^a reminder names its channel: one of (.*) \(quoted\) in a "channel" output$/,
    '提醒须在 "channel" 输出中写明渠道：$1 之一（带引号）',
  ],
  [/^is refused by the rules engine: (.*)$/, '被规则引擎拒绝：$1'],
  // The early-warning document.
  [/^must be a ZEN expression over the facts, e\.g\. (.*)$/, '须为基于事实字段的 ZEN 表达式，例如 $1'],
  [/^is longer than (\d+) characters$/, '超过 $1 个字符'],
  [/^uses (.*), which is not a fact; facts are (.*)$/, '使用了 $1，这不是事实字段；事实字段有 $2'],
  [/^is not a valid expression: (.*)$/, '不是有效的表达式：$1'],
  [/^must give true or false \(a condition\), not a value$/, '须得出 true 或 false（条件），而不是数值'],
  [/^must be a non-empty text of at most (\d+) characters$/, '须为非空文本，最多 $1 个字符'],
  [/^is (.*); give one of (.*)$/, '取值 $1 无效；请填写 $2 之一'],
  [/^must be a whole number from (-?\d+) to (-?\d+)$/, '须为 $1 至 $2 的整数'],
  [/^must be an object: (.*)$/, '须为对象，字段为 $1'],
  [/^is not a field of a rule \((.*)\)$/, '不是规则的字段（$1）'],
  [/^must be upper-case letters, digits and _ \(e\.g\. (.*)\)$/, '须由大写字母、数字和 _ 组成（例如 $1）'],
  [/^(.*) is used by another rule$/, '$1 已被另一条规则使用'],
  [/^must be lower-case letters, digits and - \(e\.g\. (.*)\)$/, '须由小写字母、数字和 - 组成（例如 $1）'],
  [
    /^an offer-plan-adjustment rule needs an offer: \{ kind, months \}$/,
    'offer-plan-adjustment 规则须给出方案：{ kind, months }',
  ],
  [/^only an offer-plan-adjustment rule has an offer$/, '只有 offer-plan-adjustment 规则才有方案'],
  [/^must list the facts shown as evidence \(at least one\)$/, '须列出作为证据展示的事实字段（至少一个）'],
  [/^(.*) is not a fact$/, '$1 不是事实字段'],
  [/^must give the reason in en and zh-CN$/, '须以 en 和 zh-CN 给出理由'],
  [/^must be \{ subject, body \}$/, '须为 { subject, body }'],
  [
    /^\{(.*)\} is not a placeholder; use \{document\} or \{dueDate\}$/,
    '{$1} 不是占位符；请用 {document} 或 {dueDate}',
  ],
  [/^must be a segment such as business-owner or freelancer$/, '须为客群，例如 business-owner 或 freelancer'],
  [/^a schedule for (.*) exists already$/, '$1 的复核安排已存在'],
  [/^must give en and zh-CN templates$/, '须给出 en 和 zh-CN 模板'],
  [/^must be a JSON object$/, '须为 JSON 对象'],
  [/^must be "lendguard\.early-warning"$/, '须为 "lendguard.early-warning"'],
  [/^must be 1$/, '须为 1'],
  [/^is not a field of the document \((.*)\)$/, '不是文档的字段（$1）'],
  [/^must list 1 to (\d+) rules$/, '须列出 1 至 $1 条规则'],
  [/^must list at most (\d+) schedules$/, '最多列出 $1 个复核安排'],
];

/** The Chinese of a rules document's issue, or undefined for a sentence this table does not know. */
export function documentIssueZh(english: string): string | undefined {
  for (const [shape, zh] of SHAPES) {
    if (shape.test(english)) return english.replace(shape, zh);
  }
  return undefined;
}
