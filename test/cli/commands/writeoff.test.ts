import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { writeBook } from '../../../src/jobs/index.js';
import { parseDate } from '../../../src/money/index.js';
import { migrate, openDb, setBusinessDay } from '../../../src/store/index.js';
import { capture } from '../capture.js';

// `lendguard writeoff`: candidates, a proposal by one user, refused to the same user, approved by another.
describe('lendguard writeoff', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-writeoff-'));
  const dir = join(parent, 'book');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  async function run(args: string[]) {
    const c = capture();
    const code = await main([...args, '--db', dir], c.io);
    return { code, out: c.out(), err: c.err() };
  }

  beforeAll(async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      // Three customers who never pay, drawn in January; the book closed through 2026-09-30.
      await writeBook(db, {
        seed: 3,
        customers: 3,
        loansPerCustomer_max: 1,
        drawFrom: parseDate('2026-01-05'),
        drawTo: parseDate('2026-01-20'),
        historyThrough: parseDate('2026-09-30'),
        behaviourShares: [['never', 1]],
      });
      await setBusinessDay(db, parseDate('2026-10-01'));
    } finally {
      await db.close();
    }
    for (const [name, role] of [
      ['risk1', 'risk_analyst'],
      ['fin1', 'finance'],
      ['coll1', 'collector'],
    ]) {
      expect((await run(['users', 'create', '--username', name!, '--role', role!])).code).toBe(0);
    }
  });

  it('counts the loans of a proposal, one loan in the singular', async () => {
    const listed = await run(['writeoff', 'candidates']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/^3 candidates on 2026-10-01 \(rule version /);
    const ids = JSON.parse((await run(['writeoff', 'candidates', '--json'])).out).candidates.map(
      (c: { loanId: string }) => c.loanId,
    ) as string[];
    for (const [n, words] of [
      [1, '1 loan'],
      [2, '2 loans'],
    ] as const) {
      const loans = ids.slice(0, n).flatMap((id) => ['--loan', `${id}=CASE-${id}`]);
      const proposed = await run(['writeoff', 'propose', '--as', 'risk1', ...loans]);
      expect(proposed.code, proposed.err).toBe(0);
      const id = /^proposal (\S+):/.exec(proposed.out)![1]!;
      // Users are named by their ids.
      expect(proposed.out).toMatch(
        new RegExp(`^proposal ${id}: proposed, ${words}, proposed by usr_\\w+ on 2026-10-01$`, 'm'),
      );
      // Rejected, its loans are candidates again for the proposal below.
      const rejected = await run(['writeoff', 'reject', id, '--as', 'fin1']);
      expect(rejected.code, rejected.err).toBe(0);
      expect(rejected.out).toMatch(
        new RegExp(
          `^proposal ${id}: rejected, ${words}, proposed by usr_\\w+ on 2026-10-01, rejected by usr_\\w+$`,
          'm',
        ),
      );
    }
  });

  it('lists candidates, proposes, refuses the proposer, approves by another user', async () => {
    const listed = await run(['writeoff', 'candidates', '--json']);
    expect(listed.code, listed.err).toBe(0);
    const candidates = JSON.parse(listed.out).candidates as { loanId: string; assetClass: string }[];
    expect(candidates.length).toBe(3);
    expect(candidates.every((c) => c.assetClass === 'loss')).toBe(true);

    const bad = await run(['writeoff', 'propose', '--as', 'risk1', '--loan', candidates[0]!.loanId]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/LOAN_ID=EVIDENCE_REF/);
    const collector = await run([
      'writeoff',
      'propose',
      '--as',
      'coll1',
      '--loan',
      `${candidates[0]!.loanId}=CASE-1`,
    ]);
    expect(collector.code).toBe(1);
    expect(collector.err).toMatch(/role collector; write-offs need one of admin, risk_analyst, finance/);

    const loans = candidates.flatMap((c) => ['--loan', `${c.loanId}=CASE-${c.loanId}`]);
    const proposed = await run(['writeoff', 'propose', '--as', 'risk1', ...loans, '--json']);
    expect(proposed.code, proposed.err).toBe(0);
    const proposalId = JSON.parse(proposed.out).proposalId as string;

    const self = await run(['writeoff', 'approve', proposalId, '--as', 'risk1']);
    expect(self.code).toBe(1);
    expect(self.err).toMatch(/second person/);

    const approved = await run(['writeoff', 'approve', proposalId, '--as', 'fin1']);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toMatch(/approved, 3 loans,/);
    const after = await run(['writeoff', 'candidates']);
    expect(after.out).toMatch(/^0 candidates on 2026-10-01/);
  });
});
