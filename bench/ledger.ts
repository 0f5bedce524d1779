/**
 * Ledger benchmark (not a test): `npm run bench:ledger`.
 *
 * (a) The end-of-day step over LOANS synthetic loans held in memory, on one core, for every calendar day of
 *     one month (so a month end and every due date are in it): loan-days per CPU second and per wall
 *     second, and bytes per loan (heap used after GC with the loans in memory, less before, ÷ loans). Two
 *     books: a realistic one where most borrowers pay each instalment on its due date (their repayments
 *     are timed apart from the EOD step), and the worst case where nobody pays.
 * (b) A backdated repayment (5 days back) on a loan 30 days old against one 700 days old, both kept with
 *     month-end snapshots as the shell keeps them, for a payment that pays interest only on both and one
 *     that reaches principal on both: the ratio of their median costs (aim ≤ 1.5), and for contrast the
 *     cost of the old loan without snapshots and of replaying it from scratch.
 *
 * (c) Importing an existing book (`lendguard import loans`, docs/import.md): a book of BENCH_IMPORT_CUSTOMERS
 *     customers written by the demo's book writer on the embedded database, exported in the import layout
 *     and imported into a fresh one (read, replayed, reconciled and written): loans per second with their
 *     history, beside the book writer's own loans per second measured in the same run (its peer).
 *
 * (d) A restructuring on a loan 30 days old against one 700 days old (aim: ratio ≤ 1.5): the command itself
 *     (a term extension and a payment holiday, on the loan's current state, as the server runs it), and a
 *     repayment backdated to before a restructuring made three days earlier, which replays the
 *     restructuring from the nearest snapshot.
 *
 * Environment: BENCH_LOANS (default 1000000), BENCH_REPEAT (default 200, for parts b and d), BENCH_PART (any
 * of `a`, `b`, `c`, `d`; all by default), BENCH_PAYERS_PERCENT (default 93: the on-time payers of the realistic
 * book), BENCH_IMPORT_CUSTOMERS (default 2000, for part c).
 */

import { importLoans, writeBook } from '../src/jobs/index.js';
import {
  applyBackdated,
  buildSchedule,
  closeDay,
  closeDaysThrough,
  importRecordOfLoan,
  isSnapshotDay,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  openLoan,
  type Product,
  parseProduct,
  readImportJson,
  repay,
  replay,
  restructure,
  type Schedule,
  takeSnapshot,
} from '../src/ledger/index.js';
import { addDays, civilFromDay, endOfMonth, formatDate, parseDate } from '../src/money/index.js';
import {
  fromJsonText,
  generatePiiKey,
  LOAN_COLUMNS,
  type LoanRow,
  loanFromRow,
  migrate,
  openPglite,
  PiiCipher,
  setFirstBusinessDay,
} from '../src/store/index.js';

const LOANS = Number(process.env.BENCH_LOANS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 200);
/** Share of on-time payers in the realistic book of part (a). */
const PAYER_PERCENT = Number(process.env.BENCH_PAYERS_PERCENT ?? 93);
/** `a` or `b` runs one part only; both by default. */
const PART = process.env.BENCH_PART ?? 'abc';
const IMPORT_CUSTOMERS = Number(process.env.BENCH_IMPORT_CUSTOMERS ?? 2_000);
const MONTH_FIRST = parseDate('2026-03-01');
const MONTH_LAST = endOfMonth(MONTH_FIRST);
/** Loans are drawn over the 90 days before the month, so due dates fall on every day of it. */
const DRAW_SPREAD_DAYS = 90;
const PRINCIPALS_DISTINCT = 50;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run node with --expose-gc (npm run bench:ledger does)');
  collect();
  collect();
}

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Whether loan `i` pays every instalment on its due date (a fixed pseudo-random share of the book). */
function paysOnTime(i: number, payerPercent: number): boolean {
  return ((i * 2_654_435_761) >>> 0) % 100 < payerPercent;
}

/** The instalment of `state` falling due on `day`, if any: what an on-time payer pays that day. */
function dueOn(state: LoanState, day: number): number {
  const item = state.plan[state.nextInstallmentIndex];
  return item !== undefined && item.dueDay === day && state.status === 'active' ? item.totalMinor : 0;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/**
 * One book: LOANS loans, `payerPercent` % of whose borrowers pay each instalment on its due date (during
 * the day, before that day's end-of-day step, as a repayment command); the others never pay.
 */
function partA(products: readonly Product[], label: string, payerPercent: number): void {
  console.log(`(a) end-of-day step, ${fmt(LOANS)} loans in memory, one core: ${label}`);
  const before = heapUsed();
  // Loans drawn the same day with the same product and principal share one schedule, as a batch would.
  const schedules = new Map<string, Schedule>();
  let states: LoanState[] = new Array(LOANS);
  const payers = new Uint8Array(LOANS);
  const t0 = performance.now();
  let paidSeq = 0;
  for (let i = 0; i < LOANS; i++) {
    const product = products[i % products.length]!;
    const day = addDays(MONTH_FIRST, -1 - ((i * 7919) % DRAW_SPREAD_DAYS));
    const principalMinor = 100_000 * (1 + ((i * 104_729) % PRINCIPALS_DISTINCT));
    const key = `${i % products.length}:${day}:${principalMinor}`;
    let schedule = schedules.get(key);
    if (schedule === undefined) {
      schedule = buildSchedule(product, principalMinor, day);
      schedules.set(key, schedule);
    }
    let state = openLoan({
      loanId: `L${i}`,
      customerId: `C${i}`,
      lineId: `CL${i}`,
      product,
      principalMinor,
      day,
      schedule,
    }).state;
    payers[i] = paysOnTime(i, payerPercent) ? 1 : 0;
    if (payers[i] === 1) {
      // Pays each instalment due before the month on its due date.
      for (;;) {
        const item = state.plan[state.nextInstallmentIndex];
        if (item === undefined || item.dueDay >= MONTH_FIRST) break;
        state = closeDaysThrough(state, item.dueDay - 1).state;
        state = repay(state, {
          amountMinor: item.totalMinor,
          day: item.dueDay,
          clientId: `p${paidSeq++}`,
        }).state;
      }
    }
    // Bring each loan to the eve of the month (not timed: this is the book as it stands).
    states[i] = closeDaysThrough(state, MONTH_FIRST - 1).state;
  }
  const setup_ms = performance.now() - t0;
  const after = heapUsed();
  console.log(
    `    set-up (open, pay, close to ${formatDate(MONTH_FIRST - 1)}): ${fmt(setup_ms / 1000, 1)} s, ${fmt(schedules.size)} distinct schedules, ${fmt(payers.reduce((a, b) => a + b, 0))} on-time payers`,
  );
  console.log(`    bytes per loan (heap after GC, loans held ÷ loans): ${fmt((after - before) / LOANS)}`);

  let events = 0;
  let eventful = 0;
  let repayments = 0;
  let repaymentEvents = 0;
  let eodWall = 0;
  let eodCpu = 0;
  let payWall = 0;
  let payCpu = 0;
  const perDay: string[] = [];
  for (let day = MONTH_FIRST; day <= MONTH_LAST; day++) {
    // During the day: the on-time payers whose instalment falls due today pay it (commands, timed apart).
    const payStart = performance.now();
    const payCpuStart = process.cpuUsage();
    for (let i = 0; i < LOANS; i++) {
      if (payers[i] === 0) continue;
      const state = states[i]!;
      const amountMinor = dueOn(state, day);
      if (amountMinor === 0) continue;
      const r = repay(state, { amountMinor, day, clientId: `p${paidSeq++}` });
      states[i] = r.state;
      repayments++;
      repaymentEvents += r.events.length;
    }
    payCpu += cpuSeconds(payCpuStart);
    payWall += performance.now() - payStart;
    // The end-of-day step over every loan.
    const dayStart = performance.now();
    const cpuStart = process.cpuUsage();
    let dayEvents = 0;
    for (let i = 0; i < LOANS; i++) {
      const state = states[i]!;
      // The common case is answered by one comparison: nothing to do, nothing allocated.
      if (day < state.nextEventDay) continue;
      const r = closeDay(state, day);
      states[i] = r.state;
      dayEvents += r.events.length;
      if (r.events.length > 0) eventful++;
    }
    eodCpu += cpuSeconds(cpuStart);
    const dayWall = performance.now() - dayStart;
    eodWall += dayWall;
    events += dayEvents;
    perDay.push(`${formatDate(day).slice(8)}:${fmt(dayWall / 1000, 2)}s/${fmt(dayEvents)}ev`);
  }
  const loanDays = LOANS * (MONTH_LAST - MONTH_FIRST + 1);
  console.log(
    `    ${formatDate(MONTH_FIRST)}..${formatDate(MONTH_LAST)}: ${fmt(loanDays)} loan-days, end-of-day step ${fmt(eodWall / 1000, 2)} s wall, ${fmt(eodCpu, 2)} s CPU`,
  );
  console.log(
    `    EOD loan-days per second: ${fmt(loanDays / eodCpu)} per CPU second, ${fmt(loanDays / (eodWall / 1000))} per wall second`,
  );
  console.log(`    EOD events: ${fmt(events)} (${fmt(eventful)} loan-days with any)`);
  if (repayments > 0) {
    console.log(
      `    repayments during the days (not in the EOD figure): ${fmt(repayments)} with ${fmt(repaymentEvents)} events, ${fmt(payCpu, 2)} s CPU (${fmt((payCpu / repayments) * 1e6, 1)} µs each), ${fmt(payWall / 1000, 2)} s wall`,
    );
    console.log(
      `    EOD and repayments together: ${fmt(loanDays / (eodCpu + payCpu))} loan-days per CPU second`,
    );
  }
  console.log(`    per day (seconds/events): ${perDay.join(' ')}`);
  const heapAfter = heapUsed();
  // `states` is read after the measure so that it is still held during it.
  console.log(`    bytes per loan after the month: ${fmt((heapAfter - before) / states.length)}`);
  states = [];
}

/** A loan paid on time for `ageDays` days, with month-end snapshots, as the shell holds it. */
function agedLoan(
  product: Product,
  ageDays: number,
): { log: LoanEvent[]; snapshots: LoanSnapshot[]; state: LoanState } {
  // Start on a day such that the loan's last closed day is the eve of a due date and not near a month end,
  // so that the 5 days replayed hold the same kind of work whatever the loan's age.
  let startDay = parseDate('2024-01-15');
  while (!(civilFromDay(startDay).day === 15 && civilFromDay(startDay + ageDays).day === 14)) startDay++;
  const opened = openLoan({
    loanId: 'L',
    customerId: 'C',
    lineId: 'CL',
    product,
    principalMinor: 2_400_000,
    day: startDay,
  });
  let state = opened.state;
  const log: LoanEvent[] = [...opened.events];
  const snapshots: LoanSnapshot[] = [];
  const lastDay = startDay + ageDays;
  let paid = 0;
  while (state.lastClosedDay < lastDay) {
    const until = Math.min(endOfMonth(state.lastClosedDay + 1), lastDay);
    // Pay each instalment on its due day.
    const due = state.plan.find((p) => p.dueDay > state.lastClosedDay && p.dueDay <= until);
    if (due !== undefined) {
      const c = closeDaysThrough(state, due.dueDay - 1);
      log.push(...c.events);
      const r = repay(c.state, { amountMinor: due.totalMinor, day: due.dueDay, clientId: `p${paid++}` });
      state = r.state;
      log.push(...r.events);
    }
    const r = closeDaysThrough(state, until);
    state = r.state;
    log.push(...r.events);
    if (isSnapshotDay(until)) snapshots.push(takeSnapshot(state));
  }
  return { log, snapshots, state };
}

function partB(product: Product): void {
  console.log(`(b) backdated repayment 5 days back, median of ${REPEAT}`);
  const cost = (ageDays: number, useSnapshots: boolean, amountMinor: number) => {
    const loan = agedLoan(product, ageDays);
    const times: number[] = [];
    let reachedPrincipal = false;
    for (let k = 0; k < REPEAT; k++) {
      const t = performance.now();
      const r = applyBackdated(loan.log, useSnapshots ? loan.snapshots : [], loan.state.lastClosedDay, {
        type: 'repay',
        amountMinor,
        day: loan.state.lastClosedDay - 5,
        clientId: `late-${k}`,
      });
      times.push(performance.now() - t);
      if (k === 0) {
        const repaid = r.appended.find((e) => e.type === 'Repaid');
        reachedPrincipal = repaid?.type === 'Repaid' && repaid.allocation.principalMinor > 0;
      }
    }
    return { ms: median(times), events: loan.log.length, reachedPrincipal };
  };
  // The same work on both loans: 10 yuan pays only accrued interest on both (about 26 yuan accrued on the
  // old loan's small balance, 300 on the young one); 500 yuan reaches principal on both and re-amortises.
  for (const [label, amountMinor] of [
    ['interest only (10 yuan)', 1_000],
    ['reaching principal (500 yuan)', 50_000],
  ] as const) {
    const young = cost(30, true, amountMinor);
    const old = cost(700, true, amountMinor);
    const paid = (x: { reachedPrincipal: boolean }) => (x.reachedPrincipal ? 'principal' : 'interest only');
    console.log(`  ${label}`);
    console.log(
      `    30-day-old loan  (${young.events} events, pays ${paid(young)}): ${fmt(young.ms * 1000, 1)} µs`,
    );
    console.log(
      `    700-day-old loan (${old.events} events, pays ${paid(old)}): ${fmt(old.ms * 1000, 1)} µs`,
    );
    console.log(`    ratio 700 / 30 days: ${fmt(old.ms / young.ms, 2)} (aim ≤ 1.5)`);
  }
  const oldNoSnapshots = cost(700, false, 1_000);
  const replayTimes: number[] = [];
  const oldLoan = agedLoan(product, 700);
  for (let k = 0; k < REPEAT; k++) {
    const t = performance.now();
    replay(oldLoan.log);
    replayTimes.push(performance.now() - t);
  }
  console.log(
    `    for contrast, 700-day-old without snapshots (10 yuan): ${fmt(oldNoSnapshots.ms * 1000, 1)} µs; full replay: ${fmt(median(replayTimes) * 1000, 1)} µs`,
  );
}

function partD(product: Product): void {
  console.log(`(d) restructuring, median of ${REPEAT}`);
  const commandCost = (ageDays: number, request: Parameters<typeof restructure>[1]) => {
    const loan = agedLoan(product, ageDays);
    const times: number[] = [];
    let events = 0;
    for (let k = 0; k < REPEAT; k++) {
      const t = performance.now();
      const r = restructure(loan.state, {
        ...request,
        day: loan.state.lastClosedDay + 1,
        clientId: `rs-${k}`,
      });
      times.push(performance.now() - t);
      events = r.events.length;
    }
    return { ms: median(times), history: loan.log.length, events };
  };
  const backdatedCost = (ageDays: number) => {
    const loan = agedLoan(product, ageDays);
    const day = loan.state.lastClosedDay + 1;
    const r = restructure(loan.state, { kind: 'term-extension', extensionMonths: 6, day, clientId: 'rs' });
    const c = closeDaysThrough(r.state, day + 3);
    const log = [...loan.log, ...r.events, ...c.events];
    const snapshots = isSnapshotDay(day + 3) ? [...loan.snapshots, takeSnapshot(c.state)] : loan.snapshots;
    const times: number[] = [];
    for (let k = 0; k < REPEAT; k++) {
      const t = performance.now();
      applyBackdated(log, snapshots, c.state.lastClosedDay, {
        type: 'repay',
        amountMinor: 1_000,
        day: day - 1,
        clientId: `late-${k}`,
      });
      times.push(performance.now() - t);
    }
    return { ms: median(times), history: log.length };
  };
  for (const [label, request] of [
    ['term extension, 6 months', { kind: 'term-extension', extensionMonths: 6 }],
    ['payment holiday, 3 months', { kind: 'payment-holiday', holidayMonths: 3 }],
  ] as const) {
    const young = commandCost(30, request as Parameters<typeof restructure>[1]);
    const old = commandCost(700, request as Parameters<typeof restructure>[1]);
    console.log(`  ${label}`);
    console.log(`    30-day-old loan  (${young.history} events before): ${fmt(young.ms * 1000, 1)} µs`);
    console.log(`    700-day-old loan (${old.history} events before): ${fmt(old.ms * 1000, 1)} µs`);
    console.log(`    ratio 700 / 30 days: ${fmt(old.ms / young.ms, 2)} (aim ≤ 1.5)`);
  }
  const young = backdatedCost(30);
  const old = backdatedCost(700);
  console.log('  repayment backdated to before a term extension made 3 days earlier (replays it)');
  console.log(`    30-day-old loan  (${young.history} events): ${fmt(young.ms * 1000, 1)} µs`);
  console.log(`    700-day-old loan (${old.history} events): ${fmt(old.ms * 1000, 1)} µs`);
  console.log(`    ratio 700 / 30 days: ${fmt(old.ms / young.ms, 2)} (aim ≤ 1.5)`);
}

const base = { termCount: 12, rate: { value: '0.0005', per: 'day' } };
const products = [
  parseProduct({ ...base, method: 'equal-installment' }),
  parseProduct({ ...base, method: 'equal-principal' }),
  parseProduct({ ...base, method: 'interest-first', termCount: 6 }),
  parseProduct({ ...base, method: 'pay-any-time', termCount: 3 }),
];
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
if (PART.includes('b')) partB(parseProduct({ ...base, method: 'equal-installment', termCount: 24 }));
if (PART.includes('d')) partD(parseProduct({ ...base, method: 'equal-installment', termCount: 36 }));
if (PART.includes('c')) await partC();
if (PART.includes('a')) {
  partA(products, `${PAYER_PERCENT}% of borrowers pay on time, the rest never pay`, PAYER_PERCENT);
  partA(products, 'worst case: nobody pays, every loan walks through the buckets', 0);
}

/** A valid resident ID number for synthetic person `n`. */
function idNumberOf(n: number): string {
  const body = `1101011990${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return `${body}${'10X98765432'[sum % 11]}`;
}

async function partC(): Promise<void> {
  const historyThrough = parseDate('2026-10-31');
  const source = await openPglite();
  await migrate(source);
  const cpuBook = process.cpuUsage();
  let t = performance.now();
  const book = await writeBook(source, {
    seed: 7,
    customers: IMPORT_CUSTOMERS,
    loansPerCustomer_max: 3,
    drawFrom: parseDate('2024-11-01'),
    drawTo: parseDate('2026-09-30'),
    historyThrough,
  });
  const bookSeconds = (performance.now() - t) / 1000;
  const bookCpu = cpuSeconds(cpuBook);
  const lines = await source.query<{ customer_id: string; line_id: string; limit_minor: number }>(
    'select customer_id, line_id, limit_minor from credit_lines',
  );
  const limits = new Map(lines.rows.map((r) => [r.line_id, Number(r.limit_minor)]));
  const loans = await source.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans order by customer_id, loan_id`,
  );
  const events = await source.query<{ loan_id: string; payload: string }>(
    'select loan_id, payload::text as payload from loan_events order by customer_id, loan_id, seq',
  );
  const logs = new Map<string, LoanEvent[]>();
  for (const e of events.rows) {
    const log = logs.get(e.loan_id) ?? [];
    log.push(fromJsonText<LoanEvent>(e.payload));
    logs.set(e.loan_id, log);
  }
  const people = new Map<string, number>();
  const records = loans.rows.map((row) => {
    const state = loanFromRow(row).state;
    if (!people.has(state.customerId)) people.set(state.customerId, people.size + 1);
    const n = people.get(state.customerId)!;
    return importRecordOfLoan(logs.get(state.loanId)!, state, {
      loanRef: state.loanId,
      customer: {
        ref: state.customerId,
        name: `客户${n}`,
        idNumber: idNumberOf(n),
        phone: `139${String(n).padStart(8, '0')}`,
      },
      lineRef: state.lineId,
      lineLimitMinor: limits.get(state.lineId)!,
      withTerms: true,
    });
  });
  await source.close();
  const text = JSON.stringify({ loans: records });
  const target = await openPglite();
  await migrate(target);
  await setFirstBusinessDay(target, formatDate(addDays(historyThrough, 1)), '2026-12-31');
  const cpu = process.cpuUsage();
  t = performance.now();
  const read = readImportJson(JSON.parse(text));
  if (!read.ok)
    throw new Error(`assertion: the exported book does not read back: ${JSON.stringify(read.faults[0])}`);
  const report = await importLoans(target, new PiiCipher(generatePiiKey()), read.loans);
  const importSeconds = (performance.now() - t) / 1000;
  const cpuImport = cpuSeconds(cpu);
  await target.close();
  if (report.problems.length > 0 || report.loansImported !== book.loans) {
    throw new Error(`assertion: the import disagreed with the book: ${JSON.stringify(report.problems[0])}`);
  }
  const historyEvents = events.rows.length;
  console.log(
    `(c) importing an existing book on the embedded database (PGlite): ${fmt(book.loans)} loans of ${fmt(IMPORT_CUSTOMERS)} customers, ${fmt(historyEvents)} events, ${fmt(text.length / 1e6, 1)} MB of JSON`,
  );
  console.log(
    `    book writer (peer): ${fmt(book.loans / bookSeconds)} loans/s (${fmt(bookSeconds, 1)} s wall, ${fmt(bookCpu, 1)} s CPU: ${fmt(book.loans / bookCpu)} loans per CPU second)`,
  );
  console.log(
    `    import (read, replay, reconcile, write ${fmt(report.customersCreated)} customers encrypted): ${fmt(report.loansImported / importSeconds)} loans/s with their history (${fmt(importSeconds, 1)} s wall, ${fmt(cpuImport, 1)} s CPU: ${fmt(report.loansImported / cpuImport)} loans per CPU second)`,
  );
}
