import { type Day, dayFromCivil } from '../money/index.js';

/**
 * Wall-clock time of an instant in an IANA zone, and back: what the contact rules need to judge a call
 * by the borrower's own clock. Uses the runtime's time-zone data (Intl), which is deterministic for a given
 * runtime; no clock is read.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows `zone` as an IANA time zone. */
export function isKnownZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  /** The local calendar day. */
  readonly day: Day;
  /** Minutes after local midnight, 0…1439. */
  readonly minuteOfDay: number;
}

/**
 * Answers already read from the runtime's zone data, by zone and instant (the same question has the same
 * answer; contact rules ask about the same instants often). Bounded: cleared past a fixed size.
 */
const localTimes = new Map<string, Map<number, LocalTime>>();
const LOCAL_TIMES_MAX = 50_000;

/** The local day and minute of `instantMs` in `zone`. */
export function localTime(instantMs: number, zone: string): LocalTime {
  const seen = localTimes.get(zone)?.get(instantMs);
  if (seen !== undefined) return seen;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const answer: LocalTime = Object.freeze({
    day: dayFromCivil(parts.year as number, parts.month as number, parts.day as number),
    minuteOfDay: (parts.hour as number) * 60 + (parts.minute as number),
  });
  let known = localTimes.get(zone);
  if (known === undefined) {
    known = new Map();
    localTimes.set(zone, known);
  }
  if (known.size >= LOCAL_TIMES_MAX) known.clear();
  known.set(instantMs, answer);
  return answer;
}

/** Offset of `zone` from UTC at `instantMs`, in minutes (Asia/Shanghai: +480). */
function offsetMinutes(instantMs: number, zone: string): number {
  const t = localTime(instantMs, zone);
  const localAsUtc = t.day * 86_400_000 + t.minuteOfDay * 60_000;
  const truncated = Math.floor(instantMs / 60_000) * 60_000;
  return Math.round((localAsUtc - truncated) / 60_000);
}

/**
 * The instant at which the clock in `zone` shows `minuteOfDay` on `day`. In a gap that a daylight-saving
 * change skips, the wall time is read with the offset before the change (02:30 → 03:30), as Temporal's
 * "compatible" disambiguation does; in a repeated hour, the first of the two.
 */
export function instantAt(day: Day, minuteOfDay: number, zone: string): number {
  const wall = day * 86_400_000 + minuteOfDay * 60_000;
  // Zones change offset at most once within a day around any instant they are used for here.
  const before = wall - offsetMinutes(wall - 86_400_000, zone) * 60_000;
  const after = wall - offsetMinutes(wall + 86_400_000, zone) * 60_000;
  const shows = (t: number) => {
    const seen = localTime(t, zone);
    return seen.day === day && seen.minuteOfDay === minuteOfDay;
  };
  const candidates = [before, after].filter(shows);
  // Both in a repeated hour (the earlier), one normally, none in a gap (the offset before the change).
  return candidates.length > 0 ? Math.min(...candidates) : before;
}

/** `instantMs` as ISO 8601 with the zone's offset at that instant (2026-03-10T08:00:00+08:00). */
export function isoInZone(instantMs: number, zone: string): string {
  const offset = offsetMinutes(instantMs, zone);
  const shifted = new Date(instantMs + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
