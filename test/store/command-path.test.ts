import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawdown, openLine, parseProduct } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  type AuditEntry,
  appendAudit,
  applyLoanCommand,
  type Db,
  findLine,
  findLoan,
  findProduct,
  type IdempotencyRecord,
  insertLine,
  insertLoan,
  insertProductVersion,
  listPostings,
  loadLoanLog,
  loadSnapshots,
  lockForCommand,
  planCommandWrite,
  type Queryable,
  saveIdempotency,
  saveLine,
  setBusinessDay,
  toJsonText,
  writeCommand,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-01-10');

/** Two loans alike but for their ids: one repaid by the two-statement path, one by `applyLoanCommand`. */
describe.each(backends)('the two-statement command path on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await insertProductVersion(db, parseProduct({ id: 'p6', termCount: 6 }), 'usr_test');
    for (const x of ['f', 'g']) {
      await db.transaction(async (tx) => {
        const product = (await findProduct(tx, 'p6'))!;
        const line = await insertLine(
          tx,
          openLine({ lineId: `cl_${x}`, customerId: `cus_${x}`, limitMinor: 5_000_000, day: D }).line,
        );
        const r = drawdown(line.state, {
          loanId: `ln_${x}`,
          product: product.product,
          principalMinor: 600_000,
          day: D,
        });
        await saveLine(tx, line, r.line);
        await insertLoan(tx, { productVersion: product.version, opened: r.loan });
      });
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  const records = (x: string, key: string, text: string) => {
    const audit: AuditEntry = {
      actorUserId: 'usr_1',
      actorRole: 'collector',
      action: 'loan.repay',
      requestId: `req-${key}`,
      resourceType: 'loan',
      resourceId: `ln_${x}`,
      customerId: `cus_${x}`,
      details: { amountMinor: 1 },
    };
    const idempotency: IdempotencyRecord = {
      userId: 'usr_1',
      key: `${x}-${key}`,
      method: 'POST',
      route: '/loans/:loanId/repayments',
      requestMac: 'mac',
      fieldMacs: { '/body/amount': 'm' },
      macKeyId: 'k1',
      responseStatus: 201,
      responseBody: JSON.parse(text),
      resourceLocation: `/loans/ln_${x}`,
    };
    return { audit, idempotency };
  };

  async function viaFastPath(q: Queryable, amountMinor: number, day: number, key: string, locked: boolean) {
    const locks = await lockForCommand(
      q,
      { loanId: 'ln_f', clientId: `c-${key}`, userId: 'usr_1', idempotencyKey: `f-${key}` },
      { lock: locked },
    );
    expect(locks?.businessDay).toBe(day);
    const plan = planCommandWrite(locks!, { type: 'repay', amountMinor, day, clientId: `c-${key}` });
    const text = JSON.stringify({ seq: plan!.after.state.seq });
    const { audit, idempotency } = records('f', key, text);
    await writeCommand(q, plan!.pending, { audit: [audit], idempotency, responseText: text }, { locked });
    return text;
  }

  async function viaGeneralPath(amountMinor: number, day: number, key: string) {
    await db.transaction(async (tx) => {
      const r = await applyLoanCommand(tx, 'ln_g', { type: 'repay', amountMinor, day, clientId: `c-${key}` });
      const text = JSON.stringify({ seq: r.after.state.seq });
      const { audit, idempotency } = records('g', key, text);
      await appendAudit(tx, audit);
      await saveIdempotency(tx, idempotency);
    });
  }

  /** Everything a repayment wrote about loan x, with x's ids renamed to g's. */
  async function written(x: string) {
    const rename = (text: string) =>
      text
        .replaceAll(`ln_${x}`, 'ln_g')
        .replaceAll(`cus_${x}`, 'cus_g')
        .replaceAll(`cl_${x}`, 'cl_g')
        .replaceAll(`"${x}-`, '"g-');
    const loan = (await findLoan(db, `ln_${x}`))!;
    const line = (await findLine(db, `cl_${x}`))!;
    const commands = await db.query(
      'select kind, fields::text as fields, result::text as result from ledger_commands where customer_id = $1 order by client_id',
      [`cus_${x}`],
    );
    const audit = await db.query(
      'select actor_role, action, resource_type, details::text as details from audit_log where customer_id = $1 order by audit_id',
      [`cus_${x}`],
    );
    const keys = await db.query(
      'select idempotency_key, response_status, response_body::text as body, resource_location from idempotency_keys where idempotency_key like $1 order by idempotency_key',
      [`${x}-%`],
    );
    const postings = (await listPostings(db, { loanId: `ln_${x}` }, 0, 1_000)).map((p) => ({
      ...p,
      postingNo: 0,
    }));
    return rename(
      toJsonText({
        state: loan.state,
        rowVersion: loan.rowVersion,
        line: line.state,
        lineVersion: line.rowVersion,
        log: await loadLoanLog(db, `cus_${x}`, `ln_${x}`),
        snapshots: await loadSnapshots(db, `cus_${x}`, `ln_${x}`),
        postings,
        commands: commands.rows,
        audit: audit.rows,
        keys: keys.rows,
      }),
    );
  }

  it('writes exactly the rows the general path writes: unlocked, then locked, across a month end', async () => {
    // 45 days on: the loan is closed through a month end first (events and a snapshot), then repaid.
    await setBusinessDay(db, D + 45);
    await viaFastPath(db, 150_000, D + 45, 'k1', false);
    await viaGeneralPath(150_000, D + 45, 'k1');
    await setBusinessDay(db, D + 50);
    await db.transaction((tx) => viaFastPath(tx, 7_77, D + 50, 'k2', true));
    await viaGeneralPath(7_77, D + 50, 'k2');
    // Each shape of the write (decision 0215): with or without snapshots, with or without the line.
    await setBusinessDay(db, D + 55);
    await viaFastPath(db, 100_000, D + 55, 'k4', false);
    await viaGeneralPath(100_000, D + 55, 'k4');
    await setBusinessDay(db, D + 57);
    await viaFastPath(db, 1, D + 57, 'k5', false);
    await viaGeneralPath(1, D + 57, 'k5');
    const f = await written('f');
    expect(JSON.parse(f).snapshots.length).toBeGreaterThan(0);
    expect(f).toBe(await written('g'));
  });

  it('declines what is not the common case: a seen client id, a seen key, a backdated day, an unknown loan', async () => {
    const target = { loanId: 'ln_f', clientId: 'c-k1', userId: 'usr_1', idempotencyKey: 'fresh' };
    expect(await lockForCommand(db, target, { lock: false })).toBeUndefined();
    expect(
      await lockForCommand(db, { ...target, clientId: 'c-new', idempotencyKey: 'f-k1' }, { lock: false }),
    ).toBeUndefined();
    expect(
      await lockForCommand(db, { ...target, loanId: 'ln_none', clientId: 'c-new' }, { lock: false }),
    ).toBeUndefined();
    const locks = (await lockForCommand(db, { ...target, clientId: 'c-new' }, { lock: false }))!;
    expect(
      planCommandWrite(locks, { type: 'repay', amountMinor: 100, day: D + 20, clientId: 'c-new' }),
    ).toBeUndefined();
  });

  it.each([
    ['loan', 100, "update loans set row_version = row_version + 1 where loan_id = 'ln_f'"],
    ['credit line', 200_000, "update credit_lines set row_version = row_version + 1 where line_id = 'cl_f'"],
  ])('writes nothing when the %s changed since the read, and says so', async (_what, amountMinor, change) => {
    const key = `k3-${amountMinor}`;
    const locks = (await lockForCommand(
      db,
      { loanId: 'ln_f', clientId: `c-${key}`, userId: 'usr_1', idempotencyKey: `f-${key}` },
      { lock: false },
    ))!;
    const plan = planCommandWrite(locks, { type: 'repay', amountMinor, day: D + 60, clientId: `c-${key}` })!;
    expect(plan.line !== undefined).toBe(amountMinor > 100);
    await db.query(change);
    const before = await written('f');
    const text = '{}';
    const { audit, idempotency } = records('f', key, text);
    await expect(
      writeCommand(db, plan.pending, { audit: [audit], idempotency, responseText: text }, { locked: false }),
    ).rejects.toThrow(/changed while this change was being made/);
    expect(await written('f')).toBe(before);
  });
});
