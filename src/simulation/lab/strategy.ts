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
import { isObj, Reader, SimulationInputError } from './validate.js';

/**
 * A strategy file names the documents the product runs on — an origination policy version, line controls,
 * a reminder cadence — and states the collection strategy as data: calls by bucket, when to offer a payment
 * holiday or an instalment plan (协商分期, the ledger's restructure command), when to go to law, when to write
 * off, and what each action costs. Paths are relative to the strategy file.
 */

export const STRATEGY_FORMAT = 'lendguard.simulation.strategy';

export interface CollectionStrategy {
  /** A case opens at this many days past due (collections' case settings). */
  readonly caseOpenFromDaysPastDue: number;
  /** Collection calls a month to the borrower by the case's days past due: [fromDays, calls] rows, ascending. */
  readonly callsPerMonth: readonly (readonly [number, number])[];
  readonly holiday: {
    readonly offer: boolean;
    /** Offered from this many days past due… */
    readonly fromDaysPastDue: number;
    /** …only to borrowers whose industry is under a scenario shock (a relief programme), when true. */
    readonly onlyShocked: boolean;
    readonly months: number;
  };
  readonly negotiatedPlan: {
    readonly offer: boolean;
    readonly fromDaysPastDue: number;
    readonly months: number;
  };
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
  /** Cost of each action, in fen: reminders by channel, a collection call, a lawsuit. */
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

export interface EclParameters {
  /** Probability of default over the horizon by IFRS 9 stage (12 months for stage 1, lifetime after). */
  readonly pdStage1: number;
  readonly pdStage2: number;
  readonly pdStage3: number;
  readonly lgd: number;
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
  readonly collections: CollectionStrategy;
  readonly ecl: EclParameters;
}

export const DEFAULT_COLLECTIONS: CollectionStrategy = {
  caseOpenFromDaysPastDue: 1,
  callsPerMonth: [
    [1, 3],
    [31, 8],
    [61, 12],
  ],
  holiday: { offer: false, fromDaysPastDue: 1, onlyShocked: true, months: 3 },
  negotiatedPlan: { offer: true, fromDaysPastDue: 60, months: 12 },
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

/** ECL parameters (stated assumptions, docs/simulation.md). */
export const DEFAULT_ECL: EclParameters = { pdStage1: 0.03, pdStage2: 0.35, pdStage3: 0.9, lgd: 0.85 };

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
    'holiday',
    'negotiatedPlan',
    'legal',
    'writeOffDaysPastDue',
    'costs_fen',
  ]);
  let calls = d.callsPerMonth;
  const callsRaw = r.array(raw, 'callsPerMonth', p);
  if (callsRaw !== undefined) {
    const rows: [number, number][] = [];
    callsRaw.forEach((row, i) => {
      if (
        !Array.isArray(row) ||
        row.length !== 2 ||
        !row.every((x) => Number.isInteger(x) && x >= 0 && x <= 100)
      )
        r.issue(`${p}.callsPerMonth[${i}]`, 'give [fromDaysPastDue, callsPerMonth], whole numbers 0–100');
      else rows.push([row[0] as number, row[1] as number]);
    });
    for (let i = 1; i < rows.length; i += 1)
      if (rows[i]![0] <= rows[i - 1]![0])
        r.issue(`${p}.callsPerMonth[${i}]`, 'rows must ascend by days past due');
    calls = rows;
  }
  const sub = <T extends Record<string, unknown>>(
    key: string,
    fallback: T,
    read: (o: Record<string, unknown>, path: string) => T,
  ): T => {
    const o = r.object(raw, key, p);
    if (o === undefined) return fallback;
    r.known(o, `${p}.${key}`, Object.keys(fallback));
    return read(o, `${p}.${key}`);
  };
  const costs = sub('costs_fen', d.costs_fen, (o, path) => {
    const out: Record<string, number> = {};
    for (const k of Object.keys(d.costs_fen))
      out[k] = r.number(o, k, path, d.costs_fen[k as keyof typeof d.costs_fen], 0, 100_000_000, true);
    return out as unknown as CollectionStrategy['costs_fen'];
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
    callsPerMonth: calls,
    holiday: sub('holiday', d.holiday, (o, path) => ({
      offer: r.boolean(o, 'offer', path, d.holiday.offer),
      fromDaysPastDue: r.number(o, 'fromDaysPastDue', path, d.holiday.fromDaysPastDue, 0, 365, true),
      onlyShocked: r.boolean(o, 'onlyShocked', path, d.holiday.onlyShocked),
      months: r.number(o, 'months', path, d.holiday.months, 1, 12, true),
    })),
    negotiatedPlan: sub('negotiatedPlan', d.negotiatedPlan, (o, path) => ({
      offer: r.boolean(o, 'offer', path, d.negotiatedPlan.offer),
      fromDaysPastDue: r.number(o, 'fromDaysPastDue', path, d.negotiatedPlan.fromDaysPastDue, 1, 365, true),
      months: r.number(o, 'months', path, d.negotiatedPlan.months, 1, 60, true),
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
  const ecl: EclParameters =
    eclRaw === undefined
      ? DEFAULT_ECL
      : (() => {
          r.known(eclRaw, '$.ecl', Object.keys(DEFAULT_ECL));
          return {
            pdStage1: r.number(eclRaw, 'pdStage1', '$.ecl', DEFAULT_ECL.pdStage1, 0, 1),
            pdStage2: r.number(eclRaw, 'pdStage2', '$.ecl', DEFAULT_ECL.pdStage2, 0, 1),
            pdStage3: r.number(eclRaw, 'pdStage3', '$.ecl', DEFAULT_ECL.pdStage3, 0, 1),
            lgd: r.number(eclRaw, 'lgd', '$.ecl', DEFAULT_ECL.lgd, 0, 1),
          };
        })();
  const spec: StrategyFile = {
    name: r.string(raw, 'name', '$', 'unnamed'),
    origination: {
      policy: r.string(o, 'policy', '$.origination', ''),
      settings,
      referred: r.oneOf(o, 'referred', '$.origination', 'decline', ['decline', 'approve'] as const),
    },
    lineControls: r.string(raw, 'lineControls', '$', ''),
    reminders: r.string(raw, 'reminders', '$', ''),
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
  readonly models: ModelSet;
}

/** A strategy ready to run: its policy compiled (with the settings it changes), line controls and cadence checked. */
export interface ResolvedStrategy {
  readonly name: string;
  readonly file: StrategyFile;
  readonly policy: CompiledPolicy;
  readonly models: ModelSet;
  readonly lineControls: CompiledLineControls;
  readonly cadence: ParsedCadenceDocument;
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
  return { name: file.name, file, policy, models: docs.models, lineControls, cadence: cadence.document };
}
