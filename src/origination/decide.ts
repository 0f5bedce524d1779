import { createHash } from 'node:crypto';
import { counted } from '../money/index.js';
import { checkBlacklist } from './blacklist.js';
import { deriveMeasures } from './derived.js';
import { OriginationError } from './errors.js';
import { detectFraud } from './fraud.js';
import { checkInvitation } from './invitation.js';
import { identityKey } from './keys.js';
import { scoreApplication } from './models.js';
import { policyOutcome } from './outcome.js';
import type { CompiledPolicy } from './policy.js';
import { sealRecord } from './record.js';
import type {
  Application,
  ChallengerRecord,
  CompiledPolicyHandle,
  Decision,
  DecisionContext,
  DecisionReason,
  ScoreResult,
} from './types.js';

/** Buckets of the traffic split: a share is applied to the first 32 bits of sha256(application id). */
const SPLIT_BUCKETS = 2 ** 32;

/** True when the application is decided by the challenger under a `split` share (a hash of its id). */
export function challengerDecides(applicationId: string, share: number): boolean {
  const bucket = createHash('sha256').update(applicationId).digest().readUInt32BE(0);
  return bucket < share * SPLIT_BUCKETS;
}

export function compiled(handle: CompiledPolicyHandle): CompiledPolicy {
  if (!(handle as Partial<CompiledPolicy>).graphs)
    throw new OriginationError(
      'policy_invalid',
      'the policy was not compiled; pass the result of compilePolicy',
    );
  return handle as CompiledPolicy;
}

function scoreReasons(score: ScoreResult): DecisionReason[] {
  return score.reasons.map((r) => ({
    source: 'score',
    code: `SCORE_${r.feature.toUpperCase()}`,
    message: `${r.feature} = ${r.value} cost ${counted(r.pointsLost, 'point')} against its best value`,
    values: { feature: r.feature, value: r.value, pointsLost: r.pointsLost },
  }));
}

/**
 * Decides an application. Everything it depends on comes in `context` (business time, policy, models,
 * invitations, blacklist, history), so the same inputs give the same decision bytes. The record is deep-frozen
 * and carries a sha256 of its canonical JSON.
 */
export async function decide(application: Application, context: DecisionContext): Promise<Decision> {
  return sealRecord(await decisionContent(application, context)) as Decision;
}

/**
 * The decision as `decide` makes it, before it is sealed into a record (no JSON copy, hash or freezing): for
 * a caller that keeps no record and reads only the outcome, such as the strategy lab. The same steps and the
 * same content; the product's decisions always go through `decide`.
 */
export async function decisionContent(
  application: Application,
  context: DecisionContext,
): Promise<Omit<Decision, 'contentHash'>> {
  const policy = compiled(context.policy);
  const settings = policy.document.settings;
  const keyOf = context.keyOf ?? identityKey;
  const derived = deriveMeasures(application, settings, context.businessTime);
  const champion = scoreApplication(context.models.champion, application, derived, settings);
  const challengerModel = settings.challenger.mode === 'off' ? undefined : context.models.challenger;
  const challenger = challengerModel && scoreApplication(challengerModel, application, derived, settings);
  const challengerServes =
    challenger !== undefined &&
    settings.challenger.mode === 'split' &&
    challengerDecides(application.applicationId, settings.challenger.share);

  const invitation = checkInvitation(application, context.invitations, settings, context.businessTime, keyOf);
  const blacklistHits = checkBlacklist(application, context.blacklist, context.businessTime, keyOf);
  const flags = [
    ...invitation.flags,
    ...detectFraud(application, context.history, settings.fraud, context.businessTime, keyOf),
  ];
  const inputs = {
    application,
    derived,
    businessTime: context.businessTime,
    limitCaps:
      invitation.limitCap_fen === null
        ? []
        : [
            {
              code: 'CAP_INVITATION',
              cap_fen: invitation.limitCap_fen,
              message: "the invitation's limit cap",
            },
          ],
    flags,
    blacklistHits,
    capAtRequest: true,
    ...(context.book === undefined ? {} : { book: context.book }),
  };
  const served = challengerServes ? challenger! : champion;
  const other = challenger === undefined ? undefined : challengerServes ? champion : challenger;
  // The recorded decision needs no price, so the two run side by side and only the served one is priced.
  const [main, shadow] = await Promise.all([
    policyOutcome(policy, { ...inputs, score: served }),
    other === undefined ? undefined : policyOutcome(policy, { ...inputs, score: other, withoutPrice: true }),
  ]);
  const challengerRecord: ChallengerRecord | undefined =
    other === undefined || shadow === undefined
      ? undefined
      : {
          role: challengerServes ? 'served' : 'shadow',
          outcome: shadow.outcome,
          limit_fen: shadow.limit_fen,
          riskGrade: shadow.riskGrade,
          score: other,
        };
  const body: Omit<Decision, 'contentHash'> = {
    format: 'lendguard.decision',
    formatVersion: 1,
    applicationId: application.applicationId,
    decidedAt: context.businessTime,
    outcome: main.outcome,
    limit_fen: main.limit_fen,
    riskGrade: main.riskGrade,
    dailyRate: main.dailyRate,
    apr: main.apr,
    termOptions: main.termOptions,
    reasons: [...main.reasons, ...scoreReasons(served)],
    rulesFired: main.rulesFired,
    score: served,
    ...(challengerRecord ? { challenger: challengerRecord } : {}),
    flags,
    blacklistHits,
    derived,
    invitationId: invitation.invitation?.invitationId ?? null,
    policy: policy.ref,
  };
  return body;
}
