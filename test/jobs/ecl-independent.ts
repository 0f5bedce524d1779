/**
 * A deliberately simple ECL of a book, written from docs/ecl.md with nothing shared with src/: its own SQL,
 * its own month-end states, matrices, PDs, LGDs, stages and scenario arithmetic. Plain loops, no cleverness.
 * It handles what the seeded test books hold (no corrections, restructurings or customer applications).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Q {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

const DAY0 = Date.UTC(1970, 0, 1);
const dayOf = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - DAY0) / 86_400_000);
const isoOf = (day: number) => new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);
const monthIndex = (day: number) => {
  const d = new Date(DAY0 + day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const lastDayOfMonthIndex = (m: number) =>
  dayOf(new Date(Date.UTC(Math.floor(m / 12), (m % 12) + 1, 0)).toISOString().slice(0, 10));
const micro = (text: string) => Math.round(Number(text) * 1e6);
const STATES = ['M0', 'M1', 'M2', 'M3', 'D', 'C'];

interface Loan {
  id: string;
  customer: string;
  line: string;
  product: string;
  opened: number;
  lastDue: number;
  rate: number;
  rateText: string;
  buckets: { day: number; to: string; dpd: number }[];
  settled: number | null;
  writtenOff: number | null;
  defaulted: number | null;
  journal: { day: number; rec: number; pri: number; cash: number }[];
}

export interface SimpleEclRow {
  exposure: string;
  stage: number;
  ead: number;
  ecl: number;
}

function stateOn(loan: Loan, day: number): string | null {
  if (loan.opened > day) return null;
  if (loan.writtenOff !== null && loan.writtenOff <= day) return 'D';
  if (loan.defaulted !== null && loan.defaulted <= day) return 'D';
  if (loan.settled !== null && loan.settled <= day) return 'C';
  let b = 'M0';
  for (const e of loan.buckets) if (e.day <= day) b = e.to;
  return Number(b.slice(1)) >= 4 ? 'D' : b;
}

function bucketOn(loan: Loan, day: number): string {
  let b = 'M0';
  for (const e of loan.buckets) if (e.day <= day) b = e.to;
  return b;
}

function dpdOn(loan: Loan, day: number): number {
  let last: Loan['buckets'][number] | null = null;
  for (const e of loan.buckets) if (e.day <= day) last = e;
  if (last === null || last.to === 'M0') return 0;
  return last.dpd + (day - last.day);
}

function sumThrough(loan: Loan, day: number, key: 'rec' | 'pri'): number {
  let s = 0;
  for (const j of loan.journal) if (j.day <= day) s += j[key];
  return s;
}

export async function simpleEcl(db: Q, asOfIso: string, scenarioDir: string): Promise<SimpleEclRow[]> {
  const asOf = dayOf(asOfIso);
  const loanRows = await db.query<{
    loan_id: string;
    customer_id: string;
    line_id: string;
    product_id: string;
    opened: string;
    terms: string;
  }>(
    `select loan_id, customer_id, line_id, product_id, opened_day::text as opened, terms::text as terms
     from loans where opened_day <= $1::date order by loan_id`,
    [asOfIso],
  );
  const loans = new Map<string, Loan>();
  for (const r of loanRows.rows) {
    const terms = JSON.parse(r.terms);
    const rate = terms.product.rate;
    const annual =
      rate.per === 'day'
        ? Number(rate.value) * (String(terms.product.dayCount).includes('360') ? 360 : 365)
        : Number(rate.value);
    loans.set(r.loan_id, {
      id: r.loan_id,
      customer: r.customer_id,
      line: r.line_id,
      product: r.product_id,
      opened: dayOf(r.opened),
      lastDue: terms.plan.length === 0 ? asOf : terms.plan[terms.plan.length - 1].dueDay,
      rate: Number(annual.toFixed(6)),
      rateText: annual.toFixed(6),
      buckets: [],
      settled: null,
      writtenOff: null,
      defaulted: null,
      journal: [],
    });
  }
  const events = await db.query<{ loan_id: string; day: string; type: string; payload: string }>(
    `select loan_id, day::text as day, type, payload::text as payload from loan_events
     where day <= $1::date and type in ('DelinquencyChanged', 'LoanSettled', 'LoanWrittenOff') order by loan_id, day, seq`,
    [asOfIso],
  );
  for (const e of events.rows) {
    const loan = loans.get(e.loan_id);
    if (loan === undefined) continue;
    const day = dayOf(e.day);
    const p = JSON.parse(e.payload);
    if (e.type === 'DelinquencyChanged') {
      loan.buckets.push({ day, to: p.toBucket, dpd: p.daysPastDue });
      if (Number(String(p.toBucket).slice(1)) >= 4 && loan.defaulted === null) loan.defaulted = day;
    }
    if (e.type === 'LoanSettled' && loan.settled === null) loan.settled = day;
    if (e.type === 'LoanWrittenOff' && loan.writtenOff === null) {
      loan.writtenOff = day;
      if (loan.defaulted === null || day < loan.defaulted) loan.defaulted = day;
    }
  }
  const postings = await db.query<{ loan_id: string; day: string; lines: string }>(
    `select loan_id, day::text as day, lines::text as lines from postings where day <= $1::date and customer_id <> ''`,
    [asOfIso],
  );
  for (const p of postings.rows) {
    const loan = loans.get(p.loan_id);
    if (loan === undefined) continue;
    let rec = 0;
    let pri = 0;
    let cash = 0;
    for (const l of JSON.parse(p.lines)) {
      const net = (l.debitMinor ?? 0) - (l.creditMinor ?? 0);
      if (['principalCurrent', 'principalOverdue'].includes(l.account)) pri += net;
      if (
        [
          'principalCurrent',
          'principalOverdue',
          'interestReceivable',
          'penaltyReceivable',
          'feeReceivable',
        ].includes(l.account)
      )
        rec += net;
      if (l.account === 'cashClearing') cash += l.debitMinor ?? 0;
    }
    loan.journal.push({ day: dayOf(p.day), rec, pri, cash });
  }

  // Transition counts at the 12 previous month ends and the as-of day.
  const ends: number[] = [];
  for (let m = monthIndex(asOf) - 12; m < monthIndex(asOf); m += 1) ends.push(lastDayOfMonthIndex(m));
  ends.push(asOf);
  const counts = new Map<string, number[][]>();
  const zero = () => STATES.map(() => STATES.map(() => 0));
  counts.set('*', zero());
  for (const loan of loans.values()) {
    if (!counts.has(loan.product)) counts.set(loan.product, zero());
    for (let i = 0; i + 1 < ends.length; i += 1) {
      const a = stateOn(loan, ends[i]!);
      const b = stateOn(loan, ends[i + 1]!);
      if (a === null || b === null || a === 'D' || a === 'C') continue;
      counts.get(loan.product)![STATES.indexOf(a)]![STATES.indexOf(b)]! += 1;
      counts.get('*')![STATES.indexOf(a)]![STATES.indexOf(b)]! += 1;
    }
  }
  const matrix = (segment: string): number[][] => {
    const own = counts.get(segment) ?? counts.get('*')!;
    const pooled = counts.get('*')!;
    return STATES.map((_, i) => {
      if (i >= 4) return STATES.map((__, j) => (j === i ? 1 : 0));
      let row = own[i]!;
      if (segment !== '*' && row.reduce((x, y) => x + y, 0) < 30) row = pooled[i]!;
      const n = row.reduce((x, y) => x + y, 0);
      if (n === 0) return STATES.map((__, j) => (j === i + 1 ? 1 : 0));
      return row.map((c) => c / n);
    });
  };
  const pdOf = (segment: string, start: string, months: number, rate: number): number => {
    if (start === 'D') return 1e6;
    const p = matrix(counts.has(segment) ? segment : '*');
    let v: number[] = STATES.map((s) => (s === start ? 1 : 0));
    let prev = v[4]!;
    let sum = 0;
    let f = 1;
    for (let t = 1; t <= months; t += 1) {
      const next = STATES.map(() => 0);
      for (let i = 0; i < 6; i += 1) for (let j = 0; j < 6; j += 1) next[j]! += v[i]! * p[i]![j]!;
      v = next;
      f /= 1 + rate / 12;
      sum += (v[4]! - prev) * f;
      prev = v[4]!;
    }
    return Math.min(1e6, Math.round(Math.max(0, Math.min(1, sum)) * 1e6));
  };

  // Workout LGD.
  const workouts: { segment: string; ead: number; pv: number }[] = [];
  for (const loan of loans.values()) {
    const d = loan.defaulted;
    if (d === null || asOf - d < 180) continue;
    const ead = Math.max(0, sumThrough(loan, d - 1, 'rec'));
    if (ead <= 0) continue;
    let pv = 0;
    for (const j of loan.journal)
      if (j.day > d && j.cash > 0) pv += j.cash / (1 + loan.rate) ** ((j.day - d) / 365);
    workouts.push({ segment: loan.product, ead, pv: Math.min(pv, ead) });
  }
  const lgdOf = (list: typeof workouts) => {
    const ead = list.reduce((a, w) => a + w.ead, 0);
    const pv = list.reduce((a, w) => a + w.pv, 0);
    if (list.length === 0 || ead === 0) return 850_000;
    return Math.max(100_000, Math.round(Math.max(0, Math.min(1, 1 - pv / ead)) * 1e6));
  };
  const lgdFor = (segment: string) => {
    const own = workouts.filter((w) => w.segment === segment);
    return segment !== '*' && own.length >= 10 ? lgdOf(own) : lgdOf(workouts);
  };

  // Scenarios, straight from the files.
  const sens = JSON.parse(readFileSync(join(scenarioDir, 'sensitivities.json'), 'utf8'));
  const scenarios: { weight: number; mult: number; lgdAdd: number }[] = [];
  for (const f of ['base.json', 'downturn.json', 'pandemic.json', 'rates-up.json']) {
    const s = JSON.parse(readFileSync(join(scenarioDir, f), 'utf8'));
    if (micro(s.weight) === 0) continue;
    let m = micro(s.pdMultiplier);
    for (const shock of s.shocks) {
      let factor = 1e6;
      if (shock.kind === 'unemployment')
        factor += Math.round((micro(sens.unemploymentPerPoint) * micro(shock.pointsUp)) / 1e6);
      if (shock.kind === 'rates')
        factor += Math.round((micro(sens.ratesPer100bp) * shock.basisPointsUp) / 100);
      // Income and closure shocks name occupations and industries the seeded book's borrowers do not have.
      m = Math.round((m * factor) / 1e6);
    }
    scenarios.push({ weight: micro(s.weight), mult: m, lgdAdd: micro(s.lgdAddOn) });
  }
  const ecl = (ead: number, pd: number, lgd: number) => {
    let sum = 0n;
    for (const s of scenarios) {
      const pdS = pd === 1e6 ? 1e6 : Math.min(1e6, Math.round((pd * s.mult) / 1e6));
      const lgdS = Math.max(0, Math.min(1e6, lgd + s.lgdAdd));
      sum += BigInt(s.weight) * BigInt(ead) * BigInt(pdS) * BigInt(lgdS);
    }
    return Number((sum + 5n * 10n ** 17n) / 10n ** 18n);
  };

  const lines = await db.query<{ line_id: string; limit_minor: string; status: string }>(
    'select line_id, limit_minor::text as limit_minor, status from credit_lines order by line_id',
  );
  const frozen = new Set(lines.rows.filter((l) => l.status === 'frozen').map((l) => l.line_id));
  const out: SimpleEclRow[] = [];
  for (const loan of loans.values()) {
    if (loan.settled !== null && loan.settled <= asOf) continue;
    if (loan.writtenOff !== null && loan.writtenOff <= asOf) continue;
    const balance = sumThrough(loan, asOf, 'rec');
    if (balance <= 0) continue;
    const dpd = dpdOn(loan, asOf);
    const stage = dpd > 90 ? 3 : dpd > 30 || frozen.has(loan.line) ? 2 : 1;
    const life = Math.max(1, monthIndex(loan.lastDue) - monthIndex(asOf)) + 3;
    const months = stage === 1 ? Math.min(12, life) : Math.min(60, life);
    const start = bucketOn(loan, asOf);
    const pd =
      stage === 3 ? 1e6 : pdOf(loan.product, Number(start.slice(1)) >= 4 ? 'D' : start, months, loan.rate);
    out.push({ exposure: loan.id, stage, ead: balance, ecl: ecl(balance, pd, lgdFor(loan.product)) });
  }
  for (const line of lines.rows) {
    if (line.status !== 'active') continue;
    const own = [...loans.values()].filter((l) => l.line === line.line_id);
    if (own.length === 0) continue;
    const undrawn = Math.max(
      0,
      Number(line.limit_minor) - own.reduce((a, l) => a + sumThrough(l, asOf, 'pri'), 0),
    );
    if (undrawn === 0) continue;
    const live = own.filter(
      (l) => !(l.settled !== null && l.settled <= asOf) && !(l.writtenOff !== null && l.writtenOff <= asOf),
    );
    const dpd = Math.max(0, ...live.map((l) => dpdOn(l, asOf)));
    const worst = live
      .map((l) => bucketOn(l, asOf))
      .reduce((w, b) => (Number(b.slice(1)) > Number(w.slice(1)) ? b : w), 'M0');
    const writtenOff = own.some((l) => l.writtenOff !== null && l.writtenOff <= asOf);
    const stage = writtenOff || dpd > 90 ? 3 : dpd > 30 ? 2 : 1;
    let latest = own[0]!;
    for (const l of own) if (l.opened > latest.opened) latest = l;
    const ead = Math.floor((undrawn * 500_000 + 500_000) / 1e6);
    const pd = stage === 3 ? 1e6 : pdOf('*', Number(worst.slice(1)) >= 4 ? 'D' : worst, 12, latest.rate);
    out.push({ exposure: `line:${line.line_id}`, stage, ead, ecl: ecl(ead, pd, lgdFor('*')) });
  }
  return out.sort((a, b) => (a.exposure < b.exposure ? -1 : 1));
}

export { isoOf };
