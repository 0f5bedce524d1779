import { invariant } from '../money/index.js';

/**
 * IFRS 9 / CAS 22 (企业会计准则第22号) impairment stage (domain.md §5).
 *
 * - Stage 1: 12-month expected credit loss.
 * - Stage 2: significant increase in credit risk (SICR) since initial recognition, lifetime ECL. Rebuttable
 *   presumption: more than 30 days past due (IFRS 9 §5.5.11).
 * - Stage 3: credit-impaired (default), lifetime ECL, interest on the net amount. Rebuttable presumption:
 *   more than 90 days past due (IFRS 9 §B5.5.37).
 *
 * A lender that rebuts a presumption with reasonable and supportable information sets a larger threshold.
 */
export type Ifrs9Stage = 1 | 2 | 3;

export interface Ifrs9Settings {
  /** Stage 2 when DPD is above this (IFRS 9 §5.5.11: 30). */
  readonly stage2AboveDays: number;
  /** Stage 3 when DPD is above this (IFRS 9 §B5.5.37: 90). */
  readonly stage3AboveDays: number;
}

export const DEFAULT_IFRS9_SETTINGS: Ifrs9Settings = Object.freeze({
  stage2AboveDays: 30,
  stage3AboveDays: 90,
});

export interface Ifrs9Input {
  readonly daysPastDue: number;
  /** Significant-increase-in-credit-risk signals from monitoring (score drop, watch list …), by stable code. */
  readonly sicrFlags?: readonly string[];
  /** Credit-impaired by other evidence (bankruptcy, restructuring for distress …), by stable code. */
  readonly creditImpairedFlags?: readonly string[];
}

export interface Ifrs9Assessment {
  readonly stage: Ifrs9Stage;
  /** Why, as stable codes: `dpd-above-30`-style codes for the presumptions, then the flags given. */
  readonly reasons: readonly string[];
}

export function ifrs9Stage(
  input: Ifrs9Input,
  settings: Ifrs9Settings = DEFAULT_IFRS9_SETTINGS,
): Ifrs9Assessment {
  const dpd = input.daysPastDue;
  invariant(Number.isInteger(dpd) && dpd >= 0, 'days past due must be a whole number ≥ 0');
  invariant(
    settings.stage3AboveDays >= settings.stage2AboveDays,
    'stage 3 threshold must not be below stage 2',
  );
  const impaired = [...(input.creditImpairedFlags ?? [])];
  if (dpd > settings.stage3AboveDays) impaired.unshift(`dpd-above-${settings.stage3AboveDays}`);
  if (impaired.length > 0) return { stage: 3, reasons: impaired };
  const sicr = [...(input.sicrFlags ?? [])];
  if (dpd > settings.stage2AboveDays) sicr.unshift(`dpd-above-${settings.stage2AboveDays}`);
  if (sicr.length > 0) return { stage: 2, reasons: sicr };
  return { stage: 1, reasons: [] };
}

/** The first DPD at which the DPD presumption alone puts a loan in `stage`. */
export function firstDaysPastDueOfStage(
  stage: Ifrs9Stage,
  settings: Ifrs9Settings = DEFAULT_IFRS9_SETTINGS,
): number {
  if (stage === 1) return 0;
  return (stage === 2 ? settings.stage2AboveDays : settings.stage3AboveDays) + 1;
}
