import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cureProbability_bp } from '../../src/collections/index.js';
import { writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  type Db,
  insertBehaviourScores,
  insertIndustryShock,
  refreshCases,
  saveMonitoringProfile,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const d = parseDate;

/**
 * A collection case carries its borrower's behaviour score: the weakest line's score in the latest month scored
 * by the refresh day. The score moves the cure probability behind the case's priority and the strategy's segment.
 */
describe.each(backends)('the behaviour score on collection cases on $name', (backend) => {
  let db: Db;
  let customers: string[];
  let lineOf: Map<string, string>;

  beforeAll(async () => {
    db = await openMigrated(backend);
    await writeBook(db, {
      seed: 5,
      customers: 3,
      loansPerCustomer_max: 1,
      drawFrom: d('2026-08-05'),
      drawTo: d('2026-08-20'),
      historyThrough: d('2026-10-31'),
      behaviourShares: [['never', 1]],
    });
    const { rows } = await db.query<{ customer_id: string; line_id: string }>(
      'select customer_id, line_id from credit_lines order by customer_id',
    );
    customers = rows.map((r) => r.customer_id);
    lineOf = new Map(rows.map((r) => [r.customer_id, r.line_id]));
    const score = (customerId: string, value: number, lineId = lineOf.get(customerId)!) => ({
      customerId,
      lineId,
      score: value,
      probabilityBad: 0.1,
      reasons: [],
    });
    const [a, b] = customers as [string, string];
    // August and September are scored; October's scores are as of 2026-10-31, after the first refresh day.
    await insertBehaviourScores(db, d('2026-08-01'), d('2026-08-31'), 'm', [score(a, 640), score(b, 700)]);
    await insertBehaviourScores(db, d('2026-09-01'), d('2026-09-30'), 'm', [
      score(a, 520),
      // A second line of the same borrower in the same month: the weaker one speaks for the case.
      score(a, 470, 'cl_other_line_of_a'),
      score(b, 690),
    ]);
    await insertBehaviourScores(db, d('2026-10-01'), d('2026-10-31'), 'm', [score(a, 610), score(b, 720)]);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  async function cases() {
    const { rows } = await db.query<{
      customer_id: string;
      behaviour_score: number | null;
      bucket: string;
      cure_bp: number;
    }>('select customer_id, behaviour_score, bucket, cure_bp from collection_cases order by customer_id');
    return new Map(rows.map((r) => [r.customer_id, r]));
  }

  it('opens each case with the latest score by the day, and moves it when a later month is scored', async () => {
    await db.transaction((tx) => refreshCases(tx, d('2026-10-15'), null));
    let byCustomer = await cases();
    const [a, b, c] = customers as [string, string, string];
    expect(byCustomer.get(a)?.behaviour_score).toBe(470);
    expect(byCustomer.get(b)?.behaviour_score).toBe(690);
    // Never scored: no score, and the bucket's cure probability alone.
    expect(byCustomer.get(c)?.behaviour_score).toBeNull();
    for (const row of byCustomer.values()) {
      expect(row.cure_bp).toBe(cureProbability_bp(row.bucket as 'M1', row.behaviour_score));
    }
    expect(byCustomer.get(a)!.cure_bp).toBeLessThan(byCustomer.get(b)!.cure_bp);

    await db.transaction((tx) => refreshCases(tx, d('2026-10-31'), null));
    byCustomer = await cases();
    expect(byCustomer.get(a)?.behaviour_score).toBe(610);
    expect(byCustomer.get(b)?.behaviour_score).toBe(720);
    expect(byCustomer.get(c)?.behaviour_score).toBeNull();
    for (const row of byCustomer.values()) {
      expect(row.cure_bp).toBe(cureProbability_bp(row.bucket as 'M1', row.behaviour_score));
    }
  });
  it('marks a borrower whose industry is on the shock list vulnerable, and the strategy takes the vulnerable step', async () => {
    const [a, b] = customers as [string, string];
    const profile = (customerId: string, industry: string) =>
      saveMonitoringProfile(db, {
        customerId,
        segment: 'business',
        industry,
        lang: 'zh-CN',
        sinceDay: d('2026-08-01'),
        applicationLenders3m: null,
        applicationIncomeMinor: null,
        applicationStatements: null,
      });
    await profile(a, 'catering');
    await profile(b, 'software');
    await insertIndustryShock(db, {
      industry: 'catering',
      fromDay: d('2026-11-02'),
      toDay: d('2026-12-31'),
      reason: 'pandemic closures',
      createdBy: 'test',
    });
    const vulnerable = async () => {
      const { rows } = await db.query<{
        customer_id: string;
        vulnerabilities: string[];
        next_action: string;
      }>('select customer_id, vulnerabilities, next_action from collection_cases where status = $1', [
        'open',
      ]);
      return new Map(rows.map((r) => [r.customer_id, r]));
    };
    // Before the shock's window: nobody.
    await db.transaction((tx) => refreshCases(tx, d('2026-11-01'), null));
    expect((await vulnerable()).get(a)?.vulnerabilities).toEqual([]);
    // In it: the catering borrower alone, and the shipped strategy's vulnerable row offers negotiation.
    await db.transaction((tx) => refreshCases(tx, d('2026-11-03'), null));
    const now = await vulnerable();
    expect(now.get(a)).toMatchObject({
      vulnerabilities: ['shock-industry'],
      next_action: 'negotiation-offer',
    });
    expect(now.get(b)?.vulnerabilities).toEqual([]);
  });
});
