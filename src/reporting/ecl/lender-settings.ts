import type { EclSettings } from './ecl.js';
import { MICRO_ONE, type Micro, parseMicro, ReportInputError } from './micro.js';
import type { Scenario } from './scenarios.js';

/**
 * The lender's own ECL settings (docs/ecl.md "The lender's settings"), as data: an LGD for every segment
 * replacing the estimate, the LGD floor, the credit-conversion factor of undrawn limits and the scenario
 * weights. Each left out keeps the shipped value.
 */
export interface EclLenderSettings {
  /** LGD override (null: estimate from the book's workouts). */
  readonly lgdOverride_micro?: Micro | null;
  readonly lgdFloor_micro?: Micro;
  readonly ccf_micro?: Micro;
  /** Scenario id → weight; when given, every scenario of the pack is named and the weights sum to 1. */
  readonly scenarioWeights_micro?: Readonly<Record<string, Micro>>;
}

const KEYS = ['lgdOverride', 'lgdFloor', 'ccf', 'scenarioWeights'] as const;

function fraction(value: unknown, field: string): Micro {
  const micro = parseMicro(value as string, field);
  if (micro < 0 || micro > MICRO_ONE) {
    throw new ReportInputError(`${field}: "${String(value)}" must be from 0 to 1`);
  }
  return micro;
}

/**
 * Reads the settings document `{ "lgdOverride": "0.45" | null, "lgdFloor": "0.1", "ccf": "0.5",
 * "scenarioWeights": { "base": "0.6", … } }` (decimal strings from 0 to 1, at most six places); unknown keys
 * and values out of range are refused with a sentence naming the field.
 */
export function parseEclLenderSettings(doc: unknown, source = 'ECL settings'): EclLenderSettings {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ReportInputError(`${source}: must be a JSON object with any of ${KEYS.join(', ')}`);
  }
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new ReportInputError(`${source}: unknown setting "${key}"; known: ${KEYS.join(', ')}`);
    }
  }
  const out: {
    lgdOverride_micro?: Micro | null;
    lgdFloor_micro?: Micro;
    ccf_micro?: Micro;
    scenarioWeights_micro?: Record<string, Micro>;
  } = {};
  if ('lgdOverride' in d) {
    out.lgdOverride_micro = d.lgdOverride === null ? null : fraction(d.lgdOverride, `${source}: lgdOverride`);
  }
  if ('lgdFloor' in d) out.lgdFloor_micro = fraction(d.lgdFloor, `${source}: lgdFloor`);
  if ('ccf' in d) out.ccf_micro = fraction(d.ccf, `${source}: ccf`);
  if ('scenarioWeights' in d) {
    const w = d.scenarioWeights;
    if (w === null || typeof w !== 'object' || Array.isArray(w) || Object.keys(w).length === 0) {
      throw new ReportInputError(
        `${source}: scenarioWeights must be an object of scenario id → weight, e.g. { "base": "0.6", … }`,
      );
    }
    const weights: Record<string, Micro> = {};
    for (const [id, v] of Object.entries(w as Record<string, unknown>)) {
      weights[id] = fraction(v, `${source}: scenarioWeights.${id}`);
    }
    const sum = Object.values(weights).reduce((a, x) => a + x, 0);
    if (sum !== MICRO_ONE) {
      throw new ReportInputError(
        `${source}: scenarioWeights sum to ${sum / MICRO_ONE}, not 1; the weights of the scenarios must add up to exactly 1`,
      );
    }
    out.scenarioWeights_micro = weights;
  }
  return Object.freeze(out);
}

/** The model settings with the lender's settings in place. */
export function withLenderSettings(settings: EclSettings, lender: EclLenderSettings): EclSettings {
  return {
    ...settings,
    ccf_micro: lender.ccf_micro ?? settings.ccf_micro,
    lgd: {
      ...settings.lgd,
      floor_micro: lender.lgdFloor_micro ?? settings.lgd.floor_micro,
      override_micro:
        lender.lgdOverride_micro === undefined ? settings.lgd.override_micro : lender.lgdOverride_micro,
    },
  };
}

/**
 * The scenarios with the lender's weights: every scenario named, none unknown (the ids are the pack's
 * scenario files' ids).
 */
export function withLenderWeights(scenarios: readonly Scenario[], lender: EclLenderSettings): Scenario[] {
  const weights = lender.scenarioWeights_micro;
  if (weights === undefined) return [...scenarios];
  const ids = scenarios.map((s) => s.id);
  const unknown = Object.keys(weights).filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ReportInputError(
      `scenarioWeights: unknown scenario ${unknown.map((u) => `"${u}"`).join(', ')}; the scenarios are ${ids.join(', ')}`,
    );
  }
  const missing = ids.filter((id) => weights[id] === undefined);
  if (missing.length > 0) {
    throw new ReportInputError(
      `scenarioWeights: give a weight to every scenario; missing ${missing.join(', ')}`,
    );
  }
  return scenarios.map((s) => ({ ...s, weight_micro: weights[s.id] ?? 0 }));
}
