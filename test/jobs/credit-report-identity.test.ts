import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import {
  buildCreditReportMonth,
  CreditReportJobError,
  exportCreditReportMonth,
} from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { insertSealedCustomer } from '../../src/store/customers.js';
import {
  closeLoansThrough,
  type Db,
  generatePiiKey,
  monthRecords,
  PiiCipher,
  sealCustomer,
  setBusinessDay,
} from '../../src/store/index.js';
import { idNumberFor } from '../server/helpers.js';
import { openMigratedPglite } from '../support/pglite-template.js';

const MAY_END = parseDate('2026-05-31');
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];

/** `YYYY-MM` months back from 2026-05, oldest first: the months of the 5-year grid. */
function gridMonths(): string[] {
  const out: string[] = [];
  for (let k = 59; k >= 0; k--) {
    const total = 2026 * 12 + 4 - k;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/*
 * A book drawn from 2023 on, so that the 5-year grid reaches past the 24-month one, with a customer record
 * for every borrower. The grids are checked month by month against a model read straight from the ledger's
 * event rows (the bucket of the last delinquency change, settlement, write-off), sharing no code with the
 * record builder; the identity segment against the customers as they were entered.
 */
describe('the credit-report export: the 5-year grid and the identity segment', () => {
  let db: Db;
  const cipher = new PiiCipher(generatePiiKey());
  const people = new Map<string, { name: string; idNumber: string }>();

  beforeAll(async () => {
    db = await openMigratedPglite();
    await writeBook(db, {
      seed: 41,
      customers: 30,
      loansPerCustomer_max: 2,
      drawFrom: parseDate('2023-09-01'),
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
    await setBusinessDay(db, parseDate('2026-06-01'));
    const customers = await db.query<{ customer_id: string }>(
      'select distinct customer_id from loans order by customer_id',
    );
    let i = 0;
    for (const { customer_id } of customers.rows) {
      i += 1;
      const input = {
        name: `${SURNAMES[i % SURNAMES.length]}测${i}`,
        idNumber: idNumberFor(i),
        phone: `1380000${String(i).padStart(4, '0')}`,
        address: { province: '广东省', city: '深圳市', detail: `南山区${i}号` },
        contacts: [],
        declaredMonthlyIncome_fen: 800_000,
        externalRef: null,
      };
      people.set(customer_id, { name: input.name, idNumber: input.idNumber });
      await insertSealedCustomer(db, customer_id, sealCustomer(cipher, customer_id, input), input, 'test');
    }
    await buildCreditReportMonth(db, '2026-05');
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('every record’s 5-year grid follows the ledger’s history and ends with its 24-month grid', async () => {
    const records = await monthRecords(db, '2026-05');
    expect(records.length).toBeGreaterThan(10);
    const events = await db.query<{
      loan_id: string;
      seq: number;
      day: string;
      type: string;
      to_bucket: string | null;
      from_seq: number | null;
      to_seq: number | null;
    }>(
      `select loan_id, seq, day::text as day, type, payload->>'toBucket' as to_bucket,
         (payload->>'fromSeq')::int as from_seq, (payload->>'toSeq')::int as to_seq
       from loan_events order by loan_id, seq`,
    );
    const byLoan = new Map<string, typeof events.rows>();
    for (const e of events.rows) byLoan.set(e.loan_id, [...(byLoan.get(e.loan_id) ?? []), e]);
    const months = gridMonths();
    let opens = 0;
    for (const { record } of records) {
      const g = record.grid60 as string;
      expect(g).toHaveLength(60);
      expect(g.slice(-24)).toBe(record.grid);
      const log = byLoan.get(record.loanId) ?? [];
      const superseded = new Set<number>();
      for (const e of log) {
        if (e.type === 'EventsSuperseded' && e.from_seq !== null && e.to_seq !== null)
          for (let s = e.from_seq; s <= e.to_seq; s++) superseded.add(s);
      }
      const live = log.filter((e) => !superseded.has(e.seq));
      const opened = live.find((e) => e.type === 'LoanOpened')?.day as string;
      months.forEach((month, k) => {
        const end = lastDay(month);
        const code = g[k] as string;
        const upTo = live.filter((e) => e.day <= end);
        if (end < opened) {
          expect(code, `${record.loanId} ${month}`).toBe('/');
          return;
        }
        if (code !== '/') opens += 1;
        if (upTo.some((e) => e.type === 'LoanWrittenOff')) expect(code).toBe('B');
        else if (upTo.some((e) => e.type === 'LoanSettled'))
          expect(code, `${record.loanId} ${month}`).toBe('C');
        else {
          const bucket = upTo.filter((e) => e.type === 'DelinquencyChanged').at(-1)?.to_bucket ?? 'M0';
          const k2 = Number(bucket.slice(1));
          if (k2 === 0) expect(['N', '*'], `${record.loanId} ${month}`).toContain(code);
          else expect(code, `${record.loanId} ${month}`).toBe(String(Math.min(7, k2)));
        }
      });
    }
    expect(opens).toBeGreaterThan(records.length);
  });

  it('exports the identity segment of the borrowers in the file, in full, or refuses and exports nothing', async () => {
    // A borrower of the file without a customer record: refused, and nothing is marked exported.
    const lastId = (await monthRecords(db, '2026-05', 'ready'))[0]?.record.customerId as string;
    const last = people.get(lastId) as { name: string; idNumber: string };
    await db.query('delete from customer_identities where customer_id = $1', [lastId]);
    await db.query('delete from customers where customer_id = $1', [lastId]);
    await expect(exportCreditReportMonth(db, '2026-05', 'test', { cipher })).rejects.toBeInstanceOf(
      CreditReportJobError,
    );
    expect(await monthRecords(db, '2026-05', 'exported')).toEqual([]);
    const input = {
      ...last,
      phone: '13999999999',
      address: { province: '广东省', city: '深圳市', detail: '福田区1号' },
      contacts: [],
      declaredMonthlyIncome_fen: 800_000,
      externalRef: null,
    };
    await insertSealedCustomer(db, lastId, sealCustomer(cipher, lastId, input), input, 'test');

    const out = await exportCreditReportMonth(db, '2026-05', 'test', { cipher });
    const lines = out.text.trimEnd().split('\n');
    expect(lines[0]?.split(',').at(-1)).toBe('grid_60');
    const customers = new Set(lines.slice(1).map((l) => l.split(',')[3] as string));
    for (const l of lines.slice(1)) {
      const f = l.split(',');
      expect(f).toHaveLength(18);
      expect((f[17] as string).slice(-24)).toBe(f[14]);
    }
    const identity = out.identity?.text.trimEnd().split('\n') ?? [];
    expect(identity[0]).toBe('customer_id,id_type,name,id_number');
    expect(identity.length - 1).toBe(customers.size);
    expect(out.identity?.borrowers).toBe(customers.size);
    for (const l of identity.slice(1)) {
      const [customerId, idType, name, idNumber] = l.split(',') as [string, string, string, string];
      expect(customers.has(customerId)).toBe(true);
      expect(idType).toBe('10');
      expect({ name, idNumber }).toEqual(people.get(customerId));
    }
    // The account file itself carries no name and no ID number.
    for (const p of people.values()) {
      expect(out.text).not.toContain(p.idNumber);
      expect(out.text).not.toContain(p.name);
    }
  });
});
