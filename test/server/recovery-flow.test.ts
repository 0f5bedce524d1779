import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/*
 * The recovery curves through the real ledger: three loans drawn on two products by two borrowers (one line
 * opened by an application, one without), nothing paid after a first
 * small payment, written off by the write-off proposals (proposed by a risk analyst, approved by finance) in two
 * months, then recoveries paid as ordinary repayments on written-off loans — on the write-off day itself, on a
 * month's last day, on the next month's first, and one after the report's month end. The report's curve must be
 * the recoveries paid, month by month, to the fen; its written-off amounts those the proposals approved; and so
 * for each product, channel and policy version.
 */
const AS_OF = '2026-11-30';
const loans: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

/** A recovery the test pays: the loan, the day and the amount in fen. */
interface Paid {
  loan: 'a' | 'b' | 'c';
  day: string;
  amountMinor: number;
}

describe.each(backends)(
  'recovery curves from write-offs and repayments through the ledger, on $name',
  (backend) => {
    let db: Db;
    let api: TestApi;
    /** The written-off total of each loan as the approved proposal said it (yuan text). */
    const writtenOff: Record<string, string> = {};
    const paid: Paid[] = [];
    let today = '';

    async function call(role: Role, method: string, url: string, payload?: unknown) {
      return api.app.inject({
        method: method as 'GET',
        url,
        headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    }
    /** The business day `day`, the loans closed through the day before and their cases refreshed, as EOD does. */
    async function onDay(day: string) {
      today = day;
      await setBusinessDay(db, parseDate(day));
      await db.transaction(async (tx) => {
        await closeLoansThrough(tx, Object.values(loans), parseDate(day) - 1);
        await refreshCases(tx, parseDate(day) - 1, null);
      });
    }
    async function writeOff(which: ('a' | 'b' | 'c')[]) {
      const candidates = json(await call('finance', 'GET', '/write-offs/candidates')).items as {
        loanId: string;
        total: string;
      }[];
      const proposed = await call('risk_analyst', 'POST', '/write-offs/proposals', {
        loans: which.map((w) => ({ loanId: loans[w], evidenceRef: `CASE-${w}` })),
      });
      expect(proposed.statusCode, proposed.body).toBe(201);
      const approved = await call(
        'finance',
        'POST',
        `/write-offs/proposals/${json(proposed).proposalId}/approve`,
        {},
      );
      expect(approved.statusCode, approved.body).toBe(200);
      for (const w of which) {
        const c = candidates.find((x) => x.loanId === loans[w]);
        expect(c, `${w} is a candidate`).toBeDefined();
        const loan = json(await call('auditor', 'GET', `/loans/${loans[w]}`));
        expect(loan.status).toBe('written-off');
        expect((loan.writeOff as Record<string, string>).writtenOff).toBe(c?.total);
        writtenOff[loans[w]] = c?.total as string;
      }
    }
    async function recover(loan: 'a' | 'b' | 'c', amount: string) {
      const r = await call('collector', 'POST', `/loans/${loans[loan]}/repayments`, { amount });
      expect(r.statusCode, r.body).toBe(201);
      expect((json(r).events as { type: string }[]).map((e) => e.type)).toEqual(['RecoveredAfterWriteOff']);
      paid.push({ loan, day: today, amountMinor: Math.round(Number(amount) * 100) });
    }

    beforeAll(async () => {
      db = await openMigrated(backend);
      api = await startApi(db);
      await setBusinessDay(db, parseDate('2026-01-10'));
      const customer = json(
        await call('admin', 'POST', '/customers', validCustomer({ name: '李四', idNumber: idNumberFor(47) })),
      ).customerId as string;
      for (const [id, termCount] of [
        ['cash-12m', 12],
        ['cash-6m', 6],
      ] as const) {
        expect((await call('risk_analyst', 'POST', '/products', { id, termCount })).statusCode).toBe(201);
      }
      const other = json(
        await call('admin', 'POST', '/customers', validCustomer({ name: '王五', idNumber: idNumberFor(48) })),
      ).customerId as string;
      const lineOf = async (id: string) =>
        json(await call('risk_analyst', 'POST', `/customers/${id}/credit-lines`, { limit: '80000.00' }))
          .lineId as string;
      const lineId = await lineOf(customer);
      const otherLine = await lineOf(other);
      for (const [k, line, amount, productId] of [
        ['a', lineId, '20000.00', 'cash-12m'],
        ['b', lineId, '6000.00', 'cash-6m'],
        ['c', otherLine, '8888.88', 'cash-12m'],
      ] as const) {
        const d = await call('admin', 'POST', `/credit-lines/${line}/drawdowns`, { amount, productId });
        expect(d.statusCode, d.body).toBe(201);
        loans[k] = json(d).loanId as string;
      }
      // 李四's line was opened by an application through the app, approved under P-2026-1 after a referral
      // under P-2026-0 (decision 0845: the approval counts); 王五's line has no application (as if imported).
      await db.query(
        `insert into applications (application_id, applicant_key, customer_id, line_id, submitted_at, product_id,
           channel, occupation, requested_limit_fen, province, city, body_enc, created_by)
         values ('app-flow', 'key-flow', $1, $2, '2026-01-09T10:00:00Z', 'cash-12m', 'app', 'x', 0, 'p', 'c', 'x', 'test')`,
        [customer, lineId],
      );
      await db.query(
        `insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, risk_grade,
           policy_version, model_version, record, content_hash)
         values ('app-flow', 'dec-1', '2026-01-09T10:00:01Z', 'refer', 0, null, 'P-2026-0', 'm', '{}', 'x'),
                ('app-flow', 'dec-2', '2026-01-09T11:00:00Z', 'approve', 0, 'B', 'P-2026-1', 'm', '{}', 'x')`,
      );
      // One ordinary repayment before any write-off: not a recovery, not on the curve.
      await onDay('2026-03-02');
      expect(
        (await call('collector', 'POST', `/loans/${loans.a}/repayments`, { amount: '200.00' })).statusCode,
      ).toBe(201);

      // a and b written off on 2026-08-20, then a pays the same day and on the month's last day.
      await onDay('2026-08-20');
      await writeOff(['a', 'b']);
      await recover('a', '300.00');
      await onDay('2026-08-31');
      await recover('a', '123.45');
      // b pays a fen on the next month's first day (M+1); c is written off on 2026-09-15 and pays on 09-30.
      await onDay('2026-09-01');
      await recover('b', '0.01');
      await onDay('2026-09-15');
      await writeOff(['c']);
      await onDay('2026-09-30');
      await recover('c', '50.50');
      await recover('a', '0.99');
      await onDay('2026-10-15');
      await recover('a', '1000.00');
      await recover('b', '77.77');
      await onDay('2026-11-30');
      await recover('c', '3333.33');
      // After the report's month end: not on the curve.
      await onDay('2026-12-01');
      await recover('b', '9.99');
      await onDay('2026-12-02');
    }, 600_000);
    afterAll(async () => {
      await api?.app.close();
      await db?.close();
    });

    const monthOf = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
    const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    const fen = (text: string) => BigInt(text.replace('.', ''));

    /** The curve as the payments made it: by write-off month (and product), cumulative through each month end. */
    function expectedRows(by: 'product' | 'channel' | 'policy' | undefined) {
      const writeOffMonth: Record<string, string> = { a: '2026-08', b: '2026-08', c: '2026-09' };
      const segment: Record<string, Record<string, string>> = {
        product: { a: 'cash-12m', b: 'cash-6m', c: 'cash-12m' },
        channel: { a: 'app', b: 'app', c: 'unknown' },
        policy: { a: 'P-2026-1', b: 'P-2026-1', c: 'unknown' },
      };
      const last = monthOf(AS_OF);
      const rows = new Map<string, { loans: number; writtenOff: bigint; m: bigint[] }>();
      for (const k of ['a', 'b', 'c'] as const) {
        const segments = by === undefined ? [''] : ['all/', `${segment[by]?.[k]}/`];
        for (const s of segments) {
          const key = `${s}${writeOffMonth[k]}`;
          const m0 = monthOf(`${writeOffMonth[k]}-01`);
          const row = rows.get(key) ?? { loans: 0, writtenOff: 0n, m: new Array(last - m0 + 1).fill(0n) };
          row.loans += 1;
          row.writtenOff += fen(writtenOff[loans[k]] as string);
          for (const p of paid) {
            if (p.loan !== k || p.day > AS_OF) continue;
            for (let i = monthOf(p.day) - m0; i < row.m.length; i++) row.m[i] += BigInt(p.amountMinor);
          }
          rows.set(key, row);
        }
      }
      return rows;
    }

    it('pays the recoveries as the ledger books them', async () => {
      expect(paid.map((p) => p.day)).toEqual([
        '2026-08-20',
        '2026-08-31',
        '2026-09-01',
        '2026-09-30',
        '2026-09-30',
        '2026-10-15',
        '2026-10-15',
        '2026-11-30',
        '2026-12-01',
      ]);
      for (const k of ['a', 'b', 'c'] as const) {
        const loan = json(await call('auditor', 'GET', `/loans/${loans[k]}`));
        const total = paid.filter((p) => p.loan === k).reduce((n, p) => n + BigInt(p.amountMinor), 0n);
        expect((loan.writeOff as Record<string, string>).recovered).toBe(yuan(total));
      }
    });

    it('the recovery report’s curve is the recoveries paid, month by month, to the fen', async () => {
      const res = await call('auditor', 'GET', `/reports/recovery?asOf=${AS_OF}`);
      expect(res.statusCode, res.body).toBe(200);
      const report = json(res) as { tables: { name: string; rows: Record<string, unknown>[] }[] };
      const amounts = report.tables.find((t) => t.name === 'recovery-amount');
      const expected = expectedRows(undefined);
      expect(amounts?.rows.map((r) => r.row)).toEqual(['2026-08', '2026-09']);
      for (const row of amounts?.rows ?? []) {
        const e = expected.get(String(row.row));
        expect(row.loans).toBe(e?.loans);
        expect(row.writtenOff).toBe(yuan(e?.writtenOff ?? -1n));
        expect(e?.m.map((_, k) => row[`m${k}`])).toEqual(e?.m.map(yuan));
        expect(row[`m${e?.m.length}`] ?? null).toBe(null);
        expect(row.recovered).toBe(yuan(e?.m.at(-1) ?? -1n));
      }
      // By hand for the August cohort: 300.00 + 123.45 (M+0), + 0.01 (M+1), + 0.99 (M+1), + 1000.00 + 77.77 (M+2).
      expect(amounts?.rows[0]).toMatchObject({ m0: '423.45', m1: '424.45', m2: '1502.22', m3: '1502.22' });
      const summary = (json(res).summary as { key: string; value: unknown }[]).find(
        (f) => f.key === 'recovered',
      );
      expect(summary?.value).toBe('4886.05');
      // The books say the same: recovery income is every recovery paid through the day, the late one included.
      const tb = json(await call('auditor', 'GET', '/trial-balance'));
      const income = (tb.accounts as { account: string; credit: string }[]).find(
        (a) => a.account === 'recoveriesIncome',
      );
      expect(income?.credit).toBe(yuan(paid.reduce((n, p) => n + BigInt(p.amountMinor), 0n)));
    });

    it('by product: each product’s curve is its loans’ recoveries, and drills down to them', async () => {
      const res = await call('auditor', 'GET', `/reports/recovery?asOf=${AS_OF}&by=product`);
      expect(res.statusCode, res.body).toBe(200);
      const report = json(res) as { tables: { name: string; rows: Record<string, unknown>[] }[] };
      const amounts = report.tables.find((t) => t.name === 'recovery-amount');
      const expected = expectedRows('product');
      expect(amounts?.rows.map((r) => r.row)).toEqual([
        'all/2026-08',
        'all/2026-09',
        'cash-12m/2026-08',
        'cash-12m/2026-09',
        'cash-6m/2026-08',
      ]);
      for (const row of amounts?.rows ?? []) {
        const e = expected.get(String(row.row));
        expect(row.loans).toBe(e?.loans);
        expect(row.writtenOff).toBe(yuan(e?.writtenOff ?? -1n));
        expect(e?.m.map((_, k) => row[`m${k}`])).toEqual(e?.m.map(yuan));
      }
      const cell = json(
        await call(
          'auditor',
          'GET',
          `/reports/recovery/cell?asOf=${AS_OF}&by=product&table=recovery-amount&row=cash-6m/2026-08&column=m1`,
        ),
      );
      expect(cell.loanIds).toEqual([loans.b]);
      // The Excel workbook follows the grouping: a product column, the same rows.
      const xlsx = await call('auditor', 'GET', `/reports/recovery?asOf=${AS_OF}&by=product&format=xlsx`);
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = wb.getWorksheet('recovery-amount');
      const firstColumn: unknown[] = [];
      sheet?.eachRow((row) => {
        firstColumn.push(row.getCell(1).value);
      });
      expect(firstColumn).toEqual(
        expect.arrayContaining(['all/2026-08', 'cash-12m/2026-09', 'cash-6m/2026-08']),
      );
      expect(sheet?.getRow(2).getCell(2).value).toBe('产品 Product');
      const refused = await call('auditor', 'GET', `/reports/recovery?asOf=${AS_OF}&by=province`);
      expect(refused.statusCode).toBe(422);
      expect(json(refused).code).toBe('report_grouping_unsupported');
    });

    it('by channel and by policy version: the segments of the application that opened the line, unknown without', async () => {
      for (const [by, keys] of [
        ['channel', ['all/2026-08', 'all/2026-09', 'app/2026-08', 'unknown/2026-09']],
        ['policy', ['all/2026-08', 'all/2026-09', 'P-2026-1/2026-08', 'unknown/2026-09']],
      ] as const) {
        const res = await call('auditor', 'GET', `/reports/recovery?asOf=${AS_OF}&by=${by}`);
        expect(res.statusCode, res.body).toBe(200);
        const report = json(res) as { tables: { name: string; rows: Record<string, unknown>[] }[] };
        const amounts = report.tables.find((t) => t.name === 'recovery-amount');
        expect(amounts?.rows.map((r) => r.row)).toEqual(keys);
        const expected = expectedRows(by);
        for (const row of amounts?.rows ?? []) {
          const e = expected.get(String(row.row));
          expect(row.loans).toBe(e?.loans);
          expect(row.writtenOff).toBe(yuan(e?.writtenOff ?? -1n));
          expect(e?.m.map((_, k) => row[`m${k}`])).toEqual(e?.m.map(yuan));
        }
      }
    });
  },
);
