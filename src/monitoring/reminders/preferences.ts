import { REMINDER_CHANNELS, type ReminderChannel } from './cadence.js';
import type { ContactHours } from './zone-time.js';

/**
 * A borrower's own reminder preferences (提醒偏好): the channels they do not want reminders through and a
 * contact window narrower than the lender's. Both bend ordinary reminders only: a legally required notice
 * (the notice before a first negative credit report, decision 0841) goes through its channel in the
 * lender's hours whatever the borrower chose. The window must lie inside the lender's contact hours (which
 * keep the legal quiet hours 22:00–08:00) and be long enough for a reminder to find a time. Pure.
 */
export const PREFERENCE_WINDOW_MINUTES_MIN = 120;

export interface ReminderPreferences {
  readonly optOuts: readonly string[];
  /** The borrower's window, or null for the lender's hours. */
  readonly window: ContactHours | null;
}

export interface PreferenceIssue {
  readonly path: string;
  readonly reason: 'channel' | 'window_outside' | 'window_short';
  readonly values: Readonly<Record<string, string | number>>;
}

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Everything wrong with the preferences against the lender's contact hours; empty when they can be kept. */
export function checkReminderPreferences(
  p: ReminderPreferences,
  lenderHours: ContactHours,
): PreferenceIssue[] {
  const issues: PreferenceIssue[] = [];
  p.optOuts.forEach((c, i) => {
    if (!(REMINDER_CHANNELS as readonly string[]).includes(c))
      issues.push({
        path: `/optOuts/${i}`,
        reason: 'channel',
        values: { channels: REMINDER_CHANNELS.join(', ') },
      });
  });
  const w = p.window;
  if (w !== null) {
    const range = { from: clock(lenderHours.startMinute), to: clock(lenderHours.endMinute) };
    if (
      w.startMinute < lenderHours.startMinute ||
      w.endMinute > lenderHours.endMinute ||
      w.startMinute >= w.endMinute
    )
      issues.push({ path: '/contactWindow', reason: 'window_outside', values: range });
    else if (w.endMinute - w.startMinute < PREFERENCE_WINDOW_MINUTES_MIN)
      issues.push({
        path: '/contactWindow',
        reason: 'window_short',
        values: { minutes: PREFERENCE_WINDOW_MINUTES_MIN },
      });
  }
  return issues;
}

/** The hours an ordinary reminder may go out in: the borrower's window inside the lender's hours. */
export function reminderHoursFor(
  lenderHours: ContactHours,
  window: ContactHours | null | undefined,
): ContactHours {
  if (window === null || window === undefined) return lenderHours;
  const startMinute = Math.max(lenderHours.startMinute, window.startMinute);
  const endMinute = Math.min(lenderHours.endMinute, window.endMinute);
  return startMinute < endMinute ? { startMinute, endMinute } : lenderHours;
}

export function isReminderChannel(value: string): value is ReminderChannel {
  return (REMINDER_CHANNELS as readonly string[]).includes(value);
}
