import type { Application, FraudSettings, HistoryFacts, KeyOf, ReviewFlag } from './types.js';

/** The 强开 detectors over history facts: shared device/IP/SIM, bursts, shared contacts, altered retries, velocity. */
export function detectFraud(
  _application: Application,
  _history: HistoryFacts,
  _settings: FraudSettings,
  _businessTime: string,
  _keyOf?: KeyOf,
): ReviewFlag[] {
  throw new Error('not implemented yet');
}
