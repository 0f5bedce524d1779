/**
 * Origination benchmark (not a test), in-process half: decisions per second and latency percentiles of
 * `decide` with the shipped scorecard (and its boosted challenger in shadow, as the default policy says) and the
 * default policy pack, over a varied set of invited applicants with a small history each. Side by side in the same
 * run: the rules engine alone (the five policy graphs, traced) and the scorecard alone, so the share of each is
 * visible on a loaded machine. Prints CPU time next to wall time and the load average.
 * Run: `npm run bench:decide` (from source). Options: --decisions N (default 5,000), --concurrency K (default 1).
 */

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readModels, readPolicy } from '../src/jobs/index.js';
import {
  type Application,
  compilePolicy,
  type DecisionContext,
  decide,
  deriveMeasures,
  evaluateGraphs,
  type Invitation,
  idNumberCheckCharacter,
  type PastApplication,
  pastApplicationOf,
  policyFacts,
  scoreApplication,
  validateApplication,
} from '../src/origination/index.js';

const BUSINESS_TIME = '2026-11-28T10:00:00+08:00';
const WARM_UP_DECISIONS = 300;
const HISTORY_ROWS_PER_APPLICANT = 20;
const OCCUPATIONS = ['salaried', 'civil-servant', 'freelancer', 'retired', 'other'] as const;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const decisions = Number(argValue('--decisions') ?? 5000);
const concurrency = Number(argValue('--concurrency') ?? 1);

const fixture = fileURLToPath(new URL('../test/fixtures/origination/salaried.json', import.meta.url));
const base = (JSON.parse(readFileSync(fixture, 'utf8')) as { application: Record<string, unknown> })
  .application;

/** A deterministic variety of applicants: income, limit, tenure, bureau and occupation move with i. */
function applicant(i: number): Application {
  const first17 = `3101041990${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  const birthDate = `1990-${first17.slice(10, 12)}-${first17.slice(12, 14)}`;
  const income = 3000 + ((i * 7919) % 40000);
  return validateApplication({
    ...base,
    applicationId: `bench-${i}`,
    invitationCode: `inv-${i}`,
    requestedLimit: `${5000 + ((i * 104729) % 95000)}.00`,
    identity: {
      ...(base.identity as object),
      idNumber: first17 + idNumberCheckCharacter(first17),
      birthDate,
    },
    employment: {
      occupation: OCCUPATIONS[i % OCCUPATIONS.length],
      industry: 'retail',
      monthsInRole: (i * 13) % 240,
    },
    income: {
      declaredMonthly: `${income}.00`,
      evidence: i % 5 === 0 ? [] : [{ kind: 'tax-record', monthlyAmount: `${income}.00` }],
    },
    bureau: {
      ...(base.bureau as object),
      lenders3m: i % 4,
      lenders6m: i % 4,
      lenders12m: (i % 4) + 1,
      historyMonths: i % 100,
    },
    contacts: [{ name: '联系人', relation: 'parent', phone: `139${String(i).padStart(8, '0')}` }],
    device: {
      ...(base.device as object),
      deviceId: `dev-${i % 997}`,
      ip: `10.0.${i % 251}.${i % 7}`,
      sim: `sim-${i}`,
    },
  });
}

function invitation(app: Application): Invitation {
  return {
    invitationId: `inv-${app.applicationId}`,
    code: app.invitationCode!,
    applicantKey: app.identity.idNumber,
    productIds: ['default'],
    limitCap_fen: 8_000_000,
    channels: ['app'],
    validFrom: '2026-11-01T00:00:00+08:00',
    expiresAt: '2026-12-31T23:59:59+08:00',
    status: 'active',
  };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function report(
  label: string,
  latencies_ms: Float64Array,
  wall_ms: number,
  cpu_us: { user: number; system: number },
) {
  const sorted = Float64Array.from(latencies_ms).sort();
  const cpu_ms = (cpu_us.user + cpu_us.system) / 1000;
  console.log(
    `${label.padEnd(34)} ${String(latencies_ms.length).padStart(6)} runs  ${((latencies_ms.length / wall_ms) * 1000).toFixed(0).padStart(6)}/s wall  ` +
      `${((latencies_ms.length / cpu_ms) * 1000).toFixed(0).padStart(6)}/s CPU  p50 ${percentile(sorted, 0.5).toFixed(3)} ms  ` +
      `p99 ${percentile(sorted, 0.99).toFixed(3)} ms  p99.9 ${percentile(sorted, 0.999).toFixed(3)} ms  max ${sorted[sorted.length - 1]!.toFixed(3)} ms  ` +
      `CPU ${(cpu_ms / latencies_ms.length).toFixed(3)} ms/run`,
  );
}

async function timed(label: string, n: number, one: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(WARM_UP_DECISIONS, n); i++) await one(i);
  const latencies = new Float64Array(n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let start = 0; start < n; start += concurrency) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(n, start + concurrency); i++) {
      batch.push(
        (async () => {
          const s = performance.now();
          await one(i);
          latencies[i] = performance.now() - s;
        })(),
      );
    }
    await Promise.all(batch);
  }
  const wall = performance.now() - t0;
  report(label, latencies, wall, process.cpuUsage(cpu0));
}

const policyDir = fileURLToPath(new URL('../policies/default', import.meta.url));
const policy = compilePolicy(readPolicy(policyDir));
const models = readModels();
const applicants = Array.from({ length: decisions }, (_, i) => applicant(i));
const contexts: DecisionContext[] = applicants.map((app, i) => {
  const history: PastApplication[] = Array.from({ length: HISTORY_ROWS_PER_APPLICANT }, (_, k) => ({
    ...pastApplicationOf(applicants[(i + k + 1) % applicants.length]!),
    submittedAt: '2026-11-27T10:00:00+08:00',
  }));
  return {
    businessTime: BUSINESS_TIME,
    policy,
    models,
    invitations: [invitation(app)],
    blacklist: [],
    history: { recentApplications: history },
  };
});

console.log(
  `origination in-process benchmark: ${decisions} decisions, concurrency ${concurrency}, node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const settings = policy.document.settings;
const facts = applicants.map((app) => {
  const derived = deriveMeasures(app, settings, BUSINESS_TIME);
  return policyFacts(app, derived, scoreApplication(models.champion, app, derived, settings));
});
await timed('scorecard only (score + reasons)', decisions, async (i) => {
  const app = applicants[i]!;
  scoreApplication(models.champion, app, deriveMeasures(app, settings, BUSINESS_TIME), settings);
});
await timed('rules engine only (5 graphs, 2 calls)', decisions, async (i) => {
  const f = facts[i]!;
  await evaluateGraphs(policy, ['knockout', 'cutoffs', 'referral'], f);
  await evaluateGraphs(policy, ['limits', 'pricing'], { ...f, riskGrade: 'B' });
});
await timed('decide, champion only', decisions, (i) =>
  decide(applicants[i]!, { ...contexts[i]!, models: { champion: models.champion } }),
);
await timed('decide, challenger in shadow', decisions, (i) => decide(applicants[i]!, contexts[i]!));
const outcomes = new Map<string, number>();
const reasons = new Map<string, number>();
for (let i = 0; i < Math.min(decisions, 1000); i++) {
  const d = await decide(applicants[i]!, contexts[i]!);
  outcomes.set(d.outcome, (outcomes.get(d.outcome) ?? 0) + 1);
  for (const r of d.reasons) if (r.source !== 'score') reasons.set(r.code, (reasons.get(r.code) ?? 0) + 1);
}
console.log(`reasons: ${JSON.stringify(Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])))}`);
console.log(
  `outcomes of the first ${Math.min(decisions, 1000)}: ${JSON.stringify(Object.fromEntries(outcomes))}`,
);
console.log(
  `load average after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
