import { type Day, dayFromCivil, invariant } from '../../money/index.js';

/**
 * Wall-clock arithmetic in a named IANA zone (Asia/Shanghai, Europe/London …) from the time-zone data the
 * runtime ships: the same inputs give the same instant, so the planner stays deterministic.
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

/**
 * Answers already read from the runtime's zone data, by zone and instant: the same question always has the
 * same answer, and the reminder planner asks the same few (a stage's send time on a day) again and again.
 * Bounded: cleared when it grows past a size no run's distinct instants reach in practice.
 */
const localTimes = new Map<string, Map<number, { readonly day: Day; readonly minuteOfDay: number }>>();
const LOCAL_TIMES_MAX = 50_000;

/** The local calendar day and minute of the day of an instant (ms since the epoch) in a zone. */
export function localTime(instantMs: number, timeZone: string): { day: Day; minuteOfDay: number } {
  const seen = localTimes.get(timeZone)?.get(instantMs);
  if (seen !== undefined) return { day: seen.day, minuteOfDay: seen.minuteOfDay };
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const answer = {
    day: dayFromCivil(get('year'), get('month'), get('day')),
    minuteOfDay: get('hour') * 60 + get('minute'),
  };
  let known = localTimes.get(timeZone);
  if (known === undefined) {
    known = new Map();
    localTimes.set(timeZone, known);
  }
  if (known.size >= LOCAL_TIMES_MAX) known.clear();
  known.set(instantMs, answer);
  return { day: answer.day, minuteOfDay: answer.minuteOfDay };
}

/**
 * The instant of a local day and minute in a zone. Offsets are found by two corrections (enough for any
 * zone with one offset change at a time); a local time that a spring-forward skips is taken an hour later.
 */
export function zonedInstant(day: Day, minuteOfDay: number, timeZone: string): number {
  invariant(minuteOfDay >= 0 && minuteOfDay < 1440, 'minute of the day is 0..1439');
  const wanted = day * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localTime(guess, timeZone);
    const seen = local.day * MS_PER_DAY + local.minuteOfDay * MS_PER_MINUTE;
    if (seen === wanted) return guess;
    guess += wanted - seen;
  }
  return guess;
}

/** "HH:MM" → minutes after midnight, or undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (m === null) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatClock(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Hours in which a borrower may be contacted, in the borrower's zone: [startMinute, endMinute). */
export interface ContactHours {
  readonly startMinute: number;
  readonly endMinute: number;
}

/**
 * The first instant at or after `instantMs` that lies within the contact hours in `timeZone`: the same
 * instant inside them, today's start before them, the next day's start after them.
 */
export function nextContactInstant(instantMs: number, timeZone: string, hours: ContactHours): number {
  invariant(hours.startMinute < hours.endMinute, 'contact hours start before they end');
  const local = localTime(instantMs, timeZone);
  if (local.minuteOfDay >= hours.startMinute && local.minuteOfDay < hours.endMinute) return instantMs;
  const day = local.minuteOfDay < hours.startMinute ? local.day : local.day + 1;
  return zonedInstant(day, hours.startMinute, timeZone);
}
