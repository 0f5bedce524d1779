import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, importLoans, writeBook } from '../../src/jobs/index.js';
import {
  type ImportLoanRecord,
  importRecordOfLoan,
  type LoanState,
  readImportJson,
} from '../../src/ledger/index.js';
import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import {
  type Db,
  findLoan,
  generatePiiKey,
  loadLoanLog,
  PiiCipher,
  setFirstBusinessDay,
} from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { testIdNumber } from '../support/id-numbers.js';

const TODAY = '2026-12-01';
const DRAW_FROM = parseDate('2024-01-10');
const DRAW_TO = parseDate('2026-01-31');
/** The book's history ends here; the importing database's business day is the day after. */
const HISTORY_THROUGH = parseDate('2026-03-31');

function loanText(state: LoanState, ids: Map<string, string>): string {
  let text = JSON.stringify(state, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  for (const [from, to] of ids) text = text.split(from).join(to);
  return text.replace(/"clientId":"[^"]*"/g, '"clientId":"-"');
}

/** Every loan of a book written with the engine (writeBook), in the JSON import layout. */
async function exportBook(
  db: Db,
): Promise<{ document: { loans: ImportLoanRecord[] }; states: Map<string, LoanState> }> {
  const { rows } = await db.query<{
    loan_id: string;
    customer_id: string;
    line_id: string;
    limit_minor: string;
  }>(
    `select l.loan_id, l.customer_id, l.line_id, c.limit_minor::text as limit_minor
       from loans l join credit_lines c using (customer_id, line_id) order by l.customer_id, l.loan_id`,
  );
  const customers = new Map<string, number>();
  const states = new Map<string, LoanState>();
  const loans: ImportLoanRecord[] = [];
  for (const r of rows) {
    const loan = (await findLoan(db, r.loan_id))!;
    const log = await loadLoanLog(db, r.customer_id, r.loan_id);
    if (!customers.has(r.customer_id)) customers.set(r.customer_id, customers.size + 1);
    const n = customers.get(r.customer_id)!;
    states.set(r.loan_id, loan.state);
    loans.push(
      importRecordOfLoan(log, loan.state, {
        loanRef: r.loan_id,
        customer: {
          ref: r.customer_id,
          name: `客户${n}`,
          idNumber: testIdNumber(n),
          phone: `1380000${String(n).padStart(4, '0')}`,
        },
        lineRef: r.line_id,
        lineLimitMinor: Number(r.limit_minor),
        withTerms: true,
      }),
    );
  }
  return { document: { loans }, states };
}

describe('ImportFileError', () => {
  it('counts one fault in the singular, two in the plural', () => {
    const fault = { where: 'line 2', message: 'day "2026-02-30" does not exist' };
    expect(new ImportFileError([fault]).message).toBe('the file cannot be imported: 1 fault');
    expect(new ImportFileError([fault, { ...fault, where: 'line 3' }]).message).toBe(
      'the file cannot be imported: 2 faults',
    );
  });
});

describe.each(backends)('importing an existing book ($name)', (backend) => {
  let source: Db;
  let exported: Awaited<ReturnType<typeof exportBook>>;
  const cipher = new PiiCipher(generatePiiKey());

  beforeAll(async () => {
    source = await openMigrated(backend);
    await writeBook(source, {
      seed: 14,
      customers: 12,
      loansPerCustomer_max: 2,
      drawFrom: DRAW_FROM,
      drawTo: DRAW_TO,
      historyThrough: HISTORY_THROUGH,
    });
    exported = await exportBook(source);
  }, 120_000);
  afterAll(async () => {
    await source?.close();
  });

  async function target(): Promise<Db> {
    const db = await openMigrated(backend);
    await setFirstBusinessDay(db, formatDate(addDays(HISTORY_THROUGH, 1)), TODAY);
    return db;
  }

  it('imports the history of an engine run and arrives at the same state, events and postings', async () => {
    const db = await target();
    try {
      const read = readImportJson(JSON.parse(JSON.stringify(exported.document)));
      if (!read.ok) throw new Error(JSON.stringify(read.faults));
      expect(read.loans.length).toBeGreaterThan(10);
      expect(read.loans.some((l) => l.repayments.length > 3)).toBe(true);
      const report = await importLoans(db, cipher, read.loans, { loansPerTransaction: 5 });
      expect(report.problems).toEqual([]);
      expect(report.loansImported).toBe(read.loans.length);
      expect(report.customersCreated).toBe(new Set(read.loans.map((l) => l.customer.ref)).size);
      // The new ids map back to the old ones through the loan's opening client id.
      const { rows } = await db.query<{
        loan_id: string;
        customer_id: string;
        line_id: string;
        client_id: string;
      }>(
        `select l.loan_id, l.customer_id, l.line_id, e.client_id from loans l
           join loan_events e on e.customer_id = l.customer_id and e.loan_id = l.loan_id and e.seq = 1`,
      );
      const ids = new Map<string, string>();
      for (const r of rows) {
        const oldLoan = r.client_id.slice('import:'.length);
        const old = exported.states.get(oldLoan)!;
        ids.set(r.loan_id, old.loanId).set(r.customer_id, old.customerId).set(r.line_id, old.lineId);
      }
      for (const r of rows) {
        const imported = (await findLoan(db, r.loan_id))!;
        const old = exported.states.get(ids.get(r.loan_id)!)!;
        expect(loanText(imported.state, ids)).toBe(loanText(old, new Map()));
        const events = (await loadLoanLog(db, r.customer_id, r.loan_id)).map((e) =>
          loanText(e as never, ids),
        );
        const oldEvents = (await loadLoanLog(source, old.customerId, old.loanId)).map((e) =>
          loanText(e as never, new Map()),
        );
        expect(events).toEqual(oldEvents);
      }
      const postings = async (q: Db, map: Map<string, string>) =>
        (
          await q.query<{ t: string }>(
            `select concat_ws('|', loan_id, day, event_seq, event_ref, lines::text, debit_minor) as t from postings`,
          )
        ).rows
          .map((p) => [...map].reduce((s, [from, to]) => s.split(from).join(to), p.t))
          .sort();
      expect(await postings(db, ids)).toEqual(await postings(source, new Map()));
      // Personal data is stored encrypted, found by its blind index.
      const stored = await db.query<{ name_enc: string }>('select name_enc from customers limit 1');
      expect(stored.rows[0]!.name_enc).not.toContain('客户');
    } finally {
      await db.close();
    }
  }, 120_000);

  it('reports the first difference of a loan whose stated balance is wrong and writes nothing of its line', async () => {
    const db = await target();
    try {
      const document = JSON.parse(JSON.stringify(exported.document)) as { loans: ImportLoanRecord[] };
      const wrong = document.loans.find(
        (l) => l.repayments.length >= 1 && Number(l.balances[0]!.principal) > 0,
      )!;
      // The old system's interest is 0.01 higher than ours.
      const interest = wrong.balances[0]!.interest;
      wrong.balances[0]!.interest = (Number(interest) + 0.01).toFixed(2);
      // A statement after the first repayment that agrees, so the difference is placed after it.
      const read = readImportJson(document);
      if (!read.ok) throw new Error(JSON.stringify(read.faults));
      const report = await importLoans(db, cipher, read.loans);
      expect(report.problems).toHaveLength(1);
      const p = report.problems[0]!;
      expect(p).toMatchObject({
        kind: 'difference',
        loanRef: wrong.loanRef,
        field: 'interest',
        theirs: Math.round(Number(wrong.balances[0]!.interest) * 100),
        ours: Math.round(Number(interest) * 100),
        day: parseDate(wrong.balances[0]!.asOf),
        where: `loans[${document.loans.indexOf(wrong)}].balances[0]`,
      });
      const sameLine = document.loans.filter((l) => l.creditLine.ref === wrong.creditLine.ref).length;
      expect(report.loansImported).toBe(document.loans.length - sameLine);
      expect(report.heldBack).toHaveLength(sameLine - 1);
      const none = await db.query('select 1 from loan_events where client_id = $1', [
        `import:${wrong.loanRef}`,
      ]);
      expect(none.rows).toHaveLength(0);
      const cust = await db.query('select 1 from customers where external_ref = $1', [wrong.customer.ref]);
      expect(cust.rows).toHaveLength(0);
      // Imported once: the same file again is refused as a whole, naming the loans imported already.
      const again = await importLoans(db, cipher, read.loans).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ImportFileError);
      expect((again as ImportFileError).faults[0]!.message).toMatch(/was imported before/);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('with all or nothing, one disagreeing loan writes nothing at all', async () => {
    const db = await target();
    try {
      const before = await dumpTables(db);
      const document = JSON.parse(JSON.stringify(exported.document)) as { loans: ImportLoanRecord[] };
      const last = document.loans.at(-1)!;
      last.balances[0]!.daysPastDue += 1;
      const read = readImportJson(document);
      if (!read.ok) throw new Error(JSON.stringify(read.faults));
      const report = await importLoans(db, cipher, read.loans, { allOrNothing: true });
      expect(report.nothingWritten).toBe(true);
      expect(report.problems[0]).toMatchObject({ field: 'daysPastDue', loanRef: last.loanRef });
      expect(await dumpTables(db)).toEqual(before);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('refuses an unknown product and history after the book’s last closed day, writing nothing', async () => {
    const db = await target();
    try {
      const before = await dumpTables(db);
      const document = JSON.parse(JSON.stringify(exported.document)) as { loans: ImportLoanRecord[] };
      document.loans[0]!.product = { code: 'no-such-product' };
      document.loans[1]!.balances[0]!.asOf = formatDate(addDays(HISTORY_THROUGH, 1));
      const read = readImportJson(document);
      if (!read.ok) throw new Error(JSON.stringify(read.faults));
      const error = await importLoans(db, cipher, read.loans).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFileError);
      const messages = (error as ImportFileError).faults.map((f) => `${f.where}: ${f.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^loans\[0\]: unknown product no-such-product/),
          expect.stringMatching(/^loans\[1\]\.balances\[0\]: a balance on \d{4}-\d\d-\d\d is after/),
        ]),
      );
      expect(await dumpTables(db)).toEqual(before);
    } finally {
      await db.close();
    }
  }, 120_000);
});
