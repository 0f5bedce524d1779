import { writeBook } from '../../src/jobs/book.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { type Db, migrate } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';

/** The report tests' seeded book: a year and a half of drawdowns, every payer behaviour, closed to 2026-06-11. */
export const REPORT_BOOK_TODAY = parseDate('2026-06-15');
export const REPORT_AS_OF = '2026-05-31';

export async function reportBook(seed = 17, customers = 160): Promise<Db> {
  const db = await openMigratedPglite();
  await writeBook(db, {
    seed,
    customers,
    loansPerCustomer_max: 3,
    drawFrom: addDays(REPORT_BOOK_TODAY, -540),
    drawTo: addDays(REPORT_BOOK_TODAY, -10),
    historyThrough: addDays(REPORT_BOOK_TODAY, -4),
  });
  await db.query(`update business_day set day = '2026-06-12'`);
  return db;
}

/**
 * Applications and decisions for the report book's lines, so that vintages by channel and by policy version
 * have something to group: every fourth line has no application (as an imported loan's), the others one
 * application (channel app, h5 or partner) submitted the day the line's first loan was drawn. Its decisions:
 * an approval under P-2025-1 for lines opened before 2025-10-01, else P-2025-2; every seventh is first referred
 * under P-2025-0 (the approval is the one that counts); every eleventh is only referred (no approval: policy
 * unknown, channel known).
 */
export async function attachOrigination(db: Db): Promise<void> {
  await db.query(`
    with lines as (
      select l.customer_id, l.line_id, min(l.opened_day) as opened,
        row_number() over (order by l.line_id) as n
      from loans l group by l.customer_id, l.line_id
    ), apps as (
      insert into applications (application_id, applicant_key, customer_id, line_id, submitted_at, product_id,
        channel, occupation, requested_limit_fen, province, city, body_enc, created_by)
      select 'app-' || line_id, 'key-' || line_id, customer_id, line_id, opened::timestamptz, 'p',
        case n % 4 when 1 then 'app' when 2 then 'h5' else 'partner' end,
        'x', 0, 'p', 'c', 'x', 'test'
      from lines where n % 4 <> 0
      returning application_id, line_id, submitted_at
    ), numbered as (
      select a.application_id, a.submitted_at, l.n, l.opened from apps a join lines l using (line_id)
    ), refer as (
      insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, risk_grade,
        policy_version, model_version, record, content_hash)
      select application_id, 'd1-' || application_id, submitted_at, 'refer', 0, null, 'P-2025-0', 'm', '{}', 'x'
      from numbered where n % 7 = 0 or n % 11 = 0
    )
    insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, risk_grade,
      policy_version, model_version, record, content_hash)
    select application_id, 'd2-' || application_id, submitted_at + interval '1 hour', 'approve', 0, 'B',
      case when opened < date '2025-10-01' then 'P-2025-1' else 'P-2025-2' end, 'm', '{}', 'x'
    from numbered where n % 11 <> 0`);
}

/**
 * The ECL tests' seeded book on a backend: 150 customers drawing over the 540 days before 2026-06-30, every
 * payer behaviour, the history closed through that day.
 */
export async function eclBook(open: () => Promise<Db>): Promise<Db> {
  const june = parseDate('2026-06-30');
  const db = await open();
  await migrate(db);
  await writeBook(db, {
    seed: 7,
    customers: 150,
    loansPerCustomer_max: 3,
    drawFrom: addDays(june, -540),
    drawTo: addDays(june, -5),
    historyThrough: june,
  });
  return db;
}
