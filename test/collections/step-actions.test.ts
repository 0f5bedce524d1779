import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseAgency,
  collectionReminder,
  DEFAULT_STEP_ACTION_SETTINGS,
  decideStepMessage,
  type LoggedContact,
  planStepActions,
  type StepActionCase,
  type StrategyAction,
  type StrategyStep,
} from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';
import { parseCadenceDocument, type ReminderLoanFacts } from '../../src/monitoring/index.js';

const d = parseDate;
const DAY = d('2026-11-10');

function step(action: StrategyAction, over: Partial<StrategyStep> = {}): StrategyStep {
  return {
    action,
    channel: action === 'reminder' ? 'sms' : null,
    code: `CS_${action.toUpperCase()}`,
    reason: `${action} because`,
    dueInDays: 0,
    ...over,
  };
}

function kase(action: StrategyAction, over: Partial<StepActionCase> = {}): StepActionCase {
  return {
    caseId: 'cs_1',
    customerId: 'cus_1',
    step: step(action),
    complaintOpen: false,
    agencyId: null,
    legalActionLive: false,
    lastReminderDay: null,
    ...over,
  };
}

/** The rule table of carrying out a step: the step's action and the case's state give the action, or none. */
describe('planStepActions', () => {
  const table: {
    name: string;
    c: StepActionCase;
    key: string | null;
    why?: string;
  }[] = [
    { name: 'reminder', c: kase('reminder'), key: 'reminder:cs_1:CS_REMINDER:2026-11-10' },
    {
      name: 'agency placement',
      c: kase('agency-placement'),
      key: 'agency-placement:cs_1:CS_AGENCY-PLACEMENT',
    },
    { name: 'legal review', c: kase('legal-review'), key: 'legal-review:cs_1:CS_LEGAL-REVIEW' },
    { name: 'a call is a person’s', c: kase('call'), key: null },
    { name: 'a letter is a person’s', c: kase('letter'), key: null },
    { name: 'a negotiation offer is a person’s', c: kase('negotiation-offer'), key: null },
    { name: 'hold (observation, complaint) does nothing', c: kase('hold'), key: null },
    {
      name: 'complaint open: no reminder',
      c: kase('reminder', { complaintOpen: true }),
      key: null,
      why: 'complaint_open',
    },
    {
      name: 'complaint open: no placement',
      c: kase('agency-placement', { complaintOpen: true }),
      key: null,
      why: 'complaint_open',
    },
    {
      name: 'complaint open: no legal request',
      c: kase('legal-review', { complaintOpen: true }),
      key: null,
      why: 'complaint_open',
    },
    {
      name: 'already placed',
      c: kase('agency-placement', { agencyId: 'agy' }),
      key: null,
      why: 'already_placed',
    },
    {
      name: 'recalled with a reason while on this step: not placed again by it',
      c: kase('agency-placement', {
        lastRecall: {
          placementId: 'cpl_1',
          agencyId: 'agy',
          placeAgain: false,
          holdStep: 'CS_AGENCY-PLACEMENT',
        },
      }),
      key: null,
      why: 'recalled',
    },
    {
      name: 'recalled with a reason, since then on another step: placed, a new placement',
      c: kase('agency-placement', {
        lastRecall: { placementId: 'cpl_1', agencyId: 'agy', placeAgain: false, holdStep: null },
      }),
      key: 'agency-placement:cs_1:CS_AGENCY-PLACEMENT:after:cpl_1',
    },
    {
      name: 'recalled to move agencies: placed again',
      c: kase('agency-placement', {
        lastRecall: { placementId: 'cpl_1', agencyId: 'agy', placeAgain: true, holdStep: null },
      }),
      key: 'agency-placement:cs_1:CS_AGENCY-PLACEMENT:after:cpl_1',
    },
    {
      name: 'a legal action is live',
      c: kase('legal-review', { legalActionLive: true }),
      key: null,
      why: 'legal_action_live',
    },
    {
      name: 'reminded two days ago (repeat every 3)',
      c: kase('reminder', { lastReminderDay: DAY - 2 }),
      key: null,
      why: 'reminder_not_yet_due',
    },
    {
      name: 'reminded three days ago',
      c: kase('reminder', { lastReminderDay: DAY - 3 }),
      key: 'reminder:cs_1:CS_REMINDER:2026-11-10',
    },
    {
      name: 'the step’s own interval when longer',
      c: kase('reminder', { lastReminderDay: DAY - 4, step: step('reminder', { dueInDays: 5 }) }),
      key: null,
      why: 'reminder_not_yet_due',
    },
  ];
  for (const row of table)
    it(row.name, () => {
      const plan = planStepActions([row.c], DAY);
      expect(plan.carryOut.map((a) => a.key)).toEqual(row.key === null ? [] : [row.key]);
      expect(plan.skipped.map((s) => s.why)).toEqual(row.why === undefined ? [] : [row.why]);
    });

  it('keeps the channel of a reminder step and the same keys when planned again', () => {
    const cases = [
      kase('reminder', { step: step('reminder', { channel: 'app' }) }),
      kase('legal-review', { caseId: 'cs_0' }),
    ];
    const a = planStepActions(cases, DAY);
    expect(a).toEqual(planStepActions([...cases].reverse(), DAY));
    expect(a.carryOut.map((x) => [x.caseId, x.channel])).toEqual([
      ['cs_0', null],
      ['cs_1', 'app'],
    ]);
  });

  it('acts through an open complaint only when the lender does not pause for complaints', () => {
    const plan = planStepActions([kase('reminder', { complaintOpen: true })], DAY, {
      ...DEFAULT_STEP_ACTION_SETTINGS,
      pauseWhileComplaintOpen: false,
    });
    expect(plan.carryOut).toHaveLength(1);
  });
});

describe('planStepActions after a recall to move agencies', () => {
  it('names the agency the case left, which the placement does not choose again', () => {
    const plan = planStepActions(
      [
        kase('agency-placement', {
          lastRecall: { placementId: 'cpl_1', agencyId: 'agy_1', placeAgain: true, holdStep: null },
        }),
      ],
      DAY,
    );
    expect(plan.carryOut[0]?.notAgency).toBe('agy_1');
    expect(planStepActions([kase('agency-placement')], DAY).carryOut[0]?.notAgency).toBeUndefined();
  });
});

/** A step's message at its send moment: the contact rules' own check on the case's log (decision 0911). */
describe('decideStepMessage', () => {
  const zone = 'Asia/Shanghai';
  const facts = { zone, lostContact: false, complaintOpen: false };
  const at = (iso: string) => Date.parse(iso);
  const sms = (iso: string, over: Partial<LoggedContact> = {}): LoggedContact => ({
    atMs: at(iso),
    channel: 'sms',
    party: 'borrower',
    outcome: 'sent',
    allowed: true,
    ...over,
  });
  it('sends within the hours and under the cap', () => {
    expect(decideStepMessage('sms', at('2026-10-02T02:00:00Z'), [], facts)).toEqual({ go: 'send' });
  });
  it('moves a message due in the quiet hours to when they end, in the borrower’s zone', () => {
    const v = decideStepMessage('sms', at('2026-10-01T23:00:00Z'), [], facts); // 07:00 in Shanghai
    expect(v).toMatchObject({ go: 'move', rule: 'quiet_hours', atMs: at('2026-10-02T00:00:00Z') });
  });
  it('cancels at the day’s message cap, counting every message of the borrower’s day, not undelivered ones', () => {
    const three = [sms('2026-10-02T00:30:00Z'), sms('2026-10-02T00:40:00Z'), sms('2026-10-02T00:50:00Z')];
    expect(decideStepMessage('app', at('2026-10-02T02:00:00Z'), three, facts)).toMatchObject({
      go: 'cancel',
      rule: 'messages_per_day',
    });
    const undelivered = [...three.slice(0, 2), sms('2026-10-02T00:50:00Z', { outcome: 'undelivered' })];
    expect(decideStepMessage('sms', at('2026-10-02T02:00:00Z'), undelivered, facts)).toEqual({ go: 'send' });
    // Yesterday's (the borrower's day) and refused ones do not count.
    const other = [
      sms('2026-10-01T12:00:00Z'),
      sms('2026-10-02T00:30:00Z', { allowed: false }),
      ...three.slice(1),
    ];
    expect(decideStepMessage('sms', at('2026-10-02T02:00:00Z'), other, facts)).toEqual({ go: 'send' });
  });
  it('cancels while a complaint pauses collection, with no time that allows it', () => {
    expect(
      decideStepMessage('email', at('2026-10-02T02:00:00Z'), [], { ...facts, complaintOpen: true }),
    ).toEqual({ go: 'cancel', rule: 'complaint_open', message: expect.any(String), nextAllowedAtMs: null });
  });
});

describe('chooseAgency', () => {
  it('is balanced: the fewest open placements, then the lowest id; none active gives null', () => {
    expect(
      chooseAgency([
        { agencyId: 'b', placedOpen: 3 },
        { agencyId: 'a', placedOpen: 4 },
        { agencyId: 'c', placedOpen: 3 },
      ]),
    ).toBe('b');
    expect(chooseAgency([])).toBeNull();
  });
});

describe('collectionReminder', () => {
  const parsed = parseCadenceDocument(
    JSON.parse(
      readFileSync(new URL('../../policies/reminders/default-cadence.json', import.meta.url), 'utf8'),
    ),
  );
  if (!parsed.ok) throw new Error('the shipped cadence validates');
  const document = parsed.document;
  const loan: ReminderLoanFacts = {
    loanId: 'ln_1',
    customerId: 'cus_1',
    productId: 'p',
    segment: '*',
    currency: 'CNY',
    settled: false,
    dues: [
      { dueDay: d('2026-10-20'), amountMinor: 0 },
      { dueDay: d('2026-10-25'), amountMinor: 12_345 },
      { dueDay: d('2026-11-25'), amountMinor: 10_000 },
    ],
    daysPastDue: 16,
    negativeNotice: null,
    consequence: { 'zh-CN': '', en: '' },
    borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: [] },
  };
  const action = planStepActions([kase('reminder', { step: step('reminder', { code: 'CS_M1_SMS' }) })], DAY)
    .carryOut[0]!;
  const base = { action, loan, overdueMinor: 12_345, daysPastDue: 16, document, day: DAY, plannedToday: 0 };

  it('is anchored on the oldest unpaid instalment, keyed by loan, step and day, and sent in contact hours', () => {
    const r = collectionReminder(base)!;
    expect(r.reminderKey).toBe('ln_1/collection.CS_M1_SMS/2026-11-10');
    expect(r.anchorDueDay).toBe(d('2026-10-25'));
    expect(r.channel).toBe('sms');
    expect(r.status).toBe('planned');
    expect(r.body).toContain('123.45');
    expect(r.legallyRequired).toBe(false);
    // 10:00 in Shanghai the next day (the refresh runs when its day closes), planned for that day.
    expect(new Date(r.scheduledAtMs).toISOString()).toBe('2026-11-11T02:00:00.000Z');
    expect(r.planDay).toBe(d('2026-11-11'));
    // A borrower in another zone is reached inside the contact hours of their own clock.
    const la = collectionReminder({
      ...base,
      loan: { ...loan, borrower: { ...loan.borrower, timeZone: 'America/Los_Angeles' } },
    })!;
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        hour12: false,
        timeZone: 'America/Los_Angeles',
      }).format(la.scheduledAtMs),
    );
    expect(hour).toBeGreaterThanOrEqual(8);
    expect(hour).toBeLessThan(22);
  });
  it('is recorded, not sent, when the borrower opted out of the channel or the day’s cap is reached', () => {
    expect(
      collectionReminder({ ...base, loan: { ...loan, borrower: { ...loan.borrower, optOuts: ['sms'] } } })
        ?.cancelReason,
    ).toBe('opted-out');
    expect(collectionReminder({ ...base, plannedToday: document.capPerCustomerPerDay })?.cancelReason).toBe(
      'daily-cap',
    );
  });
  it('is none for a loan with nothing unpaid', () => {
    expect(collectionReminder({ ...base, loan: { ...loan, dues: [] } })).toBeNull();
  });
  it('counts the days past due in English, one day in the singular; Chinese writes the number alone', () => {
    const body = (daysPastDue: number, lang: 'en' | 'zh-CN' = 'en') =>
      collectionReminder({ ...base, daysPastDue, loan: { ...loan, borrower: { ...loan.borrower, lang } } })!
        .body;
    expect(body(1)).toMatch(/^Your loan is 1 day past due: /);
    expect(body(2)).toMatch(/^Your loan is 2 days past due: /);
    expect(body(1, 'zh-CN')).toMatch(/^您的借款已逾期 1 天，/);
  });
});
