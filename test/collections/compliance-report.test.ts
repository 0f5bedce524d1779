import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ComplianceAttempt,
  type ComplianceCase,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  complianceReport,
  DEFAULT_CONTACT_RULES,
  decideContact,
  type LoggedContact,
  OUTCOMES_BY_CHANNEL,
} from '../../src/collections/index.js';
import { formatDate, parseDate } from '../../src/money/index.js';

const SH = 'Asia/Shanghai';
const ms = (iso: string) => Date.parse(iso);
let seq = 0;

function attempt(
  caseId: string,
  iso: string,
  channel: ContactChannel,
  outcome: ContactOutcome,
  more: Partial<ComplianceAttempt> = {},
): ComplianceAttempt {
  seq += 1;
  return {
    attemptId: `ca-${String(seq).padStart(4, '0')}`,
    caseId,
    atMs: ms(iso),
    channel,
    party: 'borrower',
    outcome,
    allowed: true,
    rule: null,
    actor: 'c1',
    ...more,
  };
}

const CASES: ComplianceCase[] = [
  { caseId: 'cc-a', customerId: 'cu-a', zone: SH, lostContact: false },
  { caseId: 'cc-b', customerId: 'cu-b', zone: SH, lostContact: false },
  { caseId: 'cc-c', customerId: 'cu-c', zone: SH, lostContact: true },
  { caseId: 'cc-d', customerId: 'cu-d', zone: 'America/New_York', lostContact: false },
];

describe('compliance report', () => {
  it('lists refusals by rule, collector and day, and each planted breach with its rule', () => {
    const refusedCall = attempt('cc-a', '2026-03-10T09:30:00+08:00', 'call', 'answered', {
      allowed: false,
      rule: 'answered_calls_per_day',
      actor: 'c2',
    });
    const refusedSms = attempt('cc-a', '2026-03-10T22:30:00+08:00', 'sms', 'sent', {
      allowed: false,
      rule: 'quiet_hours',
      actor: 'c2',
    });
    const lateCall = attempt('cc-a', '2026-03-10T23:10:00+08:00', 'call', 'answered');
    const fourthAnswered = attempt('cc-a', '2026-03-11T10:30:00+08:00', 'call', 'promise');
    const thirdParty = attempt('cc-b', '2026-03-11T10:00:00+08:00', 'call', 'answered', {
      party: 'contact',
      actor: 'c3',
    });
    const duringComplaint = attempt('cc-a', '2026-03-12T10:00:00+08:00', 'sms', 'sent');
    // 12:30 in Shanghai is 00:30 in New York: the borrower's night.
    const nightInNewYork = attempt('cc-d', '2026-03-11T12:30:00+08:00', 'call', 'no-answer', { actor: 'c3' });
    const attempts: ComplianceAttempt[] = [
      // Before the window: six unanswered calls, then one answered, so case b's borrower is reachable.
      ...['09', '10', '11', '12', '13', '14'].map((h) =>
        attempt('cc-b', `2026-03-09T${h}:00:00+08:00`, 'call', 'no-answer'),
      ),
      attempt('cc-b', '2026-03-09T15:00:00+08:00', 'call', 'answered'),
      attempt('cc-a', '2026-03-10T09:00:00+08:00', 'call', 'answered'),
      attempt('cc-a', '2026-03-10T09:10:00+08:00', 'call', 'answered'),
      attempt('cc-a', '2026-03-10T09:20:00+08:00', 'call', 'promise'),
      refusedCall,
      refusedSms,
      lateCall,
      attempt('cc-a', '2026-03-11T10:00:00+08:00', 'call', 'answered'),
      attempt('cc-a', '2026-03-11T10:10:00+08:00', 'call', 'refused'),
      attempt('cc-a', '2026-03-11T10:20:00+08:00', 'call', 'answered'),
      fourthAnswered,
      thirdParty,
      // Lost contact was marked on case c: its third-party call stands.
      attempt('cc-c', '2026-03-11T11:00:00+08:00', 'call', 'answered', { party: 'contact' }),
      duringComplaint,
      attempt('cc-a', '2026-03-13T10:00:00+08:00', 'sms', 'sent'),
      nightInNewYork,
      // After the window: not reported.
      attempt('cc-a', '2026-03-13T23:30:00+08:00', 'call', 'answered'),
    ];
    const report = complianceReport({
      fromDay: parseDate('2026-03-10'),
      toDay: parseDate('2026-03-12'),
      lenderZone: SH,
      attempts: [...attempts].reverse(),
      cases: CASES,
      complaints: [
        {
          customerId: 'cu-a',
          channel: 'hotline',
          category: 'collection_conduct',
          openFromMs: ms('2026-03-12T00:00:00+08:00'),
          openUntilMs: ms('2026-03-13T00:00:00+08:00'),
        },
      ],
    });
    expect(report.attempts).toBe(14);
    expect(report.refused).toBe(2);
    expect(report.allowed).toBe(12);
    expect(report.refusals.map((r) => [r.attemptId, r.rule, r.actor])).toEqual([
      [refusedCall.attemptId, 'answered_calls_per_day', 'c2'],
      [refusedSms.attemptId, 'quiet_hours', 'c2'],
    ]);
    expect(report.breaches.map((b) => [b.attemptId, b.rule])).toEqual([
      [lateCall.attemptId, 'quiet_hours'],
      [thirdParty.attemptId, 'third_party_only_when_unreachable'],
      [fourthAnswered.attemptId, 'answered_calls_per_day'],
      [nightInNewYork.attemptId, 'quiet_hours'],
      [duringComplaint.attemptId, 'complaint_open'],
    ]);
    expect(report.breaches[0]!.message).toMatch(/no collection contact from 22:00 to 08:00/);
    expect(report.breachCount).toBe(5);
    expect(report.byRule.filter((r) => r.refused + r.breaches > 0)).toEqual([
      { rule: 'complaint_open', refused: 0, breaches: 1 },
      { rule: 'quiet_hours', refused: 1, breaches: 2 },
      { rule: 'third_party_only_when_unreachable', refused: 0, breaches: 1 },
      { rule: 'answered_calls_per_day', refused: 1, breaches: 1 },
    ]);
    expect(report.byRule).toHaveLength(8);
    expect(report.byCollector).toEqual([
      { actor: 'c1', attempts: 10, refused: 0, breaches: 3 },
      { actor: 'c2', attempts: 2, refused: 2, breaches: 0 },
      { actor: 'c3', attempts: 2, refused: 0, breaches: 2 },
    ]);
    expect(report.byDay.map((d) => [formatDate(d.day), d.attempts, d.refused, d.breaches])).toEqual([
      ['2026-03-10', 6, 2, 1],
      ['2026-03-11', 7, 0, 3],
      ['2026-03-12', 1, 0, 1],
    ]);
  });

  it('reads an unknown rule under its own name and a rule made stricter as breaches', () => {
    const log = [
      attempt('cc-a', '2026-03-10T09:00:00+08:00', 'sms', 'sent'),
      attempt('cc-a', '2026-03-10T09:05:00+08:00', 'sms', 'sent'),
      attempt('cc-a', '2026-03-10T09:10:00+08:00', 'app', 'sent', { allowed: false, rule: 'retired_rule' }),
    ];
    const report = complianceReport({
      fromDay: parseDate('2026-03-10'),
      toDay: parseDate('2026-03-10'),
      lenderZone: SH,
      attempts: log,
      cases: CASES,
      complaints: [],
      rules: { ...DEFAULT_CONTACT_RULES, messagesPerDayMax: 1 },
    });
    expect(report.breaches.map((b) => [b.attemptId, b.rule])).toEqual([
      [log[1]!.attemptId, 'messages_per_day'],
    ]);
    expect(report.byRule.at(-1)).toEqual({ rule: 'retired_rule', refused: 1, breaches: 0 });
  });

  it('finds no breach in a log the rules wrote, counts every refusal, and finds exactly a planted one', () => {
    const channels: ContactChannel[] = ['call', 'sms', 'app', 'email', 'letter', 'visit'];
    const entry = fc.record({
      kase: fc.integer({ min: 0, max: 2 }),
      minute: fc.integer({ min: 0, max: 4 * 1440 - 1 }),
      channel: fc.constantFrom(...channels),
      outcomeIndex: fc.nat(),
      party: fc.constantFrom<ContactParty>('borrower', 'borrower', 'contact'),
      actor: fc.constantFrom('c1', 'c2', 'c3'),
    });
    const base = ms('2026-03-09T00:00:00+08:00');
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 80 }), (raw) => {
        const histories = new Map<string, LoggedContact[]>();
        const attempts: ComplianceAttempt[] = [];
        raw
          .map((r, i) => ({ ...r, i }))
          .sort((a, b) => a.minute - b.minute || a.i - b.i)
          .forEach((r, i) => {
            const kase = CASES[r.kase]!;
            const outcomes = OUTCOMES_BY_CHANNEL[r.channel];
            const req = { atMs: base + r.minute * 60_000, channel: r.channel, party: r.party };
            const history = histories.get(kase.caseId) ?? [];
            histories.set(kase.caseId, history);
            const d = decideContact(req, history, {
              zone: kase.zone,
              lostContact: kase.lostContact,
              complaintOpen: false,
            });
            const outcome = outcomes[r.outcomeIndex % outcomes.length]!;
            history.push({ ...req, outcome, allowed: d.allowed });
            attempts.push({
              ...req,
              attemptId: `ca-${String(i).padStart(4, '0')}`,
              caseId: kase.caseId,
              outcome,
              allowed: d.allowed,
              rule: d.allowed ? null : d.rule,
              actor: r.actor,
            });
          });
        const input = {
          fromDay: parseDate('2026-03-10'),
          toDay: parseDate('2026-03-12'),
          lenderZone: SH,
          attempts,
          cases: CASES,
          complaints: [],
        };
        const report = complianceReport(input);
        const inWindow = attempts.filter((a) => a.atMs >= ms('2026-03-10T00:00:00+08:00'));
        const refused = inWindow.filter((a) => !a.allowed);
        expect(report.breaches).toEqual([]);
        expect(report.refusals.map((r) => r.attemptId)).toEqual(refused.map((a) => a.attemptId));
        expect(report.attempts).toBe(inWindow.length);
        const sum = (xs: readonly { refused: number }[]) => xs.reduce((s, x) => s + x.refused, 0);
        expect(sum(report.byRule)).toBe(refused.length);
        expect(sum(report.byCollector)).toBe(refused.length);
        expect(sum(report.byDay)).toBe(refused.length);
        expect(report.byDay.reduce((s, d) => s + d.attempts, 0)).toBe(inWindow.length);

        // An SMS at 23:30 logged as allowed (an imported record): that one attempt, and only it, is a breach.
        const planted: ComplianceAttempt = {
          attemptId: 'ca-planted',
          caseId: 'cc-a',
          atMs: ms('2026-03-11T23:30:00+08:00'),
          channel: 'sms',
          party: 'borrower',
          outcome: 'sent',
          allowed: true,
          rule: null,
          actor: 'c9',
        };
        const withPlant = complianceReport({ ...input, attempts: [...attempts, planted] });
        expect(withPlant.breaches.map((b) => [b.attemptId, b.rule])).toEqual([['ca-planted', 'quiet_hours']]);
        expect(withPlant.refusals).toEqual(report.refusals);
        expect(withPlant.byCollector.find((c) => c.actor === 'c9')).toEqual({
          actor: 'c9',
          attempts: 1,
          refused: 0,
          breaches: 1,
        });
      }),
      { numRuns: 200 },
    );
  });
});
