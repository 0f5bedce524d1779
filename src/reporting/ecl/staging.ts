import { invariant } from '../../money/index.js';
import { DEFAULT_IFRS9_SETTINGS, type Ifrs9Assessment, type Ifrs9Settings, ifrs9Stage } from '../ifrs9.js';
import type { Micro } from './micro.js';

/**
 * The ECL staging of one exposure (IFRS 9 §5.5.3, §5.5.11, §B5.5.37; domain.md §5) on top of the DPD
 * presumptions of `ifrs9Stage`:
 *
 * - stage 3 (credit-impaired): more than 90 DPD, or written off, or a restructuring broken during its
 *   observation;
 * - stage 2 (significant increase in credit risk, SICR): more than 30 DPD (the backstop); the PD now against
 *   the PD at origination (both a relative and an absolute rise, when both PDs are known); a behaviour score
 *   fallen from the origination score (when both are known); the watch list; a restructuring (at least
 *   stage 2 while it is observed);
 * - stage 1 otherwise.
 */
export interface EclStagingSettings {
  readonly ifrs9: Ifrs9Settings;
  /** SICR when PD now ≥ PD at origination × this (millionths: 2000000 = doubled) … */
  readonly sicrPdRatio_micro: Micro;
  /** … and PD now − PD at origination ≥ this (millionths: 5000 = 0.5 percentage points). */
  readonly sicrPdIncrease_micro: Micro;
  /** SICR when the behaviour score fell by at least this many points from the origination score. */
  readonly sicrScoreDrop_points: number;
}

export const DEFAULT_ECL_STAGING: EclStagingSettings = Object.freeze({
  ifrs9: DEFAULT_IFRS9_SETTINGS,
  sicrPdRatio_micro: 2_000_000,
  sicrPdIncrease_micro: 5_000,
  sicrScoreDrop_points: 50,
});

export interface EclStagingInput {
  readonly daysPastDue: number;
  readonly writtenOff?: boolean;
  readonly restructured?: boolean;
  readonly restructuringBroken?: boolean;
  readonly watchlist?: boolean;
  readonly originationPd_micro?: Micro;
  readonly currentPd_micro?: Micro;
  readonly originationScore?: number;
  readonly behaviourScore?: number;
}

export function eclStage(
  input: EclStagingInput,
  settings: EclStagingSettings = DEFAULT_ECL_STAGING,
): Ifrs9Assessment {
  invariant(settings.sicrPdRatio_micro >= 1_000_000, 'the SICR PD ratio must be at least 1');
  const impaired: string[] = [];
  if (input.writtenOff === true) impaired.push('written-off');
  if (input.restructuringBroken === true) impaired.push('restructuring-broken');
  const sicr: string[] = [];
  const o = input.originationPd_micro;
  const c = input.currentPd_micro;
  if (o !== undefined && c !== undefined) {
    const relative = BigInt(c) * 1_000_000n >= BigInt(o) * BigInt(settings.sicrPdRatio_micro);
    if (relative && c - o >= settings.sicrPdIncrease_micro) sicr.push('pd-increase');
  }
  const os = input.originationScore;
  const bs = input.behaviourScore;
  if (os !== undefined && bs !== undefined && os - bs >= settings.sicrScoreDrop_points)
    sicr.push('score-drop');
  if (input.watchlist === true) sicr.push('watchlist');
  if (input.restructured === true) sicr.push('restructured');
  return ifrs9Stage(
    { daysPastDue: input.daysPastDue, sicrFlags: sicr, creditImpairedFlags: impaired },
    settings.ifrs9,
  );
}
