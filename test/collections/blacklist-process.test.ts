import { describe, expect, it } from 'vitest';
import {
  type BlacklistProposalState,
  CollectionsInputError,
  checkBlacklistProcessSettings,
  planBlacklistDecision,
  planBlacklistObjection,
  planBlacklistProposal,
  planBlacklistRemoval,
  planBlacklistWithdrawal,
} from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';

const d = (s: string) => parseDate(s);
const settings = { objectionWindowDays: 15, entryDays: 730 };

function code(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof CollectionsInputError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

const noticed: BlacklistProposalState = {
  status: 'noticed',
  proposedBy: 'usr_a',
  noticeDay: d('2026-10-01'),
  objectionUntil: d('2026-10-16'),
};

describe('blacklist due process', () => {
  it('a proposal needs a known source, a reason and evidence; its window runs from the notice', () => {
    expect(
      code(() => planBlacklistProposal({ source: 'gossip', reason: 'x', evidence: 'y' }, d('2026-10-01'))),
    ).toBe('blacklist_proposal_invalid');
    expect(
      code(() => planBlacklistProposal({ source: 'fraud', reason: 'x', evidence: ' ' }, d('2026-10-01'))),
    ).toBe('blacklist_proposal_invalid');
    expect(
      planBlacklistProposal(
        { source: 'legal', reason: '恶意逾期', evidence: '判决书' },
        d('2026-10-01'),
        settings,
      ),
    ).toEqual({
      status: 'noticed',
      noticeDay: d('2026-10-01'),
      objectionUntil: d('2026-10-16'),
    });
  });

  it('no decision inside the window without an objection; never by the proposer', () => {
    expect(
      code(() =>
        planBlacklistDecision(noticed, { outcome: 'list', actor: 'usr_b' }, d('2026-10-16'), settings),
      ),
    ).toBe('blacklist_objection_window_open');
    expect(
      code(() =>
        planBlacklistDecision(noticed, { outcome: 'list', actor: 'usr_a' }, d('2026-10-17'), settings),
      ),
    ).toBe('blacklist_self_decision');
    expect(
      planBlacklistDecision(noticed, { outcome: 'list', actor: 'usr_b' }, d('2026-10-17'), settings),
    ).toEqual({
      status: 'listed',
      expiresDay: d('2026-10-17') + 730,
    });
  });

  it('an objection inside the window may be decided at once; after the window it is refused', () => {
    expect(planBlacklistObjection(noticed, d('2026-10-16'))).toEqual({ status: 'objected' });
    expect(code(() => planBlacklistObjection(noticed, d('2026-10-17')))).toBe('blacklist_step_not_allowed');
    const objected = { ...noticed, status: 'objected' as const };
    expect(
      planBlacklistDecision(objected, { outcome: 'reject', actor: 'usr_b' }, d('2026-10-05'), settings),
    ).toEqual({
      status: 'rejected',
      expiresDay: null,
    });
  });

  it('removal only of a listed entry, for repayment only once repaid', () => {
    const listed = { ...noticed, status: 'listed' as const };
    expect(code(() => planBlacklistRemoval(listed, { reason: 'repaid', repaid: false }))).toBe(
      'blacklist_step_not_allowed',
    );
    expect(planBlacklistRemoval(listed, { reason: 'repaid', repaid: true })).toEqual({
      status: 'removed',
      reason: 'repaid',
    });
    expect(planBlacklistRemoval(listed, { reason: 'objection-upheld', repaid: false }).reason).toBe(
      'objection-upheld',
    );
    expect(code(() => planBlacklistRemoval(noticed, { reason: 'repaid', repaid: true }))).toBe(
      'blacklist_step_not_allowed',
    );
    expect(code(() => planBlacklistWithdrawal(listed))).toBe('blacklist_step_not_allowed');
    expect(planBlacklistWithdrawal(noticed).status).toBe('withdrawn');
  });

  it('settings are bounded', () => {
    expect(() => checkBlacklistProcessSettings({ objectionWindowDays: 3, entryDays: 10 })).toThrow();
    expect(checkBlacklistProcessSettings(settings)).toEqual(settings);
  });
});
