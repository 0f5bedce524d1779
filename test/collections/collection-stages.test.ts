import { describe, expect, it } from 'vitest';
import {
  type CollectionStageId,
  checkCollectionStages,
  collectionStageForBucket,
  contactRefusal,
  DEFAULT_COLLECTION_STAGES,
  isQuietHour,
} from '../../src/collections/index.js';
import type { Bucket } from '../../src/ledger/index.js';

describe('collection stage by bucket (convention, settings)', () => {
  const table: [Bucket, CollectionStageId][] = [
    ['M0', 'reminder'],
    ['M1', 'early'],
    ['M2', 'intensive'],
    ['M3', 'intensive'],
    ['M4', 'agency-legal'],
    ['M7', 'agency-legal'],
  ];
  it.each(table)('%s → %s', (bucket, id) => {
    expect(collectionStageForBucket(bucket).id).toBe(id);
  });

  it('legal paths are under review from M4', () => {
    expect(collectionStageForBucket('M4').legalPaths).toEqual([
      'payment-order',
      'lawsuit',
      'arbitration',
      'notarised-instrument',
    ]);
    expect(collectionStageForBucket('M3').legalPaths).toEqual([]);
  });

  it('stages are checked', () => {
    expect(checkCollectionStages(DEFAULT_COLLECTION_STAGES)).toHaveLength(4);
    expect(() =>
      checkCollectionStages([{ id: 'early', fromBucket: 'M1', channels: [], legalPaths: [] }]),
    ).toThrow(/M0/);
  });
});

describe('quiet hours 22:00–08:00', () => {
  const table: [number, boolean][] = [
    [0, true],
    [7 * 60 + 59, true],
    [8 * 60, false],
    [21 * 60 + 59, false],
    [22 * 60, true],
    [23 * 60 + 59, true],
  ];
  it.each(table)('minute %i → quiet %s', (minute, quiet) => {
    expect(isQuietHour(minute)).toBe(quiet);
  });
});

describe('contact limits are refused, not merely reported', () => {
  const base = {
    minuteOfDay: 10 * 60,
    kind: 'live-call' as const,
    debtorConsentedToQuietHours: false,
    liveCallsToday: 0,
    unansweredDialsToNumberToday: 0,
  };
  it('allows a call at 10:00 with nothing before it', () => {
    expect(contactRefusal(base)).toBeNull();
  });
  it('refuses 22:00 and 07:59 without consent, allows them with it', () => {
    expect(contactRefusal({ ...base, minuteOfDay: 22 * 60 })?.code).toBe('quiet_hours');
    expect(contactRefusal({ ...base, minuteOfDay: 7 * 60 + 59 })?.message).toMatch(
      /22:00 to 08:00 \(Asia\/Shanghai\)/,
    );
    expect(contactRefusal({ ...base, minuteOfDay: 22 * 60, debtorConsentedToQuietHours: true })).toBeNull();
  });
  it('the fourth live call and the seventh unanswered dial are refused', () => {
    expect(contactRefusal({ ...base, liveCallsToday: 2 })).toBeNull();
    expect(contactRefusal({ ...base, liveCallsToday: 3 })?.code).toBe('live_calls_per_day_max');
    expect(contactRefusal({ ...base, kind: 'dial', unansweredDialsToNumberToday: 5 })).toBeNull();
    expect(contactRefusal({ ...base, kind: 'dial', unansweredDialsToNumberToday: 6 })?.code).toBe(
      'unanswered_dials_per_day_max',
    );
    // Messages are not calls.
    expect(
      contactRefusal({ ...base, kind: 'sms', liveCallsToday: 9, unansweredDialsToNumberToday: 9 }),
    ).toBeNull();
  });
});
