/**
 * Applications for the demo book: the request bodies of `POST /invitations`, `POST /blacklist` and
 * `POST /applications` for a seeded mix of applicants, so that the demo's decisions go through the real
 * intake, rules, scores and 强开 detectors. Identities come from the synthetic people of the demo book
 * (they look real and belong to nobody). Pure: the seed and the current instant come in as arguments.
 */
import { randomInt, seededRandom } from './seeded.js';
import { syntheticCustomer } from './synthetic-people.js';

/** Applicants in the demo (on top of the book's customers). */
export const DEMO_APPLICANTS = 48;
/** Applicants who share one device, the pattern of an agent opening lines for others (强开). */
const DEVICE_RING_SIZE = 5;

type Body = Record<string, unknown>;

export interface DemoApplicationPlan {
  invitations: Body[];
  blacklist: Body[];
  applications: Body[];
}

type Kind =
  | 'salaried'
  | 'civil-servant'
  | 'freelancer'
  | 'owner-with-statements'
  | 'owner-without'
  | 'retired';

const KINDS: readonly [Kind, number][] = [
  ['salaried', 0.5],
  ['civil-servant', 0.1],
  ['freelancer', 0.18],
  ['owner-with-statements', 0.1],
  ['owner-without', 0.06],
  ['retired', 0.06],
];

function pickKind(rand: () => number): Kind {
  let x = rand();
  for (const [kind, share] of KINDS) {
    if (x < share) return kind;
    x -= share;
  }
  return 'salaried';
}

const yuan = (n: number): string => `${n}.00`;

/** The birth date written in an 18-character resident ID number (digits 7–14). */
function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

function employmentOf(kind: Kind, rand: () => number): Body {
  switch (kind) {
    case 'salaried':
      return {
        occupation: 'salaried',
        industry: ['information-technology', 'manufacturing', 'retail', 'logistics'][randomInt(rand, 0, 3)],
        employer: '某科技有限公司',
        monthsInRole: randomInt(rand, 4, 120),
      };
    case 'civil-servant':
      return {
        occupation: 'civil-servant',
        industry: 'public-administration',
        monthsInRole: randomInt(rand, 24, 240),
      };
    case 'freelancer':
      return {
        occupation: 'freelancer',
        industry: ['design', 'media', 'education'][randomInt(rand, 0, 2)],
        monthsInRole: randomInt(rand, 6, 60),
      };
    case 'retired':
      return { occupation: 'retired', industry: 'none', monthsInRole: randomInt(rand, 12, 120) };
    default:
      return { occupation: 'business-owner', industry: 'catering', monthsInRole: randomInt(rand, 8, 96) };
  }
}

function business(rand: () => number): Body {
  const revenue = randomInt(rand, 40, 150) * 1_000;
  const costs = Math.round(revenue * (0.6 + rand() * 0.3));
  return {
    name: '小吃店',
    industry: 'catering',
    plan: {
      purpose: 'a second shop',
      projectedMonthlyRevenue: yuan(Math.round(revenue * 1.2)),
      projectedMonthlyCosts: yuan(Math.round(costs * 1.15)),
      monthsToBreakEven: randomInt(rand, 0, 12),
    },
    statements: {
      periodMonths: 12,
      monthlyRevenue: yuan(revenue),
      monthlyCosts: yuan(costs),
      monthlyOperatingCashFlow: yuan(Math.max(0, revenue - costs - 2_000)),
      cashBalance: yuan(randomInt(rand, 20, 300) * 1_000),
      monthlyDebtService: yuan(randomInt(rand, 0, 8) * 500),
      monthsTrading: randomInt(rand, 8, 96),
    },
  };
}

/** A bureau summary: lenders counted over 3, 6 and 12 months (each window holds the shorter one). */
function bureauOf(poor: boolean, rand: () => number): Body {
  const lenders3m = poor ? 5 : randomInt(rand, 0, 2);
  const lenders6m = lenders3m + (poor ? 2 : randomInt(rand, 0, 1));
  const lenders12m = lenders6m + (poor ? 2 : randomInt(rand, 0, 2));
  return {
    outstandingBalance: `${randomInt(rand, 0, 30) * 1_000}.00`,
    lenders3m,
    lenders6m,
    lenders12m,
    worstDaysPastDue: poor ? 95 : 0,
    overdueMonths24m: poor ? 4 : 0,
    historyMonths: randomInt(rand, 12, 150),
  };
}

/**
 * The demo's invitations, one blacklist entry and applications, in the order to send them. Most applicants
 * are invited; a few are not (refused as outside any invitation); five share one device (flagged); one has
 * a phone on the blacklist; a few have a poor bureau record; business owners come with and without statements.
 */
export function demoApplicationPlan(seed: number, now_ms: number): DemoApplicationPlan {
  const rand = seededRandom(seed ^ 0xa991);
  const inDays = (days: number) => new Date(now_ms + days * 86_400_000).toISOString();
  const invitations: Body[] = [];
  const blacklist: Body[] = [];
  const applications: Body[] = [];
  const ringDevice = 'dev-ring-0001';
  for (let i = 0; i < DEMO_APPLICANTS; i += 1) {
    // Sequence numbers far from the book's customers, so that no ID number repeats.
    const person = syntheticCustomer(rand, 900_000 + i);
    const kind = pickKind(rand);
    const invited = i % 8 !== 7;
    const inRing = i >= 20 && i < 20 + DEVICE_RING_SIZE;
    const poorBureau = i % 11 === 5;
    const monthlyIncome = Math.max(3_000, Math.round(person.declaredMonthlyIncome_fen / 100));
    if (invited) {
      invitations.push({
        idNumber: person.idNumber,
        productIds: ['default'],
        limitCap: yuan(randomInt(rand, 2, 10) * 10_000),
        expiresAt: inDays(90),
      });
    }
    if (i === 13) {
      blacklist.push({
        subject: 'phone',
        value: person.phone,
        reason: 'identity fraud confirmed on an earlier application',
        source: 'internal-review',
        evidence: 'case file FR-2026-0113: forged payslips, confirmed by the employer',
        expiresAt: inDays(365),
      });
    }
    const owner = kind === 'owner-with-statements' || kind === 'owner-without';
    const evidenceKind = owner ? 'bank-statement' : kind === 'freelancer' ? 'tax-record' : 'payslip';
    const digits = String(i).padStart(6, '0');
    applications.push({
      productId: 'default',
      requestedLimit: yuan(randomInt(rand, 1, 8) * 10_000),
      channel: 'app',
      identity: {
        name: person.name,
        idNumber: person.idNumber,
        phone: person.phone,
        birthDate: birthDateOf(person.idNumber),
      },
      address: person.address,
      contacts: person.contacts,
      maritalStatus: ['single', 'married', 'married', 'divorced'][randomInt(rand, 0, 3)],
      housing: ['owner', 'rent', 'parents'][randomInt(rand, 0, 2)],
      dependants: randomInt(rand, 0, 3),
      employment: employmentOf(kind, rand),
      income: {
        declaredMonthly: yuan(monthlyIncome),
        evidence: [
          { kind: evidenceKind, monthlyAmount: yuan(Math.round(monthlyIncome * (0.85 + rand() * 0.15))) },
        ],
      },
      monthlyExpenses: yuan(Math.round(monthlyIncome * (0.25 + rand() * 0.3))),
      assets: rand() < 0.6 ? [{ kind: 'deposit', value: yuan(randomInt(rand, 1, 60) * 5_000) }] : [],
      debts:
        rand() < 0.5
          ? []
          : [
              {
                kind: 'credit-card',
                outstanding: yuan(randomInt(rand, 1, 30) * 1_000),
                monthlyPayment: yuan(randomInt(rand, 1, 20) * 100),
              },
            ],
      bureau: bureauOf(poorBureau, rand),
      device: {
        deviceId: inRing ? ringDevice : `dev-${digits}`,
        ip: `10.20.${Math.floor(i / 200)}.${i % 200}`,
        sim: `898600${digits}00000000`,
        installSource: `store-${i}`,
        capturedAt: new Date(now_ms).toISOString(),
      },
      ...(kind === 'owner-with-statements' ? { business: business(rand) } : {}),
      ...(kind === 'owner-without' ? { business: { name: '小吃店', industry: 'catering' } } : {}),
    });
  }
  return { invitations, blacklist, applications };
}
