import { type Day, divideRounded, invariant } from '../../money/index.js';
import type { Ifrs9Assessment, Ifrs9Stage } from '../ifrs9.js';
import {
  DEFAULT_LGD_SETTINGS,
  estimateLgd,
  type LgdEstimate,
  type LgdSettings,
  type Workout,
} from './lgd.js';
import { clampMicro, MICRO_ONE, type Micro, mulMicro, parseMicro, probabilityMicro } from './micro.js';
import {
  type BorrowerProfile,
  DEFAULT_SENSITIVITIES,
  type Scenario,
  type Sensitivities,
  scenarioPdMultiplier,
  weightedScenarioSet,
} from './scenarios.js';
import { DEFAULT_ECL_STAGING, type EclStagingInput, type EclStagingSettings, eclStage } from './staging.js';
import {
  cumulativePd,
  DEFAULT_TRANSITION_SETTINGS,
  discountedPd,
  estimateTransitions,
  estimateTransitionsOfCounts,
  type MarkovState,
  type MonthEndPath,
  markovStateOfBucket,
  type TransitionMatrix,
  type TransitionSettings,
} from './transitions.js';

/**
 * One exposure the ECL is measured on: a loan's drawn balance, or the undrawn part of a revolving credit
 * line (授信额度) whose expected drawing is the credit-conversion factor (CCF) × the undrawn amount.
 */
export interface EclExposure {
  /** The loan id, or `line:<lineId>` for an undrawn commitment. */
  readonly exposureId: string;
  readonly kind: 'drawn' | 'undrawn';
  readonly customerId: string;
  readonly lineId: string;
  /** The PD/LGD segment (the product id for a loan, the pooled book `*` for an undrawn commitment). */
  readonly segment: string;
  /** Drawn: the gross carrying amount (principal, interest, penalty and fee receivable); undrawn: the undrawn limit. */
  readonly balanceMinor: number;
  /** The delinquency bucket (M0…M7); for an undrawn commitment, the worst bucket of the line's loans. */
  readonly bucket: string;
  readonly staging: EclStagingInput;
  /** Whole months to the last due date (at least 1); undrawn commitments use the revolving lifetime. */
  readonly remainingMonths: number;
  /** The discount rate: the loan's annual contract rate as a decimal string (the effective rate's stand-in). */
  readonly annualRate: string;
  readonly borrower: BorrowerProfile;
}

export interface EclSettings {
  readonly staging: EclStagingSettings;
  readonly transitions: TransitionSettings;
  readonly lgd: LgdSettings;
  /** Credit-conversion factor of undrawn revolving limits. */
  readonly ccf_micro: Micro;
  /** The 12-month horizon of stage 1. */
  readonly stage1HorizonMonths: number;
  /** Lifetime cap of stage 2 loans. */
  readonly lifetimeMonths_max: number;
  /** The behavioural lifetime of an undrawn revolving commitment (IFRS 9 §5.5.20). */
  readonly revolvingLifetimeMonths: number;
  /**
   * Months after the last due date in which a loan can still default: its last instalment unpaid reaches the
   * stage 3 presumption (more than 90 DPD) three months later, so the chain runs that much longer.
   */
  readonly defaultAfterMaturityMonths: number;
}

export const DEFAULT_ECL_SETTINGS: EclSettings = Object.freeze({
  staging: DEFAULT_ECL_STAGING,
  transitions: DEFAULT_TRANSITION_SETTINGS,
  lgd: DEFAULT_LGD_SETTINGS,
  ccf_micro: 500_000,
  stage1HorizonMonths: 12,
  lifetimeMonths_max: 60,
  revolvingLifetimeMonths: 12,
  defaultAfterMaturityMonths: 3,
});

/** Everything the measurement uses besides the exposures: estimated once per run, shown in the report. */
export interface EclModel {
  readonly asOf: Day;
  readonly transitions: {
    readonly pooled: TransitionMatrix;
    readonly bySegment: ReadonlyMap<string, TransitionMatrix>;
  };
  readonly lgd: { readonly pooled: LgdEstimate; readonly bySegment: ReadonlyMap<string, LgdEstimate> };
  readonly scenarios: readonly Scenario[];
  readonly sensitivities: Sensitivities;
  readonly settings: EclSettings;
}

export interface EclModelInput {
  readonly asOf: Day;
  /** Month-end states of every loan over the observation window (oldest first)… */
  readonly paths?: readonly MonthEndPath[];
  /** …or their transitions already counted, by segment (estimateTransitionsOfCounts). */
  readonly transitionCounts?: ReadonlyMap<string, readonly (readonly number[])[]>;
  readonly workouts: readonly Workout[];
  readonly segments: readonly string[];
  readonly scenarios: readonly Scenario[];
  readonly sensitivities?: Sensitivities;
  readonly settings?: EclSettings;
}

export function buildEclModel(input: EclModelInput): EclModel {
  const settings = input.settings ?? DEFAULT_ECL_SETTINGS;
  return {
    asOf: input.asOf,
    transitions:
      input.transitionCounts === undefined
        ? estimateTransitions(input.paths ?? [], settings.transitions)
        : estimateTransitionsOfCounts(input.transitionCounts, settings.transitions),
    lgd: estimateLgd(input.workouts, input.segments, input.asOf, settings.lgd),
    scenarios: weightedScenarioSet(input.scenarios),
    sensitivities: input.sensitivities ?? DEFAULT_SENSITIVITIES,
    settings,
  };
}

export interface EclScenarioFigures {
  readonly scenario: string;
  readonly weight_micro: Micro;
  readonly pdMultiplier_micro: Micro;
  readonly pd_micro: Micro;
  readonly lgd_micro: Micro;
  /** The exposure's ECL were this scenario certain, half-up to the fen. */
  readonly eclMinor: number;
}

/** One exposure's ECL with every parameter behind it. */
export interface EclRow {
  readonly exposureId: string;
  readonly kind: 'drawn' | 'undrawn';
  readonly customerId: string;
  readonly lineId: string;
  readonly segment: string;
  readonly bucket: string;
  readonly stage: Ifrs9Stage;
  readonly reasons: readonly string[];
  readonly balanceMinor: number;
  readonly ccf_micro: Micro;
  readonly eadMinor: number;
  readonly horizonMonths: number;
  readonly discountRate: string;
  /** The discounted PD over the horizon before scenarios (1 in stage 3). */
  readonly pd_micro: Micro;
  readonly lgd_micro: Micro;
  readonly scenarios: readonly EclScenarioFigures[];
  /** Σ weight × EAD × PD × LGD over the scenarios, half-up to the fen: the ECL booked. */
  readonly eclMinor: number;
}

function matrixFor(model: EclModel, segment: string): TransitionMatrix {
  return model.transitions.bySegment.get(segment) ?? model.transitions.pooled;
}

function lgdFor(model: EclModel, segment: string): LgdEstimate {
  return model.lgd.bySegment.get(segment) ?? model.lgd.pooled;
}

/** EAD: a loan's balance; an undrawn limit × CCF, half-up to the fen. */
export function exposureAtDefault(exposure: EclExposure, ccf_micro: Micro): number {
  if (exposure.kind === 'drawn') return exposure.balanceMinor;
  return Number(
    divideRounded(BigInt(exposure.balanceMinor) * BigInt(ccf_micro), BigInt(MICRO_ONE), 'half-up'),
  );
}

/** The months an exposure's PD is taken over in its stage: 12 (or less) in stage 1, its lifetime after. */
export function horizonOf(
  exposure: Pick<EclExposure, 'kind' | 'remainingMonths'>,
  stage: Ifrs9Stage,
  settings: EclSettings,
): number {
  const life =
    exposure.kind === 'undrawn'
      ? settings.revolvingLifetimeMonths
      : Math.max(1, exposure.remainingMonths) + settings.defaultAfterMaturityMonths;
  return stage === 1
    ? Math.min(settings.stage1HorizonMonths, life)
    : Math.min(settings.lifetimeMonths_max, life);
}

/** The base discounted PD of an exposure in a stage (1 in stage 3 or when the chain already counts it defaulted). */
export function basePd(
  model: EclModel,
  segment: string,
  start: MarkovState,
  horizonMonths: number,
  annualRate: number,
): Micro {
  if (start === 'D') return MICRO_ONE;
  const cumulative = cumulativePd(matrixFor(model, segment), start, horizonMonths);
  return probabilityMicro(discountedPd(cumulative, horizonMonths, annualRate));
}

/**
 * basePd kept per model by its inputs: exposures of one segment, bucket, horizon and rate share the same chain
 * walk. The same value as basePd, computed once.
 */
const basePds = new WeakMap<EclModel, Map<string, Micro>>();
function keptBasePd(
  model: EclModel,
  segment: string,
  start: MarkovState,
  horizonMonths: number,
  annualRate: number,
): Micro {
  let kept = basePds.get(model);
  if (kept === undefined) {
    kept = new Map();
    basePds.set(model, kept);
  }
  const key = `${segment}\u0000${start}\u0000${horizonMonths}\u0000${annualRate}`;
  let pd = kept.get(key);
  if (pd === undefined) {
    pd = basePd(model, segment, start, horizonMonths, annualRate);
    kept.set(key, pd);
  }
  return pd;
}

/** Each scenario's PD multiplier (scenarioPdMultiplier) for a borrower profile, kept per model by the profile. */
const multiplierSets = new WeakMap<EclModel, Map<string, readonly Micro[]>>();
function keptMultipliers(model: EclModel, borrower: BorrowerProfile): readonly Micro[] {
  let kept = multiplierSets.get(model);
  if (kept === undefined) {
    kept = new Map();
    multiplierSets.set(model, kept);
  }
  const key = `${borrower.occupation === null ? '\u0001' : borrower.occupation}\u0000${borrower.industry === null ? '\u0001' : borrower.industry}`;
  let m = kept.get(key);
  if (m === undefined) {
    m = model.scenarios.map((s) => scenarioPdMultiplier(s, borrower, model.sensitivities));
    kept.set(key, m);
  }
  return m;
}

/** ECL = Σₛ wₛ × EAD × PDₛ × LGDₛ, one half-up rounding to the fen. */
function weightedEcl(
  ead: number,
  figures: readonly { weight_micro: Micro; pd_micro: Micro; lgd_micro: Micro }[],
): number {
  let sum = 0n;
  for (const f of figures)
    sum += BigInt(f.weight_micro) * BigInt(ead) * BigInt(f.pd_micro) * BigInt(f.lgd_micro);
  return Number(divideRounded(sum, MICRO_ONE_CUBED, 'half-up'));
}

const MICRO_ONE_CUBED = 10n ** 18n;
const MICRO_ONE_SQUARED = 1_000_000_000_000;

/**
 * ⌊a × b ÷ 10¹² + ½⌋ for whole a, b ≥ 0: weightedEcl of one scenario of weight 1 (10⁶ × a × b ÷ 10¹⁸ is the
 * same quotient), in floating point while the product is exact, by bigint beyond.
 */
function productOverMicroSquared(a: number, b: number): number {
  const x = a * b;
  if (x > Number.MAX_SAFE_INTEGER)
    return Number(divideRounded(BigInt(a) * BigInt(b), BigInt(MICRO_ONE_SQUARED), 'half-up'));
  let q = Math.floor(x / MICRO_ONE_SQUARED);
  let r = x - q * MICRO_ONE_SQUARED;
  if (r < 0) {
    q -= 1;
    r += MICRO_ONE_SQUARED;
  } else if (r >= MICRO_ONE_SQUARED) {
    q += 1;
    r -= MICRO_ONE_SQUARED;
  }
  return 2 * r >= MICRO_ONE_SQUARED ? q + 1 : q;
}

/**
 * What every exposure of one base PD, LGD and borrower profile shares under a model: each scenario's PD and
 * LGD, their product, and Σₛ wₛ × PDₛ × LGDₛ (under the model's weights, and under other weights once asked).
 * An exposure's figures are then its EAD times these, each rounded as weightedEcl rounds them.
 */
interface SharedFigures {
  readonly ids: readonly string[];
  readonly pd: readonly Micro[];
  readonly lgd: readonly Micro[];
  /** PDₛ × LGDₛ (at most 10¹², exact). */
  readonly products: readonly number[];
  /** Σₛ wₛ × PDₛ × LGDₛ under the model's weights. */
  readonly weighted: bigint;
  /** The same under other weights (eclUnderWeights), by the weights' map. */
  readonly underWeights: WeakMap<ReadonlyMap<string, Micro>, bigint>;
}

const sharedSets = new WeakMap<EclModel, Map<readonly Micro[], Map<number, SharedFigures>>>();
function keptShared(model: EclModel, pd: Micro, lgd: Micro, multipliers: readonly Micro[]): SharedFigures {
  let byProfile = sharedSets.get(model);
  if (byProfile === undefined) {
    byProfile = new Map();
    sharedSets.set(model, byProfile);
  }
  let byPdLgd = byProfile.get(multipliers);
  if (byPdLgd === undefined) {
    byPdLgd = new Map();
    byProfile.set(multipliers, byPdLgd);
  }
  const key = pd * 2_097_152 + lgd;
  let shared = byPdLgd.get(key);
  if (shared === undefined) {
    const pds = model.scenarios.map((_, i) =>
      pd === MICRO_ONE ? MICRO_ONE : clampMicro(mulMicro(pd, multipliers[i] as Micro)),
    );
    const lgds = model.scenarios.map((s) => clampMicro(lgd + s.lgdAddOn_micro));
    let weighted = 0n;
    model.scenarios.forEach((s, i) => {
      weighted += BigInt(s.weight_micro) * BigInt(pds[i] as Micro) * BigInt(lgds[i] as Micro);
    });
    shared = {
      ids: model.scenarios.map((s) => s.id),
      pd: pds,
      lgd: lgds,
      products: pds.map((p, i) => p * (lgds[i] as Micro)),
      weighted,
      underWeights: new WeakMap(),
    };
    byPdLgd.set(key, shared);
  }
  return shared;
}

/** The shared figures each measured row was computed from (eclUnderWeights reads them). */
const sharedOfRow = new WeakMap<EclRow, SharedFigures>();

/** Parsed discount rates (parseMicro of the rate text ÷ 10⁶), by text. */
const parsedRates = new Map<string, number>();
function rateOf(text: string): number {
  let rate = parsedRates.get(text);
  if (rate === undefined) {
    rate = parseMicro(text, 'annualRate') / MICRO_ONE;
    if (parsedRates.size < 10_000) parsedRates.set(text, rate);
  }
  return rate;
}

/** The chain state of each bucket (markovStateOfBucket), by bucket. */
const bucketStates = new Map<string, MarkovState>();
function stateOf(bucket: string): MarkovState {
  let state = bucketStates.get(bucket);
  if (state === undefined) {
    state = markovStateOfBucket(bucket);
    bucketStates.set(bucket, state);
  }
  return state;
}

export function measureExposure(model: EclModel, exposure: EclExposure): EclRow {
  return measureStagedExposure(model, exposure, eclStage(exposure.staging, model.settings.staging));
}

/**
 * An exposure's ECL in the stage already assessed (eclStage of its staging under the model's settings): the
 * strategy lab stages each loan at its month end and measures the loans that share every parameter together.
 */
export function measureStagedExposure(
  model: EclModel,
  exposure: EclExposure,
  assessment: Ifrs9Assessment,
): EclRow {
  invariant(
    Number.isSafeInteger(exposure.balanceMinor) && exposure.balanceMinor >= 0,
    'an exposure balance must be ≥ 0 fen',
  );
  const settings = model.settings;
  const stage = assessment.stage;
  const ccf = exposure.kind === 'undrawn' ? settings.ccf_micro : MICRO_ONE;
  const ead = exposureAtDefault(exposure, settings.ccf_micro);
  const horizon = horizonOf(exposure, stage, settings);
  const rate = rateOf(exposure.annualRate);
  const pd =
    stage === 3 ? MICRO_ONE : keptBasePd(model, exposure.segment, stateOf(exposure.bucket), horizon, rate);
  const lgd = lgdFor(model, exposure.segment).lgd_micro;
  const multipliers = keptMultipliers(model, exposure.borrower);
  const shared = keptShared(model, pd, lgd, multipliers);
  const scenarios = model.scenarios.map((s, i) => ({
    scenario: s.id,
    weight_micro: s.weight_micro,
    pdMultiplier_micro: multipliers[i] as Micro,
    pd_micro: shared.pd[i] as Micro,
    lgd_micro: shared.lgd[i] as Micro,
    eclMinor: productOverMicroSquared(ead, shared.products[i] as number),
  }));
  const row: EclRow = {
    exposureId: exposure.exposureId,
    kind: exposure.kind,
    customerId: exposure.customerId,
    lineId: exposure.lineId,
    segment: exposure.segment,
    bucket: exposure.bucket,
    stage,
    reasons: assessment.reasons,
    balanceMinor: exposure.balanceMinor,
    ccf_micro: ccf,
    eadMinor: ead,
    horizonMonths: horizon,
    discountRate: exposure.annualRate,
    pd_micro: pd,
    lgd_micro: lgd,
    scenarios,
    eclMinor: Number(divideRounded(BigInt(ead) * shared.weighted, MICRO_ONE_CUBED, 'half-up')),
  };
  sharedOfRow.set(row, shared);
  return row;
}

/** The ECL of every exposure, sorted by exposure id. */
export function measureEcl(model: EclModel, exposures: readonly EclExposure[]): EclRow[] {
  return [...exposures]
    .sort((a, b) => (a.exposureId < b.exposureId ? -1 : a.exposureId > b.exposureId ? 1 : 0))
    .map((e) => measureExposure(model, e));
}

/** The book's ECL under other weights (same rows): each row re-rounded once, then summed. */
export function eclUnderWeights(rows: readonly EclRow[], weights: ReadonlyMap<string, Micro>): number {
  let total = 0;
  for (const row of rows) {
    const shared = sharedOfRow.get(row);
    if (shared !== undefined && sameScenarios(shared, row)) {
      let k = shared.underWeights.get(weights);
      if (k === undefined) {
        k = 0n;
        shared.ids.forEach((id, i) => {
          k = (k as bigint) + BigInt(weights.get(id) ?? 0) * BigInt(shared.products[i] as number);
        });
        shared.underWeights.set(weights, k);
      }
      total += Number(divideRounded(BigInt(row.eadMinor) * k, MICRO_ONE_CUBED, 'half-up'));
      continue;
    }
    total += weightedEcl(
      row.eadMinor,
      row.scenarios.map((s) => ({
        weight_micro: weights.get(s.scenario) ?? 0,
        pd_micro: s.pd_micro,
        lgd_micro: s.lgd_micro,
      })),
    );
  }
  return total;
}

/** Whether a row still carries the scenario figures it was measured with (rows are plain, readonly data). */
function sameScenarios(shared: SharedFigures, row: EclRow): boolean {
  if (row.scenarios.length !== shared.ids.length) return false;
  for (let i = 0; i < shared.ids.length; i += 1) {
    const s = row.scenarios[i] as EclScenarioFigures;
    if (s.scenario !== shared.ids[i] || s.pd_micro !== shared.pd[i] || s.lgd_micro !== shared.lgd[i])
      return false;
  }
  return true;
}

/**
 * The weights after moving `shift_micro` of weight onto `scenarioId`, taken from the other scenarios in
 * proportion to their weights (each share half-up; the remainder on the heaviest other, first by id).
 */
export function shiftedWeights(
  scenarios: readonly Scenario[],
  scenarioId: string,
  shift_micro: Micro,
): Map<string, Micro> {
  const target = scenarios.find((s) => s.id === scenarioId);
  invariant(target !== undefined, () => `unknown scenario ${scenarioId}`);
  const shift = Math.min(shift_micro, MICRO_ONE - target.weight_micro);
  const others = scenarios.filter((s) => s.id !== scenarioId);
  const othersTotal = MICRO_ONE - target.weight_micro;
  const out = new Map<string, Micro>([[scenarioId, target.weight_micro + shift]]);
  let taken = 0;
  for (const o of others) {
    const take =
      othersTotal === 0
        ? 0
        : Number(divideRounded(BigInt(o.weight_micro) * BigInt(shift), BigInt(othersTotal), 'half-up'));
    out.set(o.id, o.weight_micro - take);
    taken += take;
  }
  const heaviest = [...others].sort((a, b) => b.weight_micro - a.weight_micro || (a.id < b.id ? -1 : 1))[0];
  if (heaviest !== undefined) out.set(heaviest.id, (out.get(heaviest.id) as number) - (shift - taken));
  return out;
}
