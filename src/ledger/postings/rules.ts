import { invariant } from '../../money/index.js';
import type { InstallmentAllocation, LoanEvent, LoanState } from '../loan/index.js';
import type { AccountName } from './accounts.js';
import { balancedPosting, credit, debit, type Posting, type PostingLine } from './posting.js';
import type { BookEvent } from './write-off.js';

/** Any event the books post: the loan engine's events and the books' own write-off and recovery. */
export type PostableEvent = LoanEvent | BookEvent;

/** `L-1#12`: the loan id and the event's sequence number. */
export function eventRefOf(event: { readonly loanId: string; readonly seq: number }): string {
  return `${event.loanId}#${event.seq}`;
}

/**
 * Splits principal settled per instalment into the current and overdue principal accounts, by whether the
 * instalment was overdue in the state before the event (instalment 0 = not yet due, hence current).
 */
function principalLines(
  byInstallment: readonly InstallmentAllocation[],
  before: LoanState | OverdueInstallments | null,
  what: string,
): PostingLine[] {
  let current = 0;
  let overdue = 0;
  for (const part of byInstallment) {
    if (part.principalMinor === 0) continue;
    if (part.installmentNumber === 0) {
      current += part.principalMinor;
      continue;
    }
    invariant(before !== null, () => `${what}: the loan state before the event is needed to post principal`);
    // Principal of an instalment that is not billed yet (paid early) is current too.
    if (isOverdue(before, part.installmentNumber)) overdue += part.principalMinor;
    else current += part.principalMinor;
  }
  return [credit('principalCurrent', current), credit('principalOverdue', overdue)];
}

/** The instalments that are overdue before an event, when no full loan state is at hand (tests, replays). */
export interface OverdueInstallments {
  readonly overdueInstallments: ReadonlySet<number>;
}

function isOverdue(before: LoanState | OverdueInstallments, installmentNumber: number): boolean {
  if ('overdueInstallments' in before) return before.overdueInstallments.has(installmentNumber);
  return before.dues.some((d) => d.installmentNumber === installmentNumber && d.overdue);
}

function sumPrincipal(byInstallment: readonly InstallmentAllocation[]): number {
  return byInstallment.reduce((sum, part) => sum + part.principalMinor, 0);
}

/**
 * The balanced posting(s) for one event. Events that move no money give none. `stateBefore` is the loan's
 * state before the event (needed for principal paid or waived, to tell current from overdue), or just the set of
 * instalments overdue before it. For
 * `EventsSuperseded`, `supersededPostings` are the postings of the events it cancels; they are reversed.
 *
 * Every posting is made by `balancedPosting`, which asserts debits = credits to the fen.
 */
export function postingsForEvent(
  event: PostableEvent,
  stateBefore: LoanState | OverdueInstallments | null,
  supersededPostings: readonly Posting[] = [],
): Posting[] {
  const ref = eventRefOf(event);
  const post = (lines: PostingLine[]): Posting[] => {
    const posting = balancedPosting(lines, ref, event.day);
    return posting ? [posting] : [];
  };
  switch (event.type) {
    case 'LoanOpened':
      // 放款: the principal is lent out of cash. Fees are posted when billed (InstallmentDue).
      return post([
        debit('principalCurrent', event.principalMinor),
        credit('cashClearing', event.principalMinor),
      ]);
    case 'Accrued':
      return post([
        debit('interestReceivable', event.interestMinor),
        credit('interestIncome', event.interestMinor),
        debit('penaltyReceivable', event.penaltyMinor),
        credit('penaltyIncome', event.penaltyMinor),
      ]);
    case 'InstallmentDue':
      // Interest of the period is already accrued; principal stays current until the grace period ends.
      return post([debit('feeReceivable', event.feeMinor), credit('feeIncome', event.feeMinor)]);
    case 'UpfrontFeeBilled':
      // Billed early because the loan ends before the instalment that would have billed it.
      return post([debit('feeReceivable', event.feeMinor), credit('feeIncome', event.feeMinor)]);
    case 'InstallmentOverdue':
      return post([
        debit('principalOverdue', event.principalMinor),
        credit('principalCurrent', event.principalMinor),
      ]);
    case 'Repaid': {
      const a = event.allocation;
      invariant(
        a.penaltyMinor + a.feeMinor + a.interestMinor + a.principalMinor + event.creditMinor ===
          event.amountMinor,
        () => `${ref}: repayment allocation does not sum to the amount ${event.amountMinor}`,
      );
      invariant(
        sumPrincipal(event.byInstallment) === a.principalMinor,
        () => `${ref}: principal by instalment ≠ total`,
      );
      return post([
        debit('cashClearing', event.amountMinor),
        credit('penaltyReceivable', a.penaltyMinor),
        credit('feeReceivable', a.feeMinor),
        credit('interestReceivable', a.interestMinor),
        ...principalLines(event.byInstallment, stateBefore, ref),
        credit('suspense', event.creditMinor),
      ]);
    }
    case 'CreditApplied': {
      const a = event.allocation;
      invariant(
        sumPrincipal(event.byInstallment) === a.principalMinor,
        () => `${ref}: principal by instalment ≠ total`,
      );
      return post([
        debit('suspense', event.amountMinor),
        credit('penaltyReceivable', a.penaltyMinor),
        credit('feeReceivable', a.feeMinor),
        credit('interestReceivable', a.interestMinor),
        ...principalLines(event.byInstallment, stateBefore, ref),
      ]);
    }
    case 'CreditRefunded':
      return post([debit('suspense', event.amountMinor), credit('cashClearing', event.amountMinor)]);
    case 'Waived': {
      // 减免 reverses income that was recognised but will never be collected.
      const [income, receivable]: [AccountName, AccountName] =
        event.component === 'penalty'
          ? ['penaltyIncome', 'penaltyReceivable']
          : event.component === 'interest'
            ? ['interestIncome', 'interestReceivable']
            : ['feeIncome', 'feeReceivable'];
      return post([debit(income, event.amountMinor), credit(receivable, event.amountMinor)]);
    }
    case 'PrincipalWaived':
      invariant(
        sumPrincipal(event.byInstallment) === event.amountMinor,
        () => `${ref}: principal by instalment ≠ total`,
      );
      return post([
        debit('writeOffLoss', event.amountMinor),
        ...principalLines(event.byInstallment, stateBefore, ref),
      ]);
    case 'EventsSuperseded':
      // The cancelled events' postings are reversed on the day of the correction; the replacement events
      // that follow post afresh. Nothing is deleted.
      return supersededPostings.flatMap((p) => {
        const reversed = balancedPosting(
          p.lines.map(reverseLine),
          `${ref}(reverses ${p.eventRef})`,
          event.day,
        );
        return reversed ? [reversed] : [];
      });
    case 'LoanWrittenOff': {
      const total =
        event.principalCurrentMinor +
        event.principalOverdueMinor +
        event.interestMinor +
        event.penaltyMinor +
        event.feeMinor;
      const principal = event.principalCurrentMinor + event.principalOverdueMinor;
      return post([
        debit('writeOffLoss', total),
        credit('principalCurrent', event.principalCurrentMinor),
        credit('principalOverdue', event.principalOverdueMinor),
        credit('interestReceivable', event.interestMinor),
        credit('penaltyReceivable', event.penaltyMinor),
        credit('feeReceivable', event.feeMinor),
        debit('writtenOffPrincipalMemo', principal),
        credit('writtenOffPrincipalMemoContra', principal),
      ]);
    }
    case 'RecoveredAfterWriteOff':
      invariant(
        event.principalMinor <= event.amountMinor,
        () => `${ref}: recovered principal ${event.principalMinor} above the amount ${event.amountMinor}`,
      );
      return post([
        debit('cashClearing', event.amountMinor),
        credit('recoveriesIncome', event.amountMinor),
        debit('writtenOffPrincipalMemoContra', event.principalMinor),
        credit('writtenOffPrincipalMemo', event.principalMinor),
      ]);
    case 'LoanRestructured': {
      // 重组: the down payment as a repayment, the concessions as waivers, capitalised amounts moved into
      // principal, and the overdue principal re-planned made current again.
      const down = event.downPayment;
      const w = event.waived;
      const c = event.capitalised;
      const made: Posting[] = [];
      if (down !== null) {
        const a = down.allocation;
        invariant(
          sumPrincipal(down.byInstallment) === a.principalMinor,
          () => `${ref}: down payment principal by instalment ≠ total`,
        );
        made.push(
          ...post([
            debit('cashClearing', down.amountMinor),
            credit('penaltyReceivable', a.penaltyMinor),
            credit('feeReceivable', a.feeMinor),
            credit('interestReceivable', a.interestMinor),
            ...principalLines(down.byInstallment, stateBefore, ref),
          ]),
        );
      }
      made.push(
        ...post([
          debit('penaltyIncome', w.penaltyMinor),
          credit('penaltyReceivable', w.penaltyMinor),
          debit('interestIncome', w.interestMinor),
          credit('interestReceivable', w.interestMinor),
          debit('feeIncome', w.feeMinor),
          credit('feeReceivable', w.feeMinor),
        ]),
        ...post([
          debit('principalCurrent', c.penaltyMinor + c.interestMinor + c.feeMinor),
          credit('penaltyReceivable', c.penaltyMinor),
          credit('interestReceivable', c.interestMinor),
          credit('feeReceivable', c.feeMinor),
        ]),
        ...post([
          debit('principalCurrent', event.overduePrincipalToCurrentMinor),
          credit('principalOverdue', event.overduePrincipalToCurrentMinor),
        ]),
      );
      return made;
    }
    case 'DelinquencyChanged':
    case 'LoanSettled':
    case 'RestructuringBroken':
    case 'SettlementOffered':
    case 'SettlementLapsed':
    case 'SettlementCompleted':
      return [];
  }
}

function reverseLine(line: PostingLine): PostingLine {
  return 'debitMinor' in line ? credit(line.account, line.debitMinor) : debit(line.account, line.creditMinor);
}
