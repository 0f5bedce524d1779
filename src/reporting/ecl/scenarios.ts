import { divideRounded } from '../../money/index.js';
import type { Label } from '../report.js';
import { MICRO_ONE, type Micro, mulMicro, parseMicro, ReportInputError } from './micro.js';

/**
 * Forward-looking scenarios as data (policies/scenarios/*.json, format in docs/ecl.md): one file per scenario,
 * shared by the ECL (weighted), the stress tests (each alone) and the liquidity projection. A scenario moves
 * PDs by its own multiplier and by its shocks through the stated sensitivities, and LGDs by an add-on.
 */
export type Shock =
  | { readonly kind: 'unemployment'; readonly pointsUp_micro: Micro }
  | { readonly kind: 'rates'; readonly basisPointsUp: number }
  | {
      readonly kind: 'income';
      readonly occupations: readonly string[];
      readonly industries: readonly string[];
      /** Negative for a fall: −0.2 is income down 20%. */
      readonly incomeChange_micro: Micro;
    }
  | { readonly kind: 'closure'; readonly industries: readonly string[]; readonly months: number };

export interface Scenario {
  readonly id: string;
  readonly version: number;
  readonly label: Label;
  readonly weight_micro: Micro;
  readonly pdMultiplier_micro: Micro;
  readonly lgdAddOn_micro: Micro;
  readonly shocks: readonly Shock[];
}

/** How a shock moves a PD (policies/scenarios/sensitivities.json): PD × (1 + sensitivity × size). */
export interface Sensitivities {
  /** Per percentage point of unemployment. */
  readonly unemploymentPerPoint_micro: Micro;
  /** Per 100 basis points of interest rates. */
  readonly ratesPer100bp_micro: Micro;
  /** Per 10% of income lost, for the borrowers the shock names. */
  readonly incomeDropPerTenPercent_micro: Micro;
  /** Per month of closure, for borrowers in the closed industries. */
  readonly closurePerMonth_micro: Micro;
}

export const DEFAULT_SENSITIVITIES: Sensitivities = Object.freeze({
  unemploymentPerPoint_micro: 120_000,
  ratesPer100bp_micro: 50_000,
  incomeDropPerTenPercent_micro: 150_000,
  closurePerMonth_micro: 300_000,
});

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ReportInputError(`${where}: an object is expected`);
  return v as Obj;
}
function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new ReportInputError(`${where}.${key}: a non-empty string is expected`);
  return v;
}
function strings(o: Obj, key: string, where: string): string[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw new ReportInputError(`${where}.${key}: a list of strings is expected`);
  }
  return v as string[];
}
function whole(o: Obj, key: string, where: string, min: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ReportInputError(`${where}.${key}: a whole number ≥ ${min} is expected`);
  }
  return v;
}
function decimal(o: Obj, key: string, where: string, fallback?: string): Micro {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string') throw new ReportInputError(`${where}.${key}: a decimal string is expected`);
  return parseMicro(v, `${where}.${key}`);
}

function parseShock(v: unknown, where: string): Shock {
  const o = obj(v, where);
  const kind = o.kind;
  switch (kind) {
    case 'unemployment':
      return { kind, pointsUp_micro: decimal(o, 'pointsUp', where) };
    case 'rates':
      return { kind, basisPointsUp: whole(o, 'basisPointsUp', where, 0) };
    case 'income': {
      const change = decimal(o, 'incomeChange', where);
      if (change > 0 || change < -MICRO_ONE)
        throw new ReportInputError(`${where}.incomeChange: must lie in [-1, 0]`);
      return {
        kind,
        occupations: strings(o, 'occupations', where),
        industries: strings(o, 'industries', where),
        incomeChange_micro: change,
      };
    }
    case 'closure':
      return { kind, industries: strings(o, 'industries', where), months: whole(o, 'months', where, 1) };
    default:
      throw new ReportInputError(`${where}.kind: one of unemployment, rates, income, closure is expected`);
  }
}

export function parseScenario(document: unknown, where = 'scenario'): Scenario {
  const o = obj(document, where);
  const id = str(o, 'id', where);
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(id))
    throw new ReportInputError(`${where}.id: lower-case letters, digits and hyphens`);
  const label = obj(o.label, `${where}.label`);
  const weight = decimal(o, 'weight', where, '0');
  const pdMultiplier = decimal(o, 'pdMultiplier', where, '1');
  const lgdAddOn = decimal(o, 'lgdAddOn', where, '0');
  if (weight < 0 || weight > MICRO_ONE) throw new ReportInputError(`${where}.weight: must lie in [0, 1]`);
  if (pdMultiplier < 0) throw new ReportInputError(`${where}.pdMultiplier: must not be negative`);
  if (lgdAddOn < -MICRO_ONE || lgdAddOn > MICRO_ONE)
    throw new ReportInputError(`${where}.lgdAddOn: must lie in [-1, 1]`);
  const shocksRaw = o.shocks ?? [];
  if (!Array.isArray(shocksRaw)) throw new ReportInputError(`${where}.shocks: a list is expected`);
  return {
    id,
    version: whole(o, 'version', where, 1),
    label: { en: str(label, 'en', `${where}.label`), zh: str(label, 'zh', `${where}.label`) },
    weight_micro: weight,
    pdMultiplier_micro: pdMultiplier,
    lgdAddOn_micro: lgdAddOn,
    shocks: shocksRaw.map((s, i) => parseShock(s, `${where}.shocks[${i}]`)),
  };
}

export function parseSensitivities(document: unknown, where = 'sensitivities'): Sensitivities {
  const o = obj(document, where);
  return {
    unemploymentPerPoint_micro: decimal(o, 'unemploymentPerPoint', where),
    ratesPer100bp_micro: decimal(o, 'ratesPer100bp', where),
    incomeDropPerTenPercent_micro: decimal(o, 'incomeDropPerTenPercent', where),
    closurePerMonth_micro: decimal(o, 'closurePerMonth', where),
  };
}

/**
 * The scenarios the weighted ECL runs under: those with a weight (a weight of 0 marks a stress-only scenario),
 * whose weights must add up to exactly 1. Sorted by id.
 */
export function weightedScenarioSet(all: readonly Scenario[]): readonly Scenario[] {
  const scenarios = all.filter((s) => s.weight_micro > 0);
  if (scenarios.length === 0) throw new ReportInputError('no scenario has a weight');
  const ids = new Set(scenarios.map((s) => s.id));
  if (ids.size !== scenarios.length) throw new ReportInputError('scenario ids must be unique');
  const total = scenarios.reduce((a, s) => a + s.weight_micro, 0);
  if (total !== MICRO_ONE) {
    throw new ReportInputError(`scenario weights add up to ${total / MICRO_ONE}, not 1`);
  }
  return [...scenarios].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What a shock needs to know of a borrower. */
export interface BorrowerProfile {
  readonly occupation: string | null;
  readonly industry: string | null;
}

function applies(names: readonly string[], value: string | null): boolean {
  return value !== null && names.includes(value);
}

/** The PD multiplier of a scenario for one borrower, in millionths: its own multiplier × each shock's factor. */
export function scenarioPdMultiplier(scenario: Scenario, borrower: BorrowerProfile, s: Sensitivities): Micro {
  let m = scenario.pdMultiplier_micro;
  for (const shock of scenario.shocks) {
    let factor = MICRO_ONE;
    switch (shock.kind) {
      case 'unemployment':
        factor += mulMicro(s.unemploymentPerPoint_micro, shock.pointsUp_micro);
        break;
      case 'rates':
        factor += Number(
          divideRounded(BigInt(s.ratesPer100bp_micro) * BigInt(shock.basisPointsUp), 100n, 'half-up'),
        );
        break;
      case 'income': {
        const everyone = shock.occupations.length === 0 && shock.industries.length === 0;
        if (
          everyone ||
          applies(shock.occupations, borrower.occupation) ||
          applies(shock.industries, borrower.industry)
        ) {
          factor += mulMicro(s.incomeDropPerTenPercent_micro, -shock.incomeChange_micro * 10);
        }
        break;
      }
      case 'closure':
        if (applies(shock.industries, borrower.industry)) factor += s.closurePerMonth_micro * shock.months;
        break;
    }
    m = mulMicro(m, factor);
  }
  return m;
}
