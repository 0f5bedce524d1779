import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContactCaseFacts,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  checkContactRules,
  DEFAULT_CONTACT_RULES,
  decideContact,
  instantAt,
  isKnownZone,
  isoInZone,
  type LoggedContact,
  localTime,
} from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';

const SH: ContactCaseFacts = { zone: 'Asia/Shanghai', lostContact: false, complaintOpen: false };
const ms = (iso: string) => Date.parse(iso);

function logged(
  iso: string,
  channel: ContactChannel,
  outcome: ContactOutcome,
  party: ContactParty = 'borrower',
  allowed = true,
): LoggedContact {
  return { atMs: ms(iso), channel, party, outcome, allowed };
}

describe('zone time', () => {
  it('reads the wall clock of an instant in a zone and goes back', () => {
    const t = localTime(ms('2026-03-10T14:30:00Z'), 'Asia/Shanghai');
    expect(t).toEqual({ day: parseDate('2026-03-10'), minuteOfDay: 22 * 60 + 30 });
    expect(isoInZone(instantAt(parseDate('2026-03-11'), 480, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(
      '2026-03-11T08:00:00+08:00',
    );
  });

  it('handles daylight saving: 08:00 in New York on both sides of the change', () => {
    expect(isoInZone(instantAt(parseDate('2026-03-07'), 480, 'America/New_York'), 'America/New_York')).toBe(
      '2026-03-07T08:00:00-05:00',
    );
    expect(isoInZone(instantAt(parseDate('2026-03-09'), 480, 'America/New_York'), 'America/New_York')).toBe(
      '2026-03-09T08:00:00-04:00',
    );
    // 02:30 does not exist on 2026-03-08 there: read with the offset before the change.
    expect(isoInZone(instantAt(parseDate('2026-03-08'), 150, 'America/New_York'), 'America/New_York')).toBe(
      '2026-03-08T03:30:00-04:00',
    );
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isKnownZone('Asia/Shanghai')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
  });

  it('instantAt lands on the wall time asked for, for any day and minute outside DST gaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: parseDate('2000-01-01'), max: parseDate('2040-12-31') }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom('Asia/Shanghai', 'Asia/Kolkata', 'UTC', 'Europe/London', 'America/New_York'),
        (day, minute, zone) => {
          const t = localTime(instantAt(day, minute, zone), zone);
          // In a spring-forward gap the instant is the first one after it (at most an hour later).
          const asked = day * 1440 + minute;
          const got = t.day * 1440 + t.minuteOfDay;
          return got === asked || (got > asked && got - asked <= 60);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('contact rules, checked before each attempt (domain.md §7)', () => {
  const call = (iso: string, party: ContactParty = 'borrower') => ({
    atMs: ms(iso),
    channel: 'call' as const,
    party,
  });

  it.each([
    ['07:59 is quiet', '2026-03-10T07:59:00+08:00', false, '2026-03-10T08:00:00+08:00'],
    ['08:00 is open', '2026-03-10T08:00:00+08:00', true, null],
    ['21:59 is open', '2026-03-10T21:59:00+08:00', true, null],
    ['22:00 is quiet until tomorrow 08:00', '2026-03-10T22:00:00+08:00', false, '2026-03-11T08:00:00+08:00'],
    ['23:30 (15:30Z) is quiet', '2026-03-10T15:30:00Z', false, '2026-03-11T08:00:00+08:00'],
  ])('%s', (_name, at, allowed, next) => {
    const d = decideContact(call(at), [], SH);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.rule).toBe('quiet_hours');
      expect(d.nextAllowedAtMs === null ? null : isoInZone(d.nextAllowedAtMs, SH.zone)).toBe(next);
    }
  });

  it("judges quiet hours by the borrower's clock, not the lender's", () => {
    // 09:00 in Shanghai is 21:00 the day before in New York: allowed; 10:00 in Shanghai is 22:00 there.
    const ny: ContactCaseFacts = { ...SH, zone: 'America/New_York' };
    expect(decideContact(call('2026-06-10T09:00:00+08:00'), [], ny).allowed).toBe(true);
    const d = decideContact(call('2026-06-10T10:00:00+08:00'), [], ny);
    expect(d).toMatchObject({ allowed: false, rule: 'quiet_hours' });
    if (!d.allowed) expect(isoInZone(d.nextAllowedAtMs as number, ny.zone)).toBe('2026-06-10T08:00:00-04:00');
  });

  it('letters are not bound to hours', () => {
    expect(
      decideContact({ atMs: ms('2026-03-10T23:00:00+08:00'), channel: 'letter', party: 'borrower' }, [], SH),
    ).toEqual({ allowed: true });
  });

  it('at most 3 calls that reach the borrower a day; the fourth waits for tomorrow 08:00', () => {
    const history = [
      logged('2026-03-10T09:00:00+08:00', 'call', 'answered'),
      logged('2026-03-10T11:00:00+08:00', 'call', 'refused'),
      logged('2026-03-10T15:00:00+08:00', 'call', 'promise'),
    ];
    const d = decideContact(call('2026-03-10T18:00:00+08:00'), history, SH);
    expect(d).toMatchObject({ allowed: false, rule: 'answered_calls_per_day' });
    if (!d.allowed) expect(isoInZone(d.nextAllowedAtMs as number, SH.zone)).toBe('2026-03-11T08:00:00+08:00');
    // The next local day counts afresh, even though it is the same UTC day as the last call.
    expect(decideContact(call('2026-03-11T08:00:00+08:00'), history, SH).allowed).toBe(true);
    // Messages are not calls.
    expect(
      decideContact({ atMs: ms('2026-03-10T18:00:00+08:00'), channel: 'sms', party: 'borrower' }, history, SH)
        .allowed,
    ).toBe(true);
  });

  it('at most 6 unanswered dials a day', () => {
    const history = Array.from({ length: 6 }, (_, i) =>
      logged(
        `2026-03-10T${String(9 + i).padStart(2, '0')}:00:00+08:00`,
        'call',
        i % 2 ? 'no-answer' : 'wrong-number',
      ),
    );
    expect(decideContact(call('2026-03-10T16:00:00+08:00'), history.slice(0, 5), SH).allowed).toBe(true);
    expect(decideContact(call('2026-03-10T16:00:00+08:00'), history, SH)).toMatchObject({
      allowed: false,
      rule: 'unanswered_dials_per_day',
    });
  });

  it('refused attempts do not count towards the caps, and later attempts do not count for earlier ones', () => {
    const history = [
      ...Array.from({ length: 5 }, () =>
        logged('2026-03-10T09:00:00+08:00', 'call', 'answered', 'borrower', false),
      ),
      logged('2026-03-10T20:00:00+08:00', 'call', 'answered'),
      logged('2026-03-10T20:30:00+08:00', 'call', 'answered'),
      logged('2026-03-10T21:00:00+08:00', 'call', 'answered'),
    ];
    expect(decideContact(call('2026-03-10T10:00:00+08:00'), history, SH).allowed).toBe(true);
  });

  it('messages to the borrower are capped by the setting', () => {
    const history = ['sms', 'app', 'email'].map((c, i) =>
      logged(`2026-03-10T1${i}:00:00+08:00`, c as ContactChannel, 'sent'),
    );
    const sms = {
      atMs: ms('2026-03-10T15:00:00+08:00'),
      channel: 'sms' as const,
      party: 'borrower' as const,
    };
    expect(decideContact(sms, history, SH)).toMatchObject({ allowed: false, rule: 'messages_per_day' });
    expect(decideContact(sms, history, SH, { ...DEFAULT_CONTACT_RULES, messagesPerDayMax: 4 }).allowed).toBe(
      true,
    );
  });

  it('third parties only when the borrower cannot be reached, only by call or SMS, capped', () => {
    const at = '2026-03-10T16:00:00+08:00';
    expect(decideContact(call(at, 'contact'), [], SH)).toMatchObject({
      allowed: false,
      rule: 'third_party_only_when_unreachable',
      nextAllowedAtMs: null,
    });
    // Six failed borrower calls in a row (over two days) make the borrower unreachable.
    const failed = [
      ...Array.from({ length: 3 }, (_, i) => logged(`2026-03-09T1${i}:00:00+08:00`, 'call', 'no-answer')),
      ...Array.from({ length: 3 }, (_, i) => logged(`2026-03-10T1${i}:00:00+08:00`, 'call', 'wrong-number')),
    ];
    expect(decideContact(call(at, 'contact'), failed, SH).allowed).toBe(true);
    // One answered call among them: reachable again.
    const reached = [...failed.slice(0, 5), logged('2026-03-10T12:30:00+08:00', 'call', 'answered')];
    expect(decideContact(call(at, 'contact'), reached, SH).allowed).toBe(false);
    // Marked lost contact by a person.
    const lost = { ...SH, lostContact: true };
    expect(decideContact(call(at, 'contact'), [], lost).allowed).toBe(true);
    expect(decideContact({ atMs: ms(at), channel: 'visit', party: 'contact' }, [], lost)).toMatchObject({
      rule: 'third_party_channel',
    });
    const two = [
      logged('2026-03-10T09:00:00+08:00', 'call', 'no-answer', 'contact'),
      logged('2026-03-10T10:00:00+08:00', 'sms', 'sent', 'contact'),
    ];
    expect(decideContact(call(at, 'contact'), two, lost)).toMatchObject({
      rule: 'third_party_attempts_per_day',
    });
  });

  it('no contact while a complaint is open, when the lender pauses collection for complaints', () => {
    const facts = { ...SH, complaintOpen: true };
    expect(decideContact(call('2026-03-10T10:00:00+08:00'), [], facts)).toMatchObject({
      allowed: false,
      rule: 'complaint_open',
      nextAllowedAtMs: null,
    });
    expect(
      decideContact(call('2026-03-10T10:00:00+08:00'), [], facts, {
        ...DEFAULT_CONTACT_RULES,
        pauseWhileComplaintOpen: false,
      }).allowed,
    ).toBe(true);
  });

  it('counts in the refusal reasons in English: one in the singular, two in the plural', () => {
    const at = '2026-03-10T18:00:00+08:00';
    const sms = { atMs: ms(at), channel: 'sms' as const, party: 'borrower' as const };
    const message = (d: ReturnType<typeof decideContact>) => (d.allowed ? null : d.message);
    const rules = (n: number) => ({
      ...DEFAULT_CONTACT_RULES,
      answeredCallsPerDayMax: n,
      unansweredDialsPerDayMax: n,
      messagesPerDayMax: n,
      unreachableAfterFailedCalls: n,
    });
    const times = (n: number, channel: ContactChannel, outcome: ContactOutcome) =>
      Array.from({ length: n }, (_, i) => logged(`2026-03-10T1${i}:00:00+08:00`, channel, outcome));
    expect(message(decideContact(call(at), times(1, 'call', 'answered'), SH, rules(1)))).toBe(
      'the borrower was reached 1 time today; at most 1 a day: try again tomorrow or write',
    );
    expect(message(decideContact(call(at), times(2, 'call', 'answered'), SH, rules(2)))).toBe(
      'the borrower was reached 2 times today; at most 2 a day: try again tomorrow or write',
    );
    expect(message(decideContact(call(at), times(1, 'call', 'no-answer'), SH, rules(1)))).toBe(
      '1 unanswered dial today; at most 1 a day: dial again tomorrow',
    );
    expect(message(decideContact(call(at), times(2, 'call', 'no-answer'), SH, rules(2)))).toBe(
      '2 unanswered dials today; at most 2 a day: dial again tomorrow',
    );
    expect(message(decideContact(sms, times(1, 'sms', 'sent'), SH, rules(1)))).toBe(
      '1 message went to the borrower today; at most 1 a day',
    );
    expect(message(decideContact(sms, times(2, 'sms', 'sent'), SH, rules(2)))).toBe(
      '2 messages went to the borrower today; at most 2 a day',
    );
    const unreachable =
      'third parties may be contacted only when the borrower cannot be reached: mark the case as lost contact, or after';
    expect(message(decideContact(call(at, 'contact'), [], SH, rules(1)))).toBe(
      `${unreachable} 1 borrower call in a row goes unanswered`,
    );
    expect(message(decideContact(call(at, 'contact'), [], SH, rules(2)))).toBe(
      `${unreachable} 2 borrower calls in a row go unanswered`,
    );
  });

  it('a lender may be stricter than the law, never looser', () => {
    expect(() => checkContactRules({ ...DEFAULT_CONTACT_RULES, answeredCallsPerDayMax: 4 })).toThrow(
      /legal 3/,
    );
    expect(() => checkContactRules({ ...DEFAULT_CONTACT_RULES, unansweredDialsPerDayMax: 7 })).toThrow(
      /legal 6/,
    );
    expect(
      checkContactRules({ ...DEFAULT_CONTACT_RULES, answeredCallsPerDayMax: 2 }).answeredCallsPerDayMax,
    ).toBe(2);
  });

  it('whatever the history, an allowed borrower call is never in quiet hours and never past a cap', () => {
    const channels: ContactChannel[] = ['call', 'sms', 'app', 'email', 'visit'];
    const outcomes: ContactOutcome[] = [
      'answered',
      'promise',
      'refused',
      'no-answer',
      'wrong-number',
      'sent',
    ];
    const base = ms('2026-03-10T00:00:00+08:00');
    const attempt = fc.record({
      minute: fc.integer({ min: 0, max: 2 * 1440 - 1 }),
      channel: fc.constantFrom(...channels),
      outcome: fc.constantFrom(...outcomes),
    });
    fc.assert(
      fc.property(
        fc.array(attempt, { maxLength: 40 }),
        fc.integer({ min: 0, max: 2 * 1440 - 1 }),
        (raw, m) => {
          // Build the log the way the server does: each attempt decided against those before it.
          const history: LoggedContact[] = [];
          for (const a of [...raw].sort((x, y) => x.minute - y.minute)) {
            const req = { atMs: base + a.minute * 60_000, channel: a.channel, party: 'borrower' as const };
            history.push({ ...req, outcome: a.outcome, allowed: decideContact(req, history, SH).allowed });
          }
          const req = { atMs: base + m * 60_000, channel: 'call' as const, party: 'borrower' as const };
          const d = decideContact(req, history, SH);
          if (!d.allowed) return d.nextAllowedAtMs === null || d.nextAllowedAtMs > req.atMs;
          const t = localTime(req.atMs, SH.zone);
          const today = history.filter(
            (h) => h.allowed && h.atMs <= req.atMs && localTime(h.atMs, SH.zone).day === t.day,
          );
          const reached = today.filter(
            (h) =>
              (h.channel === 'call' || h.channel === 'visit') &&
              ['answered', 'promise', 'refused'].includes(h.outcome),
          );
          const unanswered = today.filter(
            (h) => h.channel === 'call' && ['no-answer', 'wrong-number'].includes(h.outcome),
          );
          return t.minuteOfDay >= 480 && t.minuteOfDay < 1320 && reached.length < 3 && unanswered.length < 6;
        },
      ),
      { numRuns: 300 },
    );
  });
});
