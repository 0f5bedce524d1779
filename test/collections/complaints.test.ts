import { describe, expect, it } from 'vitest';
import {
  CollectionsInputError,
  type ComplaintSettings,
  checkComplaintSettings,
  checkIntake,
  collectionEffect,
  compileCalendar,
  complaintSla,
  complaintStopsContact,
  DEFAULT_COMPLAINT_SETTINGS,
  deadlineDay,
  monthsFromTo,
  nextStatus,
  reputationView,
} from '../../src/collections/index.js';
import { formatDate, parseDate } from '../../src/money/index.js';

const d = parseDate;
// National Day 2026: 10-01..10-07 off, Sunday 09-27 and Saturday 10-10 worked (调休).
const golden: ComplaintSettings = {
  ...DEFAULT_COMPLAINT_SETTINGS,
  calendar: {
    weekendDays: [6, 7],
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
    workdays: ['2026-09-27', '2026-10-10'],
  },
};
const cal = compileCalendar(golden.calendar);

describe('SLA deadlines on the lender calendar', () => {
  it.each([
    // received, timer, due
    ['2026-11-06', { days: 1, dayKind: 'business' }, '2026-11-09'], // Friday → Monday
    ['2026-11-05', { days: 1, dayKind: 'business' }, '2026-11-06'],
    ['2026-11-07', { days: 1, dayKind: 'business' }, '2026-11-09'], // received Saturday
    ['2026-09-30', { days: 1, dayKind: 'business' }, '2026-10-08'], // over National Day
    ['2026-09-30', { days: 3, dayKind: 'business' }, '2026-10-10'], // the worked Saturday counts
    ['2026-09-26', { days: 1, dayKind: 'business' }, '2026-09-27'], // the worked Sunday
    ['2026-11-02', { days: 15, dayKind: 'calendar' }, '2026-11-17'],
    ['2026-11-06', { days: 15, dayKind: 'calendar' }, '2026-11-23'], // 11-21 is a Saturday → Monday
    ['2026-09-20', { days: 15, dayKind: 'calendar' }, '2026-10-08'], // 10-05 a holiday → 10-08
    ['2026-11-05', { days: 0, dayKind: 'business' }, '2026-11-05'],
  ] as const)('received %s, %o → due %s', (received, timer, due) => {
    expect(formatDate(deadlineDay(d(received), timer, cal))).toBe(due);
  });

  it('an open complaint runs on time, then due soon, then overdue; done timers are met or missed', () => {
    const c = { receivedDay: d('2026-11-02'), acknowledgedDay: null, resolvedDay: null };
    expect(complaintSla(c, d('2026-11-02'), golden)).toMatchObject({
      acknowledge: { dueDate: '2026-11-03', state: 'due_soon', daysLeft: 1 },
      resolve: { dueDate: '2026-11-17', state: 'on_time', daysLeft: 15 },
      state: 'due_soon',
    });
    expect(complaintSla(c, d('2026-11-04'), golden)).toMatchObject({
      acknowledge: { state: 'overdue', daysLeft: -1 },
      state: 'overdue',
    });
    const acked = { ...c, acknowledgedDay: d('2026-11-03') };
    expect(complaintSla(acked, d('2026-11-16'), golden)).toMatchObject({
      acknowledge: { state: 'met', daysLeft: null },
      resolve: { state: 'due_soon', daysLeft: 1 },
      state: 'due_soon',
    });
    expect(complaintSla(acked, d('2026-11-18'), golden).resolve.state).toBe('overdue');
    const late = { ...acked, resolvedDay: d('2026-11-18') };
    expect(complaintSla(late, d('2026-11-30'), golden)).toMatchObject({
      acknowledge: { state: 'met' },
      resolve: { state: 'missed' },
      state: 'missed',
    });
    // Resolved at once: acknowledged by the resolution.
    const atOnce = { ...c, resolvedDay: d('2026-11-02') };
    expect(complaintSla(atOnce, d('2026-12-01'), golden).state).toBe('met');
  });

  it('business days left skip the weekend', () => {
    const c = { receivedDay: d('2026-11-06'), acknowledgedDay: null, resolvedDay: null };
    const settings = { ...golden, acknowledge: { days: 2, dayKind: 'business' as const } };
    // Received Friday, due Tuesday 11-10; seen on Friday: Monday and Tuesday are left.
    expect(complaintSla(c, d('2026-11-06'), settings).acknowledge).toMatchObject({
      dueDate: '2026-11-10',
      daysLeft: 2,
      state: 'on_time',
    });
    expect(complaintSla(c, d('2026-11-12'), settings).acknowledge.daysLeft).toBe(-2);
  });
});

describe('intake and workflow', () => {
  const ok = {
    channel: 'hotline' as const,
    category: 'collection_conduct' as const,
    summary: '催收员晚上十点后来电',
    receivedDay: d('2026-11-05'),
    regulatorReference: null,
  };
  it('accepts a well-formed complaint and names the field of a bad one', () => {
    expect(checkIntake(ok, d('2026-11-05'))).toBe(ok);
    const bad = (patch: object, field: string) => {
      try {
        checkIntake({ ...ok, ...patch }, d('2026-11-05'));
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(CollectionsInputError);
        expect((error as CollectionsInputError).field).toBe(field);
      }
    };
    bad({ summary: '  ' }, 'summary');
    bad({ receivedDay: d('2026-11-06') }, 'receivedAt');
    // Received at most 30 days (the default) before the business day; a lender's setting moves the bound.
    expect(checkIntake({ ...ok, receivedDay: d('2026-10-06') }, d('2026-11-05'))).toBeDefined();
    bad({ receivedDay: d('2026-10-05') }, 'receivedAt');
    bad({ receivedDay: d('2020-12-09') }, 'receivedAt');
    expect(() => checkIntake({ ...ok, receivedDay: d('2026-11-04') }, d('2026-11-05'), 0)).toThrow(
      /within 0 days/,
    );
    bad({ channel: 'regulator_referral' }, 'regulatorReference');
    bad({ channel: 'fax' }, 'channel');
    bad({ category: 'weather' }, 'category');
  });
  it('counts the days of the intake window in English: one day, two days', () => {
    const message = (back: number) => {
      try {
        checkIntake({ ...ok, receivedDay: d('2026-10-01') }, d('2026-11-05'), back);
        return 'accepted';
      } catch (error) {
        return (error as CollectionsInputError).message;
      }
    };
    expect(message(1)).toBe(
      'a complaint is recorded within 1 day of its receipt: the day of receipt is 2026-11-04 or later (the business day is 2026-11-05)',
    );
    expect(message(2)).toBe(
      'a complaint is recorded within 2 days of its receipt: the day of receipt is 2026-11-03 or later (the business day is 2026-11-05)',
    );
  });
  it('moves received → acknowledged → resolved, never back', () => {
    expect(nextStatus('received', 'acknowledge')).toEqual({ ok: true, status: 'acknowledged' });
    expect(nextStatus('received', 'resolve')).toEqual({ ok: true, status: 'resolved' });
    expect(nextStatus('acknowledged', 'acknowledge').ok).toBe(false);
    expect(nextStatus('resolved', 'resolve').ok).toBe(false);
  });
  it('settings are checked', () => {
    expect(() =>
      checkComplaintSettings({ ...golden, calendar: { ...golden.calendar, weekendDays: [8] } }),
    ).toThrow(/weekendDays/);
    expect(() => checkComplaintSettings({ ...golden, spike: { ...golden.spike, ratioPercent: 50 } })).toThrow(
      /ratioPercent/,
    );
  });
});

describe('collection while a complaint is open', () => {
  it('pauses, limits to written channels, or carries on as configured', () => {
    const conduct = { channel: 'hotline' as const, category: 'collection_conduct' as const };
    const fees = { channel: 'app' as const, category: 'fees_interest' as const };
    const service = { channel: 'app' as const, category: 'service' as const };
    expect(collectionEffect([])).toBe('continue');
    expect(collectionEffect([service])).toBe('continue');
    expect(collectionEffect([fees, service])).toBe('limit');
    expect(collectionEffect([fees, conduct])).toBe('pause');
    expect(collectionEffect([{ channel: 'regulator_referral', category: 'service' }])).toBe('pause');
    expect(complaintStopsContact([fees], 'call')).toBe(true);
    expect(complaintStopsContact([fees], 'letter')).toBe(false);
    expect(complaintStopsContact([conduct], 'letter')).toBe(true);
    expect(complaintStopsContact([service], 'call')).toBe(false);
    const lenient = { ...DEFAULT_COMPLAINT_SETTINGS, regulatorReferralPauses: false };
    expect(
      complaintStopsContact([{ channel: 'regulator_referral', category: 'service' }], 'call', lenient),
    ).toBe(false);
  });
});

describe('the reputation view', () => {
  const months = monthsFromTo('2026-05', '2026-09');
  const activity = months.map((month) => ({ month, activeBorrowers: 20_000 }));
  it('rates per 10,000 active borrowers and the spike rule', () => {
    const counts = [
      { month: '2026-06', category: 'collection_conduct' as const, count: 4 },
      { month: '2026-07', category: 'collection_conduct' as const, count: 4 },
      { month: '2026-08', category: 'collection_conduct' as const, count: 4 },
      // 13 against a mean of 4: a spike. 6 in fees with none before: a spike (count ≥ 5).
      { month: '2026-09', category: 'collection_conduct' as const, count: 13 },
      { month: '2026-09', category: 'fees_interest' as const, count: 6 },
      { month: '2026-09', category: 'service' as const, count: 2 },
    ];
    const view = reputationView(['2026-08', '2026-09'], activity, counts);
    const cell = (m: string, c: string) => view.cells.find((x) => x.month === m && x.category === c);
    expect(cell('2026-09', 'collection_conduct')).toEqual({
      month: '2026-09',
      category: 'collection_conduct',
      count: 13,
      per10k: '6.50',
      spike: true,
    });
    expect(cell('2026-09', 'all')).toMatchObject({ count: 21, per10k: '10.50', spike: true });
    expect(cell('2026-08', 'collection_conduct')).toMatchObject({ per10k: '2.00', spike: false });
    expect(cell('2026-09', 'service')).toMatchObject({ count: 2, spike: false });
    expect(view.alerts.map((a) => `${a.month} ${a.category}`)).toEqual([
      '2026-09 collection_conduct',
      '2026-09 fees_interest',
      '2026-09 all',
    ]);
    expect(view.alerts[0]).toMatchObject({ baselinePer10k: '2.00' });
    expect(view.alerts[1]).toMatchObject({ baselinePer10k: null });
    expect(view.rule).toContain('150%');
  });
  it('exactly at 150% is no spike; just over is', () => {
    const base = ['2026-06', '2026-07', '2026-08'].map((month) => ({
      month,
      category: 'privacy' as const,
      count: 10,
    }));
    const at = reputationView(['2026-09'], activity, [
      ...base,
      { month: '2026-09', category: 'privacy', count: 15 },
    ]);
    expect(at.alerts.filter((a) => a.category === 'privacy')).toHaveLength(0);
    const over = reputationView(['2026-09'], activity, [
      ...base,
      { month: '2026-09', category: 'privacy', count: 16 },
    ]);
    expect(over.alerts.filter((a) => a.category === 'privacy')).toHaveLength(1);
    // The rate, not the count: the same 15 on half the borrowers is a spike.
    const fewer = reputationView(
      ['2026-09'],
      activity.map((a) => (a.month === '2026-09' ? { ...a, activeBorrowers: 10_000 } : a)),
      [...base, { month: '2026-09', category: 'privacy', count: 15 }],
    );
    expect(fewer.alerts.filter((a) => a.category === 'privacy')).toHaveLength(1);
  });
  it('counts complaints and months in English: one in the singular, two in the plural', () => {
    const rule = (baselineMonths: number, minCount: number) => ({
      baselineMonths,
      ratioPercent: 150,
      minCount,
    });
    const privacy = (view: ReturnType<typeof reputationView>) =>
      view.alerts.filter((a) => a.category === 'privacy').map((a) => a.message);
    const one = reputationView(
      ['2026-09'],
      activity,
      [{ month: '2026-09', category: 'privacy', count: 1 }],
      rule(1, 1),
    );
    expect(privacy(one)).toEqual([
      '1 privacy complaint in 2026-09 (0.50 per 10,000) with none in the 1 month before',
    ]);
    expect(one.rule).toBe(
      'a month spikes when at least 1 complaint was received and the rate per 10,000 active borrowers exceeds 150% of the mean rate of the 1 month before (with no complaints in those months, the count alone decides)',
    );
    const two = reputationView(
      ['2026-09'],
      activity,
      [
        { month: '2026-08', category: 'privacy', count: 1 },
        { month: '2026-09', category: 'privacy', count: 2 },
      ],
      rule(2, 2),
    );
    expect(privacy(two)).toEqual([
      '2 privacy complaints in 2026-09: 1.00 per 10,000 against a mean of 0.25 over the 2 months before (over 150%)',
    ]);
    expect(two.rule).toBe(
      'a month spikes when at least 2 complaints were received and the rate per 10,000 active borrowers exceeds 150% of the mean rate of the 2 months before (with no complaints in those months, the count alone decides)',
    );
  });
  it('a month with no active borrowers shows no rate', () => {
    const view = reputationView(['2026-05'], [{ month: '2026-05', activeBorrowers: 0 }], []);
    expect(view.cells).toEqual([{ month: '2026-05', category: 'all', count: 0, per10k: null, spike: false }]);
  });
});
