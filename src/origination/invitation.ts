import type { Application, Invitation, KeyOf, PolicySettings, ReviewFlag } from './types.js';

export interface InvitationCheck {
  /** The invitation the application falls under, or null. */
  readonly invitation: Invitation | null;
  /** `outside-invitation` or `outside-invitation-terms` flags, with evidence. */
  readonly flags: readonly ReviewFlag[];
  /** The invitation's limit cap, or null when there is none. */
  readonly limitCap_fen: number | null;
}

/** Finds the applicant's invitation and checks its terms (product, channel, validity, status). */
export function checkInvitation(
  _application: Application,
  _invitations: readonly Invitation[],
  _settings: PolicySettings,
  _businessTime: string,
  _keyOf?: KeyOf,
): InvitationCheck {
  throw new Error('not implemented yet');
}
