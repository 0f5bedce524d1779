import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import {
  buildCreditReportMonth,
  CreditReportJobError,
  creditReportLoader,
  exportCreditReportMonth,
} from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, monthRecords, setBusinessDay } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';

const GOLDEN = new URL('./golden/credit-report-2026-05.csv', import.meta.url);
const MAY_END = parseDate('2026-05-31');

/*
 * A seeded book of 40 borrowers drawn from January to April 2026, every loan closed through 31 May by the
 * engine: the month-end job builds May's records, holds back every first negative record (no notice was
 * sent in this book), and the export of what is ready matches the golden file byte for byte.
 */
describe('the month-end credit-reporting job on a seeded book', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigratedPglite();
    await writeBook(db, {
      seed: 17,
      customers: 40,
      loansPerCustomer_max: 2,
      drawFrom: parseDate('2026-01-05'),
      drawTo: parseDate('2026-04-20'),
      historyThrough: addDays(MAY_END, -1),
    });
    const { rows } = await db.query<{ loan_id: string }>(`select loan_id from loans where status = 'active'`);
    await db.transaction((tx) =>
      closeLoansThrough(
        tx,
        rows.map((r) => r.loan_id),
        MAY_END,
      ),
    );
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('refuses a month whose last day is not closed yet, and a malformed month', async () => {
    await setBusinessDay(db, MAY_END);
    await expect(buildCreditReportMonth(db, '2026-05')).rejects.toThrow(
      /once its last day 2026-05-31 is closed/,
    );
    await expect(buildCreditReportMonth(db, '2026-5')).rejects.toBeInstanceOf(CreditReportJobError);
    expect(await monthRecords(db, '2026-05')).toEqual([]);
  });

  it('builds every account, holds first negative records without a notice, exports the rest as the golden file', async () => {
    await setBusinessDay(db, parseDate('2026-06-01'));
    const progress: number[] = [];
    const counts = await buildCreditReportMonth(db, '2026-05', { progress: (done) => progress.push(done) });
    expect(counts.accounts).toBeGreaterThan(30);
    expect(counts.negative).toBeGreaterThan(0);
    expect(counts.held).toBe(counts.negative);
    expect(progress.at(-1)).toBe(counts.accounts);
    const records = await monthRecords(db, '2026-05');
    for (const r of records) {
      expect(r.record.grid).toHaveLength(24);
      expect(r.record.grid.at(-1)).toBe(r.record.statusCode);
      if (r.record.negative)
        expect(r).toMatchObject({ status: 'held', holdReason: 'negative_notice_not_sent' });
    }
    const codes = new Set(records.map((r) => r.record.statusCode));
    expect(codes.has('C') || codes.has('N')).toBe(true);

    const out = await exportCreditReportMonth(db, '2026-05', 'test');
    expect(out.records).toBe(counts.ready);
    if (process.env.LENDGUARD_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, out.text);
    expect(out.text).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(
      out.text
        .split('\n')
        .slice(1, -1)
        .every((l) => !/,[1-7B],[^,]*,[^,]*,\d+$/.test(l)),
    ).toBe(true);
    // Nothing is ready twice: a second export carries no records.
    expect((await exportCreditReportMonth(db, '2026-05', 'test')).records).toBe(0);

    const report = await creditReportLoader.load(db, { asOf: '2026-05-31' });
    expect(report.summary.find((f) => f.key === 'held')?.value).toBe(counts.held);
    expect(report.summary.find((f) => f.key === 'exported')?.value).toBe(counts.ready);
  });

  it('releases a held record once the notice went out in time; a late notice keeps it held', async () => {
    const held = (await monthRecords(db, '2026-05', 'held')).map((r) => r.record);
    expect(held.length).toBeGreaterThanOrEqual(2);
    const [onTime, late] = held as [(typeof held)[0], (typeof held)[0]];
    const notice = async (loanId: string, customerId: string, sentAt: string) =>
      db.query(
        `insert into reminders (customer_id, loan_id, reminder_key, cadence_version, cadence_id, stage_id, channel,
           legally_required, anchor_due_day, plan_day, scheduled_at, amount_due_minor, currency, lang, subject, body,
           status, sent_at)
         values ($1, $2, 'notice', 'v1', 'default', 'legal-negative-notice', 'sms', true, '2026-05-01', '2026-05-20',
           $3, 100, 'CNY', 'zh-CN', '征信告知', '逾期将报送征信', 'sent', $3)`,
        [customerId, loanId, sentAt],
      );
    await notice(onTime.loanId, onTime.customerId, '2026-05-20T02:00:00Z');
    await notice(late.loanId, late.customerId, '2026-05-31T02:00:00Z');
    await buildCreditReportMonth(db, '2026-05');
    const after = new Map((await monthRecords(db, '2026-05')).map((r) => [r.record.loanId, r]));
    expect(after.get(onTime.loanId)).toMatchObject({ status: 'ready', holdReason: null });
    expect(after.get(late.loanId)).toMatchObject({ status: 'held', holdReason: 'negative_notice_late' });
    const out = await exportCreditReportMonth(db, '2026-05', 'test');
    expect(out.records).toBe(1);
    expect(out.text.split('\n')[1]).toContain(`,${onTime.loanId},`);
  });
});
