import { type CurrencyCode, type Day, formatMinor, invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';

/** Largest credit limit accepted: 10^10 fen (100 million yuan), far above any consumer line. */
export const CREDIT_LIMIT_MINOR_MAX = 10_000_000_000;

/** 额度状态: active lines can be drawn; frozen (冻结) and closed (关闭) lines cannot. */
export type CreditLineStatus = 'active' | 'frozen' | 'closed';

/** Events of a revolving credit line (授信额度). The line's state is a fold over them. */
export type CreditLineEvent =
  | {
      readonly type: 'line-opened';
      readonly lineId: string;
      readonly customerId: string;
      readonly currency: CurrencyCode;
      readonly limitMinor: number;
      readonly day: Day;
    }
  | {
      readonly type: 'line-limit-changed';
      readonly lineId: string;
      readonly limitMinor: number;
      readonly day: Day;
    }
  | { readonly type: 'line-frozen'; readonly lineId: string; readonly reason: string; readonly day: Day }
  | { readonly type: 'line-unfrozen'; readonly lineId: string; readonly day: Day }
  | { readonly type: 'line-closed'; readonly lineId: string; readonly day: Day }
  /** A drawdown (借款): a new loan of this principal against the line. */
  | {
      readonly type: 'line-drawn';
      readonly lineId: string;
      readonly loanId: string;
      readonly principalMinor: number;
      readonly day: Day;
    }
  /** Principal repaid (or otherwise taken off a loan) returns to the available amount. */
  | {
      readonly type: 'line-restored';
      readonly lineId: string;
      readonly loanId: string;
      readonly principalMinor: number;
      readonly day: Day;
    };

export interface CreditLineState {
  readonly lineId: string;
  readonly customerId: string;
  readonly currency: CurrencyCode;
  readonly status: CreditLineStatus;
  readonly limitMinor: number;
  /** Sum of the outstanding principal of the line's loans. */
  readonly usedMinor: number;
  /** Outstanding principal per loan drawn on this line. */
  readonly loanPrincipalMinor: { readonly [loanId: string]: number };
  readonly openedDay: Day;
  readonly lastEventDay: Day;
}

/** What can still be drawn: limit − used, never below zero (a lowered limit can sit under the used amount). */
export function availableMinor(line: CreditLineState): number {
  return Math.max(0, line.limitMinor - line.usedMinor);
}

/** A drawdown or line change refused for a reason the customer or operator can act on. */
export class CreditLineError extends LedgerInputError {
  constructor(
    code: string,
    field: string,
    message: string,
    /** Available amount at the time, for `line_limit_exceeded`. */
    readonly availableMinor?: number,
  ) {
    super(code, field, message);
    this.name = 'CreditLineError';
  }
}

function checkAmount(value: number, field: string, max: number, allowZero: boolean): void {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1) || value > max) {
    throw new CreditLineError(
      'line_amount_invalid',
      field,
      `${field} must be a whole number of fen from ${allowZero ? 0 : 1} to ${max}, got ${value}`,
    );
  }
}

function checkOrder(line: CreditLineState, day: Day): void {
  if (day < line.lastEventDay) {
    throw new CreditLineError(
      'line_event_out_of_order',
      'day',
      `credit line ${line.lineId} already has events on day ${line.lastEventDay}; line events are appended in date order — use a day on or after it`,
    );
  }
}

/**
 * The loans' principal with one loan's amount set (a new loan last), or the loan left out when it is repaid
 * (`amount` 0 and `leaves`); the others in their order, as a spread gives them. Built afresh rather than spread
 * and deleted from: a deleted key turns the object into a slow dictionary, and every later copy of it costs
 * many times more.
 */
function withLoanPrincipal(
  loans: { readonly [loanId: string]: number },
  loanId: string,
  amount: number,
  leaves: boolean,
): { [loanId: string]: number } {
  const drop = leaves && amount === 0;
  if (loanId === '__proto__' || Object.hasOwn(loans, '__proto__')) {
    // A key "__proto__" is defined as an own property by a spread, never assigned (which sets the prototype).
    const copy = { ...loans, [loanId]: amount };
    if (drop) delete copy[loanId];
    return copy;
  }
  const out: { [loanId: string]: number } = {};
  let found = false;
  for (const k of Object.keys(loans)) {
    if (k !== loanId) out[k] = loans[k]!;
    else {
      found = true;
      if (!drop) out[k] = amount;
    }
  }
  if (!found && !drop) out[loanId] = amount;
  return out;
}

/** Applies one event. Events are facts: a violation here is an impossible state, not an input error. */
export function applyLineEvent(line: CreditLineState | null, event: CreditLineEvent): CreditLineState {
  if (event.type === 'line-opened') {
    invariant(line === null, () => `line ${event.lineId} opened twice`);
    return {
      lineId: event.lineId,
      customerId: event.customerId,
      currency: event.currency,
      status: 'active',
      limitMinor: event.limitMinor,
      usedMinor: 0,
      loanPrincipalMinor: {},
      openedDay: event.day,
      lastEventDay: event.day,
    };
  }
  invariant(line !== null, () => `line ${event.lineId}: ${event.type} before line-opened`);
  invariant(line.lineId === event.lineId, () => `event for line ${event.lineId} applied to ${line.lineId}`);
  invariant(
    event.day >= line.lastEventDay,
    () => `line ${line.lineId}: event on day ${event.day} out of order`,
  );
  const base = { ...line, lastEventDay: event.day };
  switch (event.type) {
    case 'line-limit-changed':
      return { ...base, limitMinor: event.limitMinor };
    case 'line-frozen':
      invariant(line.status === 'active', () => `line ${line.lineId}: frozen while ${line.status}`);
      return { ...base, status: 'frozen' };
    case 'line-unfrozen':
      invariant(line.status === 'frozen', () => `line ${line.lineId}: unfrozen while ${line.status}`);
      return { ...base, status: 'active' };
    case 'line-closed':
      return { ...base, status: 'closed' };
    case 'line-drawn': {
      invariant(line.status === 'active', () => `line ${line.lineId}: drawn while ${line.status}`);
      invariant(
        !Object.hasOwn(line.loanPrincipalMinor, event.loanId),
        () => `line ${line.lineId}: loan ${event.loanId} drawn twice`,
      );
      invariant(
        event.principalMinor <= availableMinor(line),
        () => `line ${line.lineId}: drawn ${event.principalMinor} above available ${availableMinor(line)}`,
      );
      return {
        ...base,
        usedMinor: line.usedMinor + event.principalMinor,
        loanPrincipalMinor: withLoanPrincipal(
          line.loanPrincipalMinor,
          event.loanId,
          event.principalMinor,
          false,
        ),
      };
    }
    case 'line-restored': {
      const outstanding = line.loanPrincipalMinor[event.loanId];
      invariant(
        outstanding !== undefined,
        () => `line ${line.lineId}: restore for unknown loan ${event.loanId}`,
      );
      invariant(
        event.principalMinor > 0 && event.principalMinor <= outstanding,
        () =>
          `line ${line.lineId}: restore ${event.principalMinor} on loan ${event.loanId} owing ${outstanding}`,
      );
      const rest = outstanding - event.principalMinor;
      return {
        ...base,
        usedMinor: line.usedMinor - event.principalMinor,
        loanPrincipalMinor: withLoanPrincipal(line.loanPrincipalMinor, event.loanId, rest, true),
      };
    }
  }
}

/** State of a line from its events (in order); any past date: pass the events up to it. */
export function foldLineEvents(events: Iterable<CreditLineEvent>): CreditLineState | null {
  let line: CreditLineState | null = null;
  for (const event of events) line = applyLineEvent(line, event);
  if (line) assertLineConsistent(line);
  return line;
}

/** used = Σ loans' outstanding principal, and nothing negative. */
export function assertLineConsistent(line: CreditLineState): void {
  let sum = 0;
  for (const amount of Object.values(line.loanPrincipalMinor)) {
    invariant(amount > 0, () => `line ${line.lineId}: a loan with principal ${amount} is kept`);
    sum += amount;
  }
  invariant(sum === line.usedMinor, () => `line ${line.lineId}: used ${line.usedMinor} ≠ Σ loans ${sum}`);
  invariant(line.limitMinor >= 0, () => `line ${line.lineId}: negative limit`);
}

interface Step {
  readonly line: CreditLineState;
  readonly events: readonly CreditLineEvent[];
}

function step(line: CreditLineState | null, event: CreditLineEvent): Step {
  return { line: applyLineEvent(line, event), events: [event] };
}

export function openLine(input: {
  lineId: string;
  customerId: string;
  limitMinor: number;
  day: Day;
  currency?: CurrencyCode;
}): Step {
  if (input.lineId === '' || input.customerId === '') {
    throw new CreditLineError(
      'line_id_missing',
      input.lineId === '' ? 'lineId' : 'customerId',
      'give a line id and a customer id',
    );
  }
  checkAmount(input.limitMinor, 'limitMinor', CREDIT_LIMIT_MINOR_MAX, false);
  return step(null, {
    type: 'line-opened',
    lineId: input.lineId,
    customerId: input.customerId,
    currency: input.currency ?? 'CNY',
    limitMinor: input.limitMinor,
    day: input.day,
  });
}

function refuseIfClosed(line: CreditLineState, action: string): void {
  if (line.status === 'closed') {
    throw new CreditLineError(
      'line_closed',
      'lineId',
      `credit line ${line.lineId} is closed; it cannot be ${action}. Open a new line instead`,
    );
  }
}

/**
 * Raises or lowers the limit (调额). A limit below the used amount is allowed (the line then has nothing
 * available until enough principal is repaid); loans already drawn are never affected.
 */
export function changeLimit(line: CreditLineState, limitMinor: number, day: Day): Step {
  refuseIfClosed(line, 'given a new limit');
  checkOrder(line, day);
  checkAmount(limitMinor, 'limitMinor', CREDIT_LIMIT_MINOR_MAX, true);
  return step(line, { type: 'line-limit-changed', lineId: line.lineId, limitMinor, day });
}

export function freezeLine(line: CreditLineState, reason: string, day: Day): Step {
  refuseIfClosed(line, 'frozen');
  checkOrder(line, day);
  if (line.status === 'frozen') {
    throw new CreditLineError(
      'line_already_frozen',
      'lineId',
      `credit line ${line.lineId} is already frozen`,
    );
  }
  return step(line, { type: 'line-frozen', lineId: line.lineId, reason, day });
}

export function unfreezeLine(line: CreditLineState, day: Day): Step {
  refuseIfClosed(line, 'unfrozen');
  checkOrder(line, day);
  if (line.status !== 'frozen') {
    throw new CreditLineError(
      'line_not_frozen',
      'lineId',
      `credit line ${line.lineId} is not frozen; nothing to unfreeze`,
    );
  }
  return step(line, { type: 'line-unfrozen', lineId: line.lineId, day });
}

/** Closes the line to new drawdowns; loans already drawn run on and still restore `used` as they are repaid. */
export function closeLine(line: CreditLineState, day: Day): Step {
  refuseIfClosed(line, 'closed again');
  checkOrder(line, day);
  return step(line, { type: 'line-closed', lineId: line.lineId, day });
}

/**
 * Checks a drawdown of `principalMinor` against the line and returns the `line-drawn` event. Refused with a
 * typed error when the line is frozen or closed, or the amount is above what is available (the message
 * says the available amount).
 */
export function drawOnLine(line: CreditLineState, loanId: string, principalMinor: number, day: Day): Step {
  if (line.status === 'frozen') {
    throw new CreditLineError(
      'line_frozen',
      'lineId',
      `credit line ${line.lineId} is frozen; no drawdown is possible until it is unfrozen`,
    );
  }
  refuseIfClosed(line, 'drawn on');
  checkOrder(line, day);
  checkAmount(principalMinor, 'principalMinor', CREDIT_LIMIT_MINOR_MAX, false);
  if (Object.hasOwn(line.loanPrincipalMinor, loanId)) {
    throw new CreditLineError(
      'loan_id_taken',
      'loanId',
      `loan ${loanId} already exists on line ${line.lineId}; use a new loan id`,
    );
  }
  const available = availableMinor(line);
  if (principalMinor > available) {
    throw new CreditLineError(
      'line_limit_exceeded',
      'principalMinor',
      `drawdown of ${formatMinor(principalMinor, line.currency)} is above the available ${formatMinor(available, line.currency)} ${line.currency} on credit line ${line.lineId}; draw at most ${formatMinor(available, line.currency)}`,
      available,
    );
  }
  return step(line, { type: 'line-drawn', lineId: line.lineId, loanId, principalMinor, day });
}

/**
 * Brings the line in step with a loan's outstanding principal after a repayment, waiver or write-off:
 * emits `line-restored` for the principal that left the loan, or nothing when it did not change.
 */
export function syncLoanPrincipal(
  line: CreditLineState,
  loanId: string,
  outstandingPrincipalMinor: number,
  day: Day,
): Step {
  const before = line.loanPrincipalMinor[loanId] ?? 0;
  invariant(
    outstandingPrincipalMinor <= before,
    () =>
      `loan ${loanId}: outstanding principal ${outstandingPrincipalMinor} above the ${before} drawn on line ${line.lineId}`,
  );
  if (outstandingPrincipalMinor === before) return { line, events: [] };
  return step(line, {
    type: 'line-restored',
    lineId: line.lineId,
    loanId,
    principalMinor: before - outstandingPrincipalMinor,
    day: Math.max(day, line.lastEventDay),
  });
}
