import type { ZenDecision } from '@gorules/zen-engine';
import { type Bucket, bucketRank } from '../ledger/index.js';
import { addDays, type Day, invariant } from '../money/index.js';
import { compileRuleTables, evaluateRuleTables, type JdmGraph, unquoteCell } from '../origination/index.js';
import type { AssessmentVerdict } from './assessment.js';

/**
 * Collection strategies (催收策略) as data: a GoRules decision graph a risk analyst edits and versions reads
 * the facts of a case (bucket, amounts, behaviour score, the ability/willingness assessment, vulnerability,
 * an open complaint, promise history) and gives the case's next step: an action with its code, reason and
 * how many days from the refresh it is due. Pure: the compiled graph and the facts come in.
 */
export const STRATEGY_ACTIONS = [
  'reminder',
  'call',
  'letter',
  'negotiation-offer',
  'agency-placement',
  'legal-review',
  'hold',
] as const;
export type StrategyAction = (typeof STRATEGY_ACTIONS)[number];

/** Channels a `reminder` step may name. */
export const STRATEGY_REMINDER_CHANNELS = ['sms', 'app', 'email'] as const;
export type StrategyReminderChannel = (typeof STRATEGY_REMINDER_CHANNELS)[number];

/** Days a step may be set ahead (a named bound). */
export const STRATEGY_DUE_IN_DAYS_MAX = 30;

/** What a strategy graph sees (docs/collections.md lists each field). Money in yuan as numbers. */
export interface StrategyFacts {
  readonly bucket: Bucket;
  /** 1 for M1 … 7 for M7. */
  readonly bucketRank: number;
  readonly maxDaysPastDue: number;
  /** Overdue amount (principal, interest, fees, penalty), yuan. */
  readonly overdue: number;
  /** Everything owed on the borrower's loans, yuan. */
  readonly totalOwed: number;
  /** Behaviour score, or null while none is computed for the borrower. */
  readonly behaviourScore: number | null;
  /** The effective assessment (a person's override when there is one). */
  readonly assessment: AssessmentVerdict;
  /** True when any vulnerability is recorded (illness, disaster, an industry on the shock list). */
  readonly vulnerable: boolean;
  readonly vulnerabilities: readonly string[];
  readonly complaintOpen: boolean;
  readonly lostContact: boolean;
  readonly promisesBroken: number;
  readonly promisesKept: number;
  /** Days since the case opened. */
  readonly daysInCase: number;
}

export interface StrategyStep {
  readonly action: StrategyAction;
  /** The reminder channel of a `reminder` step; null otherwise. */
  readonly channel: StrategyReminderChannel | null;
  /** The rule's code, e.g. CS_M2_CALL: the case's step. */
  readonly code: string;
  readonly reason: string;
  /** Days after the refresh day the action is due (0 = that day). */
  readonly dueInDays: number;
}

/** A strategy graph that cannot be used, with each problem by path. */
export class StrategyError extends Error {
  constructor(
    readonly code: 'strategy_invalid' | 'strategy_evaluation_failed',
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'StrategyError';
  }
}

export interface CompiledStrategy {
  readonly graph: JdmGraph;
  /** @internal */
  readonly decision: ZenDecision;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a strategy graph: a JDM graph whose decision tables use the `first` hit policy and give `action`
 * (one of STRATEGY_ACTIONS), `code`, `reason` and `dueInDays` (`channel` for reminders); loads it.
 */
export function compileStrategy(graph: unknown, path = 'strategy'): CompiledStrategy {
  return compileRuleTables(
    graph,
    path,
    {
      invalid: 'the strategy is invalid',
      outputs: ['action', 'code', 'reason', 'dueInDays'],
      noTable: 'holds no decision table; add one giving the action',
      onePerHit: 'a strategy table gives one step',
      checkRule: (rule, issues) => {
        const actionId = rule.idOf('action');
        if (actionId === undefined) return;
        const action = unquoteCell(rule.cell('action'));
        if (!STRATEGY_ACTIONS.includes(action as StrategyAction))
          issues.push({
            path: `${rule.path}.${actionId}`,
            message: `action is ${JSON.stringify(action)}; give one of ${STRATEGY_ACTIONS.join(', ')} (quoted)`,
          });
        if (action === 'reminder') {
          const channel = unquoteCell(rule.cell('channel'));
          if (!STRATEGY_REMINDER_CHANNELS.includes(channel as StrategyReminderChannel))
            issues.push({
              path: rule.path,
              message: `a reminder names its channel: one of ${STRATEGY_REMINDER_CHANNELS.join(', ')} (quoted) in a "channel" output`,
            });
        }
      },
    },
    (message, issues) => {
      throw new StrategyError('strategy_invalid', message, issues);
    },
  );
}

const NO_RULE: StrategyStep = {
  action: 'call',
  channel: null,
  code: 'CS_NO_RULE',
  reason: 'no strategy rule applies: a collector calls',
  dueInDays: 0,
};

/** Evaluates the strategy on a case's facts. No rule firing means a call the same day. */
export async function evaluateStrategy(
  strategy: CompiledStrategy,
  facts: StrategyFacts,
): Promise<StrategyStep> {
  const result = await evaluateRuleTables(strategy.decision, facts, (message) => {
    throw new StrategyError('strategy_evaluation_failed', `the strategy failed: ${message}`);
  });
  if (result === undefined) return NO_RULE;
  const action = result.action as StrategyAction;
  if (!STRATEGY_ACTIONS.includes(action))
    throw new StrategyError(
      'strategy_evaluation_failed',
      `the strategy gave action ${JSON.stringify(result.action)}; expected one of ${STRATEGY_ACTIONS.join(', ')}`,
    );
  const due = Number(result.dueInDays ?? 0);
  if (!Number.isSafeInteger(due) || due < 0 || due > STRATEGY_DUE_IN_DAYS_MAX)
    throw new StrategyError(
      'strategy_evaluation_failed',
      `the strategy gave dueInDays ${JSON.stringify(result.dueInDays)}; expected a whole number 0 … ${STRATEGY_DUE_IN_DAYS_MAX}`,
    );
  const channel =
    action === 'reminder' ? ((result.channel as StrategyReminderChannel | undefined) ?? 'sms') : null;
  return {
    action,
    channel,
    code: typeof result.code === 'string' ? result.code : action,
    reason: typeof result.reason === 'string' ? result.reason : action,
    dueInDays: due,
  };
}

/** Every field of StrategyFacts, in a fixed order (the order of a memo's key). */
const STRATEGY_FACT_FIELDS = [
  'bucket',
  'bucketRank',
  'maxDaysPastDue',
  'overdue',
  'totalOwed',
  'behaviourScore',
  'assessment',
  'vulnerable',
  'vulnerabilities',
  'complaintOpen',
  'lostContact',
  'promisesBroken',
  'promisesKept',
  'daysInCase',
] as const satisfies readonly (keyof StrategyFacts)[];

/** Node types whose expressions name the facts they read (anything else may read the whole input). */
const NODES_NAMING_THEIR_FACTS = new Set([
  'inputNode',
  'outputNode',
  'decisionTableNode',
  'expressionNode',
  'switchNode',
]);

function stringsIn(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (isObj(value)) for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/**
 * The facts a strategy graph may read: a fact counts as read when its name appears as a word anywhere in a
 * node's content (its fields, cells, expressions, even inside quoted text), so the set can only be too
 * large, never too small. A graph with a node that can read its whole input without naming fields (a
 * function, a sub-decision, `$root`, a `$` outside a decision table's cells, a column without a field)
 * reads every fact.
 */
export function strategyFactsRead(graph: unknown): readonly (keyof StrategyFacts)[] {
  const nodes = isObj(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
  const words = new Set<string>();
  for (const node of nodes) {
    if (!isObj(node) || !NODES_NAMING_THEIR_FACTS.has(String(node.type))) return STRATEGY_FACT_FIELDS;
    const content = isObj(node.content) ? node.content : {};
    if (node.type === 'decisionTableNode') {
      const inputs = Array.isArray(content.inputs) ? content.inputs : [];
      if (inputs.some((i) => !isObj(i) || typeof i.field !== 'string' || i.field.trim() === ''))
        return STRATEGY_FACT_FIELDS;
    }
    for (const text of stringsIn(content, [])) {
      // `$` alone is the column's value in a decision table's cell; elsewhere it may be the whole context.
      if (/\$root|\$nodes/.test(text) || (node.type !== 'decisionTableNode' && /\$(?![\w$])/.test(text)))
        return STRATEGY_FACT_FIELDS;
      for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) words.add(w);
    }
  }
  return STRATEGY_FACT_FIELDS.filter((f) => words.has(f));
}

/** A cell that compares its column's value with number constants only: `>= 3`, `< 500`, `[1..3]`, `2, 4`, `!= 0`. */
const CONSTANT_COMPARISON = /^(?:\s|-?\d+(?:\.\d+)?|>=|<=|==|!=|>|<|\.\.|[[\](),])*$/;
const NUMBER_CONSTANT = /-?\d+(?:\.\d+)?/g;

/**
 * The constants a numeric fact is compared with, when that is all the graph does with it: the fact is a
 * decision-table column's field, every cell of its columns compares with number constants only, and it is
 * named nowhere else (not in another cell, an output, an expression or a switch). Null otherwise.
 */
function comparedOnlyWithConstants(nodes: readonly unknown[], fact: string): number[] | null {
  const word = new RegExp(`(?<![A-Za-z0-9_$])${fact}(?![A-Za-z0-9_])`);
  const constants = new Set<number>();
  let column = false;
  for (const node of nodes) {
    if (!isObj(node)) return null;
    const content = isObj(node.content) ? node.content : {};
    if (node.type !== 'decisionTableNode') {
      if (stringsIn(content, []).some((t) => word.test(t))) return null;
      continue;
    }
    const inputs = Array.isArray(content.inputs) ? content.inputs.filter(isObj) : [];
    const own = new Set(inputs.filter((i) => i.field === fact).map((i) => String(i.id)));
    for (const input of inputs)
      if (!own.has(String(input.id)) && stringsIn(input, []).some((t) => word.test(t))) return null;
    for (const output of Array.isArray(content.outputs) ? content.outputs : [])
      if (stringsIn(output, []).some((t) => word.test(t))) return null;
    for (const rule of Array.isArray(content.rules) ? content.rules : []) {
      if (!isObj(rule)) return null;
      for (const [cell, value] of Object.entries(rule)) {
        const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
        if (own.has(cell)) {
          if (!CONSTANT_COMPARISON.test(text)) return null;
          for (const c of text.match(NUMBER_CONSTANT) ?? []) constants.add(Number(c));
        } else if (cell !== '_id' && word.test(text)) return null;
      }
    }
    if (own.size > 0) column = true;
  }
  return column ? [...constants].sort((a, b) => a - b) : null;
}

/**
 * A number's place among sorted constants: how many lie below it, and whether it equals the next. Two numbers
 * with the same place compare alike (<, <=, ==, >=, >) with every constant, so every cell made only of such
 * comparisons treats them alike.
 */
function placeAmong(constants: readonly number[], x: number): string {
  let lo = 0;
  let hi = constants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (constants[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return constants[lo] === x ? `${lo}=` : String(lo);
}

/**
 * The key under which two cases get the same step from a strategy graph: the facts it reads (strategyFactsRead),
 * each as its exact value — except a number the graph only compares with constants, which is keyed by its
 * place among those constants (placeAmong). The rules engine sees the same outcome of every comparison for
 * two numbers with the same place, so it gives them the same step: an exact key, not a rounding; it lets an
 * overdue amount of ¥1,234.56 and one of ¥2,345.67 share an evaluation when every rule only asks `< 500`.
 */
export function strategyFactKey(graph: unknown): (facts: StrategyFacts) => string {
  const read = strategyFactsRead(graph);
  const nodes = isObj(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
  const places = read.map((f) => comparedOnlyWithConstants(nodes, f));
  return (facts) => {
    let key = '';
    for (let i = 0; i < read.length; i += 1) {
      const v = facts[read[i]!];
      const constants = places[i];
      // An array (the vulnerabilities) as JSON; every other fact is a string, number, boolean or null.
      const text =
        constants !== null && constants !== undefined && typeof v === 'number' && Number.isFinite(v)
          ? `#${placeAmong(constants, v)}`
          : Array.isArray(v)
            ? JSON.stringify(v)
            : typeof v === 'string'
              ? JSON.stringify(v)
              : String(v);
      key += i === 0 ? text : `|${text}`;
    }
    return key;
  };
}

/**
 * Evaluates a strategy once for each distinct key of the facts it reads (strategyFactKey), for a run over many
 * cases (the case refresh): two cases with the same key get the same step, as a direct evaluation would give
 * them, since the rules engine sees nothing else. Holds its answers for the life of the function it returns.
 */
export function memoisedStrategy(
  strategy: CompiledStrategy,
): (facts: StrategyFacts) => Promise<StrategyStep> {
  const keyOf = strategyFactKey(strategy.graph);
  const steps = new Map<string, Promise<StrategyStep>>();
  return (facts) => {
    const key = keyOf(facts);
    let step = steps.get(key);
    if (step === undefined) {
      step = evaluateStrategy(strategy, facts);
      steps.set(key, step);
    }
    return step;
  };
}

/** The facts a strategy sees, from the case's figures and what is known of the borrower. */
export function strategyFacts(input: {
  readonly bucket: Bucket;
  readonly maxDaysPastDue: number;
  readonly overdueMinor: number;
  readonly totalOwedMinor: number;
  readonly behaviourScore: number | null;
  readonly assessment: AssessmentVerdict;
  readonly vulnerabilities: readonly string[];
  readonly complaintOpen: boolean;
  readonly lostContact: boolean;
  readonly promisesBroken: number;
  readonly promisesKept: number;
  readonly openedDay: Day;
  readonly day: Day;
}): StrategyFacts {
  return {
    bucket: input.bucket,
    bucketRank: bucketRank(input.bucket),
    maxDaysPastDue: input.maxDaysPastDue,
    // Yuan for the analyst's tables; an exact fen amount divided once for reading, never stored.
    overdue: input.overdueMinor / 100,
    totalOwed: input.totalOwedMinor / 100,
    behaviourScore: input.behaviourScore,
    assessment: input.assessment,
    vulnerable: input.vulnerabilities.length > 0,
    vulnerabilities: [...input.vulnerabilities],
    complaintOpen: input.complaintOpen,
    lostContact: input.lostContact,
    promisesBroken: input.promisesBroken,
    promisesKept: input.promisesKept,
    daysInCase: Math.max(0, input.day - input.openedDay),
  };
}

/** The next action of a case and the day it is due. */
export function nextActionDue(step: StrategyStep, day: Day): Day {
  return addDays(day, step.dueInDays);
}

// ---------------------------------------------------------------------------------------------------------
// Champion / challenger

export type StrategyArm = 'champion' | 'challenger';

/** Basis points of cases the challenger works (0 … 10,000). */
export const STRATEGY_SHARE_BP_MAX = 10_000;

/** FNV-1a (32-bit) of a string: a stable hash, the same on every machine and run. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The arm of a case: deterministic by a hash of its id, so a case stays in its arm for life and the split
 * can be reproduced. `challengerShare_bp` of 10,000 cases go to the challenger.
 */
export function strategyArmOf(caseId: string, challengerShare_bp: number): StrategyArm {
  invariant(
    Number.isSafeInteger(challengerShare_bp) &&
      challengerShare_bp >= 0 &&
      challengerShare_bp <= STRATEGY_SHARE_BP_MAX,
    'challengerShare_bp must be a whole number 0 … 10000',
  );
  return fnv1a32(caseId) % STRATEGY_SHARE_BP_MAX < challengerShare_bp ? 'challenger' : 'champion';
}

/** One case's results, as the comparison of arms needs them. */
export interface ArmCaseResult {
  readonly arm: StrategyArm;
  readonly status: 'open' | 'closed';
  readonly closeReason: string | null;
  /** Overdue when the case opened, fen. */
  readonly openingOverdueMinor: number;
  /** Repaid on the borrower's loans since the case opened, fen. */
  readonly recoveredMinor: number;
  readonly promisesKept: number;
  readonly promisesBroken: number;
}

export interface ArmResults {
  readonly arm: StrategyArm;
  readonly cases: number;
  readonly cured: number;
  /** Cured ÷ cases, as a decimal string to 4 places (null with no cases). */
  readonly cureRate: string | null;
  readonly recoveredMinor: number;
  readonly openingOverdueMinor: number;
  /** Recovered ÷ overdue at opening (4 places), null when nothing was overdue. */
  readonly recoveryRate: string | null;
  readonly promisesKept: number;
  readonly promisesDecided: number;
  /** Kept ÷ decided promises (4 places), null with none decided. */
  readonly promiseKeptRate: string | null;
}

/** A ratio of whole numbers as a decimal string to 4 places, rounded half-up; null when the base is 0. */
export function ratio4(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  const scaled = (BigInt(numerator) * 20000n + BigInt(denominator)) / (2n * BigInt(denominator));
  const whole = scaled / 10000n;
  const frac = (scaled % 10000n).toString().padStart(4, '0');
  return `${whole}.${frac}`;
}

/** Champion against challenger: cure rate, amounts recovered and promises kept per arm. */
export function compareArms(cases: readonly ArmCaseResult[]): readonly ArmResults[] {
  return (['champion', 'challenger'] as const).map((arm) => {
    let n = 0;
    let cured = 0;
    let recovered = 0;
    let opening = 0;
    let kept = 0;
    let decided = 0;
    for (const c of cases) {
      if (c.arm !== arm) continue;
      n++;
      // Resolved without loss: back on schedule, paid off, or a restructured plan kept through observation.
      if (
        c.status === 'closed' &&
        (c.closeReason === 'cured' || c.closeReason === 'paid-off' || c.closeReason === 'restructuring-kept')
      )
        cured++;
      recovered += c.recoveredMinor;
      opening += c.openingOverdueMinor;
      kept += c.promisesKept;
      decided += c.promisesKept + c.promisesBroken;
    }
    invariant(Number.isSafeInteger(recovered) && Number.isSafeInteger(opening), 'arm amounts overflow');
    return {
      arm,
      cases: n,
      cured,
      cureRate: ratio4(cured, n),
      recoveredMinor: recovered,
      openingOverdueMinor: opening,
      recoveryRate: ratio4(recovered, opening),
      promisesKept: kept,
      promisesDecided: decided,
      promiseKeptRate: ratio4(kept, decided),
    };
  });
}
