import type { Application, DerivedMeasures, PolicySettings } from './types.js';

/** Measures derived from an application for the rules (age, verified income, DTI, DSCR, cash runway). */
export function deriveMeasures(
  _application: Application,
  _settings: PolicySettings,
  _businessTime: string,
): DerivedMeasures {
  throw new Error('not implemented yet');
}
