import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMonthEndEcl } from '../../src/jobs/ecl-posting.js';
import { computeEcl, eclLoader } from '../../src/jobs/reports/ecl.js';
import { importFundingOutflows } from '../../src/jobs/reports/funding.js';
import { liquidityLoader } from '../../src/jobs/reports/liquidity.js';
import { SHIPPED_SCENARIO_DIR } from '../../src/jobs/reports/scenarios.js';
import { stressLoader } from '../../src/jobs/reports/stress.js';
import { parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import {
  accountTotalsThrough,
  type Db,
  loadReportJournalDays,
  saveMonitoringProfile,
} from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { simpleEcl } from './ecl-independent.js';
import { eclBook } from './report-book.js';

const MAY = parseDate('2026-05-31');
const JUNE = parseDate('2026-06-30');
const fen = (yuan: unknown) => Math.round(Number(yuan) * 100);

describe.each(backends)('on $name', (backend) => {
  let db: Db;

  beforeAll(async () => {
    db = await eclBook(() => backend.open());
  }, 600_000);

  afterAll(async () => {
    await db.close();
  });

  function table(report: Report, name: string) {
    const t = report.tables.find((x) => x.name === name);
    expect(t, name).toBeDefined();
    return t!;
  }

  describe('the ecl report on a seeded book', () => {
    it('agrees to the fen with an independent, simple implementation, exposure by exposure', async () => {
      const { rows } = await computeEcl(db, JUNE);
      const simple = await simpleEcl(db, '2026-06-30', SHIPPED_SCENARIO_DIR);
      expect(rows.length).toBeGreaterThan(100);
      expect(new Set(rows.map((r) => r.stage))).toEqual(new Set([1, 2, 3]));
      expect(
        rows.map((r) => ({ exposure: r.exposureId, stage: r.stage, ead: r.eadMinor, ecl: r.eclMinor })),
      ).toEqual(simple);
      expect(rows.reduce((a, r) => a + r.eclMinor, 0)).toBe(simple.reduce((a, r) => a + r.ecl, 0));
    });

    it('has totals equal to the sum of its exposure rows, and matches its golden file', async () => {
      const report = await eclLoader.load(db, { asOf: '2026-06-30' });
      const exposures = table(report, 'exposures');
      const total = exposures.rows.reduce((a, r) => a + fen(r.ecl), 0);
      expect(fen(report.summary.find((f) => f.key === 'ecl')?.value)).toBe(total);
      expect(table(report, 'stages').rows.reduce((a, r) => a + fen(r.ecl), 0)).toBe(total);
      await expect(JSON.stringify(report, null, 1)).toMatchFileSnapshot('golden/ecl-2026-06-30.json');
    });

    it('reads the journal days as the sums over every posting line, loan by loan and day by day', async () => {
      // The grouping the journal read replaced: every line of every posting, grouped by loan and day.
      const { rows } = await db.query<{
        loan_id: string;
        day: string;
        rec: string;
        pri: string;
        cash: string;
      }>(
        `select p.loan_id, p.day::text as day,
           coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
             filter (where l->>'account' in ('principalCurrent', 'principalOverdue', 'interestReceivable',
                                             'penaltyReceivable', 'feeReceivable')), 0)::text as rec,
           coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
             filter (where l->>'account' in ('principalCurrent', 'principalOverdue')), 0)::text as pri,
           coalesce(sum((l->>'debitMinor')::bigint) filter (where l->>'account' = 'cashClearing'), 0)::text as cash
         from postings p cross join lateral jsonb_array_elements(p.lines) as l
         where p.day <= '2026-06-30'::date and p.customer_id <> ''
         group by p.loan_id, p.day order by p.loan_id, p.day`,
      );
      const days = await loadReportJournalDays(db, JUNE);
      expect(days.length).toBeGreaterThan(1000);
      expect(days.filter((d) => d.cashInMinor > 0).length).toBeGreaterThan(100);
      expect(
        days.map((d) => [d.loanId, d.day, d.receivableNetMinor, d.principalNetMinor, d.cashInMinor]),
      ).toEqual(rows.map((r) => [r.loan_id, parseDate(r.day), Number(r.rec), Number(r.pri), Number(r.cash)]));
    });

    it('under one scenario alone, weighs it 1', async () => {
      const report = await eclLoader.load(db, { asOf: '2026-06-30', scenario: 'pandemic' });
      expect(report.scenario).toBe('pandemic');
      const weights = table(report, 'scenarios').rows.map((r) => [r.scenario, r.weight]);
      expect(weights).toEqual([['pandemic', '1.000000']]);
      const weighted = await eclLoader.load(db, { asOf: '2026-06-30' });
      const alone = table(weighted, 'scenarios').rows.find((r) => r.scenario === 'pandemic')?.['ecl-alone'];
      expect(report.summary.find((f) => f.key === 'ecl')?.value).toBe(alone);
    });
  });

  describe('month-end ECL posting', () => {
    it('stores each run, posts the allowance once a month, and the next month rolls forward from it', async () => {
      const may = await postMonthEndEcl(db, MAY);
      expect(may.alreadyPosted).toBe(false);
      const again = await postMonthEndEcl(db, MAY);
      expect(again.alreadyPosted).toBe(true);
      expect(again.posting).toEqual(may.posting);
      const june = await postMonthEndEcl(db, JUNE);
      expect(june.posting.openingMinor).toBe(may.posting.closingMinor);
      const rf = june.rollForward!;
      const movements = rf.lines.filter((l) => l.movement !== 'opening' && l.movement !== 'closing');
      expect(rf.openingMinor + movements.reduce((a, l) => a + l.totalMinor, 0)).toBe(rf.closingMinor);
      expect(rf.openingMinor).toBe(may.posting.closingMinor);
      const { rows } = await computeEcl(db, JUNE);
      expect(rf.closingMinor).toBe(rows.reduce((a, r) => a + r.eclMinor, 0));

      // The books: the allowance's credit balance is June's ECL, and the journal still balances.
      const totals = await accountTotalsThrough(db, JUNE);
      const allowance = totals.find((t) => t.account === 'lossAllowance')!;
      expect(allowance.creditMinor - allowance.debitMinor).toBe(rf.closingMinor);
      const impairment = totals.find((t) => t.account === 'impairmentLoss')!;
      expect(impairment.debitMinor - impairment.creditMinor).toBe(
        may.posting.chargeMinor + june.posting.chargeMinor,
      );
      expect(totals.reduce((a, t) => a + t.debitMinor, 0)).toBe(
        totals.reduce((a, t) => a + t.creditMinor, 0),
      );
      const { rows: journal } = await db.query<{ n: number }>(
        `select count(*)::int as n from postings where loan_id like 'ecl:%'`,
      );
      expect(journal[0]?.n).toBe(2);

      // The June report now carries the roll-forward from May's stored run.
      const report = await eclLoader.load(db, { asOf: '2026-06-30' });
      const lines = table(report, 'roll-forward').rows;
      expect(fen(lines.find((l) => l.movement === 'opening')?.total)).toBe(may.posting.closingMinor);
      expect(fen(lines.find((l) => l.movement === 'closing')?.total)).toBe(rf.closingMinor);
    });

    it('refuses a day that is not a month end', async () => {
      await expect(postMonthEndEcl(db, parseDate('2026-06-15'))).rejects.toThrow(/month end/);
    });
  });

  describe('stress and liquidity reports on the seeded book', () => {
    it('stresses every scenario of the pack: harsher shocks, more ECL, NPL and losses, less cash-in', async () => {
      const seen: number[] = [];
      const report = await stressLoader.load(db, { asOf: '2026-06-30' }, (done) => seen.push(done));
      expect(seen.at(0)).toBe(0);
      expect(seen.at(-1)).toBe(6);
      const rows = table(report, 'scenarios').rows;
      expect(rows.map((r) => r.scenario)).toEqual(['base', 'downturn', 'pandemic', 'rates-up']);
      const by = (id: string) => rows.find((r) => r.scenario === id)!;
      for (const key of ['ecl', 'npl-12m', 'loss-12m']) {
        expect(fen(by('downturn')[key])).toBeGreaterThan(fen(by('base')[key]));
        expect(fen(by('pandemic')[key])).toBeGreaterThan(fen(by('downturn')[key]));
        expect(fen(by('rates-up')[key])).toBeGreaterThan(fen(by('base')[key]));
      }
      expect(fen(by('pandemic')['cash-in-12m'])).toBeLessThan(fen(by('base')['cash-in-12m']));
      // The weighted ECL lies between the mildest and the harshest weighted scenario.
      const weighted = fen(report.summary.find((f) => f.key === 'ecl-weighted')?.value);
      expect(weighted).toBeGreaterThan(fen(by('base').ecl));
      expect(weighted).toBeLessThan(fen(by('pandemic').ecl));
      await expect(JSON.stringify(report, null, 1)).toMatchFileSnapshot('golden/stress-2026-06-30.json');
    });

    it('stresses through the simulator: the same scenario files, closed industries hit, the same by seed', async () => {
      const simulation = { borrowers: 300, months: 9, seed: 7, workers: 0 };
      const report = await stressLoader.load(db, { asOf: '2026-06-30' }, undefined, {
        stressSimulation: simulation,
      });
      // The sensitivity results stay as they were; the simulated tables come after them.
      expect(report.tables.map((t) => t.name)).toEqual([
        'scenarios',
        'sensitivities',
        'simulated',
        'simulated-months',
        'simulated-industries',
      ]);
      const sim = table(report, 'simulated').rows;
      expect(sim.map((r) => r.scenario)).toEqual(['base', 'downturn', 'pandemic', 'rates-up']);
      const by = (id: string) => sim.find((r) => r.scenario === id)!;
      expect(by('pandemic').closed).toBe('catering, tourism');
      expect(fen(by('base').disbursed)).toBeGreaterThan(0);
      expect(table(report, 'simulated-months').rows.filter((r) => r.scenario === 'base')).toHaveLength(9);
      // The pandemic closes catering and tourism: their borrowers default more than under the base.
      const industries = table(report, 'simulated-industries').rows;
      const rate = (scenario: string, key: 'default-rate' | 'loss-rate') => {
        const rows = industries.filter((r) => r.scenario === scenario && r.closed === 'yes');
        const closedSet = new Set(
          industries.filter((r) => r.scenario === 'pandemic' && r.closed === 'yes').map((r) => r.industry),
        );
        const all = industries.filter((r) => r.scenario === scenario && closedSet.has(r.industry));
        return (scenario === 'pandemic' ? rows : all).reduce(
          (a, r) => a + Number(r[key]) * fen(r.disbursed),
          0,
        );
      };
      expect(rate('pandemic', 'default-rate')).toBeGreaterThan(rate('base', 'default-rate'));
      expect(rate('pandemic', 'loss-rate')).toBeGreaterThanOrEqual(rate('base', 'loss-rate'));
      expect(fen(by('pandemic')['cash-in'])).toBeLessThan(fen(by('base')['cash-in']));
      // Rates do not reach the simulated book (fixed-rate loans): rates-up runs as the base.
      const { scenario: _a, closed: _b, ...base } = by('base');
      const { scenario: _c, closed: _d, ...ratesUp } = by('rates-up');
      expect(ratesUp).toEqual(base);
      // Deterministic by seed: the pandemic alone, again, gives the same simulated rows.
      const again = await stressLoader.load(db, { asOf: '2026-06-30', scenario: 'pandemic' }, undefined, {
        stressSimulation: simulation,
      });
      expect(table(again, 'simulated').rows).toEqual([by('pandemic')]);
      expect(table(again, 'simulated-industries').rows).toEqual(
        industries.filter((r) => r.scenario === 'pandemic'),
      );
    });

    it('projects cash-in by week and month against the outflows entered, and the periods add up', async () => {
      const n = await importFundingOutflows(
        db,
        'day,amount,label\n2026-07-10,150000.00,bank facility interest\n2026-08-20,2500000.50,note redemption\n',
        'csv',
        'finance',
      );
      expect(n).toBe(2);
      const report = await liquidityLoader.load(db, { asOf: '2026-06-30' });
      const months = table(report, 'months').rows;
      expect(months).toHaveLength(12);
      expect(months[0]?.from).toBe('2026-07-01');
      expect(fen(months[0]?.outflows)).toBe(15_000_000);
      expect(fen(months[1]?.outflows)).toBe(250_000_050);
      for (const m of months) {
        for (const id of ['base', 'pandemic']) {
          expect(fen(m[`net-${id}`])).toBe(fen(m[`cash-in-${id}`]) - fen(m.outflows));
          expect(fen(m[`cash-in-${id}`])).toBeLessThanOrEqual(fen(m.scheduled) + fen(months[0]?.scheduled));
        }
        expect(fen(m['cash-in-pandemic'])).toBeLessThanOrEqual(fen(m['cash-in-base']));
      }
      const total = months.reduce((a, m) => a + fen(m['cash-in-base']), 0);
      expect(fen(report.summary.find((f) => f.key === 'cash-in-12m-base')?.value)).toBe(total);
      expect(total).toBeGreaterThan(0);
      // 13 weeks: July and August and September's first days; July's weeks hold July's outflow.
      const weeks = table(report, 'weeks').rows;
      expect(weeks).toHaveLength(13);
      expect(weeks.reduce((a, w) => a + fen(w.outflows), 0)).toBe(265_000_050);
      await expect(JSON.stringify(report, null, 1)).toMatchFileSnapshot('golden/liquidity-2026-06-30.json');
      const one = await liquidityLoader.load(db, { asOf: '2026-06-30', scenario: 'downturn' });
      expect(one.scenario).toBe('downturn');
      expect(Object.keys(table(one, 'months').rows[0]!).filter((k) => k.startsWith('cash-in-'))).toEqual([
        'cash-in-downturn',
      ]);
    });
  });
  describe('watch list', () => {
    it('moves the loans of a frozen line to stage 2, and the simple implementation still agrees', async () => {
      const before = await computeEcl(db, JUNE);
      const target = before.rows.find((r) => r.kind === 'drawn' && r.stage === 1)!;
      await db.query(`update credit_lines set status = 'frozen' where line_id = $1`, [target.lineId]);
      const after = await computeEcl(db, JUNE);
      const moved = after.rows.find((r) => r.exposureId === target.exposureId)!;
      expect(moved.stage).toBe(2);
      expect(moved.reasons).toContain('watchlist');
      expect(moved.eclMinor).toBeGreaterThanOrEqual(target.eclMinor);
      // A frozen line offers no undrawn limit.
      expect(after.rows.some((r) => r.exposureId === `line:${target.lineId}`)).toBe(false);
      const simple = await simpleEcl(db, '2026-06-30', SHIPPED_SCENARIO_DIR);
      expect(
        after.rows.map((r) => ({ exposure: r.exposureId, stage: r.stage, ead: r.eadMinor, ecl: r.eclMinor })),
      ).toEqual(simple);
    });

    it('stages by the watch list’s signals and by PD now against PD at origination (SICR)', async () => {
      const before = await computeEcl(db, JUNE);
      const stage1 = before.rows.filter((r) => r.kind === 'drawn' && r.stage === 1);
      const [watched, risen] = [stage1[0]!, stage1.find((r) => r.customerId !== stage1[0]!.customerId)!];
      // A high-severity early-warning signal live on the day puts the borrower on the watch list.
      await db.query(
        `insert into signals (customer_id, signal_id, code, kind, severity, queue, action, reason_en, reason_zh,
           evidence, evidence_key, document_version, status, raised_day, last_seen_day, raised_by, action_status)
         values ($1, 'sig-test', 'EW_TEST', 'test', 'high', 'risk', 'none', 'test', '测试', '{}', 'k', 'v',
                 'open', '2026-06-20', '2026-06-20', 'test', 'none')`,
        [watched.customerId],
      );
      // The line's PD now (its behaviour score) has more than doubled since the approving decision's.
      await db.query(
        `insert into applications (application_id, applicant_key, customer_id, line_id, submitted_at, product_id,
           channel, occupation, requested_limit_fen, province, city, body_enc, created_by)
         values ('app-test', 'k', $1, $2, '2026-01-01T00:00:00Z', 'default', 'app', 'salaried', 100000, 'x', 'x', 'x', 'test')`,
        [risen.customerId, risen.lineId],
      );
      await db.query(
        `insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, policy_version,
           model_version, record, content_hash)
         values ('app-test', 'dec-test', '2026-01-01T00:00:00Z', 'approve', 100000, 'v', 'm',
                 '{"score": {"probabilityBad": 0.02}}', 'h')`,
      );
      await db.query(
        `insert into behaviour_scores (customer_id, line_id, month, as_of, score, probability_bad, reasons, model_id)
         values ($1, $2, '2026-06-01', '2026-06-30', 500, 0.09, '[]', 'm')`,
        [risen.customerId, risen.lineId],
      );
      const after = await computeEcl(db, JUNE);
      const w = after.rows.find((r) => r.exposureId === watched.exposureId)!;
      expect(w.stage).toBe(2);
      expect(w.reasons).toContain('watchlist');
      const r = after.rows.find((x) => x.exposureId === risen.exposureId)!;
      expect(r.stage).toBe(2);
      expect(r.reasons).toContain('pd-increase');
      // A signal raised after the as-of day, or a PD only slightly up, moves nothing.
      await db.query(`update signals set raised_day = '2026-07-02' where signal_id = 'sig-test'`);
      await db.query(`update behaviour_scores set probability_bad = 0.03 where line_id = $1`, [risen.lineId]);
      const back = await computeEcl(db, JUNE);
      expect(back.rows.find((x) => x.exposureId === watched.exposureId)!.stage).toBe(1);
      expect(back.rows.find((x) => x.exposureId === risen.exposureId)!.stage).toBe(1);
      await db.query(`delete from signals where signal_id = 'sig-test'`);
      await db.query(`delete from behaviour_scores where line_id = $1`, [risen.lineId]);
      // The decision stays (decisions are append-only): with no behaviour score the line's PD now is unknown.
    });

    it('takes the borrower’s industry from the monitoring profile: a pandemic closure reaches catering alone', async () => {
      const before = await computeEcl(db, JUNE);
      const target = before.rows.find((r) => r.kind === 'drawn' && r.stage !== 3)!;
      const others = before.rows.filter((r) => r.customerId !== target.customerId && r.stage !== 3);
      const pandemic = (row: (typeof before.rows)[number]) =>
        row.scenarios.find((s) => s.scenario === 'pandemic')!;
      await saveMonitoringProfile(db, {
        customerId: target.customerId,
        segment: 'self-employed',
        industry: 'catering',
        lang: 'zh-CN',
        sinceDay: parseDate('2026-01-01'),
        applicationLenders3m: null,
        applicationIncomeMinor: null,
        applicationStatements: null,
      });
      const after = await computeEcl(db, JUNE);
      const hit = after.rows.find((r) => r.exposureId === target.exposureId)!;
      // The closure shock multiplies the catering borrower's PD under the pandemic, and under no other scenario.
      expect(pandemic(hit).pdMultiplier_micro).toBeGreaterThan(pandemic(target).pdMultiplier_micro);
      for (const s of hit.scenarios.filter((x) => x.scenario !== 'pandemic'))
        expect(s.pdMultiplier_micro).toBe(
          target.scenarios.find((x) => x.scenario === s.scenario)!.pdMultiplier_micro,
        );
      expect(hit.eclMinor).toBeGreaterThan(target.eclMinor);
      // Every other borrower is untouched.
      for (const o of others) expect(after.rows.find((r) => r.exposureId === o.exposureId)).toEqual(o);
      await db.query('delete from monitoring_profiles where customer_id = $1', [target.customerId]);
    });
  });
});
