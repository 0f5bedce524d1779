import { evaluateExpressionSync } from '@gorules/zen-engine';
import type { Day } from '../../money/index.js';
import type {
  EarlyWarningDocument,
  PlanOffer,
  SignalAction,
  SignalRule,
  SignalSeverity,
} from './document.js';
import type { SignalFacts } from './facts.js';

/** A rule that fires on a customer's facts, with the facts it names as evidence. */
export interface SignalHit {
  readonly code: string;
  readonly kind: string;
  readonly severity: SignalSeverity;
  readonly queue: string;
  readonly action: SignalAction;
  readonly offer: PlanOffer | null;
  readonly reason: { readonly en: string; readonly 'zh-CN': string };
  readonly evidence: Readonly<Record<string, number | string | boolean | null>>;
}

function fires(rule: SignalRule, facts: SignalFacts): boolean {
  try {
    return evaluateExpressionSync(rule.when, facts) === true;
  } catch {
    // A comparison with a fact nobody has figures for (null) is no evidence: the rule does not fire.
    return false;
  }
}

/** Every rule of the document that fires on the facts, in the document's order. */
export function evaluateSignals(document: EarlyWarningDocument, facts: SignalFacts): SignalHit[] {
  const hits: SignalHit[] = [];
  for (const rule of document.rules) {
    if (!fires(rule, facts)) continue;
    const evidence: Record<string, number | string | boolean | null> = {};
    for (const name of rule.evidence) evidence[name] = facts[name];
    hits.push({
      code: rule.code,
      kind: rule.kind,
      severity: rule.severity,
      queue: rule.queue,
      action: rule.action,
      offer: rule.offer ?? null,
      reason: rule.reason,
      evidence,
    });
  }
  return hits;
}

export const SIGNAL_STATUSES = ['open', 'acknowledged', 'resolved', 'cleared'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** A customer's signal as stored: what the planner compares new hits with. */
export interface KnownSignal {
  readonly signalId: string;
  readonly code: string;
  readonly status: SignalStatus;
  readonly evidenceKey: string;
}

/** What an evaluation changes: signals to raise, live ones whose evidence moved, live ones no rule supports. */
export interface SignalPlan {
  readonly raise: readonly (SignalHit & { readonly evidenceKey: string })[];
  readonly refresh: readonly {
    readonly signalId: string;
    readonly hit: SignalHit;
    readonly evidenceKey: string;
  }[];
  readonly clear: readonly string[];
  readonly day: Day;
}

/** The evidence in a canonical text: the same facts give the same key. */
export function evidenceKeyOf(evidence: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(evidence)
      .sort()
      .map((k) => [k, evidence[k]]),
  );
}

const live = (s: KnownSignal) => s.status === 'open' || s.status === 'acknowledged';

/**
 * A signal is kept per customer and code while it is live (open or acknowledged): a rule firing again
 * refreshes its evidence, a rule no longer firing clears it. A signal a person resolved is not raised again
 * on the same evidence; new evidence raises a new one.
 */
export function planSignals(known: readonly KnownSignal[], hits: readonly SignalHit[], day: Day): SignalPlan {
  const raise: (SignalHit & { evidenceKey: string })[] = [];
  const refresh: { signalId: string; hit: SignalHit; evidenceKey: string }[] = [];
  const firing = new Set(hits.map((h) => h.code));
  for (const hit of hits) {
    const evidenceKey = evidenceKeyOf(hit.evidence);
    const current = known.find((s) => s.code === hit.code && live(s));
    if (current !== undefined) {
      if (current.evidenceKey !== evidenceKey) refresh.push({ signalId: current.signalId, hit, evidenceKey });
      continue;
    }
    const settled = known.some((s) => s.code === hit.code && !live(s) && s.evidenceKey === evidenceKey);
    if (!settled) raise.push({ ...hit, evidenceKey });
  }
  const clear = known.filter((s) => live(s) && !firing.has(s.code)).map((s) => s.signalId);
  return { raise, refresh, clear, day };
}
