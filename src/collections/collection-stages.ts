import { type Bucket, bucketRank } from '../ledger/index.js';
import { invariant } from '../money/index.js';

/**
 * Collection stages by bucket. Which bucket gets which treatment is an industry convention (domain.md §3,
 * §7), so the stages are settings; the conduct limits come from the collection rules and the legal paths from
 * the civil procedure law (domain.md §9).
 */

export type CollectionChannel = 'sms' | 'app' | 'call' | 'letter' | 'agency' | 'legal';

/** Legal recourse paths (domain.md §9). */
export type LegalPath =
  /** 支付令 payment order, 民事诉讼法 Arts. 225–228. */
  | 'payment-order'
  /** 诉讼 lawsuit, e.g. at an internet court; small-claims procedure for small amounts. */
  | 'lawsuit'
  /** 仲裁 arbitration: final award, enforced by a court. */
  | 'arbitration'
  /** 公证债权文书 notarised debt instrument with an enforcement certificate. */
  | 'notarised-instrument';

export const LEGAL_PATHS: readonly LegalPath[] = [
  'payment-order',
  'lawsuit',
  'arbitration',
  'notarised-instrument',
];

export interface LegalPathFacts {
  readonly path: LegalPath;
  /** Where the rule comes from. */
  readonly source: string;
  /** Days the court has to issue (payment order: 15), when the law sets it. */
  readonly issueDays?: number;
  /** Days the debtor has to object (payment order: 15; an objection turns it into a lawsuit). */
  readonly objectionDays?: number;
}

export const LEGAL_PATH_FACTS: readonly LegalPathFacts[] = [
  { path: 'payment-order', source: '民事诉讼法 Arts. 225–228', issueDays: 15, objectionDays: 15 },
  { path: 'lawsuit', source: '民事诉讼法; internet courts in Beijing, Guangzhou, Hangzhou' },
  { path: 'arbitration', source: '仲裁法: the award is final and enforced by a court' },
  { path: 'notarised-instrument', source: '公证法 / 民事诉讼法: enforcement certificate from the notary' },
];

/**
 * Contact limits that hold in every stage. Sources: national standard on post-loan collection for internet
 * consumer credit (2025): no collection 22:00–08:00 without the debtor's consent, at most 3 live calls
 * (human or AI voice) a day; China Banking Association collection guideline (2026): at most 6 unanswered dials
 * a day to one number. Times are in the lender's zone.
 */
export interface CollectionConductLimits {
  /** Minutes after midnight when contact must stop (22:00 → 1320). */
  readonly quietFromMinute: number;
  /** Minutes after midnight when contact may resume (08:00 → 480). */
  readonly quietUntilMinute: number;
  readonly liveCallsPerDayMax: number;
  readonly unansweredDialsPerNumberPerDayMax: number;
  /** IANA zone of the times above. */
  readonly timeZone: string;
}

export const DEFAULT_COLLECTION_CONDUCT_LIMITS: CollectionConductLimits = Object.freeze({
  quietFromMinute: 22 * 60,
  quietUntilMinute: 8 * 60,
  liveCallsPerDayMax: 3,
  unansweredDialsPerNumberPerDayMax: 6,
  timeZone: 'Asia/Shanghai',
});

/** True when a contact at `minuteOfDay` (0…1439, lender's zone) falls in the quiet hours. */
export function isQuietHour(
  minuteOfDay: number,
  limits: CollectionConductLimits = DEFAULT_COLLECTION_CONDUCT_LIMITS,
): boolean {
  invariant(
    Number.isInteger(minuteOfDay) && minuteOfDay >= 0 && minuteOfDay < 1440,
    'minute of day must be 0..1439',
  );
  const { quietFromMinute: from, quietUntilMinute: until } = limits;
  return from > until
    ? minuteOfDay >= from || minuteOfDay < until
    : minuteOfDay >= from && minuteOfDay < until;
}

export type CollectionStageId = 'reminder' | 'early' | 'intensive' | 'agency-legal';

export interface CollectionStage {
  readonly id: CollectionStageId;
  /** First bucket of the stage; the stage lasts until the next stage's first bucket. */
  readonly fromBucket: Bucket;
  readonly channels: readonly CollectionChannel[];
  /** Legal paths under review in this stage. */
  readonly legalPaths: readonly LegalPath[];
}

/**
 * Default stages (convention): M0 reminders before the due date; M1 early collection by SMS, app and calls;
 * M2–M3 intensive collection; M4+ outsourced agency and legal review. The lender stays liable for outsourced
 * agencies (NIFA convention 2018).
 */
export const DEFAULT_COLLECTION_STAGES: readonly CollectionStage[] = [
  { id: 'reminder', fromBucket: 'M0', channels: ['sms', 'app'], legalPaths: [] },
  { id: 'early', fromBucket: 'M1', channels: ['sms', 'app', 'call'], legalPaths: [] },
  { id: 'intensive', fromBucket: 'M2', channels: ['sms', 'app', 'call', 'letter'], legalPaths: [] },
  {
    id: 'agency-legal',
    fromBucket: 'M4',
    channels: ['call', 'letter', 'agency', 'legal'],
    legalPaths: LEGAL_PATHS,
  },
];

/** Checks that the stages start at M0 and go forward bucket by bucket; returns them frozen. */
export function checkCollectionStages(stages: readonly CollectionStage[]): readonly CollectionStage[] {
  invariant(stages.length > 0 && stages[0]?.fromBucket === 'M0', 'collection stages must start at M0');
  for (let i = 1; i < stages.length; i++) {
    invariant(
      bucketRank((stages[i] as CollectionStage).fromBucket) >
        bucketRank((stages[i - 1] as CollectionStage).fromBucket),
      'collection stages must be in increasing bucket order',
    );
  }
  return Object.freeze([...stages]);
}

/** The stage a loan in `bucket` is in. */
export function collectionStageForBucket(
  bucket: Bucket,
  stages: readonly CollectionStage[] = DEFAULT_COLLECTION_STAGES,
): CollectionStage {
  const rank = bucketRank(bucket);
  let current = stages[0];
  invariant(current !== undefined, 'collection stages must not be empty');
  for (const stage of stages) if (bucketRank(stage.fromBucket) <= rank) current = stage;
  return current;
}

/** A proposed contact with the debtor, as the collection system would attempt it. */
export interface ContactAttempt {
  /** Minutes after midnight in the lender's zone (0…1439). */
  readonly minuteOfDay: number;
  readonly kind: 'live-call' | 'dial' | 'sms' | 'app';
  /** The debtor agreed to be contacted in the quiet hours. */
  readonly debtorConsentedToQuietHours: boolean;
  /** Live calls (human or AI voice) that reached the debtor today, before this one. */
  readonly liveCallsToday: number;
  /** Unanswered dials to this number today, before this one. */
  readonly unansweredDialsToNumberToday: number;
}

/** Why a contact is refused, as a stable code with the limit that applies. */
export type ContactRefusal =
  | { readonly code: 'quiet_hours'; readonly message: string }
  | { readonly code: 'live_calls_per_day_max'; readonly message: string }
  | { readonly code: 'unanswered_dials_per_day_max'; readonly message: string };

/**
 * Whether the conduct limits allow a contact: null when allowed, otherwise the refusal and why. The system
 * refuses such a contact rather than reporting it afterwards (domain.md §7).
 */
export function contactRefusal(
  attempt: ContactAttempt,
  limits: CollectionConductLimits = DEFAULT_COLLECTION_CONDUCT_LIMITS,
): ContactRefusal | null {
  if (isQuietHour(attempt.minuteOfDay, limits) && !attempt.debtorConsentedToQuietHours) {
    return {
      code: 'quiet_hours',
      message: `no collection contact from ${clock(limits.quietFromMinute)} to ${clock(limits.quietUntilMinute)} (${limits.timeZone}) without the debtor's consent; try again after ${clock(limits.quietUntilMinute)}`,
    };
  }
  const calls = attempt.kind === 'live-call' || attempt.kind === 'dial';
  if (calls && attempt.liveCallsToday >= limits.liveCallsPerDayMax) {
    return {
      code: 'live_calls_per_day_max',
      message: `${attempt.liveCallsToday} live calls already reached the debtor today; at most ${limits.liveCallsPerDayMax} a day: call again tomorrow or write instead`,
    };
  }
  if (calls && attempt.unansweredDialsToNumberToday >= limits.unansweredDialsPerNumberPerDayMax) {
    return {
      code: 'unanswered_dials_per_day_max',
      message: `${attempt.unansweredDialsToNumberToday} unanswered dials to this number today; at most ${limits.unansweredDialsPerNumberPerDayMax} a day: dial again tomorrow`,
    };
  }
  return null;
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
