import { addDays, type Day, invariant } from '../money/index.js';
import {
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintSettings,
  complaintStopsContact,
  DEFAULT_COMPLAINT_SETTINGS,
} from './complaints.js';
import {
  CONTACT_RULES,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  type ContactRule,
  type ContactRules,
  DEFAULT_CONTACT_RULES,
  decideContact,
  type LoggedContact,
} from './contact-rules.js';
import { localTime } from './zone-time.js';

/**
 * The compliance report (合规报告) over a window of the lender's days, from the contact log: the attempts
 * the conduct rules refused, by rule, by collector and by day; and breaches — attempts logged as allowed
 * that the rules, checked again now with what the log holds, would have refused (a rule made stricter
 * since, a record imported, a complaint that was open). The re-check is `decideContact` itself, fed each
 * case's log in order as the server feeds it, so there is one model of the rules.
 */

/** The longest window one report covers, in days (a quarter): a bound on what is read and listed. */
export const COMPLIANCE_WINDOW_DAYS_MAX = 92;

/** One attempt from the log, allowed or refused. */
export interface ComplianceAttempt {
  readonly attemptId: string;
  readonly caseId: string;
  readonly atMs: number;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly outcome: ContactOutcome;
  readonly allowed: boolean;
  /** The rule that refused it; null when allowed. A rule no longer known is counted under its own name. */
  readonly rule: string | null;
  /** Who made it (a collector, an agency's user, an admin). */
  readonly actor: string;
}

/** What the re-check needs to know of a case. */
export interface ComplianceCase {
  readonly caseId: string;
  readonly customerId: string;
  /** The borrower's IANA zone: the day and the hours are the borrower's. */
  readonly zone: string;
  /**
   * The borrower was marked lost contact (失联) at some time: third-party attempts are then not taken for
   * breaches of "only when unreachable" (the log does not say when the mark was set).
   */
  readonly lostContact: boolean;
}

/** A complaint of the borrower's while it was open. */
export interface ComplaintOpenPeriod {
  readonly customerId: string;
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly openFromMs: number;
  /** The first instant it no longer counts as open; null while it is open. */
  readonly openUntilMs: number | null;
}

export interface ComplianceReportInput {
  /** First and last day of the window, in the lender's zone. */
  readonly fromDay: Day;
  readonly toDay: Day;
  readonly lenderZone: string;
  /**
   * The attempts of the window and, for the cases in it, those of the days before it that the daily caps
   * and "unreachable" read (the shell loads the same lookback as it decides with). Any order.
   */
  readonly attempts: readonly ComplianceAttempt[];
  readonly cases: readonly ComplianceCase[];
  readonly complaints: readonly ComplaintOpenPeriod[];
  readonly rules?: ContactRules;
  readonly complaintSettings?: ComplaintSettings;
}

export interface ComplianceRefusal {
  readonly attemptId: string;
  readonly caseId: string;
  readonly customerId: string;
  readonly atMs: number;
  /** The borrower's zone, for showing the instant on the borrower's clock. */
  readonly zone: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly actor: string;
  readonly rule: string;
}

export interface ComplianceBreach extends ComplianceRefusal {
  readonly outcome: ContactOutcome;
  readonly rule: ContactRule;
  /** Why the rules refuse it now, as the check words it. */
  readonly message: string;
}

export interface ComplianceCounts {
  readonly attempts: number;
  readonly refused: number;
  readonly breaches: number;
}

export interface ComplianceReport {
  readonly fromDay: Day;
  readonly toDay: Day;
  readonly zone: string;
  readonly attempts: number;
  readonly allowed: number;
  readonly refused: number;
  readonly breachCount: number;
  /** Every rule in the check's order (zeros too), then any rule no longer known, by name. */
  readonly byRule: readonly ({ readonly rule: string } & Omit<ComplianceCounts, 'attempts'>)[];
  /** Collectors with attempts in the window: most refusals and breaches first, then by id. */
  readonly byCollector: readonly ({ readonly actor: string } & ComplianceCounts)[];
  /** Every day of the window, in the lender's zone. */
  readonly byDay: readonly ({ readonly day: Day } & ComplianceCounts)[];
  /** In time order. */
  readonly refusals: readonly ComplianceRefusal[];
  /** In time order. */
  readonly breaches: readonly ComplianceBreach[];
}

type Timed = { readonly atMs: number; readonly attemptId: string };
const byTime = (a: Timed, b: Timed) =>
  a.atMs - b.atMs || (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0);

function openComplaintsAt(periods: readonly ComplaintOpenPeriod[], atMs: number) {
  return periods.filter((p) => p.openFromMs <= atMs && (p.openUntilMs === null || atMs < p.openUntilMs));
}

/** The report for the window; pure: the same log gives the same report. */
export function complianceReport(input: ComplianceReportInput): ComplianceReport {
  const { fromDay, toDay, lenderZone } = input;
  invariant(fromDay <= toDay, 'the window starts on or before its last day');
  const rules = input.rules ?? DEFAULT_CONTACT_RULES;
  const settings = input.complaintSettings ?? DEFAULT_COMPLAINT_SETTINGS;
  const cases = new Map(input.cases.map((c) => [c.caseId, c]));
  const complaintsOf = new Map<string, ComplaintOpenPeriod[]>();
  for (const p of input.complaints) {
    const list = complaintsOf.get(p.customerId) ?? [];
    list.push(p);
    complaintsOf.set(p.customerId, list);
  }
  const attemptsOf = new Map<string, ComplianceAttempt[]>();
  for (const a of input.attempts) {
    const list = attemptsOf.get(a.caseId) ?? [];
    list.push(a);
    attemptsOf.set(a.caseId, list);
  }

  const refusals: ComplianceRefusal[] = [];
  const breaches: ComplianceBreach[] = [];
  const windowed: { attempt: ComplianceAttempt; day: Day }[] = [];
  for (const [caseId, attempts] of attemptsOf) {
    const kase = cases.get(caseId);
    invariant(kase !== undefined, `the report has the case of every attempt (${caseId} is missing)`);
    const history: LoggedContact[] = [];
    for (const a of [...attempts].sort(byTime)) {
      const day = localTime(a.atMs, lenderZone).day;
      const inWindow = day >= fromDay && day <= toDay;
      const base = {
        attemptId: a.attemptId,
        caseId,
        customerId: kase.customerId,
        atMs: a.atMs,
        zone: kase.zone,
        channel: a.channel,
        party: a.party,
        actor: a.actor,
      };
      if (inWindow) windowed.push({ attempt: a, day });
      if (!a.allowed) {
        invariant(a.rule !== null, `a refused attempt names its rule (${a.attemptId})`);
        if (inWindow) refusals.push({ ...base, rule: a.rule });
      } else if (inWindow) {
        const open = openComplaintsAt(complaintsOf.get(kase.customerId) ?? [], a.atMs);
        const decision = decideContact(
          { atMs: a.atMs, channel: a.channel, party: a.party },
          history,
          {
            zone: kase.zone,
            lostContact: kase.lostContact,
            complaintOpen: complaintStopsContact(open, a.channel, settings),
          },
          rules,
        );
        if (!decision.allowed) {
          breaches.push({ ...base, outcome: a.outcome, rule: decision.rule, message: decision.message });
        }
      }
      // What happened counts towards the caps of what came after, breaches included.
      history.push({
        atMs: a.atMs,
        channel: a.channel,
        party: a.party,
        outcome: a.outcome,
        allowed: a.allowed,
      });
    }
  }
  refusals.sort(byTime);
  breaches.sort(byTime);

  const breached = new Set(breaches.map((b) => b.attemptId));
  const ruleCounts = new Map<string, { refused: number; breaches: number }>(
    CONTACT_RULES.map((r) => [r, { refused: 0, breaches: 0 }]),
  );
  const countOf = (rule: string) => {
    let c = ruleCounts.get(rule);
    if (c === undefined) {
      c = { refused: 0, breaches: 0 };
      ruleCounts.set(rule, c);
    }
    return c;
  };
  for (const r of refusals) countOf(r.rule).refused += 1;
  for (const b of breaches) countOf(b.rule).breaches += 1;
  const unknownRules = [...ruleCounts.keys()].filter((r) => !(CONTACT_RULES as string[]).includes(r)).sort();

  const tally = () => ({ attempts: 0, refused: 0, breaches: 0 });
  const collectors = new Map<string, ComplianceCounts & { attempts: number }>();
  const days = new Map<Day, ReturnType<typeof tally>>();
  for (let d = fromDay; d <= toDay; d = addDays(d, 1)) days.set(d, tally());
  for (const { attempt, day } of windowed) {
    const who = collectors.get(attempt.actor) ?? tally();
    collectors.set(attempt.actor, who);
    const on = days.get(day) as ReturnType<typeof tally>;
    for (const t of [who, on] as ReturnType<typeof tally>[]) {
      t.attempts += 1;
      if (!attempt.allowed) t.refused += 1;
      if (breached.has(attempt.attemptId)) t.breaches += 1;
    }
  }

  return {
    fromDay,
    toDay,
    zone: lenderZone,
    attempts: windowed.length,
    allowed: windowed.length - refusals.length,
    refused: refusals.length,
    breachCount: breaches.length,
    byRule: [...CONTACT_RULES, ...unknownRules].map((rule) => ({ rule, ...countOf(rule) })),
    byCollector: [...collectors]
      .map(([actor, c]) => ({ actor, ...c }))
      .sort(
        (a, b) =>
          b.refused + b.breaches - (a.refused + a.breaches) ||
          (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0),
      ),
    byDay: [...days].map(([day, c]) => ({ day, ...c })),
    refusals,
    breaches,
  };
}
