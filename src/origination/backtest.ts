import type { CompiledPolicy } from './policy.js';
import type { Application, ModelSet } from './types.js';

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
  readonly policy: { readonly policyId: string; readonly version: string; readonly documentHash: string };
  readonly total: BacktestSegment;
  readonly bySegment: readonly BacktestSegment[];
}

export interface BacktestReport {
  readonly current: BacktestSide;
  readonly against?: BacktestSide;
  /** Cases whose outcome differs between the two policies (approve → decline and so on). */
  readonly changed?: { readonly from: string; readonly to: string; readonly cases: number }[];
}

export interface BacktestOptions {
  readonly policy: CompiledPolicy;
  readonly against?: CompiledPolicy;
  readonly models: ModelSet;
  readonly businessTime: string;
}

/** Runs a policy (and optionally the one it is compared against) over past applications, without history. */
export async function backtest(
  _cases: readonly BacktestCase[],
  _options: BacktestOptions,
): Promise<BacktestReport> {
  throw new Error('not implemented yet');
}
