import { addMonths, type Day } from '../../money/index.js';
import {
  buildEclModel,
  type EclExposure,
  type Ifrs9Stage,
  MARKOV_STATES,
  measureStagedExposure,
  type Workout,
} from '../../reporting/index.js';
import type { LabEcl } from './strategy.js';
import { CHAIN_STATES, type Totals } from './totals.js';

/**
 * The lab's ECL month by month, measured by the reporting core (docs/ecl.md) on the simulated book: at each
 * month end the model is built as `report ecl` builds it — the transition matrices from the book's own chain
 * over the last 12 month-end transitions, the LGD from the book's workouts complete 180 days before, the
 * scenario pack with its weights and the model settings (the strategy's lender settings, if any) — and every
 * exposure is staged and measured by the core. Exposures that share every parameter the measurement reads
 * (kind, segment, bucket, stage, the PD's horizon, rate, occupation, industry) are measured together, their
 * balances summed: one rounding to the fen per group rather than per loan (at most half a fen per loan).
 */

/** The product every lab loan is drawn under (the default product at the decision's rate and term): its segment. */
export const LAB_PRODUCT = 'default';

/** Transitions the chain is estimated on at a month end: the 12 ending there (the product's observation window). */
export const CHAIN_WINDOW = 12;

/** The separator of an exposure key's parts (kind, segment, bucket, stage, horizon, rate, occupation, industry). */
export const KEY_SEPARATOR = '|';

/** The reporting day of the lab's month m (1-based): the month end of a borrower whose cycle day is the 1st. */
export function labMonthEnd(startDay: Day, m: number): Day {
  return addMonths(startDay, m) - 1;
}

/** The workouts read from totals, their recoveries up to `asOf`. */
function workoutsAsOf(flat: readonly number[], asOf: Day): Workout[] {
  const out: Workout[] = [];
  let i = 0;
  let n = 0;
  while (i < flat.length) {
    const defaultDay = flat[i]!;
    const ead = flat[i + 1]!;
    const rate = flat[i + 2]! / 1_000_000;
    const count = flat[i + 3]!;
    const recoveries: { day: Day; amountMinor: number }[] = [];
    for (let k = 0; k < count; k += 1) {
      const day = flat[i + 4 + 2 * k]!;
      if (day <= asOf) recoveries.push({ day, amountMinor: flat[i + 5 + 2 * k]! });
    }
    i += 4 + 2 * count;
    n += 1;
    if (defaultDay <= asOf)
      out.push({
        loanId: `w${n}`,
        segment: LAB_PRODUCT,
        defaultDay,
        eadAtDefaultMinor: ead,
        recoveries,
        annualRate: rate,
      });
  }
  return out;
}

interface Cell {
  readonly exposure: EclExposure;
  readonly stage: Ifrs9Stage;
  readonly balances: readonly number[];
}

function cellsOf(t: Totals, ecl: LabEcl): Cell[] {
  return [...t.exposures.keys()].sort().map((key) => {
    const [kind, segment, bucket, stage, horizon, rate, occupation, industry] = key.split(KEY_SEPARATOR);
    // The key holds the PD's horizon (horizonOf); a drawn loan's remaining months that give it back.
    const months = kind === 'undrawn' ? 1 : Number(horizon) - ecl.settings.defaultAfterMaturityMonths;
    return {
      exposure: {
        exposureId: key,
        kind: kind === 'undrawn' ? 'undrawn' : 'drawn',
        customerId: '',
        lineId: '',
        segment: segment!,
        balanceMinor: 0,
        bucket: bucket!,
        staging: { daysPastDue: 0 },
        remainingMonths: Number(months),
        annualRate: rate!,
        borrower: {
          occupation: occupation === '' ? null : occupation!,
          industry: industry === '' ? null : industry!,
        },
      },
      stage: Number(stage) as Ifrs9Stage,
      balances: t.exposures.get(key)!,
    };
  });
}

/** The ECL (fen) at each month end of the run, from one replication's totals. */
export function eclByMonth(t: Totals, ecl: LabEcl, startDay: Day): number[] {
  const cells = cellsOf(t, ecl);
  const segments = [...new Set(cells.map((c) => c.exposure.segment).filter((s) => s !== '*'))].sort();
  const n = CHAIN_STATES;
  const out: number[] = [];
  for (let m = 0; m < t.months; m += 1) {
    if (!cells.some((c) => c.balances[m]! > 0)) {
      out.push(0);
      continue;
    }
    const asOf = labMonthEnd(startDay, m + 1);
    const counts = new Map<string, number[][]>();
    for (const [segment, chain] of Object.entries(t.chain)) {
      const c = MARKOV_STATES.map(() => MARKOV_STATES.map(() => 0));
      for (let k = Math.max(0, m - CHAIN_WINDOW + 1); k <= m; k += 1)
        for (let f = 0; f < n; f += 1)
          for (let to = 0; to < n; to += 1) c[f]![to]! += chain[(k * n + f) * n + to]!;
      counts.set(segment, c);
    }
    const model = buildEclModel({
      asOf,
      transitionCounts: counts,
      workouts: workoutsAsOf(t.workouts, asOf),
      segments,
      scenarios: ecl.scenarios,
      sensitivities: ecl.sensitivities,
      settings: ecl.settings,
    });
    let total = 0;
    for (const c of cells) {
      const balance = c.balances[m]!;
      if (balance <= 0) continue;
      total += measureStagedExposure(
        model,
        { ...c.exposure, balanceMinor: balance },
        { stage: c.stage, reasons: [] },
      ).eclMinor;
    }
    out.push(total);
  }
  return out;
}
