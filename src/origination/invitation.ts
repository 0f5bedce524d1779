import { instantMs } from './application.js';
import { identityKey } from './keys.js';
import type { Application, Invitation, KeyOf, PolicySettings, ReviewFlag } from './types.js';

export interface InvitationCheck {
  /** The invitation the application falls under, or null. */
  readonly invitation: Invitation | null;
  /** `outside-invitation` or `outside-invitation-terms` flags, with evidence. */
  readonly flags: readonly ReviewFlag[];
  /** The invitation's limit cap, or null when there is none. */
  readonly limitCap_fen: number | null;
}

/** The terms of an invitation the application breaks, each as a short text with what was seen. */
function brokenTerms(application: Application, invitation: Invitation, businessTime: string): string[] {
  const now = instantMs(businessTime);
  const broken: string[] = [];
  if (invitation.status !== 'active') broken.push(`the invitation is ${invitation.status}`);
  if (now < instantMs(invitation.validFrom))
    broken.push(`the invitation is valid only from ${invitation.validFrom}`);
  if (now >= instantMs(invitation.expiresAt))
    broken.push(`the invitation expired at ${invitation.expiresAt}`);
  if (!invitation.productIds.includes(application.productId))
    broken.push(`product "${application.productId}" is not one of ${invitation.productIds.join(', ')}`);
  if (invitation.channels.length > 0 && !invitation.channels.includes(application.channel))
    broken.push(`channel "${application.channel}" is not one of ${invitation.channels.join(', ')}`);
  return broken;
}

/**
 * Finds the applicant's invitation and checks its terms (status, validity, product, channel). The limit cap is
 * not a refusal: the decision's limit is held under it. Without an invitation the application is flagged
 * `outside-invitation` when the policy requires one.
 */
export function checkInvitation(
  application: Application,
  invitations: readonly Invitation[],
  settings: PolicySettings,
  businessTime: string,
  keyOf: KeyOf = identityKey,
): InvitationCheck {
  const applicantKey = keyOf('id-number', application.identity.idNumber);
  const code = application.invitationCode;
  if (code !== undefined) {
    const byCode = invitations.find((i) => i.code === code);
    if (!byCode || byCode.applicantKey !== applicantKey) {
      return {
        invitation: null,
        limitCap_fen: null,
        flags: [
          {
            kind: byCode ? 'outside-invitation-terms' : 'outside-invitation',
            severity: 'refuse',
            summary: byCode
              ? 'the invitation code was issued to another person'
              : 'the invitation code given matches no invitation',
            evidence: {
              invitationCode: code,
              invitationFound: byCode !== undefined,
              channel: application.channel,
            },
          },
        ],
      };
    }
  }
  const candidates = (
    code !== undefined
      ? invitations.filter((i) => i.code === code)
      : invitations.filter((i) => i.applicantKey === applicantKey)
  )
    .slice()
    .sort(
      (a, b) => instantMs(b.expiresAt) - instantMs(a.expiresAt) || (a.invitationId < b.invitationId ? -1 : 1),
    );
  if (candidates.length === 0) {
    return {
      invitation: null,
      limitCap_fen: null,
      flags: settings.invitationRequired
        ? [
            {
              kind: 'outside-invitation',
              severity: 'refuse',
              summary: 'no invitation was issued to this applicant: a line opens only by invitation',
              evidence: { channel: application.channel, installSource: application.device.installSource },
            },
          ]
        : [],
    };
  }
  const valid = candidates.find((i) => brokenTerms(application, i, businessTime).length === 0);
  if (valid) return { invitation: valid, flags: [], limitCap_fen: valid.limitCap_fen };
  const nearest = candidates[0]!;
  return {
    invitation: null,
    limitCap_fen: null,
    flags: [
      {
        kind: 'outside-invitation-terms',
        severity: 'refuse',
        summary: 'the application falls outside the terms of its invitation',
        evidence: {
          invitationId: nearest.invitationId,
          broken: brokenTerms(application, nearest, businessTime),
          channel: application.channel,
          productId: application.productId,
        },
      },
    ],
  };
}
