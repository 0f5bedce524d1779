import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  BureauImportError,
  importBureauRefresh,
  monitorAfterEod,
  parseBureauFile,
} from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { type Db, openPglite, saveMonitoringProfile } from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { backends, openMigrated } from '../store/backends.js';

const HEADER = 'customerId,asOf,lenders3m,lenders6m,lenders12m,outstandingBalance,worstDaysPastDue';

describe('a bureau refresh file', () => {
  it('is refused whole, line by line, when a row is bad', () => {
    expect(() => parseBureauFile('customerId,asOf\nC1,2026-01-01\n')).toThrow(/header must be/);
    try {
      parseBureauFile(
        `${HEADER}\nC1,2026-13-01,1,1,1,0.00,0\nC2,2026-01-01,x,1,1,12.345,0\nC1,2026-01-01,1,1,1,0,0\nC1,2026-01-01,1,1,1,0,0\n`,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BureauImportError);
      const issues = (error as BureauImportError).issues.map((i) => `${i.line}: ${i.message}`);
      expect(issues).toEqual([
        '2: asOf "2026-13-01" is not a date (YYYY-MM-DD)',
        '3: lenders3m "x" is not a whole number ≥ 0',
        '3: outstandingBalance "12.345" is not an amount like 1234.56',
        '5: C1 as of 2026-01-01 appears twice',
      ]);
    }
  });

  it('counts the fields of a short line in the singular for one', () => {
    const issuesOf = (text: string) => {
      try {
        parseBureauFile(text);
      } catch (error) {
        return (error as BureauImportError).issues.map((i) => `${i.line}: ${i.message}`);
      }
      return [];
    };
    expect(issuesOf(`${HEADER}\nC1\nC1,2026-01-01\n`)).toEqual([
      '2: has 1 field; expected 7',
      '3: has 2 fields; expected 7',
    ]);
  });
});

describe.each(backends)('bureau refresh and EOD monitoring on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await db.query(
      `insert into customers (customer_id, created_by, name_enc, id_number_enc, phone_enc, address_detail_enc, contacts_enc,
         province, city, declared_monthly_income_fen) values ('cus_bureau', 'test', 'x', 'x', 'x', 'x', 'x', 'p', 'c', 0)`,
    );
    await saveMonitoringProfile(db, {
      customerId: 'cus_bureau',
      segment: 'salaried',
      industry: 'retail',
      lang: 'en',
      sinceDay: parseDate('2026-01-01'),
      applicationLenders3m: 1,
      applicationIncomeMinor: 1_000_000,
      applicationStatements: null,
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports all rows or none; new lenders become a signal at the end of day', async () => {
    await expect(
      importBureauRefresh(
        db,
        `${HEADER}\ncus_bureau,2026-03-01,5,6,7,1000.00,0\nnobody,2026-03-01,1,1,1,0,0\n`,
      ),
    ).rejects.toThrow(/line 3: customer nobody does not exist; nothing was imported/);
    expect((await db.query('select count(*)::int as n from bureau_refreshes')).rows[0]).toEqual({ n: 0 });
    const r = await importBureauRefresh(db, `${HEADER}\ncus_bureau,2026-03-01,5,6,7,1000.00,0\n`);
    expect(r.rows).toBe(1);
    const run = await db.transaction((tx) => monitorAfterEod(tx, parseDate('2026-03-02')));
    expect(run.signalsRaised).toBe(1);
    const { rows } = await db.query<{ code: string; evidence: unknown; action_status: string }>(
      `select code, evidence, action_status from signals where customer_id = 'cus_bureau'`,
    );
    // A re-assessment needs the policy and the models: EOD leaves it pending for the owner queue.
    expect(rows).toEqual([
      {
        code: 'EW_MULTI_LENDER',
        evidence: { bureauNewLenders: 4, bureauLenders3m: 5 },
        action_status: 'pending',
      },
    ]);
    // The next refresh shows no new lenders: the signal is cleared.
    await importBureauRefresh(db, `${HEADER}\ncus_bureau,2026-06-01,5,6,7,1000.00,0\n`);
    const later = await db.transaction((tx) => monitorAfterEod(tx, parseDate('2026-06-02')));
    expect(later.signalsCleared).toBe(1);
  });
});

describe('lendguard monitoring import-bureau', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-bureau-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('says which line is wrong and exits 2, with nothing imported', async () => {
    const file = join(dir, 'refresh.csv');
    writeFileSync(file, `${HEADER}\nnobody,2026-03-01,1,1,1,0.00,0\n`);
    const c = capture();
    expect(await main(['monitoring', 'import-bureau', file, '--db', join(dir, 'data')], c.io)).toBe(2);
    expect(c.err()).toContain('line 2: customer nobody does not exist');
    const bad = capture();
    writeFileSync(file, 'a,b\n');
    expect(await main(['monitoring', 'import-bureau', file, '--db', join(dir, 'data')], bad.io)).toBe(2);
    expect(bad.err()).toContain('the header must be');
  });

  it('counts one stored refresh in the singular, two in the plural', async () => {
    const data = join(dir, 'counted');
    const migrated = capture();
    expect(await main(['db', 'migrate', '--db', data], migrated.io), migrated.err()).toBe(0);
    const db = await openPglite({ dataDir: data });
    await db.query(
      `insert into customers (customer_id, created_by, name_enc, id_number_enc, phone_enc, address_detail_enc, contacts_enc,
         province, city, declared_monthly_income_fen) values ('cus_bureau', 'test', 'x', 'x', 'x', 'x', 'x', 'p', 'c', 0)`,
    );
    await db.close();
    const load = async (name: string, rows: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
      const c = capture();
      expect(await main(['monitoring', 'import-bureau', file, '--db', data], c.io), c.err()).toBe(0);
      return { file, out: c.out() };
    };
    const one = await load('one.csv', ['cus_bureau,2026-03-01,5,6,7,1000.00,0']);
    expect(one.out).toMatch(
      new RegExp(
        `^import-bureau: 1 refresh stored from ${one.file} \\(sha256 [0-9a-f]{64}\\); signals follow at the next end of day\n$`,
      ),
    );
    const two = await load('two.csv', [
      'cus_bureau,2026-04-01,5,6,7,1000.00,0',
      'cus_bureau,2026-05-01,5,6,7,1000.00,0',
    ]);
    expect(two.out).toMatch(
      new RegExp(
        `^import-bureau: 2 refreshes stored from ${two.file} \\(sha256 [0-9a-f]{64}\\); signals follow at the next end of day\n$`,
      ),
    );
  }, 60_000);
});
