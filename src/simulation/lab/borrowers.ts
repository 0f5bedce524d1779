import {
  type Application,
  type Invitation,
  type Occupation,
  validateApplication,
} from '../../origination/index.js';
import { randomInt, seededRandom } from '../seeded.js';
import { syntheticCustomer } from '../synthetic-people.js';
import type { IncomeProcess, PopulationSpec } from './population.js';

/**
 * Simulated borrowers drawn from a population description. Each borrower's draws come from its own generator,
 * seeded from the run's seed, the replication and the borrower's number, so a borrower is the same whichever
 * worker simulates it and however the run is split.
 */

/** A scripted event of a named archetype (the population's own events are drawn month by month). */
export interface ScriptedEvent {
  readonly month: number;
  readonly kind: 'business-failure' | 'income-fall' | 'job-loss';
  /** income-fall: the income multiplier from that month on. */
  readonly factor?: number;
}

export interface SimBorrower {
  readonly index: number;
  readonly customerId: string;
  readonly name: string;
  /** 张三, 李四, 王五 for the archetypes; null for the population. */
  readonly archetype: string | null;
  readonly group: string;
  readonly occupation: Occupation;
  readonly process: IncomeProcess;
  readonly industry: string;
  readonly region: string;
  readonly income_fen: number;
  readonly expenses_fen: number;
  readonly assets_fen: number;
  readonly debtPayment_fen: number;
  readonly debtOutstanding_fen: number;
  /** Business owners: can give 12 months of statements. */
  readonly statements: boolean;
  readonly requestedLimit_fen: number;
  /** Hidden: how well cash flow withstands shocks (0–1). */
  readonly ability: number;
  /** Hidden: propensity to pay, answer, keep a promise, not to complain (0–1). */
  readonly willingness: number;
  /** Month of the run (0-based) the borrower applies in, and the day of the month (1–28) of its cycle. */
  readonly applyMonth: number;
  readonly cycleDay: number;
  readonly volatility: number;
  readonly lossMonthly: number;
  readonly recoveryMonthly: number;
  readonly incomeAfterLoss: number;
  readonly events: readonly ScriptedEvent[];
  /** What the credit bureau saw of the borrower's past (0–4 marks: lenders, overdue months), partly from willingness. */
  readonly bureauMarks: number;
}

/** Mixes the run's seed with a replication and a borrower number into one 32-bit seed (splitmix-style). */
export function borrowerSeed(seed: number, replication: number, index: number): number {
  let h = (seed ^ Math.imul(replication + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard normal draw (Box–Muller). */
export function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function pickShare(rand: () => number, shares: Readonly<Record<string, number>>): string {
  const keys = Object.keys(shares);
  let x = rand();
  for (const k of keys) {
    if (x < shares[k]!) return k;
    x -= shares[k]!;
  }
  return keys[keys.length - 1]!;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const roundTo = (fen: number, unit: number) => Math.max(unit, Math.round(fen / unit) * unit);

/** Draws borrower `index` of a population for a replication. */
export function drawBorrower(
  population: PopulationSpec,
  seed: number,
  replication: number,
  index: number,
): { borrower: SimBorrower; rand: () => number } {
  const rand = seededRandom(borrowerSeed(seed, replication, index));
  let x = rand();
  let group = population.groups[population.groups.length - 1]!;
  for (const g of population.groups) {
    if (x < g.share) {
      group = g;
      break;
    }
    x -= g.share;
  }
  const person = syntheticCustomer(rand, index);
  const industry = pickShare(rand, group.industries);
  const region = pickShare(rand, population.regions);
  const income = roundTo(group.medianMonthlyIncome_fen * Math.exp(group.incomeSpread * normal(rand)), 10_000);
  const expenses = roundTo(
    income *
      clamp(
        population.expensesToIncome.median * Math.exp(population.expensesToIncome.spread * normal(rand)),
        0.1,
        0.85,
      ),
    10_000,
  );
  const assets =
    rand() < population.assets.zeroShare
      ? 0
      : roundTo(income * population.assets.medianMonthsOfIncome * Math.exp(normal(rand)), 100_000);
  const debtPayment =
    rand() < population.debts.zeroShare
      ? 0
      : roundTo(
          income * clamp(population.debts.paymentToIncomeMedian * Math.exp(0.5 * normal(rand)), 0.02, 0.6),
          10_000,
        );
  const t = population.traits;
  const ability = clamp(t.abilityMean + t.abilitySpread * normal(rand), 0.02, 1);
  // Willingness: 1 less an exponential shortfall scaled by the group's relative risk (credit_data.csv).
  const willingness = clamp(
    1 - t.willingnessShortfall * group.relativeRisk * -Math.log(Math.max(rand(), 1e-12)),
    0,
    1,
  );
  const months = population.requestedLimitMonths;
  const requested = roundTo(income * (months.min + rand() * (months.max - months.min)), 100_000);
  const borrower: SimBorrower = {
    index,
    customerId: `sim-${replication}-${index}`,
    name: person.name,
    archetype: null,
    group: group.id,
    occupation: group.occupation,
    process: group.process,
    industry,
    region,
    income_fen: income,
    expenses_fen: expenses,
    assets_fen: assets,
    debtPayment_fen: debtPayment,
    debtOutstanding_fen: debtPayment * 24,
    statements: group.process === 'business' && rand() < group.statementsShare,
    requestedLimit_fen: Math.min(requested, 20_000_000),
    ability,
    willingness,
    applyMonth: randomInt(rand, 0, population.applicationMonths - 1),
    cycleDay: randomInt(rand, 1, 28),
    volatility: group.volatility,
    lossMonthly: group.lossMonthly,
    recoveryMonthly: group.recoveryMonthly,
    incomeAfterLoss: group.incomeAfterLoss,
    events: [],
    // Past conduct shows at the bureau: the less willing, the likelier an adverse mark (a stated assumption).
    bureauMarks: Math.min(4, Math.floor(-Math.log(Math.max(rand(), 1e-12)) * (1 - willingness) * 6)),
  };
  return { borrower, rand };
}

/**
 * The three borrowers the project started from, traced under every strategy: 张三 founded a start-up whose
 * business fails in month 6 (no statements: a young company); 李四 runs a restaurant (catering, with
 * statements) that a pandemic closes; 王五 is salaried in manufacturing and his income falls by 40 % in month 5.
 */
export function archetypes(population: PopulationSpec): SimBorrower[] {
  const base = {
    region: '广东省',
    assets_fen: 3_000_000,
    debtPayment_fen: 0,
    debtOutstanding_fen: 0,
    ability: 0.55,
    willingness: 0.92,
    applyMonth: 0,
    cycleDay: 10,
    recoveryMonthly: 0.1,
    incomeAfterLoss: 0.2,
    bureauMarks: 0,
  };
  const groupOf = (id: string) => population.groups.find((g) => g.id === id);
  return [
    {
      ...base,
      index: -1,
      customerId: 'archetype-zhangsan',
      name: '张三',
      archetype: '张三',
      group: groupOf('business-owner')?.id ?? 'business-owner',
      occupation: 'business-owner',
      process: 'business',
      industry: 'information-technology',
      income_fen: 1_500_000,
      expenses_fen: 600_000,
      statements: false,
      requestedLimit_fen: 3_000_000,
      volatility: 0.25,
      lossMonthly: 0,
      events: [{ month: 6, kind: 'business-failure' }],
    },
    {
      ...base,
      index: -2,
      customerId: 'archetype-lisi',
      name: '李四',
      archetype: '李四',
      group: groupOf('business-owner')?.id ?? 'business-owner',
      occupation: 'business-owner',
      process: 'business',
      industry: 'catering',
      income_fen: 1_200_000,
      expenses_fen: 500_000,
      statements: true,
      requestedLimit_fen: 4_000_000,
      volatility: 0.15,
      lossMonthly: 0,
      events: [],
    },
    {
      ...base,
      index: -3,
      customerId: 'archetype-wangwu',
      name: '王五',
      archetype: '王五',
      group: groupOf('salaried')?.id ?? 'salaried',
      occupation: 'salaried',
      process: 'salary',
      industry: 'manufacturing',
      income_fen: 900_000,
      expenses_fen: 450_000,
      statements: false,
      requestedLimit_fen: 2_500_000,
      volatility: 0,
      lossMonthly: 0,
      events: [{ month: 5, kind: 'income-fall', factor: 0.6 }],
    },
  ];
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** A resident ID number for a simulated borrower (valid check character, born 1985). */
function idNumberOf(index: number): string {
  const sequence = ((index % 1000) + 1000) % 1000;
  const body = `44030519850615${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return body + '10X98765432'[sum % 11]!;
}

/** The application the borrower submits, through origination's own validation (the wire form). */
export function applicationOf(b: SimBorrower, submittedAt: string): Application {
  const idNumber = idNumberOf(b.index);
  const evidenceKind =
    b.process === 'business' ? 'bank-statement' : b.process === 'freelance' ? 'tax-record' : 'payslip';
  const revenue = b.income_fen * 4;
  const wire: Record<string, unknown> = {
    applicationId: `app-${b.customerId}`,
    invitationCode: `inv-${b.customerId}`,
    productId: 'default',
    requestedLimit: yuan(b.requestedLimit_fen),
    channel: 'app',
    submittedAt,
    identity: {
      name: b.name,
      idNumber,
      phone: `138${String(((b.index % 1e8) + 1e8) % 1e8).padStart(8, '0')}`,
      birthDate: '1985-06-15',
    },
    address: { province: b.region, city: b.region, detail: '建设路 1 号' },
    contacts: [{ name: '联系人', relation: 'parent', phone: '13900000000' }],
    maritalStatus: 'married',
    housing: b.assets_fen > 50_000_000 ? 'owner' : 'rent',
    dependants: 1,
    employment: {
      occupation: b.occupation,
      industry: b.industry,
      monthsInRole: b.archetype === '张三' ? 10 : 36,
    },
    income: {
      declaredMonthly: yuan(b.income_fen),
      evidence: [{ kind: evidenceKind, monthlyAmount: yuan(b.income_fen) }],
    },
    monthlyExpenses: yuan(b.expenses_fen),
    assets: b.assets_fen > 0 ? [{ kind: 'deposit', value: yuan(b.assets_fen) }] : [],
    debts:
      b.debtPayment_fen > 0
        ? [
            {
              kind: 'consumer-loan',
              outstanding: yuan(b.debtOutstanding_fen),
              monthlyPayment: yuan(b.debtPayment_fen),
            },
          ]
        : [],
    bureau: {
      outstandingBalance: yuan(b.debtOutstanding_fen),
      lenders3m: (b.debtPayment_fen > 0 ? 1 : 0) + b.bureauMarks,
      lenders6m: (b.debtPayment_fen > 0 ? 1 : 0) + b.bureauMarks,
      lenders12m: (b.debtPayment_fen > 0 ? 2 : 0) + b.bureauMarks,
      worstDaysPastDue: b.bureauMarks > 0 ? 15 * b.bureauMarks : 0,
      overdueMonths24m: b.bureauMarks,
      historyMonths: 48,
    },
    device: {
      deviceId: `dev-${b.customerId}`,
      ip: '10.0.0.1',
      sim: `sim-${b.customerId}`,
      installSource: 'app-store',
      capturedAt: submittedAt,
    },
  };
  if (b.process === 'business') {
    wire.business = b.statements
      ? {
          name: '个体经营',
          industry: b.industry,
          plan: {
            purpose: 'working capital',
            projectedMonthlyRevenue: yuan(revenue),
            projectedMonthlyCosts: yuan(revenue - b.income_fen),
            monthsToBreakEven: 0,
          },
          statements: {
            periodMonths: 12,
            monthlyRevenue: yuan(revenue),
            monthlyCosts: yuan(revenue - Math.round(b.income_fen * 1.2)),
            monthlyOperatingCashFlow: yuan(Math.round(b.income_fen * 1.2)),
            cashBalance: yuan(Math.max(b.assets_fen, b.income_fen * 3)),
            monthlyDebtService: yuan(b.debtPayment_fen),
            monthsTrading: 36,
          },
        }
      : { name: '个体经营', industry: b.industry };
  }
  return validateApplication(wire);
}

/** The invitation the lender sent the borrower (the simulated population is the invited one). */
export function invitationOf(
  b: SimBorrower,
  application: Application,
  validFrom: string,
  expiresAt: string,
): Invitation {
  return {
    invitationId: `inv-${b.customerId}`,
    code: `inv-${b.customerId}`,
    applicantKey: application.identity.idNumber,
    productIds: ['default'],
    limitCap_fen: 20_000_000,
    channels: [],
    validFrom,
    expiresAt,
    status: 'active',
  };
}
