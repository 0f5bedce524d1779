/**
 * The collections core's refusals in Chinese: every sentence the core can raise is said in Chinese with the
 * same figures (dates, statuses, limits) as the English, not an English sentence after a Chinese title.
 */
import { describe, expect, it } from 'vitest';
import {
  CollectionsInputError,
  checkDemand,
  checkLegalCost,
  checkLegalProposal,
  checkNewPromise,
  checkNoPendingPromise,
  planBlacklistDecision,
  planBlacklistObjection,
  planBlacklistProposal,
  planBlacklistRemoval,
  planBlacklistWithdrawal,
  planLegalStep,
} from '../../src/collections/index.js';
import { LedgerInputError } from '../../src/ledger/errors.js';
import { offerSettlement } from '../../src/ledger/loan/index.js';
import { parseDate } from '../../src/money/index.js';
import { collectionsRefusal } from '../../src/server/collections/legal-messages.js';
import { render } from '../../src/server/http/messages.js';
import { ProblemError } from '../../src/server/http/problem.js';
import { toLedgerProblem } from '../../src/server/ledger/request.js';
import { Loan, product } from '../ledger/loan/driver.js';

const d = parseDate;
const today = d('2026-06-15');
const legal = {
  path: 'payment-order' as const,
  status: 'approved' as const,
  proposedBy: 'alice',
  proposedDay: d('2026-06-01'),
  lastStepDay: d('2026-06-10'),
};
const blacklist = {
  status: 'noticed' as const,
  proposedBy: 'alice',
  noticeDay: d('2026-06-01'),
  objectionUntil: d('2026-06-20'),
};

/** Each refusal the core raises, and the values its Chinese must quote. */
const cases: Array<{ name: string; raise: () => unknown; zhHas: string[] }> = [
  {
    name: 'unknown legal path',
    raise: () => checkLegalProposal({ path: 'duel', claimedMinor: 1, reason: 'x' }),
    zhHas: ['duel'],
  },
  {
    name: 'claim not positive',
    raise: () => checkLegalProposal({ path: 'lawsuit', claimedMinor: 0, reason: 'x' }),
    zhHas: ['0.00'],
  },
  {
    name: 'claim above what is owed',
    raise: () =>
      checkLegalProposal({ path: 'lawsuit', claimedMinor: 1_000_001, reason: 'x', owedMinor: 1_000_000 }),
    zhHas: ['10000.01', '10000.00'],
  },
  {
    name: 'no reason',
    raise: () => checkLegalProposal({ path: 'lawsuit', claimedMinor: 1, reason: ' ' }),
    zhHas: ['理由'],
  },
  {
    name: 'step not allowed',
    raise: () => planLegalStep(legal, { to: 'closed', day: today, actor: 'bob' }, today),
    zhHas: ['支付令', '已批准', 'closed'],
  },
  {
    name: 'step from a final status',
    raise: () =>
      planLegalStep({ ...legal, status: 'closed' }, { to: 'filed', day: today, actor: 'bob' }, today),
    zhHas: ['已结案', 'filed'],
  },
  {
    name: 'self approval',
    raise: () =>
      planLegalStep({ ...legal, status: 'proposed' }, { to: 'approved', day: today, actor: 'alice' }, today),
    zhHas: ['提议人'],
  },
  {
    name: 'step after today',
    raise: () => planLegalStep(legal, { to: 'filed', day: d('2026-06-16'), actor: 'bob' }, today),
    zhHas: ['营业日'],
  },
  {
    name: 'step before the last',
    raise: () => planLegalStep(legal, { to: 'filed', day: d('2026-06-09'), actor: 'bob' }, today),
    zhHas: ['2026-06-10'],
  },
  {
    name: 'cost kind',
    raise: () => checkLegalCost({ kind: 'bribe', amountMinor: 1, day: today }, legal, today),
    zhHas: ['bribe', 'court-fee'],
  },
  {
    name: 'cost amount',
    raise: () => checkLegalCost({ kind: 'court-fee', amountMinor: 0, day: today }, legal, today),
    zhHas: ['0.00'],
  },
  {
    name: 'cost on a withdrawn action',
    raise: () =>
      checkLegalCost(
        { kind: 'court-fee', amountMinor: 1, day: today },
        { ...legal, status: 'withdrawn' },
        today,
      ),
    zhHas: ['已撤回'],
  },
  {
    name: 'cost before the proposal',
    raise: () => checkLegalCost({ kind: 'court-fee', amountMinor: 1, day: d('2026-05-31') }, legal, today),
    zhHas: ['2026-06-01'],
  },
  {
    name: 'demand channel',
    raise: () => checkDemand({ day: today, channel: 'pigeon', evidence: 'r' }, d('2026-06-01'), today),
    zhHas: ['pigeon', 'letter'],
  },
  {
    name: 'demand evidence',
    raise: () => checkDemand({ day: today, channel: 'letter', evidence: ' ' }, d('2026-06-01'), today),
    zhHas: ['证据'],
  },
  {
    name: 'demand date',
    raise: () =>
      checkDemand({ day: d('2026-05-01'), channel: 'letter', evidence: 'r' }, d('2026-06-01'), today),
    zhHas: ['2026-06-01'],
  },
  {
    name: 'blacklist source',
    raise: () => planBlacklistProposal({ source: 'gossip', reason: 'r', evidence: 'e' }, today),
    zhHas: ['legal, fraud'],
  },
  {
    name: 'blacklist evidence',
    raise: () => planBlacklistProposal({ source: 'fraud', reason: 'r', evidence: '' }, today),
    zhHas: ['证据'],
  },
  {
    name: 'objection after decision',
    raise: () => planBlacklistObjection({ ...blacklist, status: 'listed' }, today),
    zhHas: ['已列入'],
  },
  {
    name: 'objection too late',
    raise: () => planBlacklistObjection(blacklist, d('2026-06-21')),
    zhHas: ['2026-06-20'],
  },
  {
    name: 'decided already',
    raise: () =>
      planBlacklistDecision({ ...blacklist, status: 'rejected' }, { outcome: 'list', actor: 'bob' }, today),
    zhHas: ['已驳回'],
  },
  {
    name: 'self decision',
    raise: () => planBlacklistDecision(blacklist, { outcome: 'list', actor: 'alice' }, d('2026-06-21')),
    zhHas: ['提议人'],
  },
  {
    name: 'window open',
    raise: () => planBlacklistDecision(blacklist, { outcome: 'list', actor: 'bob' }, today),
    zhHas: ['2026-06-20'],
  },
  {
    name: 'withdraw decided',
    raise: () => planBlacklistWithdrawal({ ...blacklist, status: 'listed' }),
    zhHas: ['已列入'],
  },
  {
    name: 'remove unlisted',
    raise: () => planBlacklistRemoval(blacklist, { reason: 'repaid', repaid: true }),
    zhHas: ['已告知'],
  },
  {
    name: 'removal reason',
    raise: () => planBlacklistRemoval({ ...blacklist, status: 'listed' }, { reason: 'whim', repaid: true }),
    zhHas: ['repaid, objection-upheld'],
  },
  {
    name: 'removal while owing',
    raise: () =>
      planBlacklistRemoval({ ...blacklist, status: 'listed' }, { reason: 'repaid', repaid: false }),
    zhHas: ['还清'],
  },
  { name: 'promise amount', raise: () => checkNewPromise(0, today, today), zhHas: ['大于 0'] },
  {
    name: 'promise in the past',
    raise: () => checkNewPromise(100, d('2026-06-14'), today),
    zhHas: ['2026-06-14', '2026-06-15'],
  },
  {
    name: 'promise above what is owed',
    raise: () => checkNewPromise(500_000, d('2026-06-20'), today, undefined, 123_456),
    zhHas: ['5000.00', '1234.56', '2026-06-20'],
  },
  {
    name: 'a promise still pending',
    raise: () =>
      checkNoPendingPromise([{ amountMinor: 95_000, promisedDay: d('2026-06-18'), status: 'pending' }]),
    zhHas: ['950.00', '2026-06-18'],
  },
  {
    name: 'promise too far',
    raise: () => checkNewPromise(100, d('2026-08-01'), today),
    zhHas: ['30', '2026-07-15'],
  },
];

/** An English sentence fragment: two lower-case words of three letters or more in a row. */
const ENGLISH_WORDS = /\b[a-z]{3,} [a-z]{3,}\b/;

describe('collections refusals in Chinese', () => {
  for (const c of cases) {
    it(c.name, () => {
      let error: unknown;
      try {
        c.raise();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CollectionsInputError);
      const message = collectionsRefusal(error as CollectionsInputError);
      const zh = render(message, 'zh-CN');
      const en = render(message, 'en');
      expect(en).toBe((error as Error).message);
      expect(zh).toMatch(/\p{Script=Han}/u);
      expect(zh).not.toMatch(ENGLISH_WORDS);
      for (const value of c.zhHas) expect(zh).toContain(value);
    });
  }
});

describe('ledger refusals with figures in Chinese', () => {
  it('a settlement not below what is owed quotes the amount owed, the loan and the day', () => {
    // The settlement tests' loan: it owes 3,105.50 on 2026-03-20 (see test/ledger/loan/settlement.test.ts).
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    let error: unknown;
    try {
      offerSettlement(l.state, {
        offerMinor: 310550,
        validThroughDay: d('2026-03-31'),
        day: d('2026-03-20'),
        clientId: 's-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerInputError);
    const problem = toLedgerProblem(error);
    expect(problem).toBeInstanceOf(ProblemError);
    const zh = render((problem as ProblemError).detailText!, 'zh-CN');
    expect(zh).toContain('3105.50');
    expect(zh).toContain('2026-03-20');
    expect(zh).not.toMatch(ENGLISH_WORDS);
  });
});
