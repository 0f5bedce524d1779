import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonth, reviewLimits, scoreBehaviourMonth, writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { type Db, setBusinessDay } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';

// The behaviour score by month and by line, and the limit review's proposals approved by a second person.
describe('behaviour scores and limit reviews over HTTP', () => {
  let db: Db;
  let api: TestApi;
  beforeAll(async () => {
    db = await openMigratedPglite();
    api = await startApi(db);
    await writeBook(db, {
      seed: 11,
      customers: 80,
      loansPerCustomer_max: 3,
      drawFrom: parseDate('2025-09-01'),
      drawTo: parseDate('2026-06-15'),
      historyThrough: parseDate('2026-06-30'),
      behaviourShares: [
        ['on_time', 0.6],
        ['late', 0.15],
        ['stops', 0.15],
        ['never', 0.1],
      ],
    });
    await setBusinessDay(db, parseDate('2026-07-01'));
    await scoreBehaviourMonth(db, parseMonth('2026-06'));
    await reviewLimits(db, parseMonth('2026-06'), api.userIds.risk_analyst);
  }, 300_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const get = (url: string, role: keyof TestApi['tokens'] = 'auditor') =>
    api.app.inject({ method: 'GET', url, headers: auth(api.tokens[role]) });
  const decide = (role: keyof TestApi['tokens'], proposalIds: string[], decision = 'approve') =>
    api.app.inject({
      method: 'POST',
      url: '/limit-reviews/proposals/decide',
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      payload: { proposalIds, decision },
    });

  it('shows the month distribution over the development bands with its PSI, and a line score with reasons', async () => {
    const res = await get('/monitoring/behaviour-scores');
    expect(res.statusCode, res.body).toBe(200);
    const month = res.json().months[0];
    expect(month.month).toBe('2026-06');
    expect(month.bands.reduce((s: number, b: { lines: number }) => s + b.lines, 0)).toBe(month.lines);
    expect(
      month.bands.reduce((s: number, b: { expectedShare: number }) => s + b.expectedShare, 0),
    ).toBeCloseTo(1, 3);
    expect(typeof month.psi).toBe('number');
    expect((await get('/monitoring/behaviour-scores', 'collector')).statusCode).toBe(403);

    const { rows } = await db.query<{ line_id: string }>(
      `select line_id from behaviour_scores order by score, line_id limit 1`,
    );
    const line = await get(`/credit-lines/${rows[0]!.line_id}/behaviour-score`);
    expect(line.statusCode, line.body).toBe(200);
    const score = line.json().scores[0];
    expect(score.month).toBe('2026-06');
    expect(score.reasons.length).toBeGreaterThan(0);
    expect(score.reasons[0].contribution).toBeGreaterThan(0);
    const unknown = `cl_${'0'.repeat(28)}`;
    expectProblem(await get(`/credit-lines/${unknown}/behaviour-score`), {
      status: 404,
      code: 'line_not_found',
      says: /cl_0+/,
    });
  });

  it("a customer's behaviour score: the riskiest line of the newest month with its reasons, and the history by month", async () => {
    await scoreBehaviourMonth(db, parseMonth('2026-05'));
    const { rows } = await db.query<{ customer_id: string }>(
      `select customer_id from behaviour_scores where month = '2026-06-01'
        group by customer_id order by count(*) desc, customer_id limit 1`,
    );
    const customerId = rows[0]!.customer_id;
    const res = await get(`/customers/${customerId}/behaviour-score`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const stored = await db.query<{ month: string; line_id: string; score: number }>(
      `select to_char(month, 'YYYY-MM') as month, line_id, score from behaviour_scores
        where customer_id = $1 order by month desc, score, line_id`,
      [customerId],
    );
    const months = [...new Set(stored.rows.map((r) => r.month))];
    expect(body.history.map((h: { month: string }) => h.month)).toEqual(months);
    for (const h of body.history) {
      const ofMonth = stored.rows.filter((r) => r.month === h.month);
      expect(h.score).toBe(Math.min(...ofMonth.map((r) => r.score)));
      expect(h.lines.map((l: { lineId: string }) => l.lineId)).toEqual(ofMonth.map((r) => r.line_id));
      expect(h.lineId).toBe(h.lines[0].lineId);
    }
    expect(body.current).toEqual(body.history[0].lines[0]);
    expect(body.current.month).toBe('2026-06');
    expect(body.current.reasons.length).toBeGreaterThan(0);
    expect(body.current.reasons[0].contribution).toBeGreaterThan(0);
    // Roles: the collector has no access to scores.
    expect((await get(`/customers/${customerId}/behaviour-score`, 'collector')).statusCode).toBe(403);
    expectProblem(await get(`/customers/cus_${'0'.repeat(28)}/behaviour-score`), {
      status: 404,
      code: 'customer_not_found',
      says: /cus_0+/,
    });
  });

  it('bulk approval needs a second person; applied changes are on the line history, audited and notified', async () => {
    const hook = await api.app.inject({
      method: 'POST',
      url: '/webhook-subscriptions',
      headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
      payload: { url: 'https://hooks.example.com/lines', eventTypes: ['line.limit_changed', 'line.frozen'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const listed = await get('/limit-reviews/proposals?month=2026-06&status=proposed');
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items as {
      proposalId: string;
      lineId: string;
      action: string;
      toLimit: string;
      code: string;
    }[];
    expect(items.length).toBeGreaterThan(2);
    const chosen = items.slice(0, 3);
    const ids = chosen.map((p) => p.proposalId);

    expectProblem(await decide('risk_analyst', ids), {
      status: 403,
      code: 'limit_review_same_person',
      says: /second person/,
    });
    expect((await decide('collector', ids)).statusCode).toBe(403);
    const still = await get('/limit-reviews/proposals?month=2026-06&status=proposed');
    expect(still.json().items.length).toBe(items.length);

    const done = await decide('admin', ids);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().items.map((d: { outcome: string }) => d.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    for (const p of chosen) {
      const line = await get(`/credit-lines/${p.lineId}`);
      const last = line.json().history.at(-1);
      expect(last.code).toBe(p.code);
      expect(last.reason).toMatch(/^limit review 2026-06: .*approved by/);
      if (p.action === 'freeze') expect(line.json().status).toBe('frozen');
      else expect(line.json().limit).toBe(p.toLimit);
    }
    const audit = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'limit_review.apply'`,
    );
    expect(audit.rows[0]!.n).toBe(3);
    const outbox = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox_messages where event_type in ('line.limit_changed', 'line.frozen')`,
    );
    expect(outbox.rows[0]!.n).toBe(3);
    expectProblem(await decide('admin', ids.slice(0, 1), 'reject'), {
      status: 409,
      code: 'limit_proposal_not_pending',
      says: /already applied/,
    });
    expectProblem(await decide('admin', ['lr-2026-06-nope']), {
      status: 404,
      code: 'limit_proposal_not_found',
      says: /lr-2026-06-nope/,
    });
  });
});
