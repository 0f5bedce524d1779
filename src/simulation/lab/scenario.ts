import {
  parseScenario as parseScenarioDocument,
  type Scenario,
  ScenarioFileError,
} from '../../reporting/index.js';
import { isObj, type Obj, Reader, SimulationInputError } from './validate.js';

/**
 * A scenario as data: the economy the population lives through, month by month from the run's start. Shocks
 * change incomes by occupation or industry, close industries for some months and let them recover, and scale
 * the idiosyncratic hazards (job loss, business failure, illness).
 *
 * The shipped scenarios are the shared scenario documents of policies/scenarios (decision 0907), the same files
 * the ECL and the stress tests read; `labScenarioOf` reads one as the lab's months. The lab's own earlier
 * format (`"format": "lendguard.simulation.scenario"`) is still read.
 */

export const SCENARIO_FORMAT = 'lendguard.simulation.scenario';

export type Shock =
  | {
      /** Incomes of the named occupations and/or industries multiplied by `factor` (a downturn). */
      readonly kind: 'income';
      readonly occupations: readonly string[];
      readonly industries: readonly string[];
      readonly fromMonth: number;
      readonly months: number;
      readonly factor: number;
      /** Months over which the factor returns linearly to 1 after the shock. */
      readonly recoveryMonths: number;
    }
  | {
      /** Named industries closed (a pandemic): revenue and pay fall to `incomeShare`, then recover. */
      readonly kind: 'closure';
      readonly industries: readonly string[];
      readonly fromMonth: number;
      readonly months: number;
      readonly incomeShare: number;
      readonly recoveryMonths: number;
    }
  | {
      /** Job-loss, business-failure and illness hazards multiplied (for the named occupations, or all). */
      readonly kind: 'hazard';
      readonly occupations: readonly string[];
      readonly industries: readonly string[];
      readonly fromMonth: number;
      readonly months: number;
      readonly lossMultiplier: number;
      readonly illnessMultiplier: number;
    };

export interface ScenarioSpec {
  readonly name: string;
  readonly shocks: readonly Shock[];
}

export const BASE_SCENARIO: ScenarioSpec = { name: 'base', shocks: [] };

const KINDS = ['income', 'closure', 'hazard'] as const;

function readShock(r: Reader, raw: unknown, path: string): Shock | undefined {
  if (!isObj(raw)) {
    r.issue(path, 'give a shock object with a "kind"');
    return undefined;
  }
  const kind = r.oneOf(raw, 'kind', path, 'income', KINDS);
  if (raw.kind === undefined) r.issue(`${path}.kind`, `is missing; give one of ${KINDS.join(', ')}`);
  const fromMonth = r.number(raw, 'fromMonth', path, 1, 1, 600, true);
  const months = r.number(raw, 'months', path, 1, 1, 600, true);
  if (raw.fromMonth === undefined)
    r.issue(`${path}.fromMonth`, 'is missing: the first month of the shock (1 = the first month of the run)');
  if (raw.months === undefined) r.issue(`${path}.months`, 'is missing: how many months the shock lasts');
  const occupations = r.strings(raw, 'occupations', path, []);
  const industries = r.strings(raw, 'industries', path, []);
  switch (kind) {
    case 'income':
      r.known(raw, path, [
        'kind',
        'occupations',
        'industries',
        'fromMonth',
        'months',
        'factor',
        'recoveryMonths',
        'note',
      ]);
      if (raw.factor === undefined) r.issue(`${path}.factor`, 'is missing: the income multiplier, e.g. 0.85');
      return {
        kind,
        occupations,
        industries,
        fromMonth,
        months,
        factor: r.number(raw, 'factor', path, 1, 0, 2),
        recoveryMonths: r.number(raw, 'recoveryMonths', path, 0, 0, 600, true),
      };
    case 'closure':
      r.known(raw, path, [
        'kind',
        'industries',
        'fromMonth',
        'months',
        'incomeShare',
        'recoveryMonths',
        'note',
      ]);
      if (industries.length === 0)
        r.issue(`${path}.industries`, 'name the industries closed, e.g. ["catering", "tourism"]');
      return {
        kind,
        industries,
        fromMonth,
        months,
        incomeShare: r.number(raw, 'incomeShare', path, 0.15, 0, 1),
        recoveryMonths: r.number(raw, 'recoveryMonths', path, 6, 0, 600, true),
      };
    case 'hazard':
      r.known(raw, path, [
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
        occupations,
        industries,
        fromMonth,
        months,
        lossMultiplier: r.number(raw, 'lossMultiplier', path, 1, 0, 100),
        illnessMultiplier: r.number(raw, 'illnessMultiplier', path, 1, 0, 100),
      };
  }
}

const micro = (m: number): number => m / 1_000_000;

/**
 * A shared scenario document as the lab's months. Income, closure and hazard shocks are applied as they are
 * timed; unemployment and rates move the stress test's PDs through the sensitivities and are not simulated (the
 * lab's idiosyncratic hazards carry what a scenario means for job losses, and its loans are fixed-rate).
 */
export function labScenarioOf(scenario: Scenario): ScenarioSpec {
  const shocks: Shock[] = [];
  for (const s of scenario.shocks) {
    switch (s.kind) {
      case 'income':
        shocks.push({
          kind: 'income',
          occupations: s.occupations,
          industries: s.industries,
          fromMonth: s.fromMonth,
          months: s.months,
          factor: micro(1_000_000 + s.incomeChange_micro),
          recoveryMonths: s.recoveryMonths,
        });
        break;
      case 'closure':
        shocks.push({
          kind: 'closure',
          industries: s.industries,
          fromMonth: s.fromMonth,
          months: s.months,
          incomeShare: micro(s.incomeShare_micro),
          recoveryMonths: s.recoveryMonths,
        });
        break;
      case 'hazard':
        shocks.push({
          kind: 'hazard',
          occupations: s.occupations,
          industries: s.industries,
          fromMonth: s.fromMonth,
          months: s.months,
          lossMultiplier: micro(s.lossMultiplier_micro),
          illnessMultiplier: micro(s.illnessMultiplier_micro),
        });
        break;
      case 'unemployment':
      case 'rates':
        break;
    }
  }
  return { name: scenario.id, shocks };
}

/**
 * Reads a scenario file — a shared scenario document (policies/scenarios) or the lab's earlier format; throws
 * SimulationInputError listing every problem.
 */
export function parseScenario(raw: unknown, file = 'scenario'): ScenarioSpec {
  const r = new Reader();
  if (!isObj(raw))
    throw new SimulationInputError('scenario_invalid', file, [{ path: '$', message: 'give a JSON object' }]);
  if (raw.format === undefined && raw.id !== undefined) {
    try {
      return labScenarioOf(parseScenarioDocument(raw, file));
    } catch (error) {
      if (error instanceof ScenarioFileError)
        throw new SimulationInputError('scenario_invalid', file, error.issues);
      throw error;
    }
  }
  r.header(raw, SCENARIO_FORMAT);
  r.known(raw, '$', ['format', 'formatVersion', 'name', 'description', 'shocks']);
  const shocks = (r.array(raw, 'shocks', '$') ?? [])
    .map((s, i) => readShock(r, s, `$.shocks[${i}]`))
    .filter((s): s is Shock => s !== undefined);
  const spec = { name: r.string(raw, 'name', '$', 'unnamed'), shocks };
  if (raw.name === undefined) r.issue('$.name', 'is missing; name the scenario');
  if (r.issues.length > 0) throw new SimulationInputError('scenario_invalid', file, r.issues);
  return spec;
}

function applies(
  shock: { occupations?: readonly string[]; industries: readonly string[] },
  group: string,
  occupation: string,
  industry: string,
): boolean {
  const occ = shock.occupations ?? [];
  const byOcc = occ.length === 0 || occ.includes(group) || occ.includes(occupation);
  const byInd = shock.industries.length === 0 || shock.industries.includes(industry);
  return byOcc && byInd;
}

/** A factor easing back to 1 linearly over `recovery` months after the shock's last month. */
function withRecovery(month: number, from: number, months: number, recovery: number, low: number): number {
  if (month < from) return 1;
  if (month < from + months) return low;
  const after = month - (from + months) + 1;
  if (recovery === 0 || after > recovery) return 1;
  return low + ((1 - low) * after) / (recovery + 1);
}

export interface MonthConditions {
  /** Multiplier of the month's income (1 = unchanged). */
  readonly incomeFactor: number;
  /** The borrower's industry is closed this month. */
  readonly closed: boolean;
  /** The borrower's income is under a shock this month (closure, recovery or a downturn). */
  readonly shocked: boolean;
  readonly lossMultiplier: number;
  readonly illnessMultiplier: number;
}

/** What the scenario means for one borrower in month `month` (1-based). */
export function conditionsFor(
  scenario: ScenarioSpec,
  month: number,
  group: string,
  occupation: string,
  industry: string,
): MonthConditions {
  let incomeFactor = 1;
  let closed = false;
  let shocked = false;
  let lossMultiplier = 1;
  let illnessMultiplier = 1;
  for (const s of scenario.shocks) {
    if (!applies(s, group, occupation, industry)) continue;
    if (s.kind === 'hazard') {
      if (month >= s.fromMonth && month < s.fromMonth + s.months) {
        lossMultiplier *= s.lossMultiplier;
        illnessMultiplier *= s.illnessMultiplier;
      }
      continue;
    }
    const low = s.kind === 'closure' ? s.incomeShare : s.factor;
    const f = withRecovery(month, s.fromMonth, s.months, s.recoveryMonths, low);
    if (f !== 1) shocked = true;
    if (s.kind === 'closure' && month >= s.fromMonth && month < s.fromMonth + s.months) closed = true;
    incomeFactor *= f;
  }
  return { incomeFactor, closed, shocked, lossMultiplier, illnessMultiplier };
}

/** The industries a scenario closes at some point (the shocked industries of its report). */
export function closedIndustries(scenario: ScenarioSpec): string[] {
  const out = new Set<string>();
  for (const s of scenario.shocks) if (s.kind === 'closure') for (const i of s.industries) out.add(i);
  return [...out].sort();
}

export type { Obj };
