import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Decision,
  decide,
  invitationNotInForce,
  ReviewError,
  reviewCaps,
  reviewDecision,
  verifyRecord,
} from '../../src/origination/index.js';
import { application, contextFor, defaultPolicyAndModels, idNumberFor, invitationFor } from './helpers.js';

const INVITATION_CAP_FEN = 10_000_000;
const REQUESTED_FEN = 8_000_000;

/** A business owner without plan or statements: referred, with 30,000 yuan a month verified. */
const referredApp = () =>
  application({
    applicationId: 'app-review-1',
    requestedLimit: '80000.00',
    identity: { idNumber: idNumberFor('19800101', 31), birthDate: '1980-01-01', phone: '13500135031' },
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
    business: { name: '老王面馆', industry: 'catering' },
  });

describe('a person decides after the automation', () => {
  let automated: Decision;
  const settings = () => defaultPolicyAndModels().document.settings;
  const context = () => ({
    automatedDecisionId: 'dec-auto',
    settings: settings(),
    invitationCap_fen: INVITATION_CAP_FEN,
    requestedLimit_fen: REQUESTED_FEN,
  });
  const input = (patch: Partial<Parameters<typeof reviewDecision>[1]> = {}) => ({
    outcome: 'approve' as const,
    limit_fen: 100_000,
    reasonCodes: ['documents-received' as const],
    note: null,
    decidedBy: 'usr-analyst',
    decidedAt: '2026-11-29T09:00:00.000Z',
    ...patch,
  });

  beforeAll(async () => {
    const app = referredApp();
    automated = await decide(
      app,
      contextFor(app, { invitations: [invitationFor(app, { limitCap_fen: INVITATION_CAP_FEN })] }),
    );
    expect(automated.outcome).toBe('refer');
  });

  it('caps the limit at the lowest of income multiple, policy maximum, amount asked for and invitation', () => {
    const caps = reviewCaps(automated, context());
    expect(caps.map((c) => c.code).sort()).toEqual([
      'CAP_INCOME_MULTIPLE',
      'CAP_INVITATION',
      'CAP_POLICY_MAXIMUM',
      'CAP_REQUESTED',
    ]);
    const income = caps.find((c) => c.code === 'CAP_INCOME_MULTIPLE')!;
    expect(income.cap_fen).toBe(
      Math.floor(settings().incomeMultipleMax * automated.derived.verifiedMonthlyIncome_fen),
    );
    expect(reviewCaps(automated, { ...context(), invitationCap_fen: null }).map((c) => c.code)).not.toContain(
      'CAP_INVITATION',
    );
  });

  it('grants any limit up to the cap and refuses every one above it', () => {
    const cap = Math.min(...reviewCaps(automated, context()).map((c) => c.cap_fen));
    expect(cap).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 * cap }), (limit_fen) => {
        if (limit_fen <= cap) {
          const d = reviewDecision(automated, input({ limit_fen }), context());
          expect(d.limit_fen).toBe(limit_fen);
          expect(d.review?.limitCap_fen).toBe(cap);
        } else {
          expect(() => reviewDecision(automated, input({ limit_fen }), context())).toThrow(ReviewError);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('writes a new sealed record that refers to the automated one and leaves it as it was', () => {
    const before = JSON.stringify(automated);
    const d = reviewDecision(automated, input({ reasonCodes: ['other'], note: '经营流水已核实' }), context());
    expect(JSON.stringify(automated)).toBe(before);
    expect(verifyRecord(d)).toBe(true);
    expect(Object.isFrozen(d)).toBe(true);
    expect(d).toMatchObject({
      outcome: 'approve',
      supersedes: 'dec-auto',
      decidedBy: 'usr-analyst',
      applicationId: automated.applicationId,
      dailyRate: automated.dailyRate,
      rulesFired: [],
    });
    expect(d.reasons).toEqual([
      {
        source: 'review',
        code: 'REVIEW_OTHER',
        message: '经营流水已核实',
        values: { decidedBy: 'usr-analyst' },
      },
    ]);
    expect(d.review?.automated).toEqual({
      decisionId: 'dec-auto',
      outcome: 'refer',
      limit_fen: automated.limit_fen,
      contentHash: automated.contentHash,
    });
    expect(d.termOptions.length).toBe(settings().termOptions_months.length);
  });

  it('declines with no limit and no price', () => {
    const d = reviewDecision(
      automated,
      input({ outcome: 'decline', limit_fen: undefined, reasonCodes: ['documents-missing'] }),
      context(),
    );
    expect(d).toMatchObject({
      outcome: 'decline',
      limit_fen: 0,
      dailyRate: null,
      apr: null,
      termOptions: [],
    });
    expect(verifyRecord(d)).toBe(true);
  });

  it('refuses a daily rate above the APR cap, naming the highest within it', () => {
    try {
      reviewDecision(automated, input({ dailyRate: '0.01' }), context());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ReviewError);
      expect((error as ReviewError).code).toBe('review_rate_above_cap');
      expect((error as ReviewError).message).toMatch(/is the highest within it/);
    }
  });

  it('gives the same bytes for the same inputs', () => {
    const a = reviewDecision(automated, input(), context());
    const b = reviewDecision(automated, input(), context());
    expect(a.contentHash).toBe(b.contentHash);
  });
});

describe('the invitation a review approval needs', () => {
  const invitation = {
    invitationId: 'inv_1',
    status: 'active' as 'active' | 'used' | 'revoked',
    expiresAt: '2026-06-30T16:00:00.000Z',
    usedByApplication: null as string | null,
  };

  it('is in force while active and before it ends, whatever the zone it is written in', () => {
    expect(invitationNotInForce(invitation, '2026-06-30T15:59:59.999Z')).toBeUndefined();
    expect(invitationNotInForce(invitation, '2026-06-30T23:59:59.999+08:00')).toBeUndefined();
  });

  it('says why not: none taken up, used or revoked, expired', () => {
    expect(invitationNotInForce(undefined, '2026-06-01T00:00:00Z')).toMatch(/took up no invitation/);
    expect(
      invitationNotInForce(
        { ...invitation, status: 'used', usedByApplication: 'app_9' },
        '2026-06-01T00:00:00Z',
      ),
    ).toBe('Invitation inv_1 is used (by application app_9)');
    expect(invitationNotInForce({ ...invitation, status: 'revoked' }, '2026-06-01T00:00:00Z')).toBe(
      'Invitation inv_1 is revoked',
    );
    expect(invitationNotInForce(invitation, '2026-06-30T16:00:00.000Z')).toBe(
      'Invitation inv_1 expired at 2026-06-30T16:00:00.000Z',
    );
  });
});
