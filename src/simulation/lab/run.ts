import { decideBorrower, type RunContext, simulateBorrower, type TraceRow } from './borrower-run.js';

/** Borrowers whose applications are decided together. */
const DECISION_BATCH = 16;

import { archetypes, drawBorrower } from './borrowers.js';
import { emptyTotals, type Totals } from './totals.js';

/**
 * A part of a run: borrowers [from, to) of one replication under one strategy. Parts add up (addTotals) to
 * the same totals however the run is split, because each borrower's draws depend only on the seed, the
 * replication and the borrower's number.
 */
export interface RunPart {
  readonly seed: number;
  readonly replication: number;
  readonly from: number;
  readonly to: number;
}

export async function runPart(
  ctx: RunContext,
  part: RunPart,
  onBorrower?: (done: number) => void,
): Promise<Totals> {
  const totals = emptyTotals(ctx.months, ctx.population.applicationMonths);
  // Applications are decided a batch at a time (the rules engine evaluates off the JavaScript thread, so
  // decisions side by side overlap), then each borrower is simulated in order with its own generator.
  for (let from = part.from; from < part.to; from += DECISION_BATCH) {
    const drawn = [];
    for (let i = from; i < Math.min(part.to, from + DECISION_BATCH); i += 1)
      drawn.push(drawBorrower(ctx.population, part.seed, part.replication, i));
    const decisions = await Promise.all(drawn.map((d) => decideBorrower(ctx, d.borrower)));
    for (let k = 0; k < drawn.length; k += 1) {
      await simulateBorrower(ctx, drawn[k]!.borrower, drawn[k]!.rand, totals, false, decisions[k]);
      onBorrower?.(from + k - part.from + 1);
    }
  }
  return totals;
}

export interface ArchetypeTrace {
  readonly name: string;
  readonly description: string;
  readonly rows: readonly TraceRow[];
}

const DESCRIPTIONS: Record<string, string> = {
  张三: 'start-up founder without statements; the business fails in month 6',
  李四: 'restaurant owner (catering, with statements); exposed to any closure of catering',
  王五: 'salaried in manufacturing; income falls to 60 % in month 5',
};

/** The three archetypes month by month (their own generators, seeded from the run's seed). */
export async function traceArchetypes(ctx: RunContext, seed: number): Promise<ArchetypeTrace[]> {
  const out: ArchetypeTrace[] = [];
  for (const b of archetypes(ctx.population)) {
    const { rand } = drawBorrower(ctx.population, seed, -1, b.index);
    const totals = emptyTotals(ctx.months, ctx.population.applicationMonths);
    const rows = await simulateBorrower(ctx, b, rand, totals, true);
    out.push({ name: b.name, description: DESCRIPTIONS[b.name] ?? '', rows });
  }
  return out;
}
