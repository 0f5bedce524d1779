import {
  bucketCounts,
  type Dataset,
  type ModelArtifact,
  psiBand,
  psiFromCounts,
  quantileCuts,
  type ReasonCode,
  scoreModel,
} from '../../scoring/index.js';
import { BEHAVIOUR_FEATURES, type BehaviourFeatures } from './features.js';

/** Reason codes kept per scored line. */
export const BEHAVIOUR_REASON_COUNT = 4;
/** Score bands of the development sample (deciles) over which PSI is measured. */
export const BEHAVIOUR_PSI_BANDS = 10;
/** Default PSI above which a month's distribution raises an alert (0.25: a significant shift). */
export const BEHAVIOUR_PSI_ALERT_DEFAULT = 0.25;

export const BEHAVIOUR_REFERENCE_FORMAT = 'lendguard.behaviour-reference';

/**
 * The development sample's score distribution that each month is compared with (PSI), and the model's
 * figures on the held-out sample, kept beside the model document it belongs to.
 */
export interface BehaviourReference {
  readonly format: typeof BEHAVIOUR_REFERENCE_FORMAT;
  /** Development as-of days and the held-out one (split by time). */
  readonly developmentAsOf: readonly string[];
  readonly holdOutAsOf: string;
  readonly rows: number;
  readonly bads: number;
  /** Score cut points (band i holds scores in [cuts[i-1], cuts[i])) and the development rows per band. */
  readonly cuts: readonly number[];
  readonly counts: readonly number[];
  readonly holdOut: {
    readonly rows: number;
    readonly bads: number;
    readonly auc: number;
    readonly ks: number;
    readonly gini: number;
  };
}

/** The features of lines as the model's columnar input (every feature numeric, NaN = missing). */
export function behaviourDataset(rows: readonly BehaviourFeatures[]): Dataset {
  return {
    rowCount: rows.length,
    columns: BEHAVIOUR_FEATURES.map((name) => ({
      kind: 'numeric' as const,
      name,
      values: Float64Array.from(rows, (r) => r[name]),
      specialValues: [],
    })),
  };
}

export interface BehaviourScore {
  readonly score: number;
  readonly probabilityBad: number;
  /** The features that lowered the score most, with the values seen. */
  readonly reasons: readonly ReasonCode[];
}

export function scoreBehaviour(model: ModelArtifact, rows: readonly BehaviourFeatures[]): BehaviourScore[] {
  if (rows.length === 0) return [];
  const out = scoreModel(model, behaviourDataset(rows), BEHAVIOUR_REASON_COUNT);
  return rows.map((_, i) => ({
    score: out.score[i]!,
    probabilityBad: out.probabilityBad[i]!,
    reasons: out.reasons[i]!,
  }));
}

/** Decile cuts of the development scores and the rows per band. */
export function referenceBands(scores: ArrayLike<number>): { cuts: number[]; counts: number[] } {
  const cuts = quantileCuts(scores, BEHAVIOUR_PSI_BANDS);
  return { cuts, counts: bucketCounts(scores, cuts) };
}

export interface BehaviourDistribution {
  readonly lines: number;
  readonly cuts: readonly number[];
  /** Lines per band this month, and the development sample's share per band. */
  readonly counts: readonly number[];
  readonly expectedShares: readonly number[];
  readonly psi: number;
  readonly band: ReturnType<typeof psiBand>;
  readonly alert: boolean;
  readonly meanScore: number;
}

/** A month's score distribution over the reference bands, its PSI and whether it passes the alert threshold. */
export function behaviourDistribution(
  reference: Pick<BehaviourReference, 'cuts' | 'counts'>,
  scores: ArrayLike<number>,
  psiAlert: number,
): BehaviourDistribution {
  const counts = bucketCounts(scores, reference.cuts);
  const total = reference.counts.reduce((a, b) => a + b, 0);
  const psi = scores.length === 0 ? 0 : psiFromCounts(reference.counts, counts);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += scores[i]!;
  return {
    lines: scores.length,
    cuts: reference.cuts,
    counts,
    expectedShares: reference.counts.map((c) => (total > 0 ? c / total : 0)),
    psi: Math.round(psi * 10_000) / 10_000,
    band: psiBand(psi),
    alert: psi > psiAlert,
    meanScore: scores.length ? Math.round((sum / scores.length) * 100) / 100 : 0,
  };
}

/** Checks a reference document read from a file. */
export function parseBehaviourReference(text: string): BehaviourReference {
  const doc = JSON.parse(text) as Partial<BehaviourReference>;
  if (doc.format !== BEHAVIOUR_REFERENCE_FORMAT)
    throw new Error(`not a behaviour reference: format must be "${BEHAVIOUR_REFERENCE_FORMAT}"`);
  if (!Array.isArray(doc.cuts) || !Array.isArray(doc.counts) || doc.counts.length !== doc.cuts.length + 1)
    throw new Error('behaviour reference: counts must have one more entry than cuts');
  return doc as BehaviourReference;
}
