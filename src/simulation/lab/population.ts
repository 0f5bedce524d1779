import type { Occupation } from '../../origination/index.js';
import { isObj, type Obj, Reader, readShares, SimulationInputError } from './validate.js';

/**
 * A population description (JSON, docs/simulation.md): who applies — occupation groups with their industry
 * mix, income process and idiosyncratic risks, regions, expenses, assets and debts — and the response
 * parameters of their behaviour. Every field has a default calibrated as docs/simulation.md states; a file
 * gives only what it changes.
 */

export const POPULATION_FORMAT = 'lendguard.simulation.population';

/** How a group's income moves month to month. */
export type IncomeProcess = 'salary' | 'freelance' | 'business' | 'pension';
export const INCOME_PROCESSES: readonly IncomeProcess[] = ['salary', 'freelance', 'business', 'pension'];

const GROUP_OCCUPATIONS: readonly Occupation[] = [
  'salaried',
  'civil-servant',
  'freelancer',
  'business-owner',
  'retired',
];

export interface OccupationGroup {
  readonly id: string;
  /** The occupation the application states (origination's list). */
  readonly occupation: Occupation;
  readonly process: IncomeProcess;
  readonly share: number;
  /** Industry → share within the group. */
  readonly industries: Readonly<Record<string, number>>;
  /** Median monthly income (salary, pay of a freelancer, owner's draw of a business), in fen. */
  readonly medianMonthlyIncome_fen: number;
  /** Spread across people: the σ of log income. */
  readonly incomeSpread: number;
  /** Month-to-month σ of log income (freelance and business; 0 for salary and pension). */
  readonly volatility: number;
  /** Monthly hazard of losing the job (salary, freelance: losing the clients) or of the business failing. */
  readonly lossMonthly: number;
  /** Monthly chance of income coming back after a loss. */
  readonly recoveryMonthly: number;
  /** Share of income left after a loss (benefits, odd jobs). */
  readonly incomeAfterLoss: number;
  /** Business owners: share who can give 12 months of statements. */
  readonly statementsShare: number;
  /** Relative risk of not paying against salaried borrowers (credit_data.csv bad rate by job). */
  readonly relativeRisk: number;
}

export interface BehaviourParameters {
  /** P(skip an instalment though able) = (1 − willingness) × skipWhenAble. */
  readonly skipWhenAble: number;
  /** Chance a borrower able and willing to pay forgets the due date with no reminder. */
  readonly forgetWithoutReminder: number;
  /** Each reminder delivered before or on the due date removes this share of the chance to forget. */
  readonly reminderEffect: number;
  /** Share of what is due a borrower short of money still pays, if willing (part payment), when at least 10 %. */
  readonly partPayWhenShort: number;
  /** P(answer a collection call) = answerBase + answerWillingness × willingness. */
  readonly answerBase: number;
  readonly answerWillingness: number;
  /** P(promise to pay | answered). */
  readonly promiseWhenAnswered: number;
  /** P(refuse to pay | answered without promising) = (1 − willingness) × refuseWhenUnwilling. */
  readonly refuseWhenUnwilling: number;
  /** P(keep a promise | money available) = willingness × keepPromise. */
  readonly keepPromise: number;
  /** P(pay late after a reminder or call | money available) = willingness × cureAfterContact. */
  readonly cureAfterContact: number;
  /** P(accept an offered holiday or instalment plan) = acceptBase + acceptWillingness × willingness. */
  readonly acceptBase: number;
  readonly acceptWillingness: number;
  /** P(a complaint) per answered collection call = complaintPerCall × (1 − willingness) × (1 + calls beyond 4 that month). */
  readonly complaintPerCall: number;
  /** Monthly chance of drawing on the line for spending while current. */
  readonly drawMonthly: number;
  /** Chance a current borrower short of money on the due date draws on the line to pay (以贷养贷) when the line allows it. */
  readonly drawWhenShort: number;
  /** Chance a borrower already past due draws on the line (to get by, or before walking away) when it allows it. */
  readonly drawWhenPastDue: number;
  /** Share of the available limit drawn (first drawdown and later ones). */
  readonly drawShare: number;
  /** Months of income kept as savings, times ability. */
  readonly savingsMonths: number;
  /** σ of expense overruns, times (1 − ability). */
  readonly expenseShock: number;
  /**
   * P(apply for hardship, 困难申请) at a month's case refresh while a collection case is open and a cause stands
   * that was not yet given on the case (job loss, business failure, illness, the scenario's industry shock, a
   * fall in income) = hardshipBase + hardshipWillingness × willingness.
   */
  readonly hardshipBase: number;
  readonly hardshipWillingness: number;
  /**
   * P(a hardship application comes with income evidence the collector records as verified income) for a
   * borrower without statements; a business owner with 12 months of statements always evidences it.
   */
  readonly incomeEvidenced: number;
  /** Unanswered borrower calls in a row on a case (across refreshes) after which it is marked lost contact (失联); 0: never. */
  readonly lostContactAfterUnanswered: number;
}

export interface PopulationSpec {
  readonly name: string;
  readonly groups: readonly OccupationGroup[];
  /** Province → share (the synthetic people's places). */
  readonly regions: Readonly<Record<string, number>>;
  readonly expensesToIncome: { readonly median: number; readonly spread: number };
  readonly assets: { readonly zeroShare: number; readonly medianMonthsOfIncome: number };
  readonly debts: { readonly zeroShare: number; readonly paymentToIncomeMedian: number };
  /** Requested limit in months of income: uniform between min and max. */
  readonly requestedLimitMonths: { readonly min: number; readonly max: number };
  readonly traits: {
    /** Mean of ability (0–1): how well cash flow withstands shocks (savings, expense discipline). */
    readonly abilityMean: number;
    readonly abilitySpread: number;
    /** Mean shortfall of willingness below 1 for a salaried borrower; scaled by the group's relative risk. */
    readonly willingnessShortfall: number;
  };
  /** Monthly chance of an illness: income halves and costs rise for three months. */
  readonly illnessMonthly: number;
  /** Months over which applications arrive (line openings spread evenly, giving vintages). */
  readonly applicationMonths: number;
  readonly behaviour: BehaviourParameters;
}

/**
 * Defaults. Shares of jobs, expenses-to-income, the share without assets or debts and the relative risk by job
 * come from credit_data.csv (4,454 applications: fixed 63 %, freelance 23 %, part-time 10 %, others 4 %; bad
 * rates 20.7 %, 32.5 %, 60 %, 39.8 %; median expenses 42 % of income; 37 % without assets; 83 % without
 * debt). Incomes are set for urban China; behaviour parameters are stated assumptions tuned so that the base
 * scenario's 90+ rate sits in domain.md §13's near-prime range (docs/simulation.md).
 */
export const DEFAULT_POPULATION: PopulationSpec = {
  name: 'baseline',
  groups: [
    {
      id: 'salaried',
      occupation: 'salaried',
      process: 'salary',
      share: 0.5,
      industries: {
        'information-technology': 0.2,
        manufacturing: 0.3,
        retail: 0.2,
        logistics: 0.15,
        tourism: 0.05,
        catering: 0.1,
      },
      medianMonthlyIncome_fen: 800_000,
      incomeSpread: 0.45,
      volatility: 0,
      lossMonthly: 0.004,
      recoveryMonthly: 0.2,
      incomeAfterLoss: 0.25,
      statementsShare: 0,
      relativeRisk: 1,
    },
    {
      id: 'civil-servant',
      occupation: 'civil-servant',
      process: 'salary',
      share: 0.1,
      industries: { 'public-administration': 1 },
      medianMonthlyIncome_fen: 900_000,
      incomeSpread: 0.3,
      volatility: 0,
      lossMonthly: 0.0005,
      recoveryMonthly: 0.3,
      incomeAfterLoss: 0.3,
      statementsShare: 0,
      relativeRisk: 0.6,
    },
    {
      id: 'freelancer',
      occupation: 'freelancer',
      process: 'freelance',
      share: 0.2,
      industries: { design: 0.3, media: 0.3, education: 0.2, tourism: 0.2 },
      medianMonthlyIncome_fen: 750_000,
      incomeSpread: 0.55,
      volatility: 0.3,
      lossMonthly: 0.006,
      recoveryMonthly: 0.25,
      incomeAfterLoss: 0.2,
      statementsShare: 0,
      relativeRisk: 1.57,
    },
    {
      id: 'business-owner',
      occupation: 'business-owner',
      process: 'business',
      share: 0.14,
      industries: { catering: 0.4, retail: 0.3, tourism: 0.1, 'information-technology': 0.2 },
      medianMonthlyIncome_fen: 1_200_000,
      incomeSpread: 0.6,
      volatility: 0.2,
      lossMonthly: 0.008,
      recoveryMonthly: 0.1,
      incomeAfterLoss: 0.2,
      statementsShare: 0.6,
      relativeRisk: 1.92,
    },
    {
      id: 'retired',
      occupation: 'retired',
      process: 'pension',
      share: 0.06,
      industries: { none: 1 },
      medianMonthlyIncome_fen: 450_000,
      incomeSpread: 0.3,
      volatility: 0,
      lossMonthly: 0,
      recoveryMonthly: 0,
      incomeAfterLoss: 1,
      statementsShare: 0,
      relativeRisk: 1,
    },
  ],
  regions: {
    北京市: 0.12,
    上海市: 0.12,
    广东省: 0.22,
    浙江省: 0.12,
    四川省: 0.1,
    湖北省: 0.08,
    江苏省: 0.1,
    河南省: 0.07,
    山东省: 0.07,
  },
  expensesToIncome: { median: 0.42, spread: 0.3 },
  assets: { zeroShare: 0.37, medianMonthsOfIncome: 6 },
  debts: { zeroShare: 0.83, paymentToIncomeMedian: 0.15 },
  requestedLimitMonths: { min: 1, max: 4 },
  traits: { abilityMean: 0.6, abilitySpread: 0.2, willingnessShortfall: 0.05 },
  illnessMonthly: 0.002,
  applicationMonths: 6,
  behaviour: {
    skipWhenAble: 0.25,
    forgetWithoutReminder: 0.12,
    reminderEffect: 0.45,
    partPayWhenShort: 0.8,
    answerBase: 0.15,
    answerWillingness: 0.6,
    promiseWhenAnswered: 0.6,
    refuseWhenUnwilling: 0.8,
    keepPromise: 0.85,
    cureAfterContact: 0.7,
    acceptBase: 0.3,
    acceptWillingness: 0.6,
    complaintPerCall: 0.02,
    drawMonthly: 0.08,
    drawWhenShort: 0.6,
    drawWhenPastDue: 0.3,
    drawShare: 0.6,
    savingsMonths: 1.5,
    expenseShock: 0.35,
    hardshipBase: 0.05,
    hardshipWillingness: 0.6,
    incomeEvidenced: 0.5,
    lostContactAfterUnanswered: 6,
  },
};

/** The most unanswered calls in a row a population may ask for before a case is marked lost contact. */
export const LOST_CONTACT_CALLS_MAX = 100;

const BEHAVIOUR_KEYS = Object.keys(DEFAULT_POPULATION.behaviour) as (keyof BehaviourParameters)[];

function readGroup(r: Reader, raw: unknown, path: string): OccupationGroup | undefined {
  if (!isObj(raw)) {
    r.issue(path, 'give an occupation group object');
    return undefined;
  }
  const base = DEFAULT_POPULATION.groups.find((g) => g.id === raw.id) ?? DEFAULT_POPULATION.groups[0]!;
  r.known(raw, path, [
    'id',
    'occupation',
    'process',
    'share',
    'industries',
    'medianMonthlyIncome_fen',
    'incomeSpread',
    'volatility',
    'lossMonthly',
    'recoveryMonthly',
    'incomeAfterLoss',
    'statementsShare',
    'relativeRisk',
  ]);
  return {
    id: r.string(raw, 'id', path, base.id),
    occupation: r.oneOf(raw, 'occupation', path, base.occupation, GROUP_OCCUPATIONS),
    process: r.oneOf(raw, 'process', path, base.process, INCOME_PROCESSES),
    share: r.number(raw, 'share', path, base.share, 0, 1),
    industries: readShares(r, raw, 'industries', path, base.industries),
    medianMonthlyIncome_fen: r.number(
      raw,
      'medianMonthlyIncome_fen',
      path,
      base.medianMonthlyIncome_fen,
      100_000,
      100_000_000,
      true,
    ),
    incomeSpread: r.number(raw, 'incomeSpread', path, base.incomeSpread, 0, 2),
    volatility: r.number(raw, 'volatility', path, base.volatility, 0, 2),
    lossMonthly: r.number(raw, 'lossMonthly', path, base.lossMonthly, 0, 1),
    recoveryMonthly: r.number(raw, 'recoveryMonthly', path, base.recoveryMonthly, 0, 1),
    incomeAfterLoss: r.number(raw, 'incomeAfterLoss', path, base.incomeAfterLoss, 0, 1),
    statementsShare: r.number(raw, 'statementsShare', path, base.statementsShare, 0, 1),
    relativeRisk: r.number(raw, 'relativeRisk', path, base.relativeRisk, 0, 20),
  };
}

function pair<T extends Record<string, number>>(
  r: Reader,
  obj: Obj,
  key: string,
  fallback: T,
  bounds: Record<keyof T, [number, number]>,
): T {
  const v = r.object(obj, key, '$');
  if (v === undefined) return fallback;
  r.known(v, `$.${key}`, Object.keys(fallback));
  const out: Record<string, number> = {};
  for (const k of Object.keys(fallback)) {
    const [min, max] = bounds[k]!;
    out[k] = r.number(v, k, `$.${key}`, fallback[k]!, min, max);
  }
  return out as T;
}

/** Reads a population description; throws SimulationInputError listing every problem. */
export function parsePopulation(raw: unknown, file = 'population'): PopulationSpec {
  const r = new Reader();
  if (!isObj(raw))
    throw new SimulationInputError('population_invalid', file, [
      { path: '$', message: 'give a JSON object' },
    ]);
  r.header(raw, POPULATION_FORMAT);
  r.known(raw, '$', [
    'format',
    'formatVersion',
    'name',
    'description',
    'groups',
    'regions',
    'expensesToIncome',
    'assets',
    'debts',
    'requestedLimitMonths',
    'traits',
    'illnessMonthly',
    'applicationMonths',
    'behaviour',
  ]);
  const d = DEFAULT_POPULATION;
  let groups: OccupationGroup[] = [...d.groups];
  const rawGroups = r.array(raw, 'groups', '$');
  if (rawGroups !== undefined) {
    groups = rawGroups
      .map((g, i) => readGroup(r, g, `$.groups[${i}]`))
      .filter((g): g is OccupationGroup => g !== undefined);
    if (groups.length === 0) r.issue('$.groups', 'is empty; give at least one occupation group');
    const sum = groups.reduce((s, g) => s + g.share, 0);
    if (groups.length > 0 && Math.abs(sum - 1) > 1e-6)
      r.issue('$.groups', `the groups' shares sum to ${Number(sum.toFixed(6))}; they must sum to 1`);
    const ids = new Set<string>();
    groups.forEach((g, i) => {
      if (ids.has(g.id)) r.issue(`$.groups[${i}].id`, `"${g.id}" is used twice; give each group its own id`);
      ids.add(g.id);
    });
  }
  const behaviourRaw = r.object(raw, 'behaviour', '$');
  const behaviour: Record<string, number> = { ...d.behaviour };
  if (behaviourRaw !== undefined) {
    r.known(behaviourRaw, '$.behaviour', BEHAVIOUR_KEYS);
    for (const k of BEHAVIOUR_KEYS) {
      const whole = k === 'lostContactAfterUnanswered';
      const max = k === 'savingsMonths' ? 60 : k === 'expenseShock' ? 5 : whole ? LOST_CONTACT_CALLS_MAX : 1;
      behaviour[k] = r.number(behaviourRaw, k, '$.behaviour', d.behaviour[k], 0, max, whole);
    }
    const hardship = behaviour.hardshipBase! + behaviour.hardshipWillingness!;
    if (hardship > 1 + 1e-9)
      r.issue(
        '$.behaviour.hardshipWillingness',
        `hardshipBase + hardshipWillingness is ${Number(hardship.toFixed(6))}; the chance of a hardship application of the most willing borrower must be at most 1`,
      );
  }
  const spec: PopulationSpec = {
    name: r.string(raw, 'name', '$', d.name),
    groups,
    regions: readShares(r, raw, 'regions', '$', d.regions),
    expensesToIncome: pair(r, raw, 'expensesToIncome', d.expensesToIncome, {
      median: [0, 0.95],
      spread: [0, 2],
    }),
    assets: pair(r, raw, 'assets', d.assets, { zeroShare: [0, 1], medianMonthsOfIncome: [0, 1200] }),
    debts: pair(r, raw, 'debts', d.debts, { zeroShare: [0, 1], paymentToIncomeMedian: [0, 0.95] }),
    requestedLimitMonths: pair(r, raw, 'requestedLimitMonths', d.requestedLimitMonths, {
      min: [0.1, 24],
      max: [0.1, 24],
    }),
    traits: pair(r, raw, 'traits', d.traits, {
      abilityMean: [0, 1],
      abilitySpread: [0, 1],
      willingnessShortfall: [0, 1],
    }),
    illnessMonthly: r.number(raw, 'illnessMonthly', '$', d.illnessMonthly, 0, 1),
    applicationMonths: r.number(raw, 'applicationMonths', '$', d.applicationMonths, 1, 120, true),
    behaviour: behaviour as unknown as BehaviourParameters,
  };
  if (spec.requestedLimitMonths.min > spec.requestedLimitMonths.max)
    r.issue('$.requestedLimitMonths', 'min is above max');
  if (r.issues.length > 0) throw new SimulationInputError('population_invalid', file, r.issues);
  return spec;
}
