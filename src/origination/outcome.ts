import { counted } from '../money/index.js';
import type { OwnBook } from './book.js';
import { OriginationError } from './errors.js';
import { policyFacts } from './facts.js';
import { type CompiledPolicy, evaluateGraphs } from './policy.js';
import { quote } from './pricing.js';
import type {
  Application,
  BlacklistHit,
  DecisionOutcome,
  DecisionReason,
  DerivedMeasures,
  FiredRule,
  JsonValue,
  ReviewFlag,
  ScoreResult,
  TermOption,
} from './types.js';

/** Blacklist subjects a hit on which refers instead of declining: an IP is shared by whole networks. */
const REFER_ONLY_SUBJECTS = new Set(['ip']);

export interface PolicyOutcome {
  readonly outcome: DecisionOutcome;
  readonly limit_fen: number;
  readonly riskGrade: string | null;
  readonly dailyRate: string | null;
  readonly apr: string | null;
  readonly termOptions: readonly TermOption[];
  readonly reasons: readonly DecisionReason[];
  readonly rulesFired: readonly FiredRule[];
}

export interface OutcomeInputs {
  readonly application: Application;
  readonly derived: DerivedMeasures;
  readonly score: ScoreResult;
  readonly businessTime: string;
  /** Caps besides the policy's own: the invitation's, or a re-assessment's. */
  readonly limitCaps: readonly {
    readonly code: string;
    readonly cap_fen: number;
    readonly message: string;
  }[];
  readonly flags: readonly ReviewFlag[];
  readonly blacklistHits: readonly BlacklistHit[];
  /** Cap the limit at the amount asked for (an application) or not (a re-assessment). */
  readonly capAtRequest: boolean;
  /** Skip the price (a shadow decision records outcome, limit and grade only). */
  readonly withoutPrice?: boolean;
  /** The applicant's lines and loans at this lender (default: none). */
  readonly book?: OwnBook;
}

function ruleReason(source: DecisionReason['source'], rule: FiredRule): DecisionReason {
  const message =
    typeof rule.outputs.message === 'string' ? rule.outputs.message : `${rule.table}: ${rule.ruleId}`;
  return { source, code: rule.ruleId, message, values: rule.values };
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Runs the five graphs for one score and turns their results into an outcome, a limit, a price and reasons. */
export async function policyOutcome(policy: CompiledPolicy, input: OutcomeInputs): Promise<PolicyOutcome> {
  const settings = policy.document.settings;
  const facts = policyFacts(input.application, input.derived, input.score, input.book);
  const { knockout, cutoffs, referral } = await evaluateGraphs(
    policy,
    ['knockout', 'cutoffs', 'referral'],
    facts,
  );
  const cut = asObject(cutoffs.result);
  const riskGrade = cut.riskGrade;
  const cutResult = cut.result;
  if (
    typeof riskGrade !== 'string' ||
    (cutResult !== 'pass' && cutResult !== 'refer' && cutResult !== 'decline')
  )
    throw new OriginationError(
      'policy_output_invalid',
      `the cutoffs graph must give riskGrade (text) and result ("pass", "refer" or "decline"); it gave ${JSON.stringify(cutoffs.result)}`,
    );

  const reasons: DecisionReason[] = [];
  let decline = false;
  let refer = false;

  for (const hit of input.blacklistHits) {
    if (REFER_ONLY_SUBJECTS.has(hit.subject)) refer = true;
    else decline = true;
    reasons.push({
      source: 'blacklist',
      code: 'BLACKLIST_HIT',
      message: hit.explanation,
      values: { entryId: hit.entryId, subject: hit.subject, source: hit.source, expiresAt: hit.expiresAt },
    });
  }
  for (const flag of input.flags) {
    if (flag.severity === 'refuse') decline = true;
    else refer = true;
    reasons.push({
      source: flag.kind.startsWith('outside-invitation') ? 'invitation' : 'fraud',
      code: `FLAG_${flag.kind.toUpperCase().replaceAll('-', '_')}`,
      message: flag.summary,
      values: flag.evidence,
    });
  }
  for (const rule of knockout.fired) {
    decline = true;
    reasons.push(ruleReason('knockout', rule));
  }
  for (const rule of cutoffs.fired.filter((r) => r.outputs.result !== undefined)) {
    if (cutResult === 'decline') decline = true;
    if (cutResult === 'refer') refer = true;
    reasons.push({
      source: 'cutoff',
      code: rule.ruleId,
      message: `score ${input.score.score} gives "${cutResult}" for segment ${facts.applicant.segment} (risk grade ${riskGrade})`,
      values: rule.values,
    });
  }
  for (const rule of referral.fired) {
    refer = true;
    reasons.push(ruleReason('referral', rule));
  }

  // A shadow decision declined already needs no limit: it records outcome, limit (none) and grade only.
  if (decline && input.withoutPrice === true)
    return {
      outcome: 'decline',
      limit_fen: 0,
      riskGrade,
      dailyRate: null,
      apr: null,
      termOptions: [],
      reasons,
      rulesFired: [...knockout.fired, ...cutoffs.fired, ...referral.fired],
    };
  const graded = { ...facts, riskGrade };
  const { limits, pricing } = await evaluateGraphs(policy, ['limits', 'pricing'], graded);
  const matrixLimit = asObject(limits.result).limit;
  if (typeof matrixLimit !== 'number' || !Number.isFinite(matrixLimit) || matrixLimit < 0)
    throw new OriginationError(
      'policy_output_invalid',
      `the limits graph must give limit (yuan, a number ≥ 0); it gave ${JSON.stringify(limits.result)}`,
    );

  // The limit: the matrix, held under every cap; each cap that binds is a reason.
  const caps: { code: string; cap_fen: number; message: string; values: { [k: string]: JsonValue } }[] = [
    {
      code: 'CAP_INCOME_MULTIPLE',
      cap_fen: Math.floor(settings.incomeMultipleMax * input.derived.verifiedMonthlyIncome_fen),
      message: `at most ${settings.incomeMultipleMax} × verified monthly income`,
      values: {
        verifiedMonthlyIncome_fen: input.derived.verifiedMonthlyIncome_fen,
        incomeMultipleMax: settings.incomeMultipleMax,
      },
    },
    {
      code: 'CAP_POLICY_MAXIMUM',
      cap_fen: settings.limitMax_fen,
      message: 'the policy maximum',
      values: { limitMax_fen: settings.limitMax_fen },
    },
    ...input.limitCaps.map((c) => ({ ...c, values: { cap_fen: c.cap_fen } })),
  ];
  if (input.capAtRequest)
    caps.push({
      code: 'CAP_REQUESTED',
      cap_fen: input.application.requestedLimit_fen,
      message: 'the amount asked for',
      values: { requestedLimit_fen: input.application.requestedLimit_fen },
    });
  let limit = Math.round(matrixLimit * 100);
  const matrixRule = limits.fired[0];
  reasons.push({
    source: 'limit',
    code: matrixRule?.ruleId ?? 'LIMIT_MATRIX',
    message: `the limit matrix gives ${matrixLimit} yuan for risk grade ${riskGrade}`,
    values: { ...(matrixRule?.values ?? {}), limit_fen: limit },
  });
  for (const cap of caps) {
    if (cap.cap_fen < limit) {
      limit = cap.cap_fen;
      reasons.push({
        source: 'cap',
        code: cap.code,
        message: `limit held at ${cap.message}`,
        values: { ...cap.values, limit_fen: limit },
      });
    }
  }
  limit = Math.max(0, Math.floor(limit / settings.limitStep_fen) * settings.limitStep_fen);
  if (!decline && !refer && limit < settings.limitMin_fen) {
    decline = true;
    reasons.push({
      source: 'limit',
      code: 'LIMIT_BELOW_MINIMUM',
      message: `the limit ${limit / 100} yuan is below the smallest line offered`,
      values: { limit_fen: limit, limitMin_fen: settings.limitMin_fen },
    });
  }

  const rulesFired = [
    ...knockout.fired,
    ...cutoffs.fired,
    ...limits.fired,
    ...pricing.fired,
    ...referral.fired,
  ];
  const outcome: DecisionOutcome = decline ? 'decline' : refer ? 'refer' : 'approve';
  if (outcome === 'decline')
    return {
      outcome,
      limit_fen: 0,
      riskGrade,
      dailyRate: null,
      apr: null,
      termOptions: [],
      reasons,
      rulesFired,
    };
  // A shadow decision records outcome, limit and grade: its price (three schedules and their APR) is not made.
  if (input.withoutPrice === true)
    return {
      outcome,
      limit_fen: limit,
      riskGrade,
      dailyRate: null,
      apr: null,
      termOptions: [],
      reasons,
      rulesFired,
    };
  const price = quote(settings, asObject(pricing.result).dailyRate, limit, input.businessTime);
  const priceRule = pricing.fired[0];
  reasons.push({
    source: 'pricing',
    code: priceRule?.ruleId ?? 'PRICE',
    message: `daily rate ${price.dailyRate} for risk grade ${riskGrade}, APR ${price.apr} at ${counted(Math.max(...settings.termOptions_months), 'month')}`,
    values: { ...(priceRule?.values ?? {}), dailyRate: price.dailyRate, apr: price.apr },
  });
  if (price.capped)
    reasons.push({
      source: 'cap',
      code: 'RATE_CAPPED',
      message: `the policy's daily rate was lowered to keep the APR within ${settings.aprCap}`,
      values: {
        policyDailyRate: String(asObject(pricing.result).dailyRate),
        dailyRate: price.dailyRate,
        aprCap: settings.aprCap,
      },
    });
  return {
    outcome,
    limit_fen: limit,
    riskGrade,
    dailyRate: price.dailyRate,
    apr: price.apr,
    termOptions: price.termOptions,
    reasons,
    rulesFired,
  };
}
