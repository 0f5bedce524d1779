import type { Application, BlacklistEntry, BlacklistHit, KeyOf } from './types.js';

/** Entries that match the applicant (ID number, phone, device, IP, SIM) and have not expired at `businessTime`. */
export function checkBlacklist(
  _application: Application,
  _entries: readonly BlacklistEntry[],
  _businessTime: string,
  _keyOf?: KeyOf,
): BlacklistHit[] {
  throw new Error('not implemented yet');
}
