import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawdown, openLine, parseProduct } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import { makeCommandBatcher } from '../../src/server/index.js';
import {
  type AuditEntry,
  appendAudit,
  applyLoanCommand,
  type CommandWrite,
  changedSinceRead,
  type Db,
  findLine,
  findLoan,
  findProduct,
  type IdempotencyRecord,
  insertLine,
  insertLoan,
  insertProductVersion,
  type LockedForCommand,
  listPostings,
  loadLoanLog,
  loadSnapshots,
  planCommandWrite,
  readForCommands,
  saveIdempotency,
  saveLine,
  setBusinessDay,
  toJsonText,
  writeCommands,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-01-10');

/**
 * Several loans' repayments in one read and one write statement (decision 0216) against the same
 * repayments made one by one on twin loans by `applyLoanCommand`: every row written is the same.
 */
describe.each(backends)('commands of several loans in one statement on $name', (backend) => {
  let db: Db;
  let made = 0;
  /** The most commands one statement wrote, so that the property is seen to cover real batches. */
  let largest = 0;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await insertProductVersion(db, parseProduct({ id: 'p6', termCount: 6 }), 'usr_test');
    await setBusinessDay(db, D);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** A credit line with `loans` loans of 6,000.00 drawn on D; returns the loan ids. */
  async function book(x: string, loans: number): Promise<string[]> {
    return db.transaction(async (tx) => {
      const product = (await findProduct(tx, 'p6'))!;
      let line = await insertLine(
        tx,
        openLine({ lineId: `cl_${x}`, customerId: `cus_${x}`, limitMinor: 5_000_000, day: D }).line,
      );
      const ids: string[] = [];
      for (let i = 0; i < loans; i++) {
        const r = drawdown(line.state, {
          loanId: `ln_${x}${i}`,
          product: product.product,
          principalMinor: 600_000,
          day: D,
        });
        line = await saveLine(tx, line, r.line);
        await insertLoan(tx, { productVersion: product.version, opened: r.loan });
        ids.push(`ln_${x}${i}`);
      }
      return ids;
    });
  }

  const recordsFor = (loanId: string, customerId: string, key: string, text: string) => {
    const audit: AuditEntry = {
      actorUserId: 'usr_1',
      actorRole: 'collector',
      action: 'loan.repay',
      requestId: `req-${key}`,
      resourceType: 'loan',
      resourceId: loanId,
      customerId,
      details: { amountMinor: 1 },
    };
    const idempotency: IdempotencyRecord = {
      userId: 'usr_1',
      key,
      method: 'POST',
      route: '/loans/:loanId/repayments',
      requestMac: 'mac',
      fieldMacs: { '/body/amount': 'm' },
      macKeyId: 'k1',
      responseStatus: 201,
      responseBody: JSON.parse(text),
      resourceLocation: `/loans/${loanId}`,
    };
    return { audit, idempotency };
  };

  /** Repayments of `ids` in `round`: client id `c-<loan>-<round>`, key `<loan>-<round>`. */
  const targetsOf = (ids: readonly string[], round: string) =>
    ids.map((loanId) => ({
      loanId,
      clientId: `c-${loanId}-${round}`,
      userId: 'usr_1',
      idempotencyKey: `${loanId}-${round}`,
    }));

  /** Those repayments of `amounts[i]` on `day`, planned from what was read for them. */
  const plannedWrites = (
    ids: readonly string[],
    read: readonly (LockedForCommand | undefined)[],
    amounts: readonly number[],
    day: number,
    round: string,
  ): CommandWrite[] =>
    ids.map((loanId, i) => {
      const clientId = `c-${loanId}-${round}`;
      const plan = planCommandWrite(read[i]!, { type: 'repay', amountMinor: amounts[i]!, day, clientId })!;
      const { audit, idempotency } = recordsFor(loanId, plan.after.customerId, `${loanId}-${round}`, '{}');
      return { pending: plan.pending, records: { audit: [audit], idempotency, responseText: '{}' } };
    });

  /** The loans of `ids` that have a `Repaid` event, in id order. */
  const repaidLoans = async (ids: readonly string[]) =>
    (
      await db.query<{ loan_id: string }>(
        "select loan_id from loan_events where type = 'Repaid' and loan_id = any($1) order by loan_id",
        [ids],
      )
    ).rows.map((r) => r.loan_id);

  /**
   * Repayments of distinct loans read and written together; the client id and key name the round. One
   * statement updates a line once, so of the loans whose repayment moves the line, one goes in each
   * statement and the rest are read again afterwards, as the server's batcher does (decision 0216).
   */
  async function batched(
    repayments: readonly { loanId: string; amountMinor: number }[],
    day: number,
    round: string,
  ) {
    let remaining = repayments;
    let statements = 0;
    while (remaining.length > 0) {
      const targets = remaining.map((r) => ({
        loanId: r.loanId,
        clientId: `c-${round}-${r.loanId}`,
        userId: 'usr_1',
        idempotencyKey: `${r.loanId}-${round}`,
      }));
      const read = await readForCommands(db, targets);
      const writes: CommandWrite[] = remaining.map((r, i) => {
        const locked = read[i];
        expect(locked?.businessDay).toBe(day);
        const plan = planCommandWrite(locked!, {
          type: 'repay',
          amountMinor: r.amountMinor,
          day,
          clientId: `c-${round}-${r.loanId}`,
        })!;
        const text = JSON.stringify({ seq: plan.after.state.seq });
        const { audit, idempotency } = recordsFor(
          r.loanId,
          plan.after.customerId,
          `${r.loanId}-${round}`,
          text,
        );
        return { pending: plan.pending, records: { audit: [audit], idempotency, responseText: text } };
      });
      const mover = writes.findIndex((w) => w.pending.line !== undefined);
      const now = writes.filter((w, i) => w.pending.line === undefined || i === mover);
      await writeCommands(db, now, { locked: false });
      largest = Math.max(largest, now.length);
      statements++;
      remaining = remaining.filter((_, i) => !now.includes(writes[i]!));
    }
    return statements;
  }

  async function oneByOne(
    repayments: readonly { loanId: string; amountMinor: number }[],
    day: number,
    round: string,
  ) {
    for (const r of repayments) {
      await db.transaction(async (tx) => {
        const c = await applyLoanCommand(tx, r.loanId, {
          type: 'repay',
          amountMinor: r.amountMinor,
          day,
          clientId: `c-${round}-${r.loanId}`,
        });
        const text = JSON.stringify({ seq: c.after.state.seq });
        const { audit, idempotency } = recordsFor(r.loanId, c.after.customerId, `${r.loanId}-${round}`, text);
        await appendAudit(tx, audit);
        await saveIdempotency(tx, idempotency);
      });
    }
  }

  /** Everything written about customer x's line and loans, with x's ids renamed to a common name. */
  async function written(x: string, loanIds: readonly string[]) {
    const rename = (text: string) =>
      text.replaceAll(`ln_${x}`, 'ln_X').replaceAll(`cus_${x}`, 'cus_X').replaceAll(`cl_${x}`, 'cl_X');
    const line = (await findLine(db, `cl_${x}`))!;
    const loans = [];
    for (const id of loanIds) {
      const loan = (await findLoan(db, id))!;
      loans.push({
        state: loan.state,
        rowVersion: loan.rowVersion,
        log: await loadLoanLog(db, `cus_${x}`, id),
        snapshots: await loadSnapshots(db, `cus_${x}`, id),
        postings: (await listPostings(db, { loanId: id }, 0, 1_000)).map((p) => ({ ...p, postingNo: 0 })),
      });
    }
    const commands = await db.query(
      'select client_id, kind, fields::text as fields, result::text as result from ledger_commands where customer_id = $1 order by fields::text',
      [`cus_${x}`],
    );
    const audit = await db.query(
      'select actor_role, action, resource_type, resource_id, details::text as details from audit_log where customer_id = $1 order by resource_id, audit_id',
      [`cus_${x}`],
    );
    const keys = await db.query(
      "select idempotency_key, response_status, response_body::text as body, resource_location from idempotency_keys where split_part(idempotency_key, '-', 1) = any($1) order by idempotency_key",
      [loanIds],
    );
    return rename(
      toJsonText({
        line: line.state,
        lineVersion: line.rowVersion,
        loans,
        commands: commands.rows,
        audit: audit.rows,
        keys: keys.rows,
      }),
    );
  }

  it('writes exactly what one-by-one commands write, for any amounts and any subset of loans each day', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Per day: for each of 4 loans, no repayment or an amount (some move the principal and the line).
        fc.array(
          fc.array(fc.option(fc.integer({ min: 1, max: 250_000 }), { nil: undefined }), {
            minLength: 4,
            maxLength: 4,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (days) => {
          const n = made++;
          const a = `a${n}`;
          const b = `b${n}`;
          const loansA = await book(a, 4);
          const loansB = await book(b, 4);
          // Each run starts on the day its books were drawn.
          await setBusinessDay(db, D);
          let day = D;
          for (const [round, amounts] of days.entries()) {
            day += 13; // past a due date now and then, and across a month end
            await setBusinessDay(db, day);
            const pick = (ids: string[]) =>
              amounts.flatMap((amountMinor, i) =>
                amountMinor === undefined ? [] : [{ loanId: ids[i] as string, amountMinor }],
              );
            await batched(pick(loansA), day, `r${round}`);
            await oneByOne(pick(loansB), day, `r${round}`);
          }
          expect(await written(a, loansA)).toBe(await written(b, loansB));
        },
      ),
      // Besides random days, one with three loans repaid, one of them moving the line.
      { numRuns: 6, examples: [[[[1_000, 2, 150_000, undefined]]]] },
    );
    expect(largest).toBeGreaterThan(1);
  });

  it('writes nothing at all when one loan of the batch changed since the read, and says so', async () => {
    const n = made++;
    const ids = await book(`s${n}`, 3);
    await setBusinessDay(db, D + 20);
    const read = await readForCommands(db, targetsOf(ids, 's'));
    const writes = plannedWrites(ids, read, [500, 500, 500], D + 20, 's');
    await db.query('update loans set row_version = row_version + 1 where loan_id = $1', [ids[1]]);
    const before = await written(`s${n}`, ids);
    await expect(writeCommands(db, writes, { locked: false })).rejects.toThrow(/changed while this change/);
    expect(await written(`s${n}`, ids)).toBe(before);
    // The changed one is found by its version, so that the batcher can write the rest together.
    expect(await changedSinceRead(db, writes)).toEqual([false, true, false]);
    // The same loan twice in one statement is refused before anything is sent.
    await expect(writeCommands(db, [writes[0]!, writes[0]!], { locked: false })).rejects.toThrow(
      /twice in one write/,
    );
  });

  it('finds a write whose credit line changed since the read, when the write moves the line', async () => {
    const n = made++;
    const ids = await book(`v${n}`, 2);
    await setBusinessDay(db, D + 20);
    const read = await readForCommands(db, targetsOf(ids, 'v'));
    // The first pays principal (its line moves), the second only interest.
    const writes = plannedWrites(ids, read, [200_000, 100], D + 20, 'v');
    expect(writes.map((w) => w.pending.line !== undefined)).toEqual([true, false]);
    expect(await changedSinceRead(db, writes)).toEqual([false, false]);
    await db.query('update credit_lines set row_version = row_version + 1 where line_id = $1', [`cl_v${n}`]);
    expect(await changedSinceRead(db, writes)).toEqual([true, false]);
  });

  it('the server batcher: a failed batch is written again without the changed loan, which alone sees the error', async () => {
    const n = made++;
    const ids = await book(`u${n}`, 3);
    await setBusinessDay(db, D + 20);
    const batcher = makeCommandBatcher(db, { waitingMax: 100, inFlightMax: 1 });
    const read = await Promise.all(targetsOf(ids, 'u').map((t) => batcher.read(t)));
    const writes = plannedWrites(ids, read, [500, 500, 500], D + 20, 'u');
    await db.query('update loans set row_version = row_version + 1 where loan_id = $1', [ids[2]]);
    // The first goes alone at once; the other two wait and go together, and the third has changed.
    const results = await Promise.allSettled(writes.map((w) => batcher.write(w)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/changed while this change/);
    expect(await repaidLoans(ids)).toEqual([ids[0], ids[1]]);
  });

  it('the server batcher: a batch failing on a key stored meanwhile is written one by one, and only that one fails', async () => {
    const n = made++;
    const ids = await book(`w${n}`, 3);
    await setBusinessDay(db, D + 20);
    const batcher = makeCommandBatcher(db, { waitingMax: 100, inFlightMax: 1 });
    const read = await Promise.all(targetsOf(ids, 'w').map((t) => batcher.read(t)));
    const writes = plannedWrites(ids, read, [500, 500, 500], D + 20, 'w');
    // A concurrent duplicate of the third request stored its key first.
    await saveIdempotency(db, writes[2]!.records.idempotency, '{}');
    const results = await Promise.allSettled(writes.map((w) => batcher.write(w)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
    expect(await repaidLoans(ids)).toEqual([ids[0], ids[1]]);
  });

  it('reads each target in order, the same loan twice alike, and declines unknown loans and seen keys', async () => {
    const n = made++;
    const ids = await book(`t${n}`, 2);
    await setBusinessDay(db, D + 1);
    await batched([{ loanId: ids[0]!, amountMinor: 100 }], D + 1, 'seen');
    const read = await readForCommands(db, [
      { loanId: ids[1]!, clientId: 'c-x', userId: 'usr_1', idempotencyKey: 'fresh-1' },
      { loanId: 'ln_none', clientId: 'c-x', userId: 'usr_1', idempotencyKey: 'fresh-2' },
      { loanId: ids[0]!, clientId: `c-seen-${ids[0]}`, userId: 'usr_1', idempotencyKey: 'fresh-3' },
      { loanId: ids[0]!, clientId: 'c-x', userId: 'usr_1', idempotencyKey: `${ids[0]}-seen` },
      { loanId: ids[1]!, clientId: 'c-y', userId: 'usr_1', idempotencyKey: 'fresh-4' },
    ]);
    expect(read.map((r) => r?.loan.loanId)).toEqual([ids[1], undefined, undefined, undefined, ids[1]]);
    expect(toJsonText(read[0])).toBe(toJsonText(read[4]));
  });
});
