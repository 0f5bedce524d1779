import { type RunContext, simulateBorrower, type TraceRow } from './borrower-run.js';
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
  for (let i = part.from; i < part.to; i += 1) {
    const { borrower, rand } = drawBorrower(ctx.population, part.seed, part.replication, i);
    await simulateBorrower(ctx, borrower, rand, totals);
    onBorrower?.(i - part.from + 1);
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
