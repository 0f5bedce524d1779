import { type Day, invariant } from '../../money/index.js';
import { ACCOUNT_NAMES, ACCOUNTS, type AccountName } from './accounts.js';

/** One line of a journal entry: an amount on one side of one account, in minor units (fen), > 0. */
export type PostingLine =
  | { readonly account: AccountName; readonly debitMinor: number }
  | { readonly account: AccountName; readonly creditMinor: number };

/** A balanced journal entry (记账凭证) produced by one event. */
export interface Posting {
  readonly lines: readonly PostingLine[];
  /** Which event produced it, e.g. `L-1#12` (loan id and event sequence). */
  readonly eventRef: string;
  readonly day: Day;
}

export const debit = (account: AccountName, minor: number): PostingLine => ({ account, debitMinor: minor });
export const credit = (account: AccountName, minor: number): PostingLine => ({ account, creditMinor: minor });

export function lineDebitMinor(line: PostingLine): number {
  return 'debitMinor' in line ? line.debitMinor : 0;
}
export function lineCreditMinor(line: PostingLine): number {
  return 'creditMinor' in line ? line.creditMinor : 0;
}

/**
 * The only way postings are made. Zero lines are dropped (an event may move nothing on some component);
 * every amount must be a non-negative safe integer; debits must equal credits to the fen. An unbalanced
 * posting is an impossible state: it throws, in production too. Returns `null` when every line is zero.
 */
export function balancedPosting(lines: readonly PostingLine[], eventRef: string, day: Day): Posting | null {
  let debits = 0;
  let credits = 0;
  const kept: PostingLine[] = [];
  for (const line of lines) {
    invariant(Object.hasOwn(ACCOUNTS, line.account), () => `${eventRef}: unknown account ${line.account}`);
    const amount = 'debitMinor' in line ? line.debitMinor : line.creditMinor;
    invariant(
      Number.isSafeInteger(amount) && amount >= 0,
      () => `${eventRef}: ${line.account} amount must be a non-negative safe integer of fen, got ${amount}`,
    );
    if (amount === 0) continue;
    if ('debitMinor' in line) debits += amount;
    else credits += amount;
    kept.push(line);
  }
  invariant(
    debits === credits,
    () => `${eventRef} on day ${day}: posting does not balance: debits ${debits} ≠ credits ${credits} fen`,
  );
  invariant(Number.isSafeInteger(debits), () => `${eventRef}: posting total is not a safe integer`);
  return kept.length === 0 ? null : { lines: kept, eventRef, day };
}

/** Debit and credit totals and the balance on the account's normal side, per account. */
export interface AccountBalance {
  readonly debitMinor: number;
  readonly creditMinor: number;
  /** Debits − credits for a debit-normal account, credits − debits for a credit-normal one. */
  readonly balanceMinor: number;
}

export type AccountBalances = Readonly<Record<AccountName, AccountBalance>>;

export interface TrialBalance {
  readonly accounts: AccountBalances;
  readonly totalDebitMinor: number;
  readonly totalCreditMinor: number;
}

/** Per-account balances over any set of postings (one loan, one customer, the whole book). */
export function accountBalances(postings: Iterable<Posting>): AccountBalances {
  const debits = new Map<AccountName, number>();
  const credits = new Map<AccountName, number>();
  for (const posting of postings) {
    for (const line of posting.lines) {
      debits.set(line.account, (debits.get(line.account) ?? 0) + lineDebitMinor(line));
      credits.set(line.account, (credits.get(line.account) ?? 0) + lineCreditMinor(line));
    }
  }
  const out = {} as Record<AccountName, AccountBalance>;
  for (const name of ACCOUNT_NAMES) {
    const d = debits.get(name) ?? 0;
    const c = credits.get(name) ?? 0;
    invariant(
      Number.isSafeInteger(d) && Number.isSafeInteger(c),
      () => `${name}: totals exceed safe integers`,
    );
    out[name] = {
      debitMinor: d,
      creditMinor: c,
      balanceMinor: ACCOUNTS[name].normalSide === 'debit' ? d - c : c - d,
    };
  }
  return out;
}

/**
 * The trial balance (试算平衡表): total debits equal total credits across all accounts. A mismatch cannot
 * happen for postings made by `balancedPosting`, so it is asserted, not returned.
 */
export function trialBalance(postings: Iterable<Posting>): TrialBalance {
  const accounts = accountBalances(postings);
  let totalDebitMinor = 0;
  let totalCreditMinor = 0;
  for (const name of ACCOUNT_NAMES) {
    totalDebitMinor += accounts[name].debitMinor;
    totalCreditMinor += accounts[name].creditMinor;
  }
  invariant(
    totalDebitMinor === totalCreditMinor,
    () => `trial balance does not balance: debits ${totalDebitMinor} ≠ credits ${totalCreditMinor}`,
  );
  return { accounts, totalDebitMinor, totalCreditMinor };
}

/** Signed net of all accounts, debit positive: zero for any balanced set of postings. */
export function netDebitMinusCreditMinor(balances: AccountBalances): number {
  let net = 0;
  for (const name of ACCOUNT_NAMES) net += balances[name].debitMinor - balances[name].creditMinor;
  return net;
}
