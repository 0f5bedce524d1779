import type { Column, Dataset } from '../scoring/index.js';
import { type ModelArtifact, scoreModel, serialiseModel } from '../scoring/index.js';
import { OriginationError } from './errors.js';
import { sha256Hex } from './record.js';
import type {
  Application,
  DerivedMeasures,
  Housing,
  LoadedModel,
  MaritalStatus,
  Occupation,
  PolicySettings,
  ScoreResult,
} from './types.js';

/**
 * The shipped model is trained on credit_data.csv (docs/origination.md), whose money columns are in a unit
 * of their own. One model unit is taken as 50 yuan, which puts a typical applicant's monthly income
 * (8,000 yuan → 160) inside the training range; replace the model and this scale with the lender's own data.
 */
export const MODEL_MONEY_UNIT_FEN = 5_000;
/** `Records` (prior adverse records) is "yes" from this worst days past due on the bureau report. */
export const ADVERSE_RECORD_DPD = 30;

const JOB_OF: Record<Occupation, string> = {
  salaried: 'fixed',
  'civil-servant': 'fixed',
  freelancer: 'freelance',
  'business-owner': 'freelance',
  student: 'partime',
  retired: 'others',
  other: 'others',
};

const HOME_OF: Record<Housing, string> = {
  owner: 'owner',
  rent: 'rent',
  parents: 'parents',
  employer: 'priv',
  other: 'other',
};

const MARITAL_OF: Record<MaritalStatus, string> = {
  single: 'single',
  married: 'married',
  divorced: 'divorced',
  widowed: 'widow',
  separated: 'separated',
};

function units(fen: number): number {
  return fen / MODEL_MONEY_UNIT_FEN;
}

/**
 * The model inputs of an application, named as the credit_data.csv columns (the table of docs/origination.md).
 * Income is the verified income when there is one, else the declared one.
 */
export function applicationFeatures(
  application: Application,
  derived: DerivedMeasures,
  settings: PolicySettings,
): { readonly [feature: string]: number | string | null } {
  const income = derived.incomeVerified
    ? derived.verifiedMonthlyIncome_fen
    : application.income.declaredMonthly_fen;
  return {
    Seniority: Math.floor(application.employment.monthsInRole / 12),
    Home: HOME_OF[application.housing],
    Time: application.requestedTerm_months ?? Math.max(...settings.termOptions_months),
    Age: derived.ageYears,
    Marital: MARITAL_OF[application.maritalStatus],
    Records: application.bureau.worstDaysPastDue >= ADVERSE_RECORD_DPD ? 'yes' : 'no',
    Job: JOB_OF[application.employment.occupation],
    Expenses: units(application.monthlyExpenses_fen),
    Income: units(income),
    Assets: units(derived.assetsTotal_fen),
    Debt: units(derived.debtsOutstanding_fen),
    Amount: units(application.requestedLimit_fen),
    Price: units(application.requestedLimit_fen),
  };
}

const MAPPED_FEATURES = new Set([
  'Seniority',
  'Home',
  'Time',
  'Age',
  'Marital',
  'Records',
  'Job',
  'Expenses',
  'Income',
  'Assets',
  'Debt',
  'Amount',
  'Price',
]);

/** Loads a model for origination: checks that the application mapping gives every feature, and versions it. */
export function loadModel(artifact: ModelArtifact, modelId: string): LoadedModel {
  const missing = artifact.features.filter((f) => !MAPPED_FEATURES.has(f.name)).map((f) => f.name);
  if (missing.length > 0)
    throw new OriginationError(
      'model_invalid',
      `model "${modelId}" reads ${missing.join(', ')}, which applications do not provide; train it on the columns of docs/origination.md`,
    );
  return {
    ref: { modelId, kind: artifact.kind, version: sha256Hex(serialiseModel(artifact)).slice(0, 16) },
    artifact,
  };
}

function oneRow(model: ModelArtifact, features: { readonly [f: string]: number | string | null }): Dataset {
  const columns: Column[] = model.features.map((f): Column => {
    const v = features[f.name] ?? null;
    if (f.kind === 'numeric')
      return {
        kind: 'numeric',
        name: f.name,
        values: Float64Array.of(typeof v === 'number' ? v : Number.NaN),
        specialValues: [],
      };
    return {
      kind: 'categorical',
      name: f.name,
      codes: Int32Array.of(v === null ? -1 : 0),
      levels: v === null ? [] : [String(v)],
    };
  });
  return { rowCount: 1, columns };
}

/** Scores one application with one model: score, probability of bad and the top reason codes. */
export function scoreApplication(
  model: LoadedModel,
  application: Application,
  derived: DerivedMeasures,
  settings: PolicySettings,
): ScoreResult {
  const features = applicationFeatures(application, derived, settings);
  const scored = scoreModel(model.artifact, oneRow(model.artifact, features), settings.reasonCount);
  const used: Record<string, number | string | null> = {};
  for (const f of model.artifact.features) used[f.name] = features[f.name] ?? null;
  return {
    model: model.ref,
    score: scored.score[0]!,
    probabilityBad: Math.round(scored.probabilityBad[0]! * 1e6) / 1e6,
    reasons: (scored.reasons[0] ?? []).map((r) => ({
      feature: r.feature,
      value: r.value,
      pointsLost: r.contribution,
    })),
    features: used,
  };
}
