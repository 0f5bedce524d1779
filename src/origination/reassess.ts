import { counted } from '../money/index.js';
import { checkBlacklist } from './blacklist.js';
import { compiled } from './decide.js';
import { deriveMeasures } from './derived.js';
import { OriginationError } from './errors.js';
import { identityKey } from './keys.js';
import { scoreApplication } from './models.js';
import { policyOutcome } from './outcome.js';
import { sealRecord } from './record.js';
import type {
  Application,
  DecisionReason,
  Reassessment,
  ReassessmentAction,
  ReassessmentContext,
  ReassessmentInput,
} from './types.js';

const DAILY_RATE = /^0\.\d{1,8}$/;

/** The customer's facts after the changes: absent changes keep the last known facts, new debts are added. */
export function applyChanges(input: ReassessmentInput): Application {
  const { lastApplication: last, changes } = input;
  return {
    ...last,
    requestedLimit_fen: input.currentLimit_fen,
    ...(changes.income ? { income: changes.income } : {}),
    ...(changes.employment ? { employment: changes.employment } : {}),
    ...(changes.bureau ? { bureau: changes.bureau } : {}),
    ...(changes.business ? { business: changes.business } : {}),
    debts: [...last.debts, ...(changes.newDebts ?? [])],
  };
}

function changeReasons(input: ReassessmentInput): DecisionReason[] {
  const { lastApplication: last, changes } = input;
  const out: DecisionReason[] = [];
  if (changes.income)
    out.push({
      source: 'limit',
      code: 'CHANGE_INCOME',
      message: 'income changed',
      values: {
        declaredMonthlyBefore_fen: last.income.declaredMonthly_fen,
        declaredMonthlyAfter_fen: changes.income.declaredMonthly_fen,
      },
    });
  if (changes.newDebts && changes.newDebts.length > 0)
    out.push({
      source: 'limit',
      code: 'CHANGE_NEW_DEBT',
      message: counted(changes.newDebts.length, 'new external debt'),
      values: {
        outstanding_fen: changes.newDebts.reduce((s, d) => s + d.outstanding_fen, 0),
        monthlyPayment_fen: changes.newDebts.reduce((s, d) => s + d.monthlyPayment_fen, 0),
      },
    });
  if (changes.business)
    out.push({
      source: 'limit',
      code: 'CHANGE_BUSINESS',
      message: 'new business facts or statements',
      values: {},
    });
  if (changes.bureau)
    out.push({ source: 'limit', code: 'CHANGE_BUREAU', message: 'a new bureau summary', values: {} });
  if (changes.employment)
    out.push({
      source: 'limit',
      code: 'CHANGE_EMPLOYMENT',
      message: 'employment changed',
      values: { before: last.employment.occupation, after: changes.employment.occupation },
    });
  return out;
}

/**
 * New financial facts for an existing customer → a new limit and price with reasons (the dynamic risk score
 * monitoring calls). The policy decides as for an application, without the invitation and 强开 checks and
 * without holding the limit at the amount asked: approve sets the new limit, refer never raises it, decline
 * suspends the line (limit 0).
 */
export async function reassess(
  input: ReassessmentInput,
  context: ReassessmentContext,
): Promise<Reassessment> {
  if (!Number.isSafeInteger(input.currentLimit_fen) || input.currentLimit_fen < 0)
    throw new OriginationError('reassessment_invalid', 'currentLimit_fen must be a whole number of fen ≥ 0', [
      { path: 'currentLimit_fen', message: 'must be a whole number of fen ≥ 0' },
    ]);
  if (!DAILY_RATE.test(input.currentDailyRate))
    throw new OriginationError(
      'reassessment_invalid',
      'currentDailyRate must be a decimal string like "0.0003"',
      [{ path: 'currentDailyRate', message: 'must be a decimal string like "0.0003"' }],
    );
  const policy = compiled(context.policy);
  const settings = policy.document.settings;
  const application = applyChanges(input);
  const derived = deriveMeasures(application, settings, context.businessTime);
  const score = scoreApplication(context.models.champion, application, derived, settings);
  const blacklistHits = checkBlacklist(
    application,
    context.blacklist,
    context.businessTime,
    context.keyOf ?? identityKey,
  );
  const result = await policyOutcome(policy, {
    application,
    derived,
    score,
    businessTime: context.businessTime,
    limitCaps: [],
    flags: [],
    blacklistHits,
    capAtRequest: false,
    ...(context.book === undefined ? {} : { book: context.book }),
  });
  let limit = result.limit_fen;
  const reasons = [...changeReasons(input), ...result.reasons];
  if (result.outcome === 'refer' && limit > input.currentLimit_fen) {
    limit = input.currentLimit_fen;
    reasons.push({
      source: 'referral',
      code: 'REFER_NO_INCREASE',
      message: 'a referral keeps the limit from rising until an analyst reviews it',
      values: { currentLimit_fen: input.currentLimit_fen },
    });
  }
  const action: ReassessmentAction =
    result.outcome === 'decline'
      ? 'suspend'
      : limit > input.currentLimit_fen
        ? 'increase'
        : limit < input.currentLimit_fen
          ? 'decrease'
          : 'keep';
  for (const r of score.reasons)
    reasons.push({
      source: 'score',
      code: `SCORE_${r.feature.toUpperCase()}`,
      message: `${r.feature} = ${r.value} cost ${counted(r.pointsLost, 'point')} against its best value`,
      values: { feature: r.feature, value: r.value, pointsLost: r.pointsLost },
    });
  const body: Omit<Reassessment, 'contentHash'> = {
    format: 'lendguard.reassessment',
    formatVersion: 1,
    customerId: input.customerId,
    assessedAt: context.businessTime,
    action,
    previousLimit_fen: input.currentLimit_fen,
    limit_fen: result.outcome === 'decline' ? 0 : limit,
    previousDailyRate: input.currentDailyRate,
    dailyRate: result.dailyRate,
    apr: result.apr,
    riskGrade: result.riskGrade,
    reasons,
    rulesFired: result.rulesFired,
    score,
    derived,
    policy: policy.ref,
  };
  return sealRecord(body) as Reassessment;
}
