import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  closeDaysThrough,
  drawdown,
  type LoanState,
  loanPosition,
  openLine,
  parseProduct,
  principalOf,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  compileLineControls,
  DEFAULT_LINE_CONTROLS,
  evaluateLineControls,
  LineControlError,
  lineControlFactsOf,
  planLineControl,
  severest,
} from '../../src/monitoring/index.js';
import { parsePolicy } from '../../src/origination/index.js';

const D = parseDate('2026-01-05');
const product = parseProduct({
  method: 'equal-principal',
  termCount: 6,
  rate: { value: '0.0004', per: 'day' },
});

/** A line with one loan of ¥10,000 drawn on D, its days closed through `day` and nothing repaid. */
function lineWithLoanOn(day: number) {
  const open = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 8_000_000, day: D }).line;
  const drawn = drawdown(open, { loanId: 'L-1', product, principalMinor: 1_000_000, day: D });
  const loan: LoanState = day > D ? closeDaysThrough(drawn.loan.state, day).state : drawn.loan.state;
  return { line: drawn.line, loan };
}

describe('line controls (额度管控)', () => {
  const controls = compileLineControls(DEFAULT_LINE_CONTROLS);
  const firstDue = lineWithLoanOn(D).loan.plan[0]!.dueDay;

  it('the shipped default: bucket × action, with the reason', async () => {
    // Days after the first due day (nothing paid) → worst bucket, action, code.
    const table: [number, string, string, string][] = [
      [-5, 'M0', 'none', 'LC_CURRENT'],
      [1, 'M1', 'freeze', 'LC_PAST_DUE_FREEZE'],
      [45, 'M2', 'freeze', 'LC_PAST_DUE_FREEZE'],
      [75, 'M3', 'cut', 'LC_M3_CUT'],
      [139, 'M5', 'cut', 'LC_M3_CUT'],
      [200, 'M7', 'close', 'LC_M7_CLOSE'],
    ];
    const seen: [number, string, string, string][] = [];
    for (const [after] of table) {
      const { line, loan } = lineWithLoanOn(firstDue + after);
      const facts = lineControlFactsOf(line, [loan]);
      const decision = await evaluateLineControls(controls, facts);
      seen.push([after, facts.worstBucket, decision.action, decision.code]);
      expect(decision.reason.length).toBeGreaterThan(10);
    }
    expect(seen).toEqual(table);
  });

  it('the facts and the line principal are the same from positions worked out by the caller', () => {
    for (const after of [-5, 1, 45, 75, 139, 200]) {
      const { line, loan } = lineWithLoanOn(firstDue + after);
      const position = loanPosition(loan);
      expect(lineControlFactsOf(line, [loan], [position])).toEqual(lineControlFactsOf(line, [loan]));
      expect(principalOf(loan, position)).toBe(principalOf(loan));
    }
  });

  it('plans: freeze, cut to the outstanding, close; unfreeze on cure only what the controls froze', async () => {
    const { line, loan } = lineWithLoanOn(firstDue + 139);
    const decision = await evaluateLineControls(controls, lineControlFactsOf(line, [loan]));
    const cut = planLineControl(line, decision, false, firstDue + 139);
    expect(cut.line.status).toBe('frozen');
    expect(cut.line.limitMinor).toBe(line.usedMinor);
    expect(cut.changes.map((c) => [c.kind, c.fromLimitMinor, c.toLimitMinor, c.toStatus])).toEqual([
      ['limit-changed', 8_000_000, 1_000_000, 'active'],
      ['frozen', 1_000_000, 1_000_000, 'frozen'],
    ]);
    const cured = {
      action: 'none',
      code: 'LC_CURRENT',
      reason: 'no instalment on the line is past due',
    } as const;
    const unfrozen = planLineControl(cut.line, cured, true, firstDue + 140);
    expect(unfrozen.line.status).toBe('active');
    expect(unfrozen.line.limitMinor).toBe(1_000_000);
    expect(unfrozen.changes[0]!.reason).toMatch(/^cured/);
    // An operator's freeze is not lifted by the controls.
    expect(planLineControl(cut.line, cured, false, firstDue + 140).events).toEqual([]);
    const again = planLineControl(cut.line, decision, true, firstDue + 141);
    expect(again.events).toEqual([]);
    const closed = planLineControl(
      cut.line,
      { action: 'close', code: 'X', reason: 'r' },
      true,
      firstDue + 200,
    );
    expect(closed.line.status).toBe('closed');
    expect(planLineControl(closed.line, cured, true, firstDue + 201).events).toEqual([]);
  });

  it('the most severe decision wins', () => {
    const d = (action: 'none' | 'freeze' | 'cut' | 'close') => ({ action, code: action, reason: action });
    expect(severest([d('freeze'), d('close'), d('none')]).action).toBe('close');
    expect(severest([d('none')]).code).toBe('none');
    expect(severest([]).action).toBe('none');
  });

  it('the shipped policy file holds the same table, and the policy accepts it', () => {
    const file = JSON.parse(readFileSync('policies/default/linecontrols.json', 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(DEFAULT_LINE_CONTROLS)));
    const policy = JSON.parse(readFileSync('policies/default/policy.json', 'utf8'));
    for (const [name, ref] of Object.entries(policy.graphs as Record<string, string>))
      policy.graphs[name] = JSON.parse(readFileSync(`policies/default/${ref}`, 'utf8'));
    expect(parsePolicy(policy).graphs.lineControls).toEqual(file);
  });

  it('bad policy data gets a clear error naming the field', () => {
    const bad = JSON.parse(JSON.stringify(DEFAULT_LINE_CONTROLS));
    bad.nodes[1].content.rules[0].out1 = '"suspend"';
    bad.nodes[1].content.hitPolicy = 'collect';
    let error: unknown;
    try {
      compileLineControls(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LineControlError);
    const issues = (error as LineControlError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'graphs.lineControls.nodes[1].content.hitPolicy: is "collect"; a line-control table gives one action: use "first"',
      expect.stringMatching(
        /^graphs\.lineControls\.nodes\[1\]\.content\.rules\[0\]\.out1: action is "\\"suspend\\""/,
      ),
    ]);
    expect(() => compileLineControls({ nodes: 'x' })).toThrow(/must be a JDM decision graph/);
    const noOutput = JSON.parse(JSON.stringify(DEFAULT_LINE_CONTROLS));
    noOutput.nodes[1].content.outputs.pop();
    expect(() => compileLineControls(noOutput)).toThrow(/has no "reason" output/);
  });
});
