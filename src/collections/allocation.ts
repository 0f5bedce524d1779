import type { Bucket } from '../ledger/index.js';
import { type Day, invariant } from '../money/index.js';

/**
 * Work allocation (分案): teams work stated buckets, each collector up to a capacity of open cases; cases are
 * placed so that collectors carry similar counts (relative to their capacity) and similar amounts, and a
 * collector's list is worked by priority — the expected recovery, overdue × probability of cure. Pure.
 */

/** Probability of cure by bucket when no behaviour score is known (basis points; convention, a setting). */
export const DEFAULT_CURE_BP_BY_BUCKET: Readonly<Record<Bucket, number>> = Object.freeze({
  M0: 9000,
  M1: 6000,
  M2: 3500,
  M3: 2000,
  M4: 1000,
  M5: 700,
  M6: 500,
  M7: 300,
});

/** A behaviour score's scaling: the odds of cure double every `pdo` points above `baseScore`. */
export const CURE_SCORE_SCALING = Object.freeze({ baseScore: 600, pdo: 50 });

/**
 * Probability of cure in basis points: the bucket's base odds, moved by the behaviour score when there is one
 * (odds × 2^((score − 600) / 50)), rounded half-up to a whole basis point within 1 … 9,999.
 */
export function cureProbability_bp(bucket: Bucket, behaviourScore: number | null): number {
  const base = DEFAULT_CURE_BP_BY_BUCKET[bucket];
  if (behaviourScore === null) return base;
  const odds =
    (base / (10_000 - base)) *
    2 ** ((behaviourScore - CURE_SCORE_SCALING.baseScore) / CURE_SCORE_SCALING.pdo);
  const p = Math.floor((odds / (1 + odds)) * 10_000 + 0.5);
  return Math.min(9_999, Math.max(1, p));
}

/** Expected recovery in fen: overdue × probability of cure, rounded down (a ranking, never booked). */
export function priorityMinor(overdueMinor: number, cure_bp: number): number {
  invariant(Number.isSafeInteger(overdueMinor) && overdueMinor >= 0, 'overdue must be whole fen');
  return Number((BigInt(overdueMinor) * BigInt(cure_bp)) / 10_000n);
}

export interface Team {
  readonly teamId: string;
  /** Buckets this team works. A bucket belongs to at most one team. */
  readonly buckets: readonly Bucket[];
  readonly collectors: readonly { readonly userId: string; readonly capacity: number }[];
}

export interface AllocatableCase {
  readonly caseId: string;
  readonly bucket: Bucket;
  readonly overdueMinor: number;
  readonly priorityMinor: number;
  readonly assignee: string | null;
  /** Cases placed with an agency are not allocated in-house. */
  readonly placedWithAgency: boolean;
}

export type AllocationReason = 'kept' | 'new' | 'team-changed' | 'over-capacity' | 'collector-left';

export interface Assignment {
  readonly caseId: string;
  readonly teamId: string | null;
  /** The collector, or null when the team had no capacity left (the case waits, unassigned). */
  readonly assignee: string | null;
  readonly reason: AllocationReason | 'no-capacity' | 'no-team';
}

export interface AllocationPlan {
  /** Cases whose assignee changes (kept ones are not listed). */
  readonly changes: readonly Assignment[];
  /** Per collector after allocation: count and amount. */
  readonly loads: readonly {
    readonly userId: string;
    readonly teamId: string;
    readonly capacity: number;
    readonly cases: number;
    readonly overdueMinor: number;
  }[];
  readonly kept: number;
  readonly unassigned: number;
}

interface Load {
  userId: string;
  teamId: string;
  capacity: number;
  cases: number;
  overdue: number;
}

/** Collector a is the better pick than b: less loaded relative to capacity, then less money, then id. */
function lighter(a: Load, b: Load): boolean {
  // Cross-multiplied so that the comparison is exact: a.cases / a.capacity vs b.cases / b.capacity.
  const l = a.cases * b.capacity;
  const r = b.cases * a.capacity;
  if (l !== r) return l < r;
  if (a.overdue !== b.overdue) return a.overdue < b.overdue;
  return a.userId < b.userId;
}

/**
 * Allocates the open cases to the teams' collectors. Re-assignment rules: a case stays with its collector
 * while the collector is in the team of its bucket and within capacity (continuity with the borrower);
 * it moves when its bucket moved to another team, when the collector left, or to bring a collector back
 * within capacity (their lowest-priority cases move first). New and moved cases are placed highest
 * priority first, each to the least-loaded collector with room (count relative to capacity, then amount).
 */
export function allocateCases(cases: readonly AllocatableCase[], teams: readonly Team[]): AllocationPlan {
  const teamOfBucket = new Map<Bucket, string>();
  const loads = new Map<string, Load>();
  const byTeam = new Map<string, Load[]>();
  for (const t of teams) {
    for (const b of t.buckets) {
      invariant(!teamOfBucket.has(b), () => `bucket ${b} belongs to two teams`);
      teamOfBucket.set(b, t.teamId);
    }
    const members: Load[] = [];
    for (const c of t.collectors) {
      invariant(Number.isSafeInteger(c.capacity) && c.capacity >= 0, 'capacity must be a whole number');
      invariant(!loads.has(c.userId), () => `collector ${c.userId} is in two teams`);
      const load = { userId: c.userId, teamId: t.teamId, capacity: c.capacity, cases: 0, overdue: 0 };
      loads.set(c.userId, load);
      members.push(load);
    }
    byTeam.set(t.teamId, members);
  }
  const ordered = [...cases]
    .filter((c) => !c.placedWithAgency)
    .sort((a, b) => b.priorityMinor - a.priorityMinor || (a.caseId < b.caseId ? -1 : 1));
  const toPlace: { c: AllocatableCase; reason: AllocationReason }[] = [];
  const keptByCollector = new Map<string, AllocatableCase[]>();
  for (const c of ordered) {
    const teamId = teamOfBucket.get(c.bucket);
    const current = c.assignee === null ? undefined : loads.get(c.assignee);
    if (c.assignee === null) toPlace.push({ c, reason: 'new' });
    else if (current === undefined) toPlace.push({ c, reason: 'collector-left' });
    else if (current.teamId !== teamId) toPlace.push({ c, reason: 'team-changed' });
    else {
      const list = keptByCollector.get(current.userId) ?? [];
      list.push(c);
      keptByCollector.set(current.userId, list);
    }
  }
  let kept = 0;
  for (const [userId, list] of keptByCollector) {
    const load = loads.get(userId)!;
    // Highest priority first, so the cases beyond capacity that move are the lowest-priority ones.
    list.forEach((c, i) => {
      if (i < load.capacity) {
        load.cases++;
        load.overdue += c.overdueMinor;
        kept++;
      } else toPlace.push({ c, reason: 'over-capacity' });
    });
  }
  toPlace.sort((a, b) => b.c.priorityMinor - a.c.priorityMinor || (a.c.caseId < b.c.caseId ? -1 : 1));
  const changes: Assignment[] = [];
  let unassigned = 0;
  for (const { c, reason } of toPlace) {
    const teamId = teamOfBucket.get(c.bucket) ?? null;
    let best: Load | undefined;
    for (const l of teamId === null ? [] : (byTeam.get(teamId) ?? [])) {
      if (l.cases >= l.capacity) continue;
      if (best === undefined || lighter(l, best)) best = l;
    }
    if (best === undefined) {
      unassigned++;
      if (c.assignee !== null || teamId === null)
        changes.push({
          caseId: c.caseId,
          teamId,
          assignee: null,
          reason: teamId === null ? 'no-team' : 'no-capacity',
        });
      continue;
    }
    best.cases++;
    best.overdue += c.overdueMinor;
    if (best.userId !== c.assignee) changes.push({ caseId: c.caseId, teamId, assignee: best.userId, reason });
  }
  return {
    changes,
    loads: [...loads.values()]
      .sort((a, b) => (a.userId < b.userId ? -1 : 1))
      .map((l) => ({
        userId: l.userId,
        teamId: l.teamId,
        capacity: l.capacity,
        cases: l.cases,
        overdueMinor: l.overdue,
      })),
    kept,
    unassigned,
  };
}

/** One entry of a collector's list as the ordering needs it. */
export interface WorklistEntry {
  readonly caseId: string;
  readonly priorityMinor: number;
  readonly nextActionDueDay: Day | null;
  /** Earliest pending promise's day, or null. */
  readonly nextPromiseDay: Day | null;
}

/**
 * Today's list order: first the cases whose promise falls due by today (check the payment, earliest promise
 * first), then the cases whose next action is due by today, then the rest; within each, highest priority
 * first, then the case id.
 */
export function worklistOrder(entries: readonly WorklistEntry[], day: Day): WorklistEntry[] {
  const group = (e: WorklistEntry) =>
    e.nextPromiseDay !== null && e.nextPromiseDay <= day
      ? 0
      : e.nextActionDueDay !== null && e.nextActionDueDay <= day
        ? 1
        : 2;
  return [...entries].sort(
    (a, b) =>
      group(a) - group(b) ||
      (group(a) === 0 ? (a.nextPromiseDay as number) - (b.nextPromiseDay as number) : 0) ||
      b.priorityMinor - a.priorityMinor ||
      (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0),
  );
}
