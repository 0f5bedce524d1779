import type { ModelArtifact } from '../scoring/artifact.js';
import type {
  Application,
  DerivedMeasures,
  LoadedModel,
  ModelRef,
  PolicySettings,
  ScoreResult,
} from './types.js';

/** Loads a model for origination: checks that the application mapping gives every feature, and versions it. */
export function loadModel(_artifact: ModelArtifact, _modelId: string): LoadedModel {
  throw new Error('not implemented yet');
}

/** The model inputs of an application (the mapping table of docs/origination.md). */
export function applicationFeatures(
  _application: Application,
  _derived: DerivedMeasures,
  _settings: PolicySettings,
): { readonly [feature: string]: number | string | null } {
  throw new Error('not implemented yet');
}

/** Scores one application with one model: score, probability of bad and the top reason codes. */
export function scoreApplication(
  _model: LoadedModel,
  _application: Application,
  _derived: DerivedMeasures,
  _settings: PolicySettings,
): ScoreResult {
  throw new Error('not implemented yet');
}

export type { ModelRef };
