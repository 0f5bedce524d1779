import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, parseDate } from '../../src/money/index.js';
import {
  mootReminders,
  nextContactInstant,
  type ParsedCadenceDocument,
  parseCadenceDocument,
  planReminders,
  type ReminderLoanFacts,
} from '../../src/monitoring/index.js';

const raw = JSON.parse(
  readFileSync(new URL('../../policies/reminders/default-cadence.json', import.meta.url), 'utf8'),
);

function shipped(): ParsedCadenceDocument {
  const parsed = parseCadenceDocument(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.document;
}

const DUE = parseDate('2026-03-10');

function loan(over: Partial<ReminderLoanFacts> = {}): ReminderLoanFacts {
  return {
    loanId: 'L1',
    customerId: 'C1',
    productId: 'p',
    segment: 'salaried',
    currency: 'CNY',
    settled: false,
    dues: [{ dueDay: DUE, amountMinor: 123_456 }],
    daysPastDue: 0,
    negativeNotice: null,
    consequence: { 'zh-CN': '逾期后果。', en: 'Consequence.' },
    borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: [] },
    ...over,
  };
}

function plan(loans: ReminderLoanFacts[], day: number, document = shipped()) {
  return planReminders({ document, day, loans });
}

describe('the shipped cadence', () => {
  it('passes validation', () => {
    expect(parseCadenceDocument(raw).ok).toBe(true);
  });

  it.each([
    [-3, 't-3', 'app-push'],
    [-1, 't-1', 'sms'],
    [0, 't0', 'sms'],
    [1, 't+1', 'sms'],
    [3, 't+3', 'email'],
    [7, 't+7', 'call-task'],
    [31, 'm2-letter', 'letter'],
  ])('day T%i plans stage %s on %s', (offset, stage, channel) => {
    const overdue = offset > 0;
    const out = plan([loan({ daysPastDue: overdue ? offset : 0 })], DUE + offset);
    expect(out.map((r) => [r.stageId, r.channel, r.status])).toEqual([[stage, channel, 'planned']]);
  });

  it.each([-4, -2, 2, 4, 6, 8, 30, 32])('day T%i plans nothing', (offset) => {
    expect(plan([loan()], DUE + offset)).toEqual([]);
  });

  it('renders the exact amount due, the due date and the consequence in the borrower’s language', () => {
    const [en] = plan([loan({ daysPastDue: 3 })], DUE + 3);
    expect(en?.body).toBe(
      'The instalment due 2026-03-10 is 3 days overdue: 1234.56 CNY is owed. Consequence.',
    );
    const [zh] = plan(
      [loan({ daysPastDue: 3, borrower: { timeZone: 'Asia/Shanghai', lang: 'zh-CN', optOuts: [] } })],
      DUE + 3,
    );
    expect(zh?.body).toBe('您 2026-03-10 到期的借款已逾期 3 天，现欠 1234.56 元。逾期后果。');
  });

  it('sums every unpaid instalment due by the anchor date', () => {
    const facts = loan({
      dues: [
        { dueDay: DUE - 31, amountMinor: 100 },
        { dueDay: DUE, amountMinor: 200 },
      ],
    });
    expect(plan([facts], DUE - 1)[0]?.amountDueMinor).toBe(300);
  });

  it('plans the legal notice two days before its deadline with the reporting date', () => {
    const notice = { deadlineDay: parseDate('2026-03-30'), reportDay: parseDate('2026-03-31') };
    const out = plan([loan({ daysPastDue: 18, negativeNotice: notice })], parseDate('2026-03-28'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      stageId: 'legal-negative-notice',
      legallyRequired: true,
      status: 'planned',
    });
    expect(out[0]?.body).toContain('2026-03-31');
    expect(out[0]?.reminderKey).toBe('L1/legal-negative-notice/2026-03-10');
  });
});

describe('planning without text', () => {
  it('gives the same reminders, statuses and times with subject and body left empty', () => {
    const document = shipped();
    const loans = [
      loan(),
      loan({ loanId: 'L2', daysPastDue: 3, dues: [{ dueDay: DUE, amountMinor: 5_000 }] }),
    ];
    let planned = 0;
    for (const day of [DUE - 3, DUE, DUE + 3]) {
      const full = planReminders({ document, day, loans });
      const bare = planReminders({ document, day, loans, withoutText: true });
      expect(bare).toEqual(full.map((r) => ({ ...r, subject: '', body: '' })));
      planned += full.length;
    }
    expect(planned).toBeGreaterThan(0);
  });
});

describe('contact hours in the borrower’s zone', () => {
  const doc = shipped();
  it.each([
    // lender 10:00 Shanghai = 02:00 UTC
    ['Asia/Shanghai', '2026-03-09T02:00:00.000Z'],
    // 02:00 in London (GMT in March before the change) → 08:00 London = 08:00Z
    ['Europe/London', '2026-03-09T08:00:00.000Z'],
    // 19:00 the day before in Los Angeles (PDT from 8 March) → inside the hours, unchanged
    ['America/Los_Angeles', '2026-03-09T02:00:00.000Z'],
    // 15:00 in Auckland (NZDT, +13) → unchanged
    ['Pacific/Auckland', '2026-03-09T02:00:00.000Z'],
  ])('a T−1 SMS at 10:00 Shanghai reaches a borrower in %s at %s', (zone, expected) => {
    const [r] = plan([loan({ borrower: { timeZone: zone, lang: 'en', optOuts: [] } })], DUE - 1, doc);
    expect(new Date(r?.scheduledAtMs ?? 0).toISOString()).toBe(expected);
  });

  it('moves a time after 22:00 to 08:00 the next local day', () => {
    // 23:30 Shanghai = 15:30Z → 08:00 Shanghai next day = 00:00Z
    const at = Date.parse('2026-03-10T15:30:00Z');
    const next = nextContactInstant(at, 'Asia/Shanghai', doc.hours);
    expect(new Date(next).toISOString()).toBe('2026-03-11T00:00:00.000Z');
  });

  it('never schedules inside quiet hours (property)', () => {
    const zones = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        fc.constantFrom(...zones),
        (t, zone) => {
          const next = nextContactInstant(t, zone, doc.hours);
          const hour = Number(
            new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
              next,
            ),
          );
          return next >= t && hour >= 8 && hour < 22 && next - t <= 16 * 3_600_000;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('caps and opt-outs', () => {
  it('cancels reminders past the daily cap, by customer', () => {
    const facts = ['L1', 'L2', 'L3'].map((id) => loan({ loanId: id }));
    const out = plan(facts, DUE - 1);
    expect(out.map((r) => [r.loanId, r.status, r.cancelReason])).toEqual([
      ['L1', 'planned', null],
      ['L2', 'planned', null],
      ['L3', 'cancelled', 'daily-cap'],
    ]);
  });

  it('counts what was planned earlier in the day', () => {
    const out = planReminders({
      document: shipped(),
      day: DUE - 1,
      loans: [loan()],
      plannedToday: new Map([['C1', 2]]),
    });
    expect(out[0]?.cancelReason).toBe('daily-cap');
  });

  it('records an opted-out channel as cancelled', () => {
    const out = plan(
      [loan({ borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: ['sms'] } })],
      DUE - 1,
    );
    expect(out[0]).toMatchObject({ status: 'cancelled', cancelReason: 'opted-out' });
  });

  it('sends the legal notice whatever the opt-outs and the cap', () => {
    const notice = { deadlineDay: DUE + 20, reportDay: DUE + 21 };
    const facts = ['L1', 'L2', 'L3'].map((id) =>
      loan({
        loanId: id,
        daysPastDue: 18,
        negativeNotice: notice,
        borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: ['sms'] },
      }),
    );
    const out = planReminders({
      document: shipped(),
      day: DUE + 18,
      loans: facts,
      plannedToday: new Map([['C1', 99]]),
    });
    expect(out.map((r) => r.status)).toEqual(['planned', 'planned', 'planned']);
  });

  it('refuses a cadence whose negative notice may be opted out of', () => {
    const bad = structuredClone(raw);
    bad.cadences[0].stages[6].legallyRequired = false;
    const parsed = parseCadenceDocument(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.path).toBe('/cadences/0/stages/6/legallyRequired');
  });
});

describe('validation', () => {
  it.each([
    [
      'unknown channel',
      (d: typeof raw) => {
        d.cadences[0].stages[0].channel = 'pigeon';
      },
      '/cadences/0/stages/0/channel',
      'unknown channel',
    ],
    [
      'unknown placeholder',
      (d: typeof raw) => {
        d.cadences[0].stages[0].templates.en.body = 'Pay {amountDue} by {dueDate} {amout}';
      },
      '/cadences/0/stages/0/templates/en/body',
      'unknown placeholder {amout}',
    ],
    [
      'unbalanced brace',
      (d: typeof raw) => {
        d.cadences[0].stages[0].templates.en.body = 'Pay {amountDue} by {dueDate';
      },
      '/cadences/0/stages/0/templates/en/body',
      'without its pair',
    ],
    [
      'missing amount',
      (d: typeof raw) => {
        d.cadences[0].stages[0].templates['zh-CN'].body = '请于 {dueDate} 还款';
      },
      '/cadences/0/stages/0/templates/zh-CN/body',
      'must state {amountDue}',
    ],
    [
      'missing language',
      (d: typeof raw) => {
        delete d.cadences[0].stages[0].templates.en;
      },
      '/cadences/0/stages/0/templates/en',
      'must be',
    ],
    [
      'bad clock',
      (d: typeof raw) => {
        d.cadences[0].stages[0].sendAt = '25:00';
      },
      '/cadences/0/stages/0/sendAt',
      'HH:MM',
    ],
    [
      'quiet hours reversed',
      (d: typeof raw) => {
        d.contactHours = { start: '22:00', end: '08:00' };
      },
      '/contactHours',
      'start must come before end',
    ],
  ])('%s is named with its place', (_name, mutate, path, message) => {
    const d = structuredClone(raw);
    mutate(d);
    const parsed = parseCadenceDocument(d);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const issue = parsed.issues.find((i) => i.path === path);
      expect(issue?.message).toContain(message);
    }
  });
});

describe('a repayment cancels what it made moot', () => {
  const pending = [
    { reminderKey: 'L1/t-1/2026-03-10', anchorDueDay: DUE },
    { reminderKey: 'L1/t-1/2026-04-10', anchorDueDay: parseDate('2026-04-10') },
  ];
  it('cancels the reminders of paid instalments only', () => {
    expect(
      mootReminders(pending, { settled: false, dues: [{ dueDay: parseDate('2026-04-10'), amountMinor: 5 }] }),
    ).toEqual([{ reminderKey: 'L1/t-1/2026-03-10', reason: 'repaid' }]);
  });
  it('cancels all of them once the loan is settled', () => {
    expect(mootReminders(pending, { settled: true, dues: [] }).map((m) => m.reason)).toEqual([
      'settled',
      'settled',
    ]);
  });
  it('keeps a reminder of an instalment still owed', () => {
    expect(
      mootReminders(pending, {
        settled: false,
        dues: [
          { dueDay: DUE, amountMinor: 1 },
          { dueDay: parseDate('2026-04-10'), amountMinor: 5 },
        ],
      }),
    ).toEqual([]);
  });
});

describe('a restructuring or a write-off cancels what it made moot, never a legal notice whose debt remains', () => {
  const APRIL = parseDate('2026-04-10');
  const planDay = parseDate('2026-03-09');
  const pending = [
    { reminderKey: 'L1/t0/2026-03-10', anchorDueDay: DUE, legallyRequired: false, planDay },
    { reminderKey: 'L1/notice/2026-03-10', anchorDueDay: DUE, legallyRequired: true, planDay },
  ];
  const owed = [{ dueDay: APRIL, amountMinor: 5 }];
  it('a restructuring on or after the planning day cancels the reminders of the old plan, not the notice', () => {
    expect(mootReminders(pending, { settled: false, dues: owed, restructuredDay: planDay })).toEqual([
      { reminderKey: 'L1/t0/2026-03-10', reason: 'restructured' },
    ]);
    // Even where the old instalment is still owed under the new plan: its reminder quoted the old one.
    expect(
      mootReminders(pending, {
        settled: false,
        dues: [{ dueDay: DUE, amountMinor: 7 }],
        restructuredDay: addDays(planDay, 1),
      }),
    ).toEqual([{ reminderKey: 'L1/t0/2026-03-10', reason: 'restructured' }]);
  });
  it('a restructuring before the reminder was planned changes nothing of the rules', () => {
    expect(
      mootReminders(pending, { settled: false, dues: owed, restructuredDay: addDays(planDay, -1) }),
    ).toEqual([
      { reminderKey: 'L1/t0/2026-03-10', reason: 'repaid' },
      { reminderKey: 'L1/notice/2026-03-10', reason: 'repaid' },
    ]);
  });
  it('a write-off cancels every reminder of an instalment but keeps the notice: the debt is still owed', () => {
    expect(
      mootReminders(pending, { settled: false, dues: [{ dueDay: DUE, amountMinor: 7 }], writtenOff: true }),
    ).toEqual([{ reminderKey: 'L1/t0/2026-03-10', reason: 'written-off' }]);
    expect(mootReminders(pending, { settled: false, dues: [], writtenOff: true })).toEqual([
      { reminderKey: 'L1/t0/2026-03-10', reason: 'written-off' },
    ]);
  });
  it('a settled loan owes nothing: the notice goes too', () => {
    expect(
      mootReminders(pending, { settled: true, dues: [], restructuredDay: planDay }).map((m) => m.reason),
    ).toEqual(['settled', 'settled']);
  });
});
