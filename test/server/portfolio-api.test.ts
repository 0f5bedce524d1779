import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod, writeBook } from '../../src/jobs/index.js';
import { BUCKETS, loanAsOf, loanPosition } from '../../src/ledger/index.js';
import {
  addDays,
  endOfMonth,
  formatDate,
  formatMinor as formatFen,
  parseDate,
} from '../../src/money/index.js';
import { shareText } from '../../src/server/portfolio/routes.js';
import {
  type Db,
  listLoansPage,
  loadLoanLog,
  type StoredLoan,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, startApi, type TestApi } from './helpers.js';

/** The book's last closed day: loans drawn over the year before it, EOD closes through it. */
const CLOSED = parseDate('2026-06-10');

interface LoanItem {
  loanId: string;
  customerId: string;
  productId: string;
  startDate: string;
  bucket: string;
  status: string;
  outstandingPrincipal: string;
}

describe.each(backends)('portfolio and loan list on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  /** Every loan, read one by one from the store: the independent view the aggregates must match. */
  let all: StoredLoan[];

  const get = (url: string) => api.app.inject({ method: 'GET', url, headers: auth(api.tokens.auditor) });

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await writeBook(db, {
      seed: 606,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(CLOSED, -330),
      drawTo: addDays(CLOSED, -20),
      historyThrough: addDays(CLOSED, -1),
    });
    const run = await runEod(db, ledgerEod, {
      businessDay: formatDate(CLOSED),
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
    await setBusinessDay(db, CLOSED);
    all = await listLoansPage(db, { sort: 'loanId', order: 'asc', after: null, limit: 10_000 });
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('the summary is the sum of every active loan, bucket by bucket and product by product', async () => {
    const res = await get('/portfolio/summary');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const active = all.filter((l) => l.state.status === 'active');
    const position = (l: StoredLoan) => loanPosition(l.state);
    const sum = (ls: StoredLoan[]) => ls.reduce((s, l) => s + position(l).outstandingPrincipalMinor, 0);
    const pastDue = active.filter((l) => l.state.bucket !== 'M0');
    expect(active.length).toBeGreaterThan(0);
    expect(pastDue.length).toBeGreaterThan(0);
    expect(body).toMatchObject({
      asOf: formatDate(CLOSED),
      loans: active.length,
      outstandingPrincipal: formatFen(sum(active)),
      overduePrincipal: formatFen(active.reduce((s, l) => s + position(l).overduePrincipalMinor, 0)),
      pastDueLoans: pastDue.length,
      pastDuePrincipal: formatFen(sum(pastDue)),
      overdueRateByBalance: shareText(sum(pastDue), sum(active)),
      overdueRateByCount: shareText(pastDue.length, active.length),
    });
    expect(body.buckets.map((b: { bucket: string }) => b.bucket)).toEqual([...BUCKETS]);
    for (const b of body.buckets) {
      const inBucket = active.filter((l) => l.state.bucket === b.bucket);
      expect(b, b.bucket).toMatchObject({
        loans: inBucket.length,
        outstandingPrincipal: formatFen(sum(inBucket)),
      });
    }
    for (const p of body.products) {
      const ofProduct = active.filter((l) => l.productId === p.productId);
      expect(p.loans, p.productId).toBe(ofProduct.length);
      expect(p.outstandingPrincipal, p.productId).toBe(formatFen(sum(ofProduct)));
    }
  });

  it('shares are exact and rounded half-up to four places', () => {
    expect(shareText(1, 3)).toBe('0.3333');
    expect(shareText(2, 3)).toBe('0.6667');
    expect(shareText(1, 20_000)).toBe('0.0001');
    expect(shareText(1, 20_001)).toBe('0.0000');
    expect(shareText(5, 5)).toBe('1.0000');
    expect(shareText(0, 0)).toBe('0.0000');
    expect(shareText(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER)).toBe('1.0000');
  });

  it('each trend point is the book replayed to that month end', async () => {
    const res = await get('/portfolio/trend?months=4');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.through).toBe(formatDate(CLOSED));
    expect(body.points.map((p: { date: string }) => p.date)).toEqual([
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-10',
    ]);
    for (const point of body.points) {
      const day = parseDate(point.date);
      let outstanding = 0;
      let overdue = 0;
      let drawn = 0;
      for (const loan of all) {
        if (loan.state.startDay > day) continue;
        const log = await loadLoanLog(db, loan.customerId, loan.loanId);
        const p = loanPosition(loanAsOf(log, Math.min(day, loan.state.lastClosedDay)));
        outstanding += p.outstandingPrincipalMinor;
        overdue += p.overduePrincipalMinor;
        if (loan.state.startDay >= parseDate(`${point.month}-01`)) drawn++;
      }
      expect(point, point.date).toMatchObject({
        outstandingPrincipal: formatFen(outstanding),
        overduePrincipal: formatFen(overdue),
        loansDrawn: drawn,
      });
    }
    expect(endOfMonth(CLOSED)).not.toBe(CLOSED);
  }, 60_000);

  async function walk(query: string, limit: number): Promise<LoanItem[]> {
    const items: LoanItem[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 500; pages++) {
      const url = `/loans?limit=${limit}${query}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const res = await get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      const page = res.json() as { items: LoanItem[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error('the list never ended');
  }

  const outstandingOf = (l: StoredLoan) => loanPosition(l.state).outstandingPrincipalMinor;
  const compare = {
    loanId: (a: StoredLoan, b: StoredLoan) => (a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0),
    openedDay: (a: StoredLoan, b: StoredLoan) => a.state.startDay - b.state.startDay || compare.loanId(a, b),
    outstandingPrincipal: (a: StoredLoan, b: StoredLoan) =>
      outstandingOf(a) - outstandingOf(b) || compare.loanId(a, b),
    overduePrincipal: (a: StoredLoan, b: StoredLoan) =>
      loanPosition(a.state).overduePrincipalMinor - loanPosition(b.state).overduePrincipalMinor ||
      compare.loanId(a, b),
    daysPastDue: (a: StoredLoan, b: StoredLoan) =>
      loanPosition(a.state).daysPastDue - loanPosition(b.state).daysPastDue || compare.loanId(a, b),
  };

  it('pages through every sort order in both directions, each loan once, in order', async () => {
    // Days past due vary in this book (else the order would be the loan ids' and prove nothing).
    expect(new Set(all.map((l) => loanPosition(l.state).daysPastDue)).size).toBeGreaterThan(2);
    for (const sort of [
      'loanId',
      'openedDay',
      'outstandingPrincipal',
      'overduePrincipal',
      'daysPastDue',
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const got = await walk(`&sort=${sort}&order=${order}`, 7);
        const want = [...all].sort(compare[sort]);
        if (order === 'desc') want.reverse();
        expect(
          got.map((l) => l.loanId),
          `${sort} ${order}`,
        ).toEqual(want.map((l) => l.loanId));
      }
    }
  }, 60_000);

  it('filters by bucket, product, draw dates, status, customer and id, alone and together', async () => {
    const someCustomer = all[3]!.customerId;
    const from = formatDate(addDays(CLOSED, -200));
    const to = formatDate(addDays(CLOSED, -100));
    const cases: [string, (l: StoredLoan) => boolean][] = [
      ['&bucket=M0', (l) => l.state.bucket === 'M0'],
      [
        '&bucket=M1,M2,M3,M4,M5,M6,M7&status=active',
        (l) => l.state.bucket !== 'M0' && l.state.status === 'active',
      ],
      ['&productId=cash-3m', (l) => l.productId === 'cash-3m'],
      [
        `&drawnFrom=${from}&drawnTo=${to}`,
        (l) => l.state.startDay >= parseDate(from) && l.state.startDay <= parseDate(to),
      ],
      ['&status=settled', (l) => l.state.status === 'settled'],
      [`&customerId=${someCustomer}`, (l) => l.customerId === someCustomer],
      [`&q=${someCustomer}`, (l) => l.customerId === someCustomer],
      [`&q=${all[5]!.loanId}`, (l) => l.loanId === all[5]!.loanId],
      [
        `&status=active&drawnFrom=${from}&sort=outstandingPrincipal&order=desc`,
        (l) => l.state.status === 'active' && l.state.startDay >= parseDate(from),
      ],
    ];
    for (const [query, keep] of cases) {
      const got = await walk(query, 5);
      const want = all.filter(keep);
      expect(want.length, query).toBeGreaterThan(0);
      expect(new Set(got.map((l) => l.loanId)), query).toEqual(new Set(want.map((l) => l.loanId)));
      expect(got.length, query).toBe(want.length);
      const counted = await get(`/loans/count?${query.slice(1).replace(/&?(sort|order)=[a-zA-Z]+/g, '')}`);
      expect(counted.statusCode, counted.body).toBe(200);
      expect(counted.json(), query).toEqual({ count: want.length });
    }
    expect((await get('/loans/count')).json()).toEqual({ count: all.length });
  }, 60_000);

  it('refuses bad filters and cursors with the field named', async () => {
    expectProblem(await get('/loans?bucket=M8'), {
      status: 400,
      code: 'validation_failed',
      path: '/query/bucket',
      says: /pattern/,
    });
    expectProblem(await get('/loans?sort=name'), {
      status: 400,
      code: 'validation_failed',
      path: '/query/sort',
      says: /must be one of: loanId/,
    });
    expectProblem(await get('/loans?drawnFrom=2026-05-01&drawnTo=2026-04-01'), {
      status: 400,
      code: 'date_out_of_range',
      path: '/query/drawnFrom',
      says: /swap them/,
    });
    expectProblem(await get('/loans?drawnTo=2026-02-30'), {
      status: 400,
      code: 'validation_failed',
      path: '/query/drawnTo',
      says: /2026-02-30/,
    });
    const page = (await get('/loans?limit=2&sort=openedDay')).json() as { nextCursor: string };
    // A cursor of one order is refused by another, never misread.
    const wrongCursor = { status: 400, code: 'cursor_invalid', path: '/query/cursor', says: /same sort/ };
    expectProblem(
      await get(`/loans?limit=2&sort=outstandingPrincipal&cursor=${page.nextCursor}`),
      wrongCursor,
    );
    expectProblem(await get(`/loans?limit=2&cursor=${page.nextCursor}`), wrongCursor);
    for (const months of [0, 37]) {
      expectProblem(await get(`/portfolio/trend?months=${months}`), {
        status: 400,
        code: 'validation_failed',
        path: '/query/months',
        says: /must be/,
      });
    }
  });

  it('the impact view runs an overdue loan forward with nothing paid', async () => {
    const overdue = all.find((l) => l.state.status === 'active' && l.state.dues[0]?.overdue === true)!;
    const res = await get(`/loans/${overdue.loanId}/impact?months=6`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const missed = overdue.state.dues[0]!.dueDay;
    expect(body.missedDueDate).toBe(formatDate(missed));
    expect(body.rows).toHaveLength(7);
    expect(body.rows[0]).toMatchObject({
      date: formatDate(CLOSED),
      daysPastDue: CLOSED - missed,
      bucket: overdue.state.bucket,
      outstandingPrincipal: formatFen(outstandingOf(overdue)),
    });
    for (const row of body.rows) expect(row.daysPastDue, row.date).toBe(parseDate(row.date) - missed);
    for (const m of body.milestones) {
      expect(m.description.en.length, m.kind).toBeGreaterThan(0);
      expect(m.description.zh.length, m.kind).toBeGreaterThan(0);
    }
    const settled = all.find((l) => l.state.status === 'settled')!;
    expectProblem(await get(`/loans/${settled.loanId}/impact`), {
      status: 409,
      code: 'loan_settled',
      says: /settled/,
    });
    expectProblem(await get(`/loans/${overdue.loanId}/impact?months=121`), {
      status: 400,
      code: 'validation_failed',
      path: '/query/months',
      says: /120/,
    });
  });
});
