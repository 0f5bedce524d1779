import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limitationPeriod } from '../../src/collections/index.js';
import { bucketForDaysPastDue, bucketRank } from '../../src/ledger/index.js';
import {
  assetClassRank,
  BANKING_2023_CLASSIFICATION,
  CREDIT_CARD_2011_CLASSIFICATION,
  classByDaysPastDue,
  ifrs9Stage,
  overdueMilestones,
  overdueStatus,
} from '../../src/reporting/index.js';

/** DPD on `day` as the engine counts it: 0 within grace, day − due after. */
const dpdOn = (day: number, due: number, grace: number) => (day - due > grace ? day - due : 0);

describe('reporting properties', () => {
  it('bucket, class and stage never improve as DPD grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (dpd) => {
        expect(bucketRank(bucketForDaysPastDue(dpd + 1))).toBeGreaterThanOrEqual(
          bucketRank(bucketForDaysPastDue(dpd)),
        );
        for (const s of [BANKING_2023_CLASSIFICATION, CREDIT_CARD_2011_CLASSIFICATION]) {
          expect(assetClassRank(classByDaysPastDue(dpd + 1, s))).toBeGreaterThanOrEqual(
            assetClassRank(classByDaysPastDue(dpd, s)),
          );
        }
        expect(ifrs9Stage({ daysPastDue: dpd + 1 }).stage).toBeGreaterThanOrEqual(
          ifrs9Stage({ daysPastDue: dpd }).stage,
        );
      }),
    );
  });

  it('each bucket, class and stage milestone is the first day the daily view shows it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20000, max: 25000 }), fc.integer({ min: 0, max: 5 }), (due, grace) => {
        const milestones = overdueMilestones({
          missedDueDay: due,
          lastDueDay: due + 300,
          horizonEndDay: due + 200,
          graceDays: grace,
        });
        const view = (day: number) =>
          overdueStatus({ day, daysPastDue: dpdOn(day, due, grace), repaymentDueThisMonth: true });
        for (const m of milestones) {
          const now = view(m.day);
          const before = view(m.day - 1);
          if (m.kind === 'bucket-entry' || m.kind === 'overdue-start') {
            expect(now.bucket).toBe(m.value);
            expect(before.bucket).not.toBe(m.value);
          }
          if (m.kind === 'class-change') {
            expect(now.assetClass).toBe(m.value);
            expect(before.assetClass).not.toBe(m.value);
          }
          if (m.kind === 'ifrs9-stage-change') {
            expect(String(now.ifrs9Stage)).toBe(m.value);
            expect(String(before.ifrs9Stage)).not.toBe(m.value);
          }
          if (m.kind === 'collection-stage' && m.value !== 'reminder') {
            expect(now.collectionStage).toBe(m.value);
            expect(before.collectionStage).not.toBe(m.value);
          }
        }
        const days = milestones.map((m) => m.day);
        expect(days).toEqual([...days].sort((a, b) => a - b));
      }),
    );
  });

  it('the limitation period ends 3 years after the last counted event, whatever the demands', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20000, max: 25000 }),
        fc.array(fc.integer({ min: -500, max: 3000 }), { maxLength: 6 }),
        (lastDue, offsets) => {
          const p = limitationPeriod({ lastDueDay: lastDue, demandDays: offsets.map((o) => lastDue + o) });
          const base = p.restartedBy[p.restartedBy.length - 1] ?? lastDue;
          expect(p.endDay).toBe(limitationPeriod({ lastDueDay: base }).endDay);
          expect(p.restartedBy.length + p.ignoredDemands.length).toBe(offsets.length);
          // A demand is ignored only before the period starts or after it has run out: once it ran out,
          // nothing later restarts it.
          for (const d of p.ignoredDemands) expect(d <= lastDue || d > p.endDay).toBe(true);
        },
      ),
    );
  });
});
