import { describe, expect, it } from 'vitest';
import {
  CollectionsInputError,
  checkDemand,
  checkLegalCost,
  checkLegalProposal,
  type LegalActionState,
  legalLimitation,
  nextLegalStatuses,
  planLegalStep,
} from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';

const d = (s: string) => parseDate(s);

function refusal(f: () => unknown): { code: string; field: string } {
  try {
    f();
  } catch (error) {
    if (error instanceof CollectionsInputError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

const proposed: LegalActionState = {
  path: 'payment-order',
  status: 'proposed',
  proposedBy: 'usr_a',
  proposedDay: d('2026-09-01'),
  lastStepDay: d('2026-09-01'),
};

describe('legal escalation steps', () => {
  it('the proposer cannot approve; a second person can', () => {
    expect(
      refusal(() =>
        planLegalStep(proposed, { to: 'approved', day: d('2026-09-02'), actor: 'usr_a' }, d('2026-09-02')),
      ),
    ).toEqual({ code: 'legal_self_approval', field: 'actor' });
    const plan = planLegalStep(
      proposed,
      { to: 'approved', day: d('2026-09-02'), actor: 'usr_b' },
      d('2026-09-02'),
    );
    expect(plan).toMatchObject({ from: 'proposed', to: 'approved', approvedBy: 'usr_b', deadlines: [] });
  });

  it.each([
    ['proposed', 'filed'],
    ['approved', 'decided'],
    ['rejected', 'approved'],
    ['closed', 'enforcing'],
    ['decided', 'objected'],
  ] as const)('%s cannot go to %s', (status, to) => {
    expect(
      refusal(() =>
        planLegalStep({ ...proposed, status }, { to, day: d('2026-09-02'), actor: 'usr_b' }, d('2026-09-02')),
      ).code,
    ).toBe('legal_step_not_allowed');
  });

  it('only a payment order can meet an objection', () => {
    expect(nextLegalStatuses({ path: 'payment-order', status: 'filed' })).toEqual([
      'decided',
      'objected',
      'withdrawn',
    ]);
    expect(nextLegalStatuses({ path: 'lawsuit', status: 'filed' })).toEqual(['decided', 'withdrawn']);
  });

  it('a payment order filed must be issued within 15 days; once issued the debtor has 15 days to object', () => {
    const approved = { ...proposed, status: 'approved' as const };
    expect(
      planLegalStep(approved, { to: 'filed', day: d('2026-09-03'), actor: 'usr_b' }, d('2026-09-03'))
        .deadlines,
    ).toEqual([{ name: 'issue-by', day: d('2026-09-18') }]);
    const filed = { ...proposed, status: 'filed' as const, lastStepDay: d('2026-09-03') };
    expect(
      planLegalStep(filed, { to: 'decided', day: d('2026-09-10'), actor: 'usr_b' }, d('2026-09-10'))
        .deadlines,
    ).toEqual([{ name: 'objection-until', day: d('2026-09-25') }]);
  });

  it('a step is dated between the last step and the business day', () => {
    const approved = { ...proposed, status: 'approved' as const, lastStepDay: d('2026-09-05') };
    expect(
      refusal(() =>
        planLegalStep(approved, { to: 'filed', day: d('2026-09-04'), actor: 'usr_b' }, d('2026-09-10')),
      ),
    ).toEqual({ code: 'legal_date_invalid', field: 'date' });
    expect(
      refusal(() =>
        planLegalStep(approved, { to: 'filed', day: d('2026-09-11'), actor: 'usr_b' }, d('2026-09-10')),
      ),
    ).toEqual({ code: 'legal_date_invalid', field: 'date' });
  });
});

describe('proposal, costs and demands', () => {
  it('refuses an unknown path, a claim of zero and a missing reason', () => {
    expect(refusal(() => checkLegalProposal({ path: 'duel', claimedMinor: 1, reason: 'x' })).code).toBe(
      'legal_path_invalid',
    );
    expect(refusal(() => checkLegalProposal({ path: 'lawsuit', claimedMinor: 0, reason: 'x' })).field).toBe(
      'claimed',
    );
    expect(refusal(() => checkLegalProposal({ path: 'lawsuit', claimedMinor: 100, reason: ' ' })).field).toBe(
      'reason',
    );
    expect(() =>
      checkLegalProposal({ path: 'arbitration', claimedMinor: 100, reason: '恶意逾期' }),
    ).not.toThrow();
    expect(
      refusal(() => checkLegalProposal({ path: 'lawsuit', claimedMinor: 101, reason: 'x', owedMinor: 100 })),
    ).toEqual({ code: 'legal_claim_invalid', field: 'claimed' });
    expect(() =>
      checkLegalProposal({ path: 'lawsuit', claimedMinor: 100, reason: 'x', owedMinor: 100 }),
    ).not.toThrow();
  });

  it('a cost is positive and dated between the proposal and the business day', () => {
    const today = d('2026-09-10');
    expect(
      refusal(() => checkLegalCost({ kind: 'court-fee', amountMinor: -5, day: today }, proposed, today)),
    ).toEqual({
      code: 'legal_cost_invalid',
      field: 'amount',
    });
    expect(
      refusal(() =>
        checkLegalCost({ kind: 'court-fee', amountMinor: 500, day: d('2026-08-31') }, proposed, today),
      ).field,
    ).toBe('date');
    expect(
      refusal(() =>
        checkLegalCost({ kind: 'court-fee', amountMinor: 500, day: d('2026-09-11') }, proposed, today),
      ).field,
    ).toBe('date');
    expect(
      refusal(() => checkLegalCost({ kind: 'bribe', amountMinor: 500, day: today }, proposed, today)).field,
    ).toBe('kind');
    expect(
      refusal(() =>
        checkLegalCost(
          { kind: 'court-fee', amountMinor: 500, day: today },
          { ...proposed, status: 'withdrawn' },
          today,
        ),
      ).field,
    ).toBe('actionId');
    expect(() =>
      checkLegalCost({ kind: 'court-fee', amountMinor: 500, day: today }, proposed, today),
    ).not.toThrow();
  });

  it('a demand needs evidence and a day inside the case', () => {
    expect(
      refusal(() =>
        checkDemand(
          { day: d('2026-09-01'), channel: 'letter', evidence: '' },
          d('2026-08-01'),
          d('2026-09-10'),
        ),
      ).field,
    ).toBe('evidence');
    expect(
      refusal(() =>
        checkDemand(
          { day: d('2026-07-01'), channel: 'letter', evidence: 'EMS 1' },
          d('2026-08-01'),
          d('2026-09-10'),
        ),
      ).field,
    ).toBe('date');
    expect(
      refusal(() =>
        checkDemand(
          { day: d('2026-09-01'), channel: 'pigeon', evidence: 'x' },
          d('2026-08-01'),
          d('2026-09-10'),
        ),
      ).field,
    ).toBe('channel');
  });
});

describe('limitation of the claim (民法典 Arts. 188, 195)', () => {
  const base = { lastDueDay: d('2026-06-15'), demands: [], filingDays: [] };

  it('runs 3 years from the last due date, with days left counted from today', () => {
    const l = legalLimitation(base, d('2026-09-10'));
    expect(l.endDay).toBe(d('2029-06-15'));
    expect(l.daysLeft).toBe(d('2029-06-15') - d('2026-09-10'));
    expect(l.expired).toBe(false);
  });

  it('a demand that reached the debtor restarts it; one that did not, does not', () => {
    const l = legalLimitation(
      {
        ...base,
        demands: [
          { day: d('2027-03-01'), channel: 'lawyer-letter', reachedDebtor: true },
          { day: d('2028-01-01'), channel: 'letter', reachedDebtor: false },
        ],
      },
      d('2028-02-01'),
    );
    expect(l.restartedBy).toEqual([d('2027-03-01')]);
    expect(l.endDay).toBe(d('2030-03-01'));
  });

  it('a filing and the debtor’s promise restart it too (Art. 195 (2), (3))', () => {
    const l = legalLimitation(
      { ...base, filingDays: [d('2028-05-01')], acknowledgementDays: [d('2027-01-10')] },
      d('2028-05-01'),
    );
    expect(l.restartedBy).toEqual([d('2027-01-10'), d('2028-05-01')]);
    expect(l.endDay).toBe(d('2031-05-01'));
  });

  it('is expired the day after its end, and a late demand does not revive it', () => {
    const l = legalLimitation(
      { ...base, demands: [{ day: d('2029-07-01'), channel: 'sms', reachedDebtor: true }] },
      d('2029-07-02'),
    );
    expect(l.expired).toBe(true);
    expect(l.ignoredDays).toEqual([d('2029-07-01')]);
    expect(legalLimitation(base, d('2029-06-15')).expired).toBe(false);
  });
});
