import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runDispatcher, runEod } from '../../src/jobs/index.js';
import { loanPosition } from '../../src/ledger/index.js';
import { addDays, formatDate, formatMinor, parseDate } from '../../src/money/index.js';
import { type Db, findLoan, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';
import { applicant, apply, invite } from './origination-helpers.js';

const D = parseDate('2026-03-02');

/**
 * The defect users found: a borrower 139 days past due kept an active line and drew more. With the line
 * controls, EOD cuts and freezes the line, the drawdown is refused saying why and until when, and a
 * repayment of what is past due unfreezes the line by the rule.
 */
describe.each(backends)('line controls over the API on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let lineId: string;
  let loanId: string;
  let idle: string;

  const call = (role: Role, method: string, url: string, payload?: unknown) =>
    api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function eodOn(day: number) {
    await setBusinessDay(db, day);
    const run = await runEod(db, ledgerEod, {
      businessDay: formatDate(day),
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, D);
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(7) }));
    const customerId = json(c).customerId as string;
    expect(
      (await call('risk_analyst', 'POST', '/products', { id: 'cash-6m', termCount: 6 })).statusCode,
    ).toBe(201);
    const open = (limit: string) =>
      call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, { limit });
    lineId = json(await open('80000.00')).lineId as string;
    // A second line of the same customer, never drawn: the controls act on the line whose loan is late.
    idle = json(await open('1000.00')).lineId as string;
    const d = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '16984.00',
      productId: 'cash-6m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
  }, 60_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('EOD leaves a current line alone', async () => {
    await eodOn(addDays(D, 5));
    const line = json(await call('auditor', 'GET', `/credit-lines/${lineId}`));
    expect(line).toMatchObject({ status: 'active', available: '63016.00', freeze: null, history: [] });
  });

  it('139 days past due: EOD cuts the limit to the outstanding and freezes; the drawdown is refused with why and until when', async () => {
    const firstDue = (await findLoan(db, loanId))!.state.plan[0]!.dueDay;
    await eodOn(addDays(firstDue, 139));
    const loan = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(loan.daysPastDue).toBe(139);
    const line = json(await call('auditor', 'GET', `/credit-lines/${lineId}`));
    expect(line).toMatchObject({ status: 'frozen', limit: '16984.00', used: '16984.00', available: '0.00' });
    const freeze = line.freeze as Record<string, string>;
    expect(freeze).toMatchObject({
      code: 'LC_M3_CUT',
      source: 'control',
      since: formatDate(addDays(firstDue, 139)),
    });
    expect(freeze.reason).toMatch(/M3 or worse/);
    expect(freeze.until).toMatch(/until every past-due instalment on the line is repaid/);
    const history = line.history as Record<string, unknown>[];
    expect(history.map((h) => [h.kind, h.fromLimit, h.toLimit, h.toStatus, h.source, h.code])).toEqual([
      ['limit-changed', '80000.00', '16984.00', 'active', 'control', 'LC_M3_CUT'],
      ['frozen', '16984.00', '16984.00', 'frozen', 'control', 'LC_M3_CUT'],
    ]);
    expect(history[0]!.policyVersion).toBe('shipped-default');

    const refused = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '5000.00',
      productId: 'cash-6m',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const problem = json(refused);
    expect(problem.code).toBe('line_frozen');
    expect(problem.detail).toMatch(
      /is frozen since .*M3 or worse.*until every past-due instalment on the line is repaid/,
    );
    // The customer's other line has no loan: the controls leave it alone.
    expect(json(await call('auditor', 'GET', `/credit-lines/${idle}`)).status).toBe('active');
    // The next EOD changes nothing more.
    await eodOn(addDays(firstDue, 140));
    expect((json(await call('auditor', 'GET', `/credit-lines/${lineId}`)).history as unknown[]).length).toBe(
      2,
    );
  });

  it("a customer with a loan 159 days past due is declined for a new line: the lender's own book is a knock-out", async () => {
    const firstDue = (await findLoan(db, loanId))!.state.plan[0]!.dueDay;
    await eodOn(addDays(firstDue, 159));
    expect(json(await call('auditor', 'GET', `/loans/${loanId}`)).daysPastDue).toBe(159);
    // Applied as a new applicant: matched to the customer by ID number through the blind index.
    await invite(api, 7);
    const declined = await apply(api, applicant(7));
    expect(declined.outcome).toBe('decline');
    expect(declined.lineId).toBeNull();
    const reason = declined.reasons.find((r) => r.code === 'KO_OWN_BOOK_PAST_DUE');
    expect(reason?.message).toMatch(/more than 90 days past due/);
    // Another applicant with the same facts and no book here is approved: the book is what declines.
    await invite(api, 8);
    const approved = await apply(api, applicant(8));
    expect(approved.outcome).toBe('approve');
    expect(approved.reasons.map((r) => r.code)).not.toContain('KO_OWN_BOOK_PAST_DUE');
  });

  it('repaying what is past due unfreezes the line by the rule; the cut limit stays', async () => {
    const state = (await findLoan(db, loanId))!.state;
    const p = loanPosition(state);
    // What is past due and due, and a margin for the day's penalty (kept as credit).
    const pastDue =
      p.overduePrincipalMinor +
      p.overdueInterestMinor +
      p.overdueFeeMinor +
      p.duePrincipalMinor +
      p.dueInterestMinor +
      p.dueFeeMinor +
      p.penaltyOutstandingMinor +
      10_000;
    const repaid = await call('admin', 'POST', `/loans/${loanId}/repayments`, {
      amount: formatMinor(pastDue),
      excess: 'credit',
    });
    expect(repaid.statusCode, repaid.body).toBe(201);
    expect(json(await call('auditor', 'GET', `/loans/${loanId}`)).daysPastDue).toBe(0);
    const line = json(await call('auditor', 'GET', `/credit-lines/${lineId}`));
    expect(line).toMatchObject({ status: 'active', limit: '16984.00', freeze: null });
    const last = (line.history as Record<string, unknown>[]).at(-1)!;
    expect(last).toMatchObject({
      kind: 'unfrozen',
      source: 'control',
      code: 'LC_CURRENT',
      toStatus: 'active',
    });
    expect(last.reason).toMatch(/^cured/);
    const drawn = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '100.00',
      productId: 'cash-6m',
    });
    expect(drawn.statusCode, drawn.body).toBe(201);
  });

  it("an operator's freeze is kept by the controls and named in the refusal", async () => {
    expect(
      (await call('risk_analyst', 'POST', `/credit-lines/${idle}/freeze`, { reason: 'fraud check' }))
        .statusCode,
    ).toBe(200);
    await eodOn(addDays((await findLoan(db, loanId))!.state.lastClosedDay, 1));
    const line = json(await call('auditor', 'GET', `/credit-lines/${idle}`));
    expect(line).toMatchObject({ status: 'frozen', freeze: { reason: 'fraud check', source: 'operator' } });
    const refused = json(
      await call('admin', 'POST', `/credit-lines/${idle}/drawdowns`, {
        amount: '1.00',
        productId: 'cash-6m',
      }),
    );
    expect(refused.detail).toMatch(/fraud check.*until an operator unfreezes it/);
  });

  it('each change reaches the borrower as a notice in their language through the reminder outbox, once', async () => {
    const { rows } = await db.query<{ reminder_key: string; channel: string; payload: string }>(
      `select reminder_key, channel, payload::text as payload from outbox_messages
        where kind = 'reminder' and reminder_key like 'line:%' order by message_id`,
    );
    const notices = rows.map((r) => ({ channel: r.channel, ...JSON.parse(r.payload) }));
    expect(notices.map((n) => [n.lineId, n.kind, n.channel, n.lang])).toEqual([
      [lineId, 'limit-changed', 'sms', 'zh-CN'],
      [lineId, 'frozen', 'sms', 'zh-CN'],
      [lineId, 'unfrozen', 'sms', 'zh-CN'],
      [idle, 'frozen', 'sms', 'zh-CN'],
    ]);
    expect(notices[0].body).toMatch(/由 80000\.00 CNY 调整为 16984\.00 CNY。原因：.*M3 or worse/);
    expect(notices[3].body).toMatch(/原因：fraud check/);
    // The dispatcher sends them like any reminder, signed, to the SMS gateway.
    const received: Record<string, unknown>[] = [];
    const failures: unknown[] = [];
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ key: req.headers['idempotency-key'], ...JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
      await runDispatcher(
        db,
        api.cipher,
        {
          webhooks: { sms: { url, secret: 'line-notice-secret-0123', timeout_ms: 2_000 } },
          eventTimeout_ms: 2_000,
          retry: { attempts_max: 1, backoffBase_ms: 1, backoffMax_ms: 1 },
        },
        // A day ahead: notices made outside contact hours wait for them.
        {
          untilIdle: true,
          now: () => new Date(Date.now() + 86_400_000),
          onSettled: (m, outcome, error) => {
            if (outcome !== 'sent' && String(m.reminderKey).startsWith('line:')) failures.push(error);
          },
        },
      );
    } finally {
      gateway.close();
    }
    expect(failures).toEqual([]);
    const lineNotices = received.filter((m) => String(m.key).startsWith('reminder:line:'));
    // Delivered in parallel: compare as a set, each once.
    const kinds = lineNotices.map((m) => (m.reminder as Record<string, unknown>).kind as string);
    expect(kinds.sort()).toEqual(['frozen', 'frozen', 'limit-changed', 'unfrozen']);
    const unfrozen = lineNotices.find((m) => (m.reminder as Record<string, unknown>).kind === 'unfrozen');
    expect((unfrozen!.reminder as Record<string, unknown>).subject).toBe('您的授信额度已恢复');
    const sent = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox_messages where reminder_key like 'line:%' and status = 'sent'`,
    );
    expect(sent.rows[0]!.n).toBe(4);
  });
});
