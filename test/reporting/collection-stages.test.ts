import { describe, expect, it } from 'vitest';
import type { Bucket } from '../../src/ledger/delinquency.js';
import {
  type CollectionStageId,
  checkCollectionStages,
  collectionStageForBucket,
  DEFAULT_COLLECTION_STAGES,
  isQuietHour,
} from '../../src/reporting/index.js';

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
