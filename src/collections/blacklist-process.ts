import { addDays, type Day, formatDate, invariant } from '../money/index.js';
import { CollectionsInputError } from './errors.js';

/**
 * Blacklisting with due process (domain.md §10; 民法典 Arts. 1024, 1029; PIPL Art. 24): a person proposes
 * listing a borrower, with a reason and evidence (from a legal action, or a fraud finding); the borrower is
 * sent a notice; an objection window runs; a second person decides — never the proposer, never the machine
 * alone — and only then is an entry with an expiry written to the blacklist that origination checks. An
 * entry is removed when the borrower repays or an objection succeeds. Every step is dated and attributed.
 */

export const BLACKLIST_PROPOSAL_SOURCES = ['legal', 'fraud'] as const;
export type BlacklistProposalSource = (typeof BLACKLIST_PROPOSAL_SOURCES)[number];

export const BLACKLIST_PROPOSAL_STATUSES = [
  'noticed',
  'objected',
  'listed',
  'rejected',
  'withdrawn',
  'removed',
] as const;
export type BlacklistProposalStatus = (typeof BLACKLIST_PROPOSAL_STATUSES)[number];

export const BLACKLIST_REMOVAL_REASONS = ['repaid', 'objection-upheld'] as const;
export type BlacklistRemovalReason = (typeof BLACKLIST_REMOVAL_REASONS)[number];

export interface BlacklistProcessSettings {
  /** Days the borrower has to object after the notice (counted from the day it is sent). */
  readonly objectionWindowDays: number;
  /** How long an entry stays in force once listed. */
  readonly entryDays: number;
}

export const DEFAULT_BLACKLIST_PROCESS_SETTINGS: BlacklistProcessSettings = Object.freeze({
  objectionWindowDays: 15,
  entryDays: 730,
});

export function checkBlacklistProcessSettings(s: BlacklistProcessSettings): BlacklistProcessSettings {
  invariant(
    Number.isInteger(s.objectionWindowDays) && s.objectionWindowDays >= 7 && s.objectionWindowDays <= 90,
    'blacklist objection window must be 7..90 days',
  );
  invariant(
    Number.isInteger(s.entryDays) && s.entryDays >= 1 && s.entryDays <= 1825,
    'blacklist entry must last 1..1825 days',
  );
  return Object.freeze({ ...s });
}

export interface BlacklistProposalState {
  readonly status: BlacklistProposalStatus;
  readonly proposedBy: string;
  readonly noticeDay: Day;
  readonly objectionUntil: Day;
}

/** A new proposal: its notice goes out on `today` and the objection window runs from it. */
export function planBlacklistProposal(
  input: { readonly source: string; readonly reason: string; readonly evidence: string },
  today: Day,
  settings: BlacklistProcessSettings = DEFAULT_BLACKLIST_PROCESS_SETTINGS,
): { status: 'noticed'; noticeDay: Day; objectionUntil: Day } {
  if (!(BLACKLIST_PROPOSAL_SOURCES as readonly string[]).includes(input.source)) {
    throw new CollectionsInputError(
      'blacklist_proposal_invalid',
      'source',
      `source must be one of ${BLACKLIST_PROPOSAL_SOURCES.join(', ')}`,
      { allowed: BLACKLIST_PROPOSAL_SOURCES.join(', ') },
      'source',
    );
  }
  for (const field of ['reason', 'evidence'] as const) {
    if (input[field].trim().length === 0) {
      throw new CollectionsInputError(
        'blacklist_proposal_invalid',
        field,
        `a proposal states its ${field}: every entry needs a reason and evidence`,
        { field },
        'blank',
      );
    }
  }
  return {
    status: 'noticed',
    noticeDay: today,
    objectionUntil: addDays(today, settings.objectionWindowDays),
  };
}

/** The borrower's objection, recorded by staff, is taken only inside the window and before the decision. */
export function planBlacklistObjection(state: BlacklistProposalState, today: Day): { status: 'objected' } {
  if (state.status !== 'noticed') {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'status',
      `an objection is recorded while the proposal awaits its decision; it is ${state.status}`,
      { status: state.status },
      'objection_status',
    );
  }
  if (today > state.objectionUntil) {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'date',
      `the objection window ended on ${formatDate(state.objectionUntil)}; after listing, an objection is handled as a removal`,
      { objectionUntil: formatDate(state.objectionUntil) },
      'objection_late',
    );
  }
  return { status: 'objected' };
}

export type BlacklistDecision = 'list' | 'reject';

/**
 * The second person's decision. Without an objection it waits for the window to end; with one it may come
 * at once (the objection is what is decided). Listing gives the entry's expiry.
 */
export function planBlacklistDecision(
  state: BlacklistProposalState,
  decision: { readonly outcome: BlacklistDecision; readonly actor: string },
  today: Day,
  settings: BlacklistProcessSettings = DEFAULT_BLACKLIST_PROCESS_SETTINGS,
): { status: 'listed' | 'rejected'; expiresDay: Day | null } {
  if (state.status !== 'noticed' && state.status !== 'objected') {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'status',
      `the proposal is ${state.status}; it was decided already`,
      { status: state.status },
      'decided',
    );
  }
  if (decision.actor === state.proposedBy) {
    throw new CollectionsInputError(
      'blacklist_self_decision',
      'actor',
      'a blacklist proposal is decided by someone other than the person who proposed it',
    );
  }
  if (state.status === 'noticed' && today <= state.objectionUntil) {
    throw new CollectionsInputError(
      'blacklist_objection_window_open',
      'date',
      `the borrower may object until ${formatDate(state.objectionUntil)}; decide from the day after`,
      { objectionUntil: formatDate(state.objectionUntil) },
    );
  }
  if (decision.outcome === 'reject') return { status: 'rejected', expiresDay: null };
  return { status: 'listed', expiresDay: addDays(today, settings.entryDays) };
}

/** Withdrawal by staff before the decision (the case was settled, the evidence fell away). */
export function planBlacklistWithdrawal(state: BlacklistProposalState): { status: 'withdrawn' } {
  if (state.status !== 'noticed' && state.status !== 'objected') {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'status',
      `only an undecided proposal is withdrawn; it is ${state.status}`,
      { status: state.status },
      'withdraw_status',
    );
  }
  return { status: 'withdrawn' };
}

/** Removal of a listed entry: on repayment of what was owed, or an objection upheld after listing. */
export function planBlacklistRemoval(
  state: BlacklistProposalState,
  removal: { readonly reason: string; readonly repaid: boolean },
): { status: 'removed'; reason: BlacklistRemovalReason } {
  if (state.status !== 'listed') {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'status',
      `only a listed entry is removed; the proposal is ${state.status}`,
      { status: state.status },
      'remove_status',
    );
  }
  if (!(BLACKLIST_REMOVAL_REASONS as readonly string[]).includes(removal.reason)) {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'reason',
      `reason must be one of ${BLACKLIST_REMOVAL_REASONS.join(', ')}`,
      { allowed: BLACKLIST_REMOVAL_REASONS.join(', ') },
      'removal_reason',
    );
  }
  if (removal.reason === 'repaid' && !removal.repaid) {
    throw new CollectionsInputError(
      'blacklist_step_not_allowed',
      'reason',
      'the borrower still owes on a past-due loan: removal for repayment waits until it is repaid',
      {},
      'still_owes',
    );
  }
  return { status: 'removed', reason: removal.reason as BlacklistRemovalReason };
}
