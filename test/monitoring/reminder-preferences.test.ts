import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHardshipRequest } from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  checkReminderPreferences,
  type ParsedCadenceDocument,
  parseCadenceDocument,
  planReminders,
  type ReminderLoanFacts,
  reminderHoursFor,
} from '../../src/monitoring/index.js';

/** A borrower's own reminder window and channels bend ordinary reminders, never a legally required notice. */
const raw = JSON.parse(
  readFileSync(new URL('../../policies/reminders/default-cadence.json', import.meta.url), 'utf8'),
);
function shipped(): ParsedCadenceDocument {
  const parsed = parseCadenceDocument(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.document;
}
const DUE = parseDate('2026-03-10');
const window = { startMinute: 12 * 60, endMinute: 18 * 60 };

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
    borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: [], window },
    ...over,
  };
}

describe('reminder preferences', () => {
  const hours = shipped().hours;
  it('keeps a window inside the lender hours and refuses one reaching into the quiet hours', () => {
    expect(checkReminderPreferences({ optOuts: ['sms'], window }, hours)).toEqual([]);
    expect(
      checkReminderPreferences({ optOuts: [], window: { startMinute: 7 * 60, endMinute: 20 * 60 } }, hours),
    ).toEqual([expect.objectContaining({ path: '/contactWindow', reason: 'window_outside' })]);
    expect(
      checkReminderPreferences({ optOuts: [], window: { startMinute: 12 * 60, endMinute: 13 * 60 } }, hours),
    ).toEqual([expect.objectContaining({ reason: 'window_short' })]);
    expect(checkReminderPreferences({ optOuts: ['fax'], window: null }, hours)).toEqual([
      expect.objectContaining({ path: '/optOuts/0', reason: 'channel' }),
    ]);
  });

  it('schedules an ordinary reminder into the borrower window', () => {
    // The T−1 SMS goes at 10:00 Shanghai; the borrower's window opens at 12:00 Shanghai = 04:00Z.
    const [r] = planReminders({ document: shipped(), day: DUE - 1, loans: [loan()] });
    expect(r?.legallyRequired).toBe(false);
    expect(new Date(r?.scheduledAtMs ?? 0).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(reminderHoursFor(hours, null)).toEqual(hours);
  });

  it('keeps the lender hours for the legally required notice', () => {
    const notice = { deadlineDay: parseDate('2026-03-30'), reportDay: parseDate('2026-03-31') };
    const withWindow = planReminders({
      document: shipped(),
      day: parseDate('2026-03-28'),
      loans: [loan({ daysPastDue: 18, negativeNotice: notice })],
    });
    const without = planReminders({
      document: shipped(),
      day: parseDate('2026-03-28'),
      loans: [
        loan({
          daysPastDue: 18,
          negativeNotice: notice,
          borrower: { timeZone: 'Asia/Shanghai', lang: 'en', optOuts: ['sms'] },
        }),
      ],
    });
    expect(withWindow[0]).toMatchObject({ legallyRequired: true, status: 'planned' });
    expect(withWindow[0]?.scheduledAtMs).toBe(without[0]?.scheduledAtMs);
  });
});

describe('hardship requests', () => {
  const good = {
    kind: 'payment-holiday',
    months: 3,
    cause: 'illness',
    declaredMonthlyIncomeMinor: 300_000,
    reason: '住院治疗三个月',
  };
  it('accepts a request within the bounds of its kind', () => {
    expect(checkHardshipRequest(good)).toEqual([]);
    expect(checkHardshipRequest({ ...good, kind: 'negotiated-plan', months: 60 })).toEqual([]);
  });
  it('names every field that is wrong', () => {
    const issues = checkHardshipRequest({
      kind: 'payment-holiday',
      months: 7,
      cause: 'boredom',
      declaredMonthlyIncomeMinor: -1,
      reason: ' 无 ',
    });
    expect(issues.map((i) => i.path)).toEqual(['/months', '/cause', '/declaredMonthlyIncome', '/reason']);
    expect(issues[0]?.values).toMatchObject({ max: 6 });
  });
});
