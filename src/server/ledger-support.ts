import type { FastifyReply, FastifyRequest } from 'fastify';
import { CreditLineError, type Installment, LedgerInputError, type LoanPosition } from '../ledger/index.js';
import {
  type Day,
  formatDate,
  formatMinor as formatFen,
  MoneyInputError,
  parseDate,
} from '../money/index.js';
import {
  type CommandTarget,
  type CommandWrite,
  type CreditLineState,
  LoanNotFoundError,
  type LockedForCommand,
  lockForCommand,
  type Queryable,
  SQLSTATE_UNIQUE_VIOLATION,
  type StoredLoan,
  sqlState,
  VersionConflictError,
  writeCommands,
} from '../store/index.js';
import { commandBatcherFor } from './command-batch.js';
import { DEFAULT_SERVER_CONFIG } from './config.js';
import { readAmount as parseAmount } from './http/amount.js';
import type { ServerDeps } from './http/context.js';
import { type FieldProblem, ProblemError } from './http/problem.js';
import { commitWrite, type SealedWrite, sealWrite, sendSealed, type WriteOutcome } from './http/writes.js';

/** Attempts of one ledger write when it meets a serialization failure, a deadlock or a changed row version. */
export const LEDGER_WRITE_ATTEMPTS_MAX = 8;
/** How far before the business day a repayment or waiver may be dated (backdated corrections). */
export const BACKDATE_DAYS_MAX = 90;

/**
 * Ledger write transactions one server process runs at once by default (`ledgerWritesInFlight_max`).
 * The rest wait their turn in the process (in arrival order) instead of queueing for a pooled connection,
 * whose wait is bounded and would end in an error under a burst. Below the pool size so that reads still
 * find a connection.
 */
export const LEDGER_WRITES_IN_FLIGHT_MAX = DEFAULT_SERVER_CONFIG.ledgerWritesInFlight_max;
/** Ledger writes allowed to wait for a turn; past this the server answers 503 with Retry-After. */
export const LEDGER_WRITES_WAITING_MAX = 10_000;

/** A counting gate: at most `size` holders, the others wait in order. */
export class Gate {
  private held = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly waitingMax: number,
    /** What waits, for the 503 message. */
    private readonly what: string = 'ledger writes',
  ) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.size) {
      if (this.waiting.length >= this.waitingMax) {
        throw new ProblemError(
          'server_busy',
          `${this.waitingMax} ${this.what} are already waiting; send this one again in a second with the same Idempotency-Key.`,
          [],
          { 'retry-after': '1' },
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.held++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.held--;
      else next();
    }
  }
}

const writeGates = new WeakMap<object, Gate>();
function gateFor(deps: ServerDeps): Gate {
  let gate = writeGates.get(deps.db);
  if (gate === undefined) {
    const size = deps.db.kind === 'pglite' ? 1 : deps.config.ledgerWritesInFlight_max;
    gate = new Gate(size, LEDGER_WRITES_WAITING_MAX);
    writeGates.set(deps.db, gate);
  }
  return gate;
}

const SQLSTATE_SERIALIZATION_FAILURE = '40001';
const SQLSTATE_DEADLOCK_DETECTED = '40P01';

function retryable(error: unknown): boolean {
  const state = sqlState(error);
  return (
    error instanceof VersionConflictError ||
    state === SQLSTATE_SERIALIZATION_FAILURE ||
    state === SQLSTATE_DEADLOCK_DETECTED
  );
}

/**
 * How the two-statement path reads and writes (decision 0212): unlocked through the process's command
 * batcher, which shares each statement among the commands waiting (decision 0216), or locked inside a
 * transaction for one command.
 */
export interface CommandIo {
  read(target: CommandTarget): Promise<LockedForCommand | undefined>;
  write(write: CommandWrite): Promise<void>;
}

/**
 * The two-statement path of a ledger write (decision 0212): one statement reads (and, locked, locks)
 * what the write needs, one writes its rows, audit and idempotency record, and the records come back
 * sealed; undefined when the case is not the common one, and the general path runs instead. Unlocked, the
 * two statements run on their own, with no transaction between them, and the write refuses to apply to
 * rows changed since the read (VersionConflictError).
 */
export type FastLedgerWrite<Body> = (
  io: CommandIo,
  seal: (outcome: WriteOutcome<Body>) => SealedWrite,
) => Promise<SealedWrite | undefined>;

/**
 * `commitWrite` for ledger changes: a write that meets a concurrent one (serialization failure, deadlock,
 * a row version changed under it) is rolled back whole and run again, up to LEDGER_WRITE_ATTEMPTS_MAX
 * times with a short growing pause; past that the caller gets 409 conflict, never a 500. With `fast`, the
 * two-statement path is tried first, unlocked and batched with other requests' (outside the write gate:
 * it holds no transaction), then locked; the general `work` runs only when it declines.
 */
export async function commitLedgerWrite<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Queryable) => Promise<WriteOutcome<Body>>,
  fast?: FastLedgerWrite<Body>,
): Promise<FastifyReply> {
  let lockedFast = fast;
  let attemptsMade = 0;
  if (fast !== undefined) {
    const first = await tryUnlocked(deps, request, reply, fast);
    if (first === 'declined') lockedFast = undefined;
    else if (first === 'retry') attemptsMade = 1;
    else if (first !== 'changed') return sendSealed(reply, first);
  }
  return gateFor(deps).run(() => commitWithRetries(deps, request, reply, work, lockedFast, attemptsMade));
}

/** Thrown inside the fast path's transaction to roll it back when the fast path declines. */
const DECLINED = Symbol('declined');

const seal =
  <Body>(request: FastifyRequest, reply: FastifyReply) =>
  (outcome: WriteOutcome<Body>) =>
    sealWrite(request, reply, outcome);

/**
 * The unlocked, batched attempt: sealed; or 'changed' (a row moved since the read: try locked at once);
 * or 'retry' (a serialization failure or deadlock: it counts as the first attempt, and the locked one
 * follows a pause); or 'declined' (the general path).
 */
async function tryUnlocked<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  fast: FastLedgerWrite<Body>,
): Promise<SealedWrite | 'changed' | 'retry' | 'declined'> {
  try {
    const sealed = await fast(commandBatcherFor(deps.db, LEDGER_WRITES_WAITING_MAX), seal(request, reply));
    return sealed ?? 'declined';
  } catch (error) {
    if (error instanceof VersionConflictError) return 'changed';
    if (retryable(error)) return 'retry';
    // A key or client id stored by a concurrent duplicate: the general path answers it as a repeat.
    if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) return 'declined';
    throw toLedgerProblem(error);
  }
}

/** The locked attempt, in a transaction with the loan and line locked: four round trips. */
async function tryLocked<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  fast: FastLedgerWrite<Body>,
): Promise<SealedWrite | undefined> {
  try {
    return await deps.db.transaction(async (tx) => {
      const io: CommandIo = {
        read: (target) => lockForCommand(tx, target, { lock: true }),
        write: (write) => writeCommands(tx, [write], { locked: true }),
      };
      const sealed = await fast(io, seal(request, reply));
      if (sealed === undefined) throw DECLINED;
      return sealed;
    });
  } catch (error) {
    if (error === DECLINED || sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) return undefined;
    throw toLedgerProblem(error);
  }
}

async function commitWithRetries<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Queryable) => Promise<WriteOutcome<Body>>,
  fast: FastLedgerWrite<Body> | undefined,
  attemptsMade: number,
): Promise<FastifyReply> {
  let fastDeclined = fast === undefined;
  if (attemptsMade > 0) await pauseBeforeAttempt(attemptsMade);
  for (let attempt = attemptsMade + 1; ; attempt++) {
    try {
      if (!fastDeclined && fast !== undefined) {
        const sealed = await tryLocked(deps, request, reply, fast);
        if (sealed !== undefined) return sendSealed(reply, sealed);
        fastDeclined = true;
      }
      return await commitWrite(deps, request, reply, async (tx) => {
        try {
          return await work(tx);
        } catch (error) {
          throw toLedgerProblem(error);
        }
      });
    } catch (error) {
      if (!retryable(error)) throw error;
      if (attempt >= LEDGER_WRITE_ATTEMPTS_MAX) {
        throw new ProblemError(
          'conflict',
          `The change met ${LEDGER_WRITE_ATTEMPTS_MAX} concurrent changes to the same records in a row; send it again with the same Idempotency-Key.`,
        );
      }
      await pauseBeforeAttempt(attempt);
    }
  }
}

/** A short pause that grows with the attempts made, so that colliding writes fall out of step. */
function pauseBeforeAttempt(attemptsMade: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, attemptsMade * 5 + Math.floor(Math.random() * 10)));
}

const FIELD_PATHS: Record<string, string> = {
  amountMinor: '/body/amount',
  principalMinor: '/body/amount',
  limitMinor: '/body/limit',
  day: '/body/effectiveDate',
  lineId: '/path/lineId',
  loanId: '/path/loanId',
};

/** An engine refusal as a problem whose message says what to fix; anything else passes through. */
export function toLedgerProblem(error: unknown): unknown {
  if (error instanceof LoanNotFoundError) return loanNotFound(error.loanId);
  if (!(error instanceof LedgerInputError)) return error;
  const path = FIELD_PATHS[error.field] ?? `/body/${error.field}`;
  const errors: FieldProblem[] = [{ path, message: error.message }];
  if (error instanceof CreditLineError) {
    if (error.code === 'line_limit_exceeded')
      return new ProblemError('limit_exceeded', error.message, errors);
    if (['line_frozen', 'line_closed', 'line_already_frozen', 'line_not_frozen'].includes(error.code)) {
      return new ProblemError('line_status_conflict', error.message, errors);
    }
  }
  if (error.code === 'loan_settled') return new ProblemError('loan_settled', error.message, errors);
  return new ProblemError('ledger_refused', `${error.message} (${error.code})`, errors);
}

export const loanNotFound = (id: string) =>
  new ProblemError('loan_not_found', `There is no loan ${id}; list loans with GET /loans.`, [
    { path: '/path/loanId', message: 'no such loan' },
  ]);
export const lineNotFound = (id: string) =>
  new ProblemError('line_not_found', `There is no credit line ${id}; list lines with GET /credit-lines.`, [
    { path: '/path/lineId', message: 'no such credit line' },
  ]);
export const productNotFound = (id: string, path: string) =>
  new ProblemError('product_not_found', `There is no product ${id}; list products with GET /products.`, [
    { path, message: 'no such product (or version)' },
  ]);

export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const dateSchema = (description: string) =>
  ({ type: 'string', pattern: DATE_PATTERN, description: `${description} (YYYY-MM-DD)` }) as const;

/** An ISO date from the request, refused with the reason when it is not a calendar date in range. */
export function requestDate(text: string, path: string): Day {
  try {
    return parseDate(text, path.split('/').at(-1) ?? 'date');
  } catch (error) {
    if (error instanceof MoneyInputError) {
      throw new ProblemError('validation_failed', `Fix this date and send again: ${error.message}`, [
        { path, message: error.message },
      ]);
    }
    throw error;
  }
}

/** An amount from the request in fen, above zero, or a problem naming the field. */
export function requestAmount(deps: ServerDeps, text: string, path: string, allowZero = false): number {
  const parsed = parseAmount(text, deps.config.amount_max_fen);
  const name = path.split('/').at(-1) ?? 'amount';
  if (!parsed.ok)
    throw new ProblemError('amount_invalid', `${name} ${parsed.message}`, [
      { path, message: parsed.message },
    ]);
  if (parsed.fen === 0 && !allowZero) {
    const message = 'must be above 0.00; send the amount in yuan, e.g. "100.00"';
    throw new ProblemError('amount_invalid', `${name} ${message}`, [{ path, message }]);
  }
  return parsed.fen;
}

/** Checks an effective date against the business day: not in the future, at most BACKDATE_DAYS_MAX back. */
export function effectiveDay(text: string | undefined, businessDay: Day, path: string): Day {
  if (text === undefined) return businessDay;
  const day = requestDate(text, path);
  if (day > businessDay) {
    throw new ProblemError(
      'date_out_of_range',
      `${text} is after the business day ${formatDate(businessDay)}; money cannot be received in the future — give ${formatDate(businessDay)} or earlier`,
      [{ path, message: `must be on or before ${formatDate(businessDay)}` }],
    );
  }
  if (day < businessDay - BACKDATE_DAYS_MAX) {
    throw new ProblemError(
      'date_out_of_range',
      `${text} is more than ${BACKDATE_DAYS_MAX} days before the business day ${formatDate(businessDay)}; give ${formatDate(businessDay - BACKDATE_DAYS_MAX)} or later`,
      [{ path, message: `must be on or after ${formatDate(businessDay - BACKDATE_DAYS_MAX)}` }],
    );
  }
  return day;
}

// ---------------------------------------------------------------------------------------------------
// Presentation

export const lineResponse = {
  type: 'object',
  required: ['lineId', 'customerId', 'status', 'currency', 'limit', 'used', 'available', 'openedOn'],
  properties: {
    lineId: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string', enum: ['active', 'frozen', 'closed'] },
    currency: { type: 'string' },
    limit: { type: 'string' },
    used: { type: 'string', description: 'Outstanding principal of the loans drawn on the line' },
    available: { type: 'string' },
    openedOn: { type: 'string' },
    loanCount: { type: 'integer' },
  },
} as const;

export function presentLine(line: CreditLineState) {
  return {
    lineId: line.lineId,
    customerId: line.customerId,
    status: line.status,
    currency: line.currency,
    limit: formatFen(line.limitMinor),
    used: formatFen(line.usedMinor),
    available: formatFen(Math.max(0, line.limitMinor - line.usedMinor)),
    openedOn: formatDate(line.openedDay),
    loanCount: Object.keys(line.loanPrincipalMinor).length,
  };
}

const money = { type: 'string' } as const;

export const loanResponse = {
  type: 'object',
  required: [
    'loanId',
    'customerId',
    'lineId',
    'productId',
    'productVersion',
    'status',
    'openedOn',
    'principal',
    'asOf',
    'lastClosedDay',
    'daysPastDue',
    'bucket',
    'outstandingPrincipal',
    'totalOwed',
  ],
  properties: {
    loanId: { type: 'string' },
    customerId: { type: 'string' },
    lineId: { type: 'string' },
    productId: { type: 'string' },
    productVersion: { type: 'integer' },
    status: { type: 'string', enum: ['active', 'settled'] },
    openedOn: { type: 'string' },
    principal: money,
    asOf: { type: 'string', description: 'The day the balances are as of (its end)' },
    lastClosedDay: { type: 'string', description: 'Last business day the end-of-day step ran for this loan' },
    nextEventDay: {
      type: ['string', 'null'],
      description: 'First day EOD has something to do; null when settled',
    },
    daysPastDue: { type: 'integer' },
    bucket: { type: 'string' },
    outstandingPrincipal: money,
    overduePrincipal: money,
    overdueInterest: money,
    overdueFee: money,
    duePrincipal: money,
    dueInterest: money,
    dueFee: money,
    accruedInterest: money,
    penaltyOutstanding: money,
    credit: money,
    totalOwed: money,
  },
} as const;

export function presentLoan(loan: StoredLoan, position: LoanPosition, lastClosedDay: Day, nextEventDay: Day) {
  const s = loan.state;
  return {
    loanId: loan.loanId,
    customerId: loan.customerId,
    lineId: loan.lineId,
    productId: loan.productId,
    productVersion: loan.productVersion,
    status: position.status,
    openedOn: formatDate(s.startDay),
    principal: formatFen(s.disbursedPrincipalMinor),
    asOf: formatDate(position.asOfDay),
    lastClosedDay: formatDate(lastClosedDay),
    nextEventDay: nextEventDay >= Number.MAX_SAFE_INTEGER ? null : formatDate(nextEventDay),
    daysPastDue: position.daysPastDue,
    bucket: position.bucket,
    outstandingPrincipal: formatFen(position.outstandingPrincipalMinor),
    overduePrincipal: formatFen(position.overduePrincipalMinor),
    overdueInterest: formatFen(position.overdueInterestMinor),
    overdueFee: formatFen(position.overdueFeeMinor),
    duePrincipal: formatFen(position.duePrincipalMinor),
    dueInterest: formatFen(position.dueInterestMinor),
    dueFee: formatFen(position.dueFeeMinor),
    accruedInterest: formatFen(position.accruedInterestMinor),
    penaltyOutstanding: formatFen(position.penaltyOutstandingMinor),
    credit: formatFen(position.creditMinor),
    totalOwed: formatFen(position.totalOwedMinor),
  };
}

export const installmentResponse = {
  type: 'object',
  required: ['number', 'startDate', 'dueDate', 'principal', 'interest', 'fee', 'total', 'remainingPrincipal'],
  properties: {
    number: { type: 'integer' },
    startDate: { type: 'string' },
    dueDate: { type: 'string' },
    principal: money,
    interest: money,
    fee: money,
    total: money,
    remainingPrincipal: money,
  },
} as const;

export function presentInstallment(i: Installment) {
  return {
    number: i.number,
    startDate: formatDate(i.startDay),
    dueDate: formatDate(i.dueDay),
    principal: formatFen(i.principalMinor),
    interest: formatFen(i.interestMinor),
    fee: formatFen(i.feeMinor),
    total: formatFen(i.totalMinor),
    remainingPrincipal: formatFen(i.remainingPrincipalMinor),
  };
}

/**
 * An engine event or posting for the API: `…Minor` integer fields become decimal strings of yuan without
 * the suffix, `…Day` numbers become ISO dates; the product document inside LoanOpened is left out (it is
 * at GET /products/{id}).
 */
export function presentDetail(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => presentDetail(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'product' && key === '') continue;
      if (k.endsWith('Minor') && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
        out[k.slice(0, -'Minor'.length)] = formatFen(v);
      } else if (k.endsWith('Day') && typeof v === 'number') {
        out[k.slice(0, -'Day'.length) === '' ? k : k] = v >= Number.MAX_SAFE_INTEGER ? null : formatDate(v);
      } else if (k === 'day' && typeof v === 'number') {
        out[k] = formatDate(v);
      } else {
        out[k] = presentDetail(v, k);
      }
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
