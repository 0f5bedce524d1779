import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  BehaviourJobError,
  buildBehaviourTable,
  parseMonth,
  scoreBehaviourMonth,
  writeBook,
} from '../../src/jobs/index.js';
import type { LoanEvent } from '../../src/ledger/index.js';
import { formatDate, parseDate } from '../../src/money/index.js';
import {
  BEHAVIOUR_FEATURES,
  type BehaviourLine,
  behaviourLoanOf,
  isScorable,
} from '../../src/monitoring/index.js';
import {
  applyLoanCommand,
  type Db,
  forEachBehaviourPage,
  lineScores,
  listScoreMonths,
  migrate,
  openDb,
  setBusinessDay,
} from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { backends, TEST_PG_URL } from '../store/backends.js';

const formatMonth = (day: number) => formatDate(day).slice(0, 7);

const BOOK = {
  seed: 11,
  customers: 80,
  loansPerCustomer_max: 3,
  drawFrom: parseDate('2025-01-01'),
  drawTo: parseDate('2025-12-31'),
  historyThrough: parseDate('2026-06-30'),
  behaviourShares: [
    ['on_time', 0.6],
    ['late', 0.15],
    ['stops', 0.15],
    ['never', 0.1],
  ] as const,
};

async function book(db: Db): Promise<void> {
  await migrate(db);
  await writeBook(db, BOOK);
  await setBusinessDay(db, parseDate('2026-07-01'));
}

for (const backend of backends) {
  describe(`behaviour score jobs (${backend.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await backend.open();
      await book(db);
    }, 300_000);
    afterAll(async () => db?.close());

    it('builds the labelled table from the book: lines with an open loan under 60 DPD, bad = 60+ within 6 months', async () => {
      const rows = await buildBehaviourTable(db, parseDate('2025-09-30'));
      expect(rows.length).toBeGreaterThan(20);
      const bads = rows.filter((r) => r.bad).length;
      expect(bads).toBeGreaterThan(0);
      expect(bads).toBeLessThan(rows.length);
      for (const r of rows) {
        expect(r.features.dpd_now).toBeLessThan(60);
        expect(r.features.open_loans).toBeGreaterThan(0);
        expect(Object.keys(r.features)).toEqual([...BEHAVIOUR_FEATURES]);
      }
      // Lines already past due are more often bad than those current.
      const rate = (xs: typeof rows) => xs.filter((r) => r.bad).length / Math.max(1, xs.length);
      expect(rate(rows.filter((r) => r.features.dpd_now > 0))).toBeGreaterThan(
        rate(rows.filter((r) => r.features.dpd_now === 0)),
      );
      // Pages of a few customers read the same book.
      const paged = await buildBehaviourTable(db, parseDate('2025-09-30'), 7);
      expect(paged).toEqual(rows);
    });

    it('refuses an as-of day whose outcome window the book has not closed', async () => {
      await expect(buildBehaviourTable(db, parseDate('2026-03-31'))).rejects.toThrow(
        /outcome window of 2026-03-31 runs through 2026-09-30.*on or before 2025-12-31/,
      );
    });

    it('scores a month with reasons, stores it once per line, and compares the distribution (PSI)', async () => {
      const first = await scoreBehaviourMonth(db, parseMonth('2026-05'), { customersPerPage: 13 });
      expect(first.linesScored).toBeGreaterThan(10);
      expect(first.distribution.counts.reduce((a, b) => a + b, 0)).toBe(first.linesScored);
      expect(first.distribution.psi).toBeGreaterThanOrEqual(0);
      const again = await scoreBehaviourMonth(db, parseMonth('2026-05'), { psiAlert: 0.0001 });
      expect(again.linesScored).toBe(first.linesScored);
      expect(again.distribution.psi).toBe(first.distribution.psi);
      expect(again.distribution.alert).toBe(first.distribution.psi > 0.0001);
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int as n from behaviour_scores where month = '2026-05-01'`,
      );
      expect(rows[0]!.n).toBe(first.linesScored);
      const months = await listScoreMonths(db);
      expect(months.map((m) => m.distribution.lines)).toEqual([first.linesScored]);
      const { rows: one } = await db.query<{ line_id: string }>(
        `select line_id from behaviour_scores where month = '2026-05-01' order by score limit 1`,
      );
      const scores = await lineScores(db, one[0]!.line_id);
      expect(scores[0]!.reasons.length).toBeGreaterThan(0);
      expect(scores[0]!.reasons[0]!.contribution).toBeGreaterThan(0);
      expect(scores[0]!.modelId).toMatch(/^behaviour-scorecard@[0-9a-f]{12}$/);
    });

    it('refuses a month the book has not closed', async () => {
      await expect(scoreBehaviourMonth(db, parseMonth('2026-07'))).rejects.toBeInstanceOf(BehaviourJobError);
    });

    it("reads each loan's history from columns exactly as the fold of its whole stored events", async () => {
      const asOf = parseDate('2026-04-30');
      const read: BehaviourLine[] = [];
      await forEachBehaviourPage(db, asOf, (lines) => void read.push(...lines), 9);
      const { rows } = await db.query<{ customer_id: string; loan_id: string; payload: string }>(
        `select customer_id, loan_id, payload::text as payload from loan_events
         where day <= '2026-04-30' order by customer_id, loan_id, seq`,
      );
      const byLoan = new Map<string, LoanEvent[]>();
      for (const r of rows) {
        const key = `${r.customer_id}/${r.loan_id}`;
        const list = byLoan.get(key) ?? [];
        list.push(JSON.parse(r.payload) as LoanEvent);
        byLoan.set(key, list);
      }
      const expected = new Map<string, ReturnType<typeof behaviourLoanOf>[]>();
      for (const [key, events] of byLoan) {
        const opened = events.find((e) => e.type === 'LoanOpened');
        if (opened?.type !== 'LoanOpened') continue;
        const lineKey = `${key.split('/')[0]}/${opened.lineId}`;
        expected.set(lineKey, [...(expected.get(lineKey) ?? []), behaviourLoanOf(events)]);
      }
      let loans = 0;
      let paidParts = 0;
      for (const line of read) {
        const want = (expected.get(`${line.customerId}/${line.lineId}`) ?? []).sort(
          (a, b) => a.openedDay - b.openedDay || (a.loanId < b.loanId ? -1 : 1),
        );
        expect(line.loans).toEqual(want);
        loans += line.loans.length;
        for (const loan of line.loans)
          paidParts += loan.instalments.filter((i) => i.paidOffDay !== null).length;
      }
      expect(loans).toBe([...expected.values()].reduce((n, l) => n + l.length, 0));
      expect(loans).toBeGreaterThan(50);
      expect(paidParts).toBeGreaterThan(100);
    });

    it("goes on from the month before's loan folds: the same scores, reasons and PSI as reading every event", async () => {
      const scored = async (month: string) =>
        (
          await db.query<{ customer_id: string; line_id: string; score: number; p: number; reasons: string }>(
            `select customer_id, line_id, score, probability_bad as p, reasons::text as reasons
             from behaviour_scores where month = $1::date order by customer_id, line_id`,
            [`${month}-01`],
          )
        ).rows;
      const both = async (month: string, expectFolded: boolean) => {
        const folds = await db.query<{ n: number }>(
          `select count(*)::int as n from behaviour_fold_months where month = $1::date - interval '1 month'`,
          [`${month}-01`],
        );
        expect(folds.rows[0]!.n).toBe(expectFolded ? 1 : 0);
        const read = await scoreBehaviourMonth(db, parseMonth(month), { folds: false, customersPerPage: 11 });
        const rowsRead = await scored(month);
        const folded = await scoreBehaviourMonth(db, parseMonth(month), { customersPerPage: 11 });
        expect(folded.distribution).toEqual(read.distribution);
        expect(folded.linesScored).toBe(read.linesScored);
        expect(await scored(month)).toEqual(rowsRead);
        return rowsRead.length;
      };
      await db.query('delete from behaviour_fold_months');
      await db.query('delete from behaviour_loan_months');
      // No folds of March: April is read from every event, and keeps its folds.
      expect(await both('2026-04', false)).toBeGreaterThan(10);
      // A backdated repayment in April, after April's folds were kept: its supersession marker makes May
      // fold that loan again from its whole log.
      const { rows: active } = await db.query<{ loan_id: string }>(
        `select l.loan_id from loans l where l.status = 'active'
           and exists (select 1 from loan_events e where e.customer_id = l.customer_id and e.loan_id = l.loan_id
                         and e.type = 'LoanOpened' and e.day < '2026-03-01')
         order by l.loan_id limit 1`,
      );
      await db.transaction((tx) =>
        applyLoanCommand(tx, active[0]!.loan_id, {
          type: 'repay',
          amountMinor: 12_345,
          day: parseDate('2026-04-20'),
          clientId: 'behaviour-folds-backdated',
          excess: 'credit',
        }),
      );
      const markers = await db.query<{ n: number }>(
        `select count(*)::int as n from loan_events where type = 'EventsSuperseded' and day = '2026-04-20'`,
      );
      expect(markers.rows[0]!.n).toBeGreaterThan(0);
      expect(await both('2026-05', true)).toBeGreaterThan(10);
      expect(await both('2026-06', true)).toBeGreaterThan(10);
      // A fold is kept with the month it last changed (decision 0649): June wrote the loans with an event in
      // June only, every loan still has its fold on or before June, and a loan keeps at most its rows of
      // June, of the month before's end and nothing older.
      const kept = (
        await db.query<{ june: number; loans: number; most: number; folded: number }>(
          `select count(*) filter (where month = '2026-06-01')::int as june,
                  count(distinct (customer_id, loan_id))::int as loans,
                  (select max(n)::int from (select count(*) as n from behaviour_loan_months
                                            group by customer_id, loan_id) c) as most,
                  (select count(distinct (customer_id, loan_id))::int from loan_events
                    where type = 'LoanOpened' and day <= '2026-06-30') as folded
           from behaviour_loan_months`,
        )
      ).rows[0]!;
      expect(kept.june).toBeGreaterThan(0);
      expect(kept.june).toBeLessThan(kept.loans);
      expect(kept.loans).toBe(kept.folded);
      expect(kept.most).toBeLessThanOrEqual(2);
      // The pages themselves: the same lines and loans either way.
      const source = { foldMonth: parseDate('2026-05-01'), foldAsOf: parseDate('2026-05-31') };
      const every: BehaviourLine[] = [];
      const fromFolds: BehaviourLine[] = [];
      await forEachBehaviourPage(db, parseDate('2026-06-30'), (lines) => void every.push(...lines), 9);
      // Pages of 2 customers, the month's events read 50 customers at a time: twice for this book.
      await forEachBehaviourPage(db, parseDate('2026-06-30'), (lines) => void fromFolds.push(...lines), 2, {
        folded: source,
        pagesPerMonthRead: 25,
      });
      // Lines whose loans were all settled by May and that have no event since are left out: nothing to score.
      const june = parseDate('2026-06-30');
      expect(fromFolds.filter((l) => isScorable(l, june))).toEqual(every.filter((l) => isScorable(l, june)));
      expect(fromFolds.filter((l) => isScorable(l, june)).length).toBeGreaterThan(10);
      expect(fromFolds.length).toBeLessThan(every.length);
      // The month's events read a page at a time, each read started while the page before is worked on.
      const pageByPage: BehaviourLine[] = [];
      await forEachBehaviourPage(db, june, (lines) => void pageByPage.push(...lines), 3, {
        folded: source,
        pagesPerMonthRead: 1,
      });
      expect(pageByPage).toEqual(fromFolds);
      // A month whose folds are missing (a book migrated mid-life, or folds removed) is read from every event.
      await db.query(`delete from behaviour_fold_months where month = '2026-05-01'`);
      expect(await both('2026-06', false)).toBeGreaterThan(10);
      // Folds of the month before but missing for some loans: those are folded from their whole log.
      await scoreBehaviourMonth(db, parseMonth('2026-05'));
      await db.query(
        `delete from behaviour_loan_months where month = '2026-05-01'
           and customer_id in (select customer_id from behaviour_loan_months where month = '2026-05-01'
                               order by customer_id limit 20)`,
      );
      expect(await both('2026-06', true)).toBeGreaterThan(10);
    }, 120_000);

    if (backend.name === 'postgres')
      it('scores the same in worker threads by customer range; a rerun replaces; a failed run leaves no summary', async () => {
        const month = parseMonth('2026-03');
        const scored = async () =>
          (
            await db.query<{
              customer_id: string;
              line_id: string;
              score: number;
              probability_bad: number;
              reasons: unknown;
            }>(
              `select customer_id, line_id, score, probability_bad, reasons from behaviour_scores
               where month = '2026-03-01' order by customer_id, line_id`,
            )
          ).rows;
        const one = await scoreBehaviourMonth(db, month, { customersPerPage: 7 });
        const rowsOne = await scored();
        expect(rowsOne.length).toBe(one.linesScored);
        for (const workers of [3, 2]) {
          const many = await scoreBehaviourMonth(db, month, {
            customersPerPage: 7,
            workers,
            dbUrl: TEST_PG_URL,
          });
          expect(many.distribution).toEqual(one.distribution);
          expect(many.linesScored).toBe(one.linesScored);
          expect(await scored()).toEqual(rowsOne);
        }
        // Workers that cannot connect: the job fails and the month has no summary (an unfinished run).
        await expect(
          scoreBehaviourMonth(db, parseMonth('2026-02'), {
            workers: 2,
            dbUrl: 'postgres://nobody@127.0.0.1:1/none',
          }),
        ).rejects.toThrow();
        const months = await listScoreMonths(db);
        expect(months.map((m) => formatMonth(m.month))).not.toContain('2026-02');
        expect(months.map((m) => formatMonth(m.month))).toContain('2026-03');
      }, 120_000);
  });
}

describe('lendguard score behaviour-table and monitoring score', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-behaviour-'));
  const dir = join(parent, 'book');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));
  async function run(args: string[]) {
    const c = capture();
    const code = await main([...args, '--db', dir], c.io);
    return { code, out: c.out(), err: c.err() };
  }
  beforeAll(async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await book(db);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('writes the table as CSV, scores a month, reviews its limits, and explains what it refuses', async () => {
    const out = join(parent, 'table.csv');
    const table = await run(['score', 'behaviour-table', '--as-of', '2025-09-30', '--out', out]);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/behaviour table as of 2025-09-30: \d+ lines, \d+ bad/);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      ['customer_id', 'line_id', 'as_of', ...BEHAVIOUR_FEATURES, 'bad'].join(','),
    );
    const late = await run(['score', 'behaviour-table', '--as-of', '2026-05-31', '--out', out]);
    expect(late.code).toBe(2);
    expect(late.err).toMatch(/on or before 2025-12-31/);
    const month = await run(['monitoring', 'score', '--month', '2026-04', '--json']);
    expect(month.code, month.err).toBe(0);
    expect(JSON.parse(month.out).linesScored).toBeGreaterThan(0);
    expect((await run(['users', 'create', '--username', 'risk1', '--role', 'risk_analyst'])).code).toBe(0);
    expect((await run(['users', 'create', '--username', 'coll1', '--role', 'collector'])).code).toBe(0);
    const review = await run(['monitoring', 'limit-review', '--month', '2026-04', '--as', 'risk1', '--json']);
    expect(review.code, review.err).toBe(0);
    const proposed = JSON.parse(review.out);
    expect(proposed.policyVersion).toBe('shipped-default');
    expect(proposed.linesReviewed).toBe(JSON.parse(month.out).linesScored);
    const collector = await run(['monitoring', 'limit-review', '--month', '2026-04', '--as', 'coll1']);
    expect(collector.code).toBe(2);
    expect(collector.err).toMatch(/admin or risk_analyst/);
    const unscored = await run(['monitoring', 'limit-review', '--month', '2026-03', '--as', 'risk1']);
    expect(unscored.code).toBe(2);
    expect(unscored.err).toMatch(/monitoring score --month 2026-03/);
    const badMonth = await run(['monitoring', 'score', '--month', '2026-13']);
    expect(badMonth.code).toBe(2);
    expect(badMonth.err).toMatch(/YYYY-MM/);
    const threads = await run(['monitoring', 'score', '--month', '2026-04', '--workers', '2']);
    expect(threads.code).toBe(2);
    expect(threads.err).toMatch(/--workers 2 needs a PostgreSQL server/);
    const noThreads = await run(['monitoring', 'score', '--month', '2026-04', '--workers', '0']);
    expect(noThreads.code).toBe(2);
    expect(noThreads.err).toMatch(/--workers must be a whole number from 1 to 16/);
  });
});

describe('lendguard score behaviour-table on a book of one or two lines', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-behaviour-small-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  async function tableLine(customers: number): Promise<string> {
    const dir = join(parent, String(customers));
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      await writeBook(db, {
        ...BOOK,
        customers,
        loansPerCustomer_max: 1,
        drawFrom: parseDate('2025-06-02'),
        drawTo: parseDate('2025-06-03'),
        behaviourShares: [['on_time', 1]],
      });
      await setBusinessDay(db, parseDate('2026-07-01'));
    } finally {
      await db.close();
    }
    const c = capture();
    const out = join(parent, `table-${customers}.csv`);
    const code = await main(
      ['score', 'behaviour-table', '--as-of', '2025-06-30', '--out', out, '--db', dir],
      c.io,
    );
    expect(code, c.err()).toBe(0);
    return c.out().trimEnd();
  }

  it('counts one line in the singular, two in the plural', async () => {
    const one = join(parent, 'table-1.csv');
    expect(await tableLine(1)).toBe(`behaviour table as of 2025-06-30: 1 line, 0 bad; written to ${one}`);
    const two = join(parent, 'table-2.csv');
    expect(await tableLine(2)).toBe(`behaviour table as of 2025-06-30: 2 lines, 0 bad; written to ${two}`);
  }, 120_000);
});
