import { describe, expect, it } from 'vitest';
import {
  type BlacklistEntry,
  canonicalJson,
  challengerDecides,
  type Decision,
  decide,
  decisionContent,
  deriveMeasures,
  type PastApplication,
  pastApplicationOf,
  scoreApplication,
  verifyRecord,
} from '../../src/origination/index.js';
import { policyOutcome } from '../../src/origination/outcome.js';
import {
  application,
  BUSINESS_TIME,
  championLosing,
  contextFor,
  defaultPolicyAndModels,
  idNumberFor,
  invitationFor,
  policyWith,
} from './helpers.js';

const FREELANCER = {
  applicationId: 'app-freelancer-1',
  requestedLimit: '20000.00',
  identity: { idNumber: idNumberFor('19880515', 11), birthDate: '1988-05-15', phone: '13600136000' },
  maritalStatus: 'single',
  housing: 'rent',
  employment: { occupation: 'freelancer', industry: 'design', employer: undefined, monthsInRole: 40 },
  income: {
    declaredMonthly: '12000.00',
    evidence: [{ kind: 'bank-statement', monthlyAmount: '11000.00' }],
  },
  assets: [{ kind: 'deposit', value: '60000.00' }],
  debts: [],
  bureau: { outstandingBalance: '0.00' },
};

const STATEMENTS = {
  periodMonths: 12,
  monthlyRevenue: '150000.00',
  monthlyCosts: '120000.00',
  monthlyOperatingCashFlow: '30000.00',
  cashBalance: '200000.00',
  monthlyDebtService: '5000.00',
  monthsTrading: 48,
};

function businessOwner(withStatements: boolean) {
  return {
    applicationId: `app-business-${withStatements}`,
    requestedLimit: '80000.00',
    identity: { idNumber: idNumberFor('19800101', 21), birthDate: '1980-01-01', phone: '13500135000' },
    employment: {
      occupation: 'business-owner',
      industry: 'catering',
      employer: '老王面馆',
      monthsInRole: 60,
    },
    income: {
      declaredMonthly: '30000.00',
      evidence: [{ kind: 'business-statements', monthlyAmount: '30000.00' }],
    },
    business: {
      name: '老王面馆',
      industry: 'catering',
      ...(withStatements
        ? {
            plan: {
              purpose: 'a second shop',
              projectedMonthlyRevenue: '200000.00',
              projectedMonthlyCosts: '160000.00',
              monthsToBreakEven: 6,
            },
            statements: STATEMENTS,
          }
        : {}),
    },
  };
}

function codes(d: Decision): string[] {
  return d.reasons.map((r) => r.code);
}

/** Past applications by other people, sharing with the applicant what `patch` says. */
function others(n: number, patch: Partial<PastApplication>, minutesAgo = 60): PastApplication[] {
  const at = new Date(Date.parse(BUSINESS_TIME) - minutesAgo * 60_000).toISOString();
  return Array.from({ length: n }, (_, i) => ({
    ...pastApplicationOf(
      application({
        applicationId: `other-${i}`,
        identity: { idNumber: idNumberFor('19950101', 100 + i), birthDate: '1995-01-01' },
      }),
    ),
    deviceKey: `device-${i}`,
    ipKey: `ip-${i}`,
    simKey: `sim-${i}`,
    channel: 'h5',
    installSource: `source-${i}`,
    contactPhoneKeys: [`1330000${String(i).padStart(4, '0')}`],
    submittedAt: at,
    ...patch,
  }));
}

describe('decide: representative applicants', () => {
  it('approves the invited salaried applicant within the invitation and income caps', async () => {
    const app = application();
    const d = await decide(app, contextFor(app));
    expect(d.outcome).toBe('approve');
    expect(d.limit_fen).toBe(3_000_000);
    expect(d.riskGrade).toBe('A');
    expect(d.dailyRate).toBe('0.0002');
    expect(Number(d.apr)).toBeLessThanOrEqual(0.24);
    expect(d.termOptions.map((t) => t.months)).toEqual([3, 6, 12]);
    expect(d.invitationId).toBe(`inv-${app.applicationId}`);
    expect(d.policy).toMatchObject({ policyId: 'default', version: '2026.11.1' });
    expect(d.score.model).toMatchObject({ modelId: 'application-scorecard', kind: 'scorecard' });
    expect(d.challenger?.role).toBe('shadow');
    expect(d.challenger?.score.model.kind).toBe('gbm');
    expect(codes(d)).toEqual(expect.arrayContaining(['CUT_PASS', 'LIMIT_A4', 'CAP_REQUESTED', 'PRICE_A']));
  });

  it('decides the freelancer in the self-employed segment with its own cut-off', async () => {
    const app = application(FREELANCER);
    const d = await decide(app, contextFor(app));
    const cut = d.rulesFired.find((r) => r.table === 'Score cut-off by segment')!;
    expect(cut.values['applicant.segment']).toBe('self-employed');
    expect(['approve', 'refer']).toContain(d.outcome);
    expect(d.limit_fen).toBeLessThanOrEqual(4 * 1_100_000);
    expect(d.derived.verifiedMonthlyIncome_fen).toBe(1_100_000);
  });

  it('approves a business owner with a plan and statements, using debt-service coverage and runway', async () => {
    const app = application(businessOwner(true));
    const d = await decide(
      app,
      contextFor(app, {
        invitations: [invitationFor(application(businessOwner(true)), { limitCap_fen: 10_000_000 })],
      }),
    );
    expect(d.derived.businessStatementsRequired).toBe(true);
    expect(d.derived.businessStatementsSupplied).toBe(true);
    // 30,000 cash flow ÷ (5,000 business debt service + the line's planned instalment)
    expect(d.derived.debtServiceCoverage).toBeGreaterThan(2);
    expect(d.derived.cashRunwayMonths).toBeNull();
    expect(codes(d)).not.toContain('REF_BUSINESS_DOCUMENTS');
    expect(d.outcome).toBe('approve');
  });

  it('refers a business owner above the threshold without statements, asking for them', async () => {
    const app = application(businessOwner(false));
    const d = await decide(
      app,
      contextFor(app, { invitations: [invitationFor(app, { limitCap_fen: 10_000_000 })] }),
    );
    expect(d.outcome).toBe('refer');
    expect(codes(d)).toContain('REF_BUSINESS_DOCUMENTS');
    const reason = d.reasons.find((r) => r.code === 'REF_BUSINESS_DOCUMENTS')!;
    expect(reason.values).toEqual({
      'business.statementsRequired': true,
      'business.statementsSupplied': false,
    });
  });

  it('declines a business burning cash with under 3 months of runway', async () => {
    const wire = businessOwner(true);
    const app = application({
      ...wire,
      business: {
        ...wire.business,
        statements: { ...STATEMENTS, monthlyOperatingCashFlow: '-80000.00', cashBalance: '160000.00' },
      },
    });
    const d = await decide(app, contextFor(app));
    expect(d.derived.cashRunwayMonths).toBe(2);
    expect(d.outcome).toBe('decline');
    expect(codes(d)).toEqual(expect.arrayContaining(['KO_CASH_RUNWAY', 'KO_DEBT_SERVICE']));
    expect(d.limit_fen).toBe(0);
    expect(d.dailyRate).toBeNull();
    expect(d.termOptions).toEqual([]);
  });

  it('refers an applicant whose income has no verifying document, with a limit of 0 until it comes', async () => {
    const app = application({ income: { declaredMonthly: '15000.00', evidence: [] } });
    const d = await decide(app, contextFor(app));
    expect(d.outcome).toBe('refer');
    expect(codes(d)).toContain('REF_INCOME_UNVERIFIED');
    expect(d.limit_fen).toBe(0);
  });
});

describe('decisionContent', () => {
  it('is the content decide seals, without its hash', async () => {
    const app = application();
    const sealed = await decide(app, contextFor(app));
    const { contentHash: _hash, ...content } = sealed;
    expect(JSON.parse(JSON.stringify(await decisionContent(app, contextFor(app))))).toEqual(content);
  });
});

describe('decide: blacklist', () => {
  const entry = (patch: Partial<BlacklistEntry>): BlacklistEntry => ({
    entryId: 'bl-1',
    subject: 'id-number',
    key: application().identity.idNumber,
    reason: 'judgment debt unpaid while able to pay',
    source: 'court-dishonest-debtor',
    evidence: '(2025)京0105执1234号',
    listedAt: '2026-01-10T00:00:00+08:00',
    expiresAt: '2027-01-10T00:00:00+08:00',
    ...patch,
  });

  it('declines on a hit and explains it, with the objection path', async () => {
    const app = application();
    const d = await decide(app, contextFor(app, { blacklist: [entry({})] }));
    expect(d.outcome).toBe('decline');
    expect(d.blacklistHits).toHaveLength(1);
    expect(d.blacklistHits[0]!.explanation).toMatch(/失信被执行人.*\(2025\)京0105执1234号.*object/);
    expect(codes(d)).toContain('BLACKLIST_HIT');
  });

  it('ignores an expired entry and one not yet in force', async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, {
        blacklist: [
          entry({ entryId: 'old', expiresAt: '2026-11-28T09:59:59+08:00' }),
          entry({ entryId: 'future', listedAt: '2026-12-01T00:00:00+08:00' }),
        ],
      }),
    );
    expect(d.blacklistHits).toEqual([]);
    expect(d.outcome).toBe('approve');
  });

  it('refers, not declines, on a network address entry', async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { blacklist: [entry({ subject: 'ip', key: app.device.ip })] }),
    );
    expect(d.outcome).toBe('refer');
  });
});

describe('decide: invitation whitelist and 强开 patterns', () => {
  it('declines an application outside any invitation, flagged for review', async () => {
    const app = application({ invitationCode: undefined });
    const d = await decide(app, contextFor(app, { invitations: [] }));
    expect(d.outcome).toBe('decline');
    expect(d.flags.map((f) => f.kind)).toEqual(['outside-invitation']);
    expect(d.flags[0]!.evidence).toMatchObject({ channel: 'app', installSource: 'huawei-appgallery' });
  });

  it('declines an invitation code issued to someone else', async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { invitations: [invitationFor(app, { applicantKey: 'someone-else' })] }),
    );
    expect(d.flags[0]).toMatchObject({ kind: 'outside-invitation-terms', severity: 'refuse' });
  });

  it.each([
    ['an unofficial channel', { channel: 'agent:xyz' }, {}, /channel "agent:xyz"/],
    ['an expired invitation', {}, { expiresAt: '2026-11-01T00:00:00+08:00' }, /expired/],
    ['a revoked invitation', {}, { status: 'revoked' as const }, /revoked/],
    ['another product', { productId: 'premium' }, {}, /product "premium"/],
  ])('declines %s, naming the broken term', async (_name, appPatch, invitationPatch, broken) => {
    const app = application(appPatch);
    const d = await decide(app, contextFor(app, { invitations: [invitationFor(app, invitationPatch)] }));
    expect(d.outcome).toBe('decline');
    expect(d.flags[0]!.kind).toBe('outside-invitation-terms');
    expect((d.flags[0]!.evidence.broken as string[]).join('; ')).toMatch(broken);
  });

  it("holds the limit at the invitation's cap", async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { invitations: [invitationFor(app, { limitCap_fen: 1_234_500 })] }),
    );
    expect(d.limit_fen).toBe(1_230_000);
    expect(codes(d)).toContain('CAP_INVITATION');
  });

  it('flags a device shared by many applicants, with the other applications', async () => {
    const app = application();
    const history = { recentApplications: others(3, { deviceKey: app.device.deviceId }) };
    const d = await decide(app, contextFor(app, { history }));
    const flag = d.flags.find((f) => f.kind === 'shared-device')!;
    expect(flag.severity).toBe('refuse');
    expect(flag.evidence).toMatchObject({ otherApplicants: 3, applicantsMax: 2, window_days: 30 });
    expect(flag.evidence.applicationIds).toEqual(['other-0', 'other-1', 'other-2']);
    expect(d.outcome).toBe('decline');
  });

  it('does not flag a device shared within the threshold or outside the window', async () => {
    const app = application();
    const history = {
      recentApplications: [
        ...others(2, { deviceKey: app.device.deviceId }),
        ...others(5, { deviceKey: app.device.deviceId }, 31 * 24 * 60).map((p, i) => ({
          ...p,
          applicantKey: `old-${i}`,
        })),
      ],
    };
    const d = await decide(app, contextFor(app, { history }));
    expect(d.flags).toEqual([]);
  });

  it('refers on a network address shared by many applicants', async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { history: { recentApplications: others(21, { ipKey: app.device.ip }) } }),
    );
    expect(d.flags.map((f) => [f.kind, f.severity])).toEqual([['shared-ip', 'review']]);
    expect(d.outcome).toBe('refer');
  });

  it('declines a SIM card used by another applicant', async () => {
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { history: { recentApplications: others(2, { simKey: app.device.sim }) } }),
    );
    expect(d.flags.map((f) => f.kind)).toEqual(['shared-sim']);
    expect(d.flags[0]!.summary).toBe(
      'the SIM card was used by 2 other applicants in 30 days (at most 1 allowed)',
    );
    expect(d.outcome).toBe('decline');
  });

  it('counts one other applicant and one day in the singular', async () => {
    const policy = policyWith((doc) => ({
      ...doc,
      settings: {
        ...doc.settings,
        fraud: { ...doc.settings.fraud, sharedSimApplicantsMax: 0, sharedWindow_days: 1 },
      },
    }));
    const app = application();
    const d = await decide(
      app,
      contextFor(app, { policy, history: { recentApplications: others(1, { simKey: app.device.sim }) } }),
    );
    expect(d.flags.map((f) => f.summary)).toEqual([
      'the SIM card was used by 1 other applicant in 1 day (at most 0 allowed)',
    ]);
  });

  it('declines an agent-like burst from one channel and install source', async () => {
    const app = application();
    const burst = others(30, { channel: 'app', installSource: 'huawei-appgallery' }, 5);
    const d = await decide(app, contextFor(app, { history: { recentApplications: burst } }));
    const flag = d.flags.find((f) => f.kind === 'burst-from-source')!;
    expect(flag.evidence).toMatchObject({
      applications: 31,
      applicationsMax: 30,
      window_minutes: 10,
      distinctApplicants: 30,
    });
    expect(d.outcome).toBe('decline');
  });

  it('words a score reason by the points it lost, one point in the singular', async () => {
    const app = application();
    const reasons = async (points: number) =>
      (await decide(app, contextFor(app, { models: championLosing(points) }))).reasons.filter(
        (r) => r.source === 'score',
      );
    for (const [points, words] of [
      [1, '1 point'],
      [2, '2 points'],
    ] as const) {
      const found = await reasons(points);
      expect(found.length).toBeGreaterThan(0);
      for (const r of found) {
        expect(r.values).toMatchObject({ pointsLost: points });
        expect(r.message).toBe(
          `${r.values!.feature} = ${r.values!.value} cost ${words} against its best value`,
        );
      }
    }
  });

  it('counts the burst window in minutes, one minute in the singular', async () => {
    const summary = async (burstWindow_minutes: number) => {
      const policy = policyWith((doc) => ({
        ...doc,
        settings: {
          ...doc.settings,
          fraud: { ...doc.settings.fraud, burstWindow_minutes, burstApplicationsMax: 1 },
        },
      }));
      const app = application();
      const burst = others(1, { channel: app.channel, installSource: app.device.installSource }, 0.5);
      const d = await decide(app, contextFor(app, { policy, history: { recentApplications: burst } }));
      return d.flags.find((f) => f.kind === 'burst-from-source')?.summary;
    };
    const app = application();
    const from = `from channel "${app.channel}" and install source "${app.device.installSource}"`;
    expect(await summary(1)).toBe(`2 applications ${from} within 1 minute (at most 1)`);
    expect(await summary(2)).toBe(`2 applications ${from} within 2 minutes (at most 1)`);
  });

  it('flags many applicants naming the same contact numbers', async () => {
    const app = application();
    const shared = others(4, { contactPhoneKeys: [app.contacts[0]!.phone] });
    const d = await decide(app, contextFor(app, { history: { recentApplications: shared } }));
    expect(d.flags.map((f) => f.kind)).toEqual(['shared-contact-numbers']);
    expect(d.flags[0]!.evidence.otherApplicants).toBe(4);
    expect(d.outcome).toBe('refer');
  });

  it('counts one other applicant naming the same contact numbers, and one day, in the singular', async () => {
    const summary = async (n: number, sharedWindow_days: number) => {
      const policy = policyWith((doc) => ({
        ...doc,
        settings: {
          ...doc.settings,
          fraud: { ...doc.settings.fraud, sharedContactApplicantsMax: 0, sharedWindow_days },
        },
      }));
      const app = application();
      const shared = others(n, { contactPhoneKeys: [app.contacts[0]!.phone] });
      const d = await decide(app, contextFor(app, { policy, history: { recentApplications: shared } }));
      return d.flags.find((f) => f.kind === 'shared-contact-numbers')?.summary;
    };
    expect(await summary(1, 1)).toBe('1 other applicant named the same contact numbers in 1 day (at most 0)');
    expect(await summary(2, 2)).toBe(
      '2 other applicants named the same contact numbers in 2 days (at most 0)',
    );
  });

  it('declines data altered between retries, showing before and after', async () => {
    const earlier = application({ applicationId: 'app-salaried-0', income: { declaredMonthly: '9000.00' } });
    const app = application();
    const past = {
      ...pastApplicationOf(earlier),
      submittedAt: '2026-11-20T10:00:00+08:00',
      outcome: 'decline' as const,
    };
    const d = await decide(app, contextFor(app, { history: { recentApplications: [past] } }));
    const flag = d.flags.find((f) => f.kind === 'altered-between-retries')!;
    expect(flag.evidence).toMatchObject({
      earlierApplicationId: 'app-salaried-0',
      changed: { declaredMonthlyIncome_fen: { before: 900_000, after: 1_500_000 } },
    });
    expect(d.outcome).toBe('decline');
  });

  it('does not flag a retry with the same answers', async () => {
    const app = application();
    const past = {
      ...pastApplicationOf(application({ applicationId: 'app-salaried-0' })),
      submittedAt: '2026-11-27T10:00:00+08:00',
    };
    const d = await decide(app, contextFor(app, { history: { recentApplications: [past] } }));
    expect(d.flags).toEqual([]);
  });

  it('declines an applicant applying above the velocity limit', async () => {
    const app = application();
    const mine = [1, 2, 3].map((i) => ({
      ...pastApplicationOf(application({ applicationId: `app-salaried-r${i}` })),
      submittedAt: `2026-11-28T0${i}:00:00+08:00`,
    }));
    const d = await decide(app, contextFor(app, { history: { recentApplications: mine } }));
    const flag = d.flags.find((f) => f.kind === 'velocity')!;
    expect(flag.evidence).toMatchObject({ applications: 4, applicationsMax: 3, window_hours: 24 });
    expect(d.outcome).toBe('decline');
  });

  it('counts the velocity window in hours, one hour in the singular', async () => {
    const summary = async (velocityWindow_hours: number) => {
      const policy = policyWith((doc) => ({
        ...doc,
        settings: {
          ...doc.settings,
          fraud: { ...doc.settings.fraud, velocityWindow_hours, velocityApplicationsMax: 1 },
        },
      }));
      const app = application();
      const mine = [
        {
          ...pastApplicationOf(application({ applicationId: 'app-salaried-r1' })),
          submittedAt: '2026-11-28T09:30:00+08:00',
        },
      ];
      const d = await decide(app, contextFor(app, { policy, history: { recentApplications: mine } }));
      return d.flags.find((f) => f.kind === 'velocity')?.summary;
    };
    expect(await summary(1)).toBe('2 applications by this applicant within 1 hour (at most 1)');
    expect(await summary(2)).toBe('2 applications by this applicant within 2 hours (at most 1)');
  });

  it('compares keys through the blind index the shell passes', async () => {
    const app = application();
    const keyOf = (kind: string, value: string) => `${kind}:${value.length}:${value.slice(-2)}`;
    const d = await decide(
      app,
      contextFor(app, {
        keyOf,
        invitations: [invitationFor(app, { applicantKey: keyOf('id-number', app.identity.idNumber) })],
        history: { recentApplications: others(2, { simKey: keyOf('sim', app.device.sim) }) },
      }),
    );
    expect(d.invitationId).not.toBeNull();
    expect(d.flags.map((f) => f.kind)).toEqual(['shared-sim']);
  });
});

describe('decide: challenger and record', () => {
  it('splits traffic deterministically by application id, near the share', () => {
    let served = 0;
    for (let i = 0; i < 2000; i++) if (challengerDecides(`app-${i}`, 0.2)) served++;
    expect(served).toBeGreaterThan(320);
    expect(served).toBeLessThan(480);
    expect(challengerDecides('app-7', 0.2)).toBe(challengerDecides('app-7', 0.2));
    expect(challengerDecides('app-7', 0)).toBe(false);
    expect(challengerDecides('app-7', 1)).toBe(true);
  });

  it('lets the challenger decide under a split of 1 and records the champion', async () => {
    const policy = policyWith((doc) => ({
      ...doc,
      settings: { ...doc.settings, challenger: { mode: 'split', share: 1 } },
    }));
    const app = application();
    const d = await decide(app, contextFor(app, { policy }));
    expect(d.score.model.kind).toBe('gbm');
    expect(d.challenger).toMatchObject({ role: 'served' });
    expect(d.challenger!.score.model.kind).toBe('scorecard');
  });

  it('names the longest term of the price in English months, one month in the singular', async () => {
    const app = application();
    const priceReason = async (termOptions_months: number[]) => {
      const policy = policyWith((doc) => ({ ...doc, settings: { ...doc.settings, termOptions_months } }));
      const d = await decide(app, contextFor(app, { policy }));
      const message = d.reasons.find((r) => r.source === 'pricing' && r.code.startsWith('PRICE'))?.message;
      return { message, d };
    };
    const one = await priceReason([1]);
    expect(one.message).toBe(
      `daily rate ${one.d.dailyRate} for risk grade ${one.d.riskGrade}, APR ${one.d.apr} at 1 month`,
    );
    const two = await priceReason([1, 2]);
    expect(two.message).toBe(
      `daily rate ${two.d.dailyRate} for risk grade ${two.d.riskGrade}, APR ${two.d.apr} at 2 months`,
    );
  });

  it('records no challenger when the policy turns it off', async () => {
    const policy = policyWith((doc) => ({
      ...doc,
      settings: { ...doc.settings, challenger: { mode: 'off', share: 0 } },
    }));
    const app = application();
    expect((await decide(app, contextFor(app, { policy }))).challenger).toBeUndefined();
  });

  it('is frozen and carries the hash of its content; a changed record no longer verifies', async () => {
    const app = application();
    const d = await decide(app, contextFor(app));
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.reasons[0])).toBe(true);
    expect(() => {
      (d as { limit_fen: number }).limit_fen = 1;
    }).toThrow();
    expect(verifyRecord(d)).toBe(true);
    const altered: Decision = { ...d, limit_fen: d.limit_fen + 100 };
    expect(verifyRecord(altered)).toBe(false);
  });

  it('gives the same bytes for the same inputs', async () => {
    const app = application();
    const a = await decide(app, contextFor(app));
    const b = await decide(application(), contextFor(application()));
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(b.contentHash).toBe(a.contentHash);
  });

  it('lowers a policy rate priced above the APR cap to the cap, saying so', async () => {
    const policy = policyWith((doc) => {
      const graph = doc.graphs.pricing as unknown as {
        nodes: { type: string; content: { rules: Record<string, string>[] } }[];
      };
      const table = graph.nodes.find((n) => n.type === 'decisionTableNode')!;
      table.content.rules[0]!.out1 = '"0.0009"';
      return doc;
    });
    const app = application();
    const d = await decide(app, contextFor(app, { policy }));
    expect(codes(d)).toContain('RATE_CAPPED');
    for (const t of d.termOptions) expect(Number(t.apr)).toBeLessThanOrEqual(0.24);
    expect(Number(d.dailyRate)).toBeLessThan(0.0009);
  });
});

describe('the shadow outcome', () => {
  it('is not priced, and has the outcome, limit and grade of the priced one', async () => {
    const app = application();
    const { policy, models } = defaultPolicyAndModels();
    const settings = policy.document.settings;
    const derived = deriveMeasures(app, settings, BUSINESS_TIME);
    for (const model of [models.champion, models.challenger!]) {
      const inputs = {
        application: app,
        derived,
        businessTime: BUSINESS_TIME,
        limitCaps: [],
        flags: [],
        blacklistHits: [],
        capAtRequest: true,
        score: scoreApplication(model, app, derived, settings),
      };
      const priced = await policyOutcome(policy, inputs);
      const shadow = await policyOutcome(policy, { ...inputs, withoutPrice: true });
      expect(priced.outcome).toBe('approve');
      expect(priced.termOptions.length).toBeGreaterThan(0);
      expect({ outcome: shadow.outcome, limit_fen: shadow.limit_fen, riskGrade: shadow.riskGrade }).toEqual({
        outcome: priced.outcome,
        limit_fen: priced.limit_fen,
        riskGrade: priced.riskGrade,
      });
      expect({ dailyRate: shadow.dailyRate, apr: shadow.apr, termOptions: shadow.termOptions }).toEqual({
        dailyRate: null,
        apr: null,
        termOptions: [],
      });
    }
  });

  it('declined before the limit, gives no limit and the grade of the full evaluation', async () => {
    const app = application();
    const { policy, models } = defaultPolicyAndModels();
    const settings = policy.document.settings;
    const derived = deriveMeasures(app, settings, BUSINESS_TIME);
    const inputs = {
      application: app,
      derived,
      businessTime: BUSINESS_TIME,
      limitCaps: [],
      flags: [
        {
          kind: 'outside-invitation' as const,
          severity: 'refuse' as const,
          summary: 'no invitation',
          evidence: {},
        },
      ],
      blacklistHits: [],
      capAtRequest: true,
      score: scoreApplication(models.challenger!, app, derived, settings),
    };
    const full = await policyOutcome(policy, inputs);
    const shadow = await policyOutcome(policy, { ...inputs, withoutPrice: true });
    expect(full.outcome).toBe('decline');
    expect({ outcome: shadow.outcome, limit_fen: shadow.limit_fen, riskGrade: shadow.riskGrade }).toEqual({
      outcome: full.outcome,
      limit_fen: full.limit_fen,
      riskGrade: full.riskGrade,
    });
  });
});
