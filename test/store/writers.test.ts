import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackdatedCommand,
  drawdown,
  type LoanChange,
  type LoanEvent,
  loanPosition,
  openLine,
  parseProduct,
  planClose,
  planCommand,
  planOpening,
  withLineSteps,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import { type BehaviourLine, behaviourLoanOf } from '../../src/monitoring/index.js';
import {
  type AuditEntry,
  appendLoanHistories,
  type Db,
  findLine,
  findLoan,
  findProduct,
  forEachBehaviourPage,
  type IdempotencyRecord,
  insertLine,
  insertLoan,
  insertLoanRows,
  insertProductVersion,
  loadLoanHistory,
  persistLoanChange,
  persistLoanChangesInBulk,
  type Queryable,
  saveLine,
  writeCommands,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-01-10');
const LOANS = ['ln_w1', 'ln_w2'] as const;

/** The ledger's tables as stored, without the times the database stamps (they differ by the clock). */
async function ledgerRows(db: Db): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    loans: 'customer_id, loan_id',
    credit_lines: 'customer_id, line_id',
    loan_events: 'customer_id, loan_id, seq',
    postings: 'posting_no',
    loan_snapshots: 'customer_id, loan_id, seq',
  };
  const dump: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const { rows } = await db.query<Record<string, unknown>>(`select * from ${table} order by ${order}`);
    dump[table] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([column]) => !column.endsWith('_at'))),
    );
  }
  return dump;
}

/** A writer under test: stores planned changes of one step (one change per loan at most). */
type Writer = (db: Db, step: Step) => Promise<void>;

interface Step {
  changes: LoanChange[];
  /** The command the changes carry out, when they are one command's (else EOD closes). */
  command?: BackdatedCommand;
}

/** Reads the loan and its line locked, as every write path does before storing. */
async function readLocked(tx: Queryable, change: LoanChange) {
  const loan = (await findLoan(tx, change.loanId, { forUpdate: true }))!;
  const line = (await findLine(tx, change.lineId, { forUpdate: true }))!;
  return { loan, line };
}

/** `per-table`: each change by `persistLoanChange`, one after another. */
const perTable: Writer = (db, step) =>
  db.transaction(async (tx) => {
    for (const change of step.changes) {
      const { loan, line } = await readLocked(tx, change);
      await persistLoanChange(tx, loan, change, line);
    }
  });

let keys = 0;
function records(change: LoanChange, command: BackdatedCommand) {
  const key = `k-${++keys}`;
  const audit: AuditEntry = {
    actorUserId: 'usr_1',
    actorRole: 'collector',
    action: `loan.${command.type}`,
    requestId: `req-${key}`,
    resourceType: 'loan',
    resourceId: change.loanId,
    customerId: change.customerId,
    details: {},
  };
  const idempotency: IdempotencyRecord = {
    userId: 'usr_1',
    key,
    method: 'POST',
    route: '/loans/:loanId/repayments',
    requestMac: 'mac',
    fieldMacs: {},
    macKeyId: 'k1',
    responseStatus: 201,
    responseBody: {},
    resourceLocation: `/loans/${change.loanId}`,
  };
  return { audit: [audit], idempotency, responseText: '{}' };
}

/**
 * `combined`: a command dated after the loan's last closed day by the one-statement write (unlocked,
 * guarded by the row versions read); what it does not take (EOD closes, backdated commands) goes
 * `per-table`, as the strategy falls back.
 */
const combined: Writer = async (db, step) => {
  const change = step.changes[0];
  if (step.command === undefined || change === undefined || change.dropSnapshotsFromDay !== null)
    return perTable(db, step);
  const loan = (await findLoan(db, change.loanId))!;
  const line = (await findLine(db, change.lineId))!;
  const lineAfter = change.line !== null && change.line.events.length > 0 ? change.line.after : undefined;
  await writeCommands(
    db,
    [
      {
        pending: { loan, lineBefore: line, command: step.command, change, line: lineAfter },
        records: records(change, step.command),
      },
    ],
    { locked: false },
  );
};

/** The bulk writer (EOD, COPY): every step's changes in one `persistLoanChangesInBulk`. */
const bulk: Writer = (db, step) =>
  db.transaction(async (tx) => {
    const items = [];
    const lines = new Map();
    for (const change of step.changes) {
      const { loan, line } = await readLocked(tx, change);
      items.push({ loan, change });
      lines.set(line.lineId, line);
    }
    await persistLoanChangesInBulk(tx, items, [...lines.values()]);
  });

describe.each(backends)('every writer stores a planned change identically on $name', (backend) => {
  const writers = { perTable, combined, bulk } as const;
  const dbs = {} as Record<keyof typeof writers, Db>;

  beforeAll(async () => {
    for (const name of Object.keys(writers) as (keyof typeof writers)[]) {
      const db = await openMigrated(backend);
      dbs[name] = db;
      await insertProductVersion(db, parseProduct({ id: 'p6', termCount: 6 }), 'usr_test');
      await db.transaction(async (tx) => {
        const product = (await findProduct(tx, 'p6'))!;
        let line = await insertLine(
          tx,
          openLine({ lineId: 'cl_w', customerId: 'cus_w', limitMinor: 5_000_000, day: D }).line,
        );
        for (const [i, loanId] of LOANS.entries()) {
          const r = drawdown(line.state, {
            loanId,
            product: product.product,
            principalMinor: 600_000 / (i + 1),
            day: D,
          });
          line = await saveLine(tx, line, r.line);
          if (name === 'bulk') {
            // The opening change by COPY: the loan row, then its events and postings.
            const opening = planOpening(r.loan);
            await insertLoanRows(tx, [{ state: r.loan.state, productVersion: product.version }]);
            await appendLoanHistories(tx, [{ ...opening, snapshots: [] }]);
          } else {
            await insertLoan(tx, { productVersion: product.version, opened: r.loan });
          }
        }
      });
    }
  }, 120_000);
  afterAll(async () => {
    for (const db of Object.values(dbs)) await db?.close();
  });

  /** Plans from the per-table database's reading, and stores the same changes with every writer. */
  async function store(plan: (db: Db) => Promise<Step>): Promise<Step> {
    const step = await plan(dbs.perTable);
    for (const [name, write] of Object.entries(writers)) await write(dbs[name as keyof typeof writers], step);
    return step;
  }

  async function command(loanId: string, command: BackdatedCommand): Promise<Step> {
    return store(async (db) => {
      const loan = (await findLoan(db, loanId))!;
      const line = (await findLine(db, loan.lineId))!;
      const history =
        command.day > loan.state.lastClosedDay ? undefined : await loadLoanHistory(db, loan, command.day);
      return { changes: [planCommand(loan.state, line.state, command, history)], command };
    });
  }

  async function closeAll(day: number): Promise<Step> {
    return store(async (db) => {
      const loans = await Promise.all(LOANS.map(async (id) => (await findLoan(db, id))!));
      const line = (await findLine(db, 'cl_w'))!;
      const planned = loans.map((l) => planClose(l.state, day));
      return { changes: withLineSteps(planned, new Map([[line.lineId, line.state]])).changes };
    });
  }

  it('drawdown, repayments (one backdated), a waiver and closes over several days give equal rows', async () => {
    const steps: Step[] = [];
    // Paid ahead and kept as credit: the close that bills the instalment moves both loans' principal.
    const credit = { type: 'repay', excess: 'credit' } as const;
    steps.push(await command('ln_w1', { ...credit, amountMinor: 150_000, day: D + 25, clientId: 'r1' }));
    steps.push(await command('ln_w2', { ...credit, amountMinor: 80_000, day: D + 26, clientId: 'r2' }));
    steps.push(await closeAll(D + 60));
    const w1 = (await findLoan(dbs.perTable, 'ln_w1'))!;
    const penalty = loanPosition(planClose(w1.state, D + 64).state).penaltyOutstandingMinor;
    expect(penalty).toBeGreaterThan(0);
    steps.push(
      await command('ln_w1', {
        type: 'waive',
        component: 'penalty',
        amountMinor: Math.ceil(penalty / 2),
        day: D + 65,
        clientId: 'w1',
      }),
    );
    steps.push(await command('ln_w2', { type: 'repay', amountMinor: 200_000, day: D + 40, clientId: 'r3' }));
    steps.push(await closeAll(D + 80));
    steps.push(await command('ln_w1', { type: 'repay', amountMinor: 50_000, day: D + 85, clientId: 'r4' }));

    // The scenario covers what the writers must agree on: snapshots taken and dropped, a reversal of
    // superseded postings, and line steps, two of them on one line in one batch.
    const changes = steps.flatMap((s) => s.changes);
    const savesLine = (c: LoanChange) => c.line !== null && c.line.events.length > 0;
    expect(changes.some((c) => c.snapshots.length > 0)).toBe(true);
    expect(changes.some((c) => c.dropSnapshotsFromDay !== null)).toBe(true);
    expect(changes.some((c) => c.events.some((e) => e.type === 'EventsSuperseded'))).toBe(true);
    expect(steps.some((s) => s.changes.filter(savesLine).length === 2)).toBe(true);

    const expected = await ledgerRows(dbs.perTable);
    expect(expected.postings!.length).toBeGreaterThan(20);
    expect(await ledgerRows(dbs.combined)).toEqual(expected);
    expect(await ledgerRows(dbs.bulk)).toEqual(expected);

    // The behaviour read (the fold's fields as columns) gives what the fold of the whole stored events
    // gives, superseded events, the waiver and the backdated repayment included.
    const read: BehaviourLine[] = [];
    await forEachBehaviourPage(dbs.perTable, D + 200, (lines) => void read.push(...lines));
    const { rows } = await dbs.perTable.query<{ loan_id: string; payload: string }>(
      'select loan_id, payload::text as payload from loan_events order by customer_id, loan_id, seq',
    );
    const byLoan = new Map<string, LoanEvent[]>();
    for (const r of rows) byLoan.set(r.loan_id, [...(byLoan.get(r.loan_id) ?? []), JSON.parse(r.payload)]);
    expect([...byLoan.values()].flat().some((e) => e.type === 'Waived')).toBe(true);
    const loans = read.flatMap((l) => l.loans);
    expect(loans.map((l) => l.loanId).sort()).toEqual([...LOANS]);
    for (const loan of loans) expect(loan).toEqual(behaviourLoanOf(byLoan.get(loan.loanId)!));
  }, 120_000);
});
