import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildServer } from '../../src/server/index.js';
import { loadPiiKeys, openDb } from '../../src/store/index.js';
import { capture } from './capture.js';

// The README's main command: the demo book, its EOD days and its decided applications, on PGlite.
describe('lendguard demo', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-demo-'));
  const dir = join(parent, 'book');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  // Building the book takes about a minute on a loaded shared machine: more than the default timeout.
  it('builds a book with loans in several buckets and applications decided every way', {
    timeout: 240_000,
  }, async () => {
    const run = capture();
    expect(await main(['demo', '--no-serve', '--db', dir, '--seed', '7'], run.io), run.err()).toBe(0);
    expect(run.err()).toMatch(/applications decided/);
    expect(run.out() + run.err()).toMatch(/lgt_/);
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      const buckets = await db.query<{ bucket: string }>(
        "select distinct state->>'bucket' as bucket from loans where status = 'active'",
      );
      expect(buckets.rows.length).toBeGreaterThanOrEqual(4);
      const outcomes = await db.query<{ outcome: string; n: number }>(
        'select outcome, count(*)::int as n from decisions group by outcome order by outcome',
      );
      expect(outcomes.rows.map((r) => r.outcome)).toEqual(['approve', 'decline', 'refer']);
      const flags = await db.query<{ n: number }>('select count(*)::int as n from review_flags');
      expect(flags.rows[0]!.n).toBeGreaterThan(0);
      // A book like a real one: a few per cent of active loans past due, the loans past the rule written
      // off through a proposal by one demo user approved by another (docs/demo.md).
      const book = await db.query<{ active: number; past_due: number; written_off: number }>(
        `select (count(*) filter (where status = 'active'))::int as active,
           (count(*) filter (where status = 'active' and state->>'bucket' <> 'M0'))::int as past_due,
           (count(*) filter (where status = 'written-off'))::int as written_off from loans`,
      );
      const { active, past_due, written_off } = book.rows[0]!;
      expect(past_due / active).toBeGreaterThan(0.01);
      expect(past_due / active).toBeLessThan(0.06);
      expect(written_off).toBeGreaterThan(0);
      const proposals = await db.query<{ status: string; proposed: string; decided: string }>(
        `select p.status, u1.username as proposed, u2.username as decided from write_off_proposals p
         join users u1 on u1.user_id = p.proposed_by join users u2 on u2.user_id = p.decided_by`,
      );
      expect(proposals.rows).toEqual([
        { status: 'approved', proposed: 'demo-risk', decided: 'demo-finance' },
      ]);
      expect(run.out()).toMatch(/of \d+ active past due \(\d\.\d%\), \d+ written off/);
      // Collections staffed: every open case is allocated to one of the demo team's collectors.
      const cases = await db.query<{ assignee: string | null; n: number }>(
        `select u.username as assignee, count(*)::int as n from collection_cases c
           left join users u on u.user_id = c.assignee where c.status = 'open' group by u.username`,
      );
      expect(cases.rows.length).toBeGreaterThan(0);
      for (const row of cases.rows) expect(row.assignee).toMatch(/^demo-collector-[12]$/);
      // The cases carry their borrowers' behaviour scores of the month scored.
      const scored = await db.query<{ n: number; with_score: number }>(
        `select count(*)::int as n, count(behaviour_score)::int as with_score from collection_cases c
          where c.status = 'open'
            and exists (select 1 from behaviour_scores s where s.customer_id = c.customer_id)`,
      );
      expect(scored.rows[0]!.n).toBeGreaterThan(0);
      expect(scored.rows[0]!.with_score).toBe(scored.rows[0]!.n);
      expect(run.out()).toMatch(/collector API token for demo-collector-1 .*: lgt_/);
      // The last month that has ended is scored, and its limit review awaits a second person.
      const months = await db.query<{ lines: number }>('select lines from behaviour_score_months');
      expect(months.rows.length).toBe(1);
      expect(months.rows[0]!.lines).toBeGreaterThan(100);
      expect(run.err()).toMatch(
        /behaviour scores for \d{4}-\d{2} \(\d+ lines\) and \d+ limit-review proposals/,
      );
      // The printed borrower signs in to the portal with the fixed code, and is past due as printed (M2 where
      // the book has one; docs/portal.md).
      const printed = /borrower sign-in \(a borrower in (M[1-7]).*phone (1[0-9]{10}), code ([0-9]{6})/.exec(
        run.out(),
      );
      expect(printed, run.out()).not.toBeNull();
      const app = await buildServer({ db, cipher: loadPiiKeys({ kind: 'pglite', dataDir: dir }).cipher });
      try {
        const asked = await app.inject({
          method: 'POST',
          url: '/portal/sign-in/codes',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ phone: printed![2] }),
        });
        expect(asked.statusCode, asked.body).toBe(202);
        const signedIn = await app.inject({
          method: 'POST',
          url: '/portal/sign-in',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ challengeId: asked.json().challengeId, code: printed![3] }),
        });
        expect(signedIn.statusCode, signedIn.body).toBe(200);
        const loans = await app.inject({
          method: 'GET',
          url: '/portal/loans',
          headers: { authorization: `Bearer ${signedIn.json().token}` },
        });
        const buckets = (loans.json() as { items: { loan: { bucket: string } }[] }).items.map(
          (i) => i.loan.bucket,
        );
        expect(buckets).toContain(printed![1]);
        const m2 = await db.query("select 1 from loans where status = 'active' and state->>'bucket' = 'M2'");
        if (m2.rows.length > 0) expect(printed![1]).toBe('M2');
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });
});
