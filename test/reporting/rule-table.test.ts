import { describe, expect, it } from 'vitest';
import {
  CREDIT_CARD_2011_CLASSIFICATION,
  DEFAULT_IMPACT_SETTINGS,
  overdueStatus,
} from '../../src/reporting/index.js';

/**
 * Every view of one DPD at the boundaries, in one table (domain.md §3–§6). Columns: DPD, bucket, credit-report
 * code, class (2023 rules), class (credit-card rules), IFRS 9 stage, collection stage.
 */
const TABLE: [number, string, string, string, string, number, string][] = [
  [0, 'M0', 'N', 'normal', 'normal', 1, 'reminder'],
  [1, 'M1', '1', 'special-mention', 'special-mention', 1, 'early'],
  [30, 'M1', '1', 'special-mention', 'special-mention', 1, 'early'],
  [31, 'M2', '2', 'special-mention', 'special-mention', 2, 'intensive'],
  [60, 'M2', '2', 'special-mention', 'special-mention', 2, 'intensive'],
  [61, 'M3', '3', 'special-mention', 'special-mention', 2, 'intensive'],
  [90, 'M3', '3', 'special-mention', 'special-mention', 2, 'intensive'],
  [91, 'M4', '4', 'substandard', 'substandard', 3, 'agency-legal'],
  [120, 'M4', '4', 'substandard', 'substandard', 3, 'agency-legal'],
  [121, 'M5', '5', 'substandard', 'doubtful', 3, 'agency-legal'],
  [150, 'M5', '5', 'substandard', 'doubtful', 3, 'agency-legal'],
  [151, 'M6', '6', 'substandard', 'doubtful', 3, 'agency-legal'],
  [180, 'M6', '6', 'substandard', 'doubtful', 3, 'agency-legal'],
  [181, 'M7', '7', 'substandard', 'loss', 3, 'agency-legal'],
  [270, 'M7', '7', 'substandard', 'loss', 3, 'agency-legal'],
  [271, 'M7', '7', 'doubtful', 'loss', 3, 'agency-legal'],
  [360, 'M7', '7', 'doubtful', 'loss', 3, 'agency-legal'],
  [361, 'M7', '7', 'loss', 'loss', 3, 'agency-legal'],
];

describe('the rule table', () => {
  it.each(TABLE)(
    'DPD %i → %s, status %s, %s / card %s, stage %i, %s',
    (dpd, bucket, code, cls, card, stage, collection) => {
      const s = overdueStatus({ day: 0, daysPastDue: dpd, repaymentDueThisMonth: true });
      expect([s.bucket, s.creditReportCode, s.assetClass, s.ifrs9Stage, s.collectionStage]).toEqual([
        bucket,
        code,
        cls,
        stage,
        collection,
      ]);
      const c = overdueStatus(
        { day: 0, daysPastDue: dpd, repaymentDueThisMonth: true },
        { ...DEFAULT_IMPACT_SETTINGS, classification: CREDIT_CARD_2011_CLASSIFICATION },
      );
      expect(c.assetClass).toBe(card);
      expect(s.nonPerforming).toBe(cls === 'substandard' || cls === 'doubtful' || cls === 'loss');
    },
  );
});
