import {
  type CompiledStrategy,
  compileStrategy,
  DEFAULT_COLLECTION_STRATEGY,
  type StrategyAction,
} from '../../collections/index.js';
import {
  type CompiledLineControls,
  compileLineControls,
  type ParsedCadenceDocument,
  parseCadenceDocument,
} from '../../monitoring/index.js';
import {
  type CompiledPolicy,
  compilePolicy,
  type ModelSet,
  type PolicyDocument,
  parsePolicy,
} from '../../origination/index.js';
import {
  DEFAULT_ECL_SETTINGS,
  DEFAULT_SENSITIVITIES,
  type EclSettings,
  parseEclLenderSettings,
  type Scenario,
  type Sensitivities,
  withLenderSettings,
  withLenderWeights,
} from '../../reporting/index.js';
import type { ModelArtifact } from '../../scoring/index.js';
import { isObj, Reader, SimulationInputError } from './validate.js';

/**
 * A strategy file names the documents the product runs on — an origination policy version, line controls,
 * a reminder cadence, a collection strategy (the GoRules graph collections evaluate on every case) — and
 * states, for collections, only what those documents do not say: what a month of each step of the collection
 * strategy means in contacts, which offer a negotiation step makes (a payment holiday or an instalment plan,
 * 协商分期, through the ledger's restructure command), what an agency costs and reaches, when a legal review
 * may go to law, when to write off, and what each action costs. Paths are relative to the strategy file.
 */

export const STRATEGY_FORMAT = 'lendguard.simulation.strategy';

/** Steps of the collection strategy the lab works over a month (a `hold` step is no work). */
export const WORKED_ACTIONS = [
  'reminder',
  'call',
  'letter',
  'negotiation-offer',
  'agency-placement',
  'legal-review',
] as const satisfies readonly StrategyAction[];
export type WorkedAction = (typeof WORKED_ACTIONS)[number];

/** What a month of one step means: messages on the step's reminder channel, collection calls, letters. */
export interface StepWork {
  readonly messages: number;
  readonly calls: number;
  readonly letters: number;
}

export interface CollectionStrategy {
  /** A case opens at this many days past due (collections' case settings). */
  readonly caseOpenFromDaysPastDue: number;
  /** A month of each step the collection strategy gives. */
  readonly work: Readonly<Record<WorkedAction, StepWork>>;
  /** A negotiation step offers a payment holiday when it may… */
  readonly holiday: {
    readonly offer: boolean;
    /** …only to borrowers whose industry is under a scenario shock (a relief programme), when true. */
    readonly onlyShocked: boolean;
    readonly months: number;
  };
  /** …and otherwise an instalment plan (协商分期). */
  readonly negotiatedPlan: {
    readonly offer: boolean;
    readonly months: number;
  };
  /** An agency placement: the agency's commission on what the borrower pays while placed, and what it reaches. */
  readonly agency: {
    readonly commissionShare: number;
    /** Share of the borrower's assets the agency reaches in the month the case is placed. */
    readonly recoveryShareOfAssets: number;
  };
  /** A legal review files a lawsuit when these allow; otherwise it is worked as the review's `work`. */
  readonly legal: {
    readonly sue: boolean;
    readonly fromDaysPastDue: number;
    readonly minOwed_fen: number;
    /** Months from filing to a judgement enforced on the borrower's assets. */
    readonly monthsToJudgment: number;
    /** Share of the borrower's assets an enforced judgement reaches. */
    readonly recoveryShareOfAssets: number;
  };
  readonly writeOffDaysPastDue: number;
  /** Cost of each action, in fen: reminders by channel, a letter, a collection call, a lawsuit. */
  readonly costs_fen: {
    readonly 'app-push': number;
    readonly sms: number;
    readonly email: number;
    readonly 'call-task': number;
    readonly letter: number;
    readonly call: number;
    readonly lawsuit: number;
  };
}

/**
 * The ECL the lab reports is the reporting core's (docs/ecl.md): the shipped scenario pack and model settings,
 * changed by a lender's ECL settings document when the strategy names one (`ecl.settings`, the file
 * `--ecl-settings` reads: lgdOverride, lgdFloor, ccf, scenarioWeights).
 */
export interface EclChoice {
  /** The lender's ECL settings document, relative to the strategy file; null: the shipped settings. */
  readonly settings: string | null;
}

export interface StrategyFile {
  readonly name: string;
  readonly origination: {
    readonly policy: string;
    /** Settings of the policy changed for this strategy (e.g. businessStatementsAbove_fen). */
    readonly settings: Readonly<Record<string, unknown>>;
    /** How an application referred to an analyst is treated (no analyst in the simulation). */
    readonly referred: 'decline' | 'approve';
  };
  readonly lineControls: string;
  readonly reminders: string;
  /** The collection strategy graph; null: the shipped one (policies/collections/default-strategy.json). */
  readonly collectionStrategy: string | null;
  readonly collections: CollectionStrategy;
  readonly ecl: EclChoice;
}

export const DEFAULT_COLLECTIONS: CollectionStrategy = {
  caseOpenFromDaysPastDue: 1,
  work: {
    reminder: { messages: 2, calls: 3, letters: 0 },
    call: { messages: 0, calls: 8, letters: 0 },
    letter: { messages: 0, calls: 12, letters: 1 },
    'negotiation-offer': { messages: 0, calls: 8, letters: 0 },
    'agency-placement': { messages: 0, calls: 12, letters: 0 },
    'legal-review': { messages: 0, calls: 12, letters: 1 },
  },
  holiday: { offer: false, onlyShocked: true, months: 3 },
  negotiatedPlan: { offer: true, months: 12 },
  agency: { commissionShare: 0.3, recoveryShareOfAssets: 0.1 },
  legal: {
    sue: true,
    fromDaysPastDue: 120,
    minOwed_fen: 300_000,
    monthsToJudgment: 3,
    recoveryShareOfAssets: 0.3,
  },
  writeOffDaysPastDue: 180,
  costs_fen: { 'app-push': 0, sms: 5, email: 0, 'call-task': 300, letter: 800, call: 300, lawsuit: 150_000 },
};

function readCollections(r: Reader, raw: unknown): CollectionStrategy {
  const d = DEFAULT_COLLECTIONS;
  if (raw === undefined) return d;
  const p = '$.collections';
  if (!isObj(raw)) {
    r.issue(p, 'give an object');
    return d;
  }
  r.known(raw, p, [
    'caseOpenFromDaysPastDue',
    'callsPerMonth',
    'work',
    'holiday',
    'negotiatedPlan',
    'agency',
    'legal',
    'writeOffDaysPastDue',
    'costs_fen',
  ]);
  if ('callsPerMonth' in raw)
    r.issue(
      `${p}.callsPerMonth`,
      'the collection strategy document decides the step of each case; say what a month of each step means in "work"',
    );
  const sub = <T extends object>(
    key: string,
    fallback: T,
    read: (o: Record<string, unknown>, path: string) => T,
    from: Record<string, unknown> = raw,
    at: string = p,
  ): T => {
    const o = r.object(from, key, at);
    if (o === undefined) return fallback;
    r.known(o, `${at}.${key}`, Object.keys(fallback));
    return read(o, `${at}.${key}`);
  };
  const costs = sub('costs_fen', d.costs_fen, (o, path) => {
    const out: Record<string, number> = {};
    for (const k of Object.keys(d.costs_fen))
      out[k] = r.number(o, k, path, d.costs_fen[k as keyof typeof d.costs_fen], 0, 100_000_000, true);
    return out as unknown as CollectionStrategy['costs_fen'];
  });
  const work = sub('work', d.work, (o, path) => {
    const out = {} as Record<WorkedAction, StepWork>;
    for (const action of WORKED_ACTIONS)
      out[action] = sub(
        action,
        d.work[action],
        (w, at) => ({
          messages: r.number(w, 'messages', at, d.work[action].messages, 0, 31, true),
          calls: r.number(w, 'calls', at, d.work[action].calls, 0, 14, true),
          letters: r.number(w, 'letters', at, d.work[action].letters, 0, 5, true),
        }),
        o,
        path,
      );
    return out;
  });
  return {
    caseOpenFromDaysPastDue: r.number(
      raw,
      'caseOpenFromDaysPastDue',
      p,
      d.caseOpenFromDaysPastDue,
      1,
      365,
      true,
    ),
    work,
    holiday: sub('holiday', d.holiday, (o, path) => ({
      offer: r.boolean(o, 'offer', path, d.holiday.offer),
      onlyShocked: r.boolean(o, 'onlyShocked', path, d.holiday.onlyShocked),
      months: r.number(o, 'months', path, d.holiday.months, 1, 12, true),
    })),
    negotiatedPlan: sub('negotiatedPlan', d.negotiatedPlan, (o, path) => ({
      offer: r.boolean(o, 'offer', path, d.negotiatedPlan.offer),
      months: r.number(o, 'months', path, d.negotiatedPlan.months, 1, 60, true),
    })),
    agency: sub('agency', d.agency, (o, path) => ({
      commissionShare: r.number(o, 'commissionShare', path, d.agency.commissionShare, 0, 1),
      recoveryShareOfAssets: r.number(o, 'recoveryShareOfAssets', path, d.agency.recoveryShareOfAssets, 0, 1),
    })),
    legal: sub('legal', d.legal, (o, path) => ({
      sue: r.boolean(o, 'sue', path, d.legal.sue),
      fromDaysPastDue: r.number(o, 'fromDaysPastDue', path, d.legal.fromDaysPastDue, 1, 3650, true),
      minOwed_fen: r.number(o, 'minOwed_fen', path, d.legal.minOwed_fen, 0, 1e12, true),
      monthsToJudgment: r.number(o, 'monthsToJudgment', path, d.legal.monthsToJudgment, 0, 60, true),
      recoveryShareOfAssets: r.number(o, 'recoveryShareOfAssets', path, d.legal.recoveryShareOfAssets, 0, 1),
    })),
    writeOffDaysPastDue: r.number(raw, 'writeOffDaysPastDue', p, d.writeOffDaysPastDue, 30, 3650, true),
    costs_fen: costs,
  };
}

/** Reads a strategy file; throws SimulationInputError listing every problem. */
export function parseStrategy(raw: unknown, file = 'strategy'): StrategyFile {
  const r = new Reader();
  if (!isObj(raw))
    throw new SimulationInputError('strategy_invalid', file, [{ path: '$', message: 'give a JSON object' }]);
  r.header(raw, STRATEGY_FORMAT);
  r.known(raw, '$', [
    'format',
    'formatVersion',
    'name',
    'description',
    'origination',
    'lineControls',
    'reminders',
    'collectionStrategy',
    'collections',
    'ecl',
  ]);
  const o = r.object(raw, 'origination', '$') ?? {};
  if (raw.origination === undefined)
    r.issue('$.origination', 'is missing; give {"policy": "../default"} (a policy folder or file)');
  r.known(o, '$.origination', ['policy', 'settings', 'referred']);
  if (o.policy === undefined)
    r.issue('$.origination.policy', 'is missing; name the origination policy folder or file');
  const settings = r.object(o, 'settings', '$.origination') ?? {};
  for (const k of ['lineControls', 'reminders'])
    if (raw[k] === undefined)
      r.issue(
        `$.${k}`,
        `is missing; name the ${k === 'lineControls' ? 'line-control graph (e.g. ../default/linecontrols.json)' : 'reminder cadence (e.g. ../reminders/default-cadence.json)'}`,
      );
  const eclRaw = r.object(raw, 'ecl', '$');
  let ecl: EclChoice = { settings: null };
  if (eclRaw !== undefined) {
    for (const k of ['pdStage1', 'pdStage2', 'pdStage3', 'lgd'])
      if (k in eclRaw)
        r.issue(
          `$.ecl.${k}`,
          "is no longer read: the ECL is the reporting core's (PDs from the simulated book's own chain, LGD from its workouts); name a lender's ECL settings document in \"settings\" (lgdOverride, lgdFloor, ccf, scenarioWeights) instead",
        );
    r.known(
      Object.fromEntries(
        Object.entries(eclRaw).filter(([k]) => !['pdStage1', 'pdStage2', 'pdStage3', 'lgd'].includes(k)),
      ),
      '$.ecl',
      ['settings'],
    );
    ecl = {
      settings:
        eclRaw.settings === undefined || eclRaw.settings === null
          ? null
          : r.string(eclRaw, 'settings', '$.ecl', ''),
    };
  }
  const spec: StrategyFile = {
    name: r.string(raw, 'name', '$', 'unnamed'),
    origination: {
      policy: r.string(o, 'policy', '$.origination', ''),
      settings,
      referred: r.oneOf(o, 'referred', '$.origination', 'decline', ['decline', 'approve'] as const),
    },
    lineControls: r.string(raw, 'lineControls', '$', ''),
    reminders: r.string(raw, 'reminders', '$', ''),
    collectionStrategy:
      raw.collectionStrategy === undefined || raw.collectionStrategy === null
        ? null
        : r.string(raw, 'collectionStrategy', '$', ''),
    collections: readCollections(r, raw.collections),
    ecl,
  };
  if (raw.name === undefined) r.issue('$.name', 'is missing; name the strategy');
  if (r.issues.length > 0) throw new SimulationInputError('strategy_invalid', file, r.issues);
  return spec;
}

/** The documents a strategy file names, as the shell read them (JSON values). */
export interface StrategyDocuments {
  readonly policy: PolicyDocument | unknown;
  readonly lineControls: unknown;
  readonly cadence: unknown;
  /** The collection strategy graph the file names; absent when it names none (the shipped one is used). */
  readonly collectionStrategy?: unknown;
  readonly models: ModelSet;
  /**
   * The behaviour scorecard (the shipped models/behaviour-scorecard.json when read from files): the borrower of
   * an open case is scored with it at each refresh. Absent: no behaviour score (null), as for a borrower the
   * product has not scored.
   */
  readonly behaviourModel?: ModelArtifact;
  /**
   * The ECL's scenario pack as `report ecl` reads it (policies/scenarios) and the lender's ECL settings document
   * the file names (absent: none). Without a pack the ECL runs one neutral scenario (weight 1, no multiplier).
   */
  readonly ecl?: {
    readonly scenarios: readonly Scenario[];
    readonly sensitivities: Sensitivities;
    readonly settings?: unknown;
  };
}

/** What the lab's ECL runs with: the scenarios (with the lender's weights), sensitivities and model settings. */
export interface LabEcl {
  readonly scenarios: readonly Scenario[];
  readonly sensitivities: Sensitivities;
  readonly settings: EclSettings;
}

const NEUTRAL_SCENARIO: Scenario = {
  id: 'base',
  version: 1,
  label: { en: 'Base', zh: '基准' },
  description: '',
  weight_micro: 1_000_000,
  pdMultiplier_micro: 1_000_000,
  lgdAddOn_micro: 0,
  shocks: [],
};

/** A strategy ready to run: its policy compiled (with the settings it changes), line controls and cadence checked. */
export interface ResolvedStrategy {
  readonly name: string;
  readonly file: StrategyFile;
  readonly policy: CompiledPolicy;
  readonly models: ModelSet;
  readonly lineControls: CompiledLineControls;
  readonly cadence: ParsedCadenceDocument;
  /** The collection strategy, as collections' refresh compiles it. */
  readonly collectionStrategy: CompiledStrategy;
  readonly ecl: LabEcl;
  /** The behaviour scorecard open cases' borrowers are scored with; null: none (no behaviour score). */
  readonly behaviourModel: ModelArtifact | null;
}

/** Checks and compiles the documents a strategy names; a problem is a strategy_invalid error naming the document. */
export function resolveStrategy(
  file: StrategyFile,
  docs: StrategyDocuments,
  fileName = 'strategy',
): ResolvedStrategy {
  const fail = (path: string, message: string): never => {
    throw new SimulationInputError('strategy_invalid', fileName, [{ path, message }]);
  };
  let policy: CompiledPolicy;
  try {
    const base = parsePolicy(docs.policy);
    const settings = { ...base.settings, ...(file.origination.settings as object) };
    policy = compilePolicy(parsePolicy({ ...base, settings }));
  } catch (error) {
    return fail(
      '$.origination',
      `the policy "${file.origination.policy}" with these settings is refused: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let lineControls: CompiledLineControls;
  try {
    lineControls = compileLineControls(docs.lineControls, file.lineControls);
  } catch (error) {
    return fail('$.lineControls', error instanceof Error ? error.message : String(error));
  }
  const cadence = parseCadenceDocument(docs.cadence);
  if (!cadence.ok)
    return fail(
      '$.reminders',
      `the cadence "${file.reminders}" is invalid: ${cadence.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  let collectionStrategy: CompiledStrategy;
  try {
    collectionStrategy = compileStrategy(
      docs.collectionStrategy ?? DEFAULT_COLLECTION_STRATEGY,
      file.collectionStrategy ?? 'default-strategy',
    );
  } catch (error) {
    const issues = (error as { issues?: readonly { path: string; message: string }[] }).issues ?? [];
    return fail(
      '$.collectionStrategy',
      `the collection strategy "${file.collectionStrategy ?? 'default-strategy'}" is refused: ${error instanceof Error ? error.message : String(error)}${issues.length > 0 ? ` (${issues.map((i) => `${i.path} ${i.message}`).join('; ')})` : ''}`,
    );
  }
  let ecl: LabEcl;
  try {
    const lender =
      docs.ecl?.settings === undefined ? {} : parseEclLenderSettings(docs.ecl.settings, 'ECL settings');
    ecl = {
      scenarios: withLenderWeights(docs.ecl?.scenarios ?? [NEUTRAL_SCENARIO], lender),
      sensitivities: docs.ecl?.sensitivities ?? DEFAULT_SENSITIVITIES,
      settings: withLenderSettings(DEFAULT_ECL_SETTINGS, lender),
    };
  } catch (error) {
    return fail(
      '$.ecl.settings',
      `the ECL settings "${file.ecl.settings ?? ''}" are refused: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    name: file.name,
    file,
    policy,
    models: docs.models,
    lineControls,
    cadence: cadence.document,
    collectionStrategy,
    ecl,
    behaviourModel: docs.behaviourModel ?? null,
  };
}
