import { compiled } from './decide.js';
import { deriveMeasures } from './derived.js';
import { SEGMENT_OF } from './facts.js';
import { scoreApplication } from './models.js';
import { policyOutcome } from './outcome.js';
import type { CompiledPolicy } from './policy.js';
import type { Application, DecisionOutcome, ModelSet, PolicyRef } from './types.js';

/** One past application and, where known, what became of it (1 = went bad, 0 = good, null = unknown). */
export interface BacktestCase {
  readonly caseId: string;
  readonly application: Application;
  readonly bad: 0 | 1 | null;
}

export interface BacktestSegment {
  readonly segment: string;
  readonly cases: number;
  readonly approved: number;
  readonly referred: number;
  readonly approvalRate: number;
  /** Mean probability of bad (the champion model's PD) over approved cases; null when none approved. */
  readonly expectedBadRate: number | null;
  /** Share of approved cases with a known outcome that went bad; null without outcomes. */
  readonly observedBadRate: number | null;
  readonly approvedLimit_fen: number;
}

export interface BacktestSide {
  readonly policy: PolicyRef;
  readonly total: BacktestSegment;
  readonly bySegment: readonly BacktestSegment[];
}

export interface BacktestReport {
  readonly cases: number;
  /** The policy tested (`--policy`). */
  readonly policy: BacktestSide;
  /** The policy it is compared against (`--against`, usually the one in force). */
  readonly against?: BacktestSide;
  /** Cases whose outcome differs: `from` under the policy compared against, `to` under the policy tested. */
  readonly changed?: { readonly from: string; readonly to: string; readonly cases: number }[];
}

export interface BacktestOptions {
  readonly policy: CompiledPolicy;
  readonly against?: CompiledPolicy;
  readonly models: ModelSet;
  readonly businessTime: string;
}

interface CaseResult {
  readonly segment: string;
  readonly outcome: DecisionOutcome;
  readonly limit_fen: number;
  readonly probabilityBad: number;
  readonly bad: 0 | 1 | null;
}

const RATE_DECIMALS = 6;
const round = (x: number) => Math.round(x * 10 ** RATE_DECIMALS) / 10 ** RATE_DECIMALS;

function summarise(segment: string, rows: readonly CaseResult[]): BacktestSegment {
  const approved = rows.filter((r) => r.outcome === 'approve');
  const known = approved.filter((r) => r.bad !== null);
  return {
    segment,
    cases: rows.length,
    approved: approved.length,
    referred: rows.filter((r) => r.outcome === 'refer').length,
    approvalRate: rows.length ? round(approved.length / rows.length) : 0,
    expectedBadRate: approved.length
      ? round(approved.reduce((s, r) => s + r.probabilityBad, 0) / approved.length)
      : null,
    observedBadRate: known.length ? round(known.filter((r) => r.bad === 1).length / known.length) : null,
    approvedLimit_fen: approved.reduce((s, r) => s + r.limit_fen, 0),
  };
}

async function run(
  cases: readonly BacktestCase[],
  policy: CompiledPolicy,
  options: BacktestOptions,
): Promise<CaseResult[]> {
  const settings = policy.document.settings;
  const out: CaseResult[] = [];
  for (const c of cases) {
    const derived = deriveMeasures(c.application, settings, options.businessTime);
    const score = scoreApplication(options.models.champion, c.application, derived, settings);
    const result = await policyOutcome(policy, {
      application: c.application,
      derived,
      score,
      businessTime: options.businessTime,
      limitCaps: [],
      flags: [],
      blacklistHits: [],
      capAtRequest: true,
    });
    out.push({
      segment: SEGMENT_OF[c.application.employment.occupation],
      outcome: result.outcome,
      limit_fen: result.limit_fen,
      probabilityBad: score.probabilityBad,
      bad: c.bad,
    });
  }
  return out;
}

function side(policy: CompiledPolicy, results: readonly CaseResult[]): BacktestSide {
  const segments = [...new Set(results.map((r) => r.segment))].sort();
  return {
    policy: policy.ref,
    total: summarise('all', results),
    bySegment: segments.map((s) =>
      summarise(
        s,
        results.filter((r) => r.segment === s),
      ),
    ),
  };
}

/**
 * Runs a policy (and optionally the one it is compared against) over past applications: the policy's rules
 * only (no invitation, blacklist or 强开 checks, which need the history of the day). Approval rate, expected bad
 * rate (mean PD of the approved), observed bad rate where outcomes are known, and approved volume, by segment.
 */
export async function backtest(
  cases: readonly BacktestCase[],
  options: BacktestOptions,
): Promise<BacktestReport> {
  const current = await run(cases, compiled(options.policy), options);
  if (!options.against) return { cases: cases.length, policy: side(options.policy, current) };
  const against = await run(cases, compiled(options.against), options);
  const changes = new Map<string, number>();
  against.forEach((a, i) => {
    const c = current[i]!;
    if (a.outcome !== c.outcome)
      changes.set(`${a.outcome}→${c.outcome}`, (changes.get(`${a.outcome}→${c.outcome}`) ?? 0) + 1);
  });
  return {
    cases: cases.length,
    policy: side(options.policy, current),
    against: side(options.against, against),
    changed: [...changes.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => {
        const [from, to] = k.split('→') as [string, string];
        return { from, to, cases: n };
      }),
  };
}
