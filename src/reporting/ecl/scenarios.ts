import { counted, divideRounded } from '../../money/index.js';
import type { Label } from '../report.js';
import { MICRO_ONE, type Micro, mulMicro, parseMicro, ReportInputError } from './micro.js';

/**
 * Scenarios as data (policies/scenarios/*.json, format in docs/ecl.md and decision 0907): one file per scenario,
 * shared by the ECL (weighted), the stress tests (each alone), the liquidity projection and the strategy lab's
 * simulator. A scenario moves PDs by its own multiplier and by its shocks through the stated sensitivities, and
 * LGDs by an add-on; the simulator reads the same shocks month by month (when they start, how long they last,
 * how incomes recover).
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
      /** The simulator's timing: first month (1 = the first month of the run), length, recovery after. */
      readonly fromMonth: number;
      readonly months: number;
      readonly recoveryMonths: number;
    }
  | {
      readonly kind: 'closure';
      readonly industries: readonly string[];
      readonly months: number;
      readonly fromMonth: number;
      /** The share of income left while closed (the simulator). */
      readonly incomeShare_micro: Micro;
      readonly recoveryMonths: number;
    }
  | {
      /** Idiosyncratic events made likelier (job loss, business failure, illness): the simulator only. */
      readonly kind: 'hazard';
      readonly occupations: readonly string[];
      readonly industries: readonly string[];
      readonly fromMonth: number;
      readonly months: number;
      readonly lossMultiplier_micro: Micro;
      readonly illnessMultiplier_micro: Micro;
    };

export const SHOCK_KINDS = ['unemployment', 'rates', 'income', 'closure', 'hazard'] as const;

export interface Scenario {
  readonly id: string;
  readonly version: number;
  readonly label: Label;
  readonly description: string;
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
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One problem of a scenario file: where (a JSON path) and what to write instead. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

/** A scenario or sensitivities file that cannot be used, with every problem by place. */
export class ScenarioFileError extends ReportInputError {
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(
      `${file}: ${counted(issues.length, 'problem')}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Reads fields, collecting every problem; each reader returns a usable fallback on a problem. */
class Fields {
  readonly issues: ScenarioIssue[] = [];
  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  known(o: Obj, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(o))
      if (!keys.includes(k))
        this.issue(`${path}.${k}`, `is not a known field; expected one of ${keys.join(', ')}`);
  }
  str(o: Obj, key: string, path: string): string {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    this.issue(
      `${path}.${key}`,
      v === undefined
        ? 'is missing; give a non-empty string'
        : `is ${JSON.stringify(v)}; give a non-empty string`,
    );
    return '';
  }
  strings(o: Obj, key: string, path: string): string[] {
    const v = o[key] ?? [];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    this.issue(`${path}.${key}`, `is ${JSON.stringify(v)}; give a list of names, e.g. ["catering"]`);
    return [];
  }
  whole(o: Obj, key: string, path: string, min: number, max: number, fallback?: number): number {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.issue(
      `${path}.${key}`,
      v === undefined
        ? `is missing; give a whole number from ${min} to ${max}`
        : `is ${JSON.stringify(v)}; give a whole number from ${min} to ${max}`,
    );
    return fallback ?? min;
  }
  decimal(o: Obj, key: string, path: string, min: number, max: number, fallback?: string): Micro {
    const v = o[key] ?? fallback;
    const range = `from ${min / MICRO_ONE} to ${max / MICRO_ONE}`;
    if (typeof v !== 'string' || !/^-?\d{1,9}(\.\d{1,6})?$/.test(v)) {
      this.issue(
        `${path}.${key}`,
        v === undefined
          ? `is missing; give a decimal string ${range}, e.g. "0.1"`
          : `is ${JSON.stringify(v)}; give a decimal string with at most six places ${range}, e.g. "0.1"`,
      );
      return 0;
    }
    const m = parseMicro(v, `${path}.${key}`);
    if (m < min || m > max) {
      this.issue(`${path}.${key}`, `is ${v}; give a value ${range}`);
      return 0;
    }
    return m;
  }
}

const MONTHS_MAX = 600;
const TIMING = ['fromMonth', 'months', 'recoveryMonths'] as const;

function parseShock(f: Fields, v: unknown, path: string): Shock | undefined {
  if (!isObj(v)) {
    f.issue(path, `give a shock object with a "kind" (${SHOCK_KINDS.join(', ')})`);
    return undefined;
  }
  const kind = v.kind;
  const fromMonth = () => f.whole(v, 'fromMonth', path, 1, MONTHS_MAX, 1);
  switch (kind) {
    case 'unemployment':
      f.known(v, path, ['kind', 'pointsUp', 'note']);
      return { kind, pointsUp_micro: f.decimal(v, 'pointsUp', path, -100 * MICRO_ONE, 100 * MICRO_ONE) };
    case 'rates':
      f.known(v, path, ['kind', 'basisPointsUp', 'note']);
      return { kind, basisPointsUp: f.whole(v, 'basisPointsUp', path, 0, 10_000) };
    case 'income':
      f.known(v, path, ['kind', 'occupations', 'industries', 'incomeChange', ...TIMING, 'note']);
      return {
        kind,
        occupations: f.strings(v, 'occupations', path),
        industries: f.strings(v, 'industries', path),
        incomeChange_micro: f.decimal(v, 'incomeChange', path, -MICRO_ONE, 0),
        fromMonth: fromMonth(),
        months: f.whole(v, 'months', path, 1, MONTHS_MAX, 12),
        recoveryMonths: f.whole(v, 'recoveryMonths', path, 0, MONTHS_MAX, 0),
      };
    case 'closure': {
      f.known(v, path, ['kind', 'industries', 'incomeShare', ...TIMING, 'note']);
      const industries = f.strings(v, 'industries', path);
      if (industries.length === 0 && Array.isArray(v.industries))
        f.issue(`${path}.industries`, 'name the industries closed, e.g. ["catering", "tourism"]');
      return {
        kind,
        industries,
        months: f.whole(v, 'months', path, 1, MONTHS_MAX),
        fromMonth: fromMonth(),
        incomeShare_micro: f.decimal(v, 'incomeShare', path, 0, MICRO_ONE, '0.15'),
        recoveryMonths: f.whole(v, 'recoveryMonths', path, 0, MONTHS_MAX, 6),
      };
    }
    case 'hazard':
      f.known(v, path, [
        'kind',
        'occupations',
        'industries',
        'fromMonth',
        'months',
        'lossMultiplier',
        'illnessMultiplier',
        'note',
      ]);
      return {
        kind,
        occupations: f.strings(v, 'occupations', path),
        industries: f.strings(v, 'industries', path),
        fromMonth: fromMonth(),
        months: f.whole(v, 'months', path, 1, MONTHS_MAX),
        lossMultiplier_micro: f.decimal(v, 'lossMultiplier', path, 0, 100 * MICRO_ONE, '1'),
        illnessMultiplier_micro: f.decimal(v, 'illnessMultiplier', path, 0, 100 * MICRO_ONE, '1'),
      };
    default:
      f.issue(
        `${path}.kind`,
        kind === undefined
          ? `is missing; give one of ${SHOCK_KINDS.join(', ')}`
          : `is ${JSON.stringify(kind)}; give one of ${SHOCK_KINDS.join(', ')}`,
      );
      return undefined;
  }
}

const SCENARIO_KEYS = [
  'id',
  'version',
  'label',
  'description',
  'weight',
  'pdMultiplier',
  'lgdAddOn',
  'shocks',
] as const;

/**
 * Reads one scenario document; a `ScenarioFileError` lists every problem by its JSON path (`where` names the
 * file in the message).
 */
export function parseScenario(document: unknown, where = 'scenario'): Scenario {
  if (!isObj(document)) throw new ScenarioFileError(where, [{ path: '$', message: 'give a JSON object' }]);
  const f = new Fields();
  const o = document;
  f.known(o, '$', SCENARIO_KEYS);
  const id = f.str(o, 'id', '$');
  if (id !== '' && !/^[a-z][a-z0-9-]{0,39}$/.test(id))
    f.issue('$.id', `is ${JSON.stringify(id)}; use lower-case letters, digits and hyphens (at most 40)`);
  let label = { en: '', zh: '' };
  if (isObj(o.label)) {
    f.known(o.label, '$.label', ['en', 'zh']);
    label = { en: f.str(o.label, 'en', '$.label'), zh: f.str(o.label, 'zh', '$.label') };
  } else f.issue('$.label', 'give the names { "en": …, "zh": … }');
  const description = o.description === undefined ? '' : f.str(o, 'description', '$');
  const scenario: Scenario = {
    id,
    version: f.whole(o, 'version', '$', 1, 1_000_000),
    label,
    description,
    weight_micro: f.decimal(o, 'weight', '$', 0, MICRO_ONE, '0'),
    pdMultiplier_micro: f.decimal(o, 'pdMultiplier', '$', 0, 1000 * MICRO_ONE, '1'),
    lgdAddOn_micro: f.decimal(o, 'lgdAddOn', '$', -MICRO_ONE, MICRO_ONE, '0'),
    shocks: [],
  };
  const raw = o.shocks ?? [];
  let shocks: Shock[] = [];
  if (!Array.isArray(raw)) f.issue('$.shocks', 'give a list of shocks (or [] for none)');
  else
    shocks = raw.map((s, i) => parseShock(f, s, `$.shocks[${i}]`)).filter((s): s is Shock => s !== undefined);
  if (f.issues.length > 0) throw new ScenarioFileError(where, f.issues);
  return { ...scenario, shocks };
}

const SENSITIVITY_KEYS = [
  'unemploymentPerPoint',
  'ratesPer100bp',
  'incomeDropPerTenPercent',
  'closurePerMonth',
] as const;

export function parseSensitivities(document: unknown, where = 'sensitivities'): Sensitivities {
  if (!isObj(document)) throw new ScenarioFileError(where, [{ path: '$', message: 'give a JSON object' }]);
  const f = new Fields();
  f.known(document, '$', [...SENSITIVITY_KEYS, 'note']);
  const d = (k: string) => f.decimal(document, k, '$', 0, 100 * MICRO_ONE);
  const out = {
    unemploymentPerPoint_micro: d('unemploymentPerPoint'),
    ratesPer100bp_micro: d('ratesPer100bp'),
    incomeDropPerTenPercent_micro: d('incomeDropPerTenPercent'),
    closurePerMonth_micro: d('closurePerMonth'),
  };
  if (f.issues.length > 0) throw new ScenarioFileError(where, f.issues);
  return out;
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
      case 'hazard':
        // Idiosyncratic events are the simulator's; the stress test's PDs move through the other shocks.
        break;
    }
    m = mulMicro(m, factor);
  }
  return m;
}
