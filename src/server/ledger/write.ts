import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type CommandTarget,
  type CommandWrite,
  type LockedForCommand,
  lockForCommand,
  type Queryable,
  SQLSTATE_UNIQUE_VIOLATION,
  sqlState,
  VersionConflictError,
  writeCommands,
} from '../../store/index.js';
import { DEFAULT_SERVER_CONFIG } from '../config.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { ProblemError } from '../http/problem.js';
import { commitWrite, type SealedWrite, sealWrite, sendSealed, type WriteOutcome } from '../http/writes.js';
import { commandBatcherFor } from './command-batch.js';
import { toLedgerProblem } from './request.js';

/** Attempts of one ledger write when it meets a serialization failure, a deadlock or a changed row version. */
export const LEDGER_WRITE_ATTEMPTS_MAX = 8;

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
          say(KERNEL_MESSAGES, 'server_busy', { max: this.waitingMax, en_what: this.what }),
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
 * How a `combined` write reads and writes (decision 0212): unlocked through the process's command
 * batcher, which shares each statement among the commands waiting (`batched`, decision 0216), or locked
 * inside a transaction for one command.
 */
export interface CommandIo {
  read(target: CommandTarget): Promise<LockedForCommand | undefined>;
  write(write: CommandWrite): Promise<void>;
}

/**
 * A ledger write by the `combined` strategy (decision 0212): one statement reads (and, locked, locks)
 * what the write needs, one writes its rows, audit and idempotency record, and the records come back
 * sealed; undefined when the case is not one it takes, and `per-table` runs instead. Unlocked (`batched`),
 * the two statements run on their own, with no transaction between them, and the write refuses to apply
 * to rows changed since the read (VersionConflictError).
 */
export type CombinedLedgerWrite<Body> = (
  io: CommandIo,
  seal: (outcome: WriteOutcome<Body>) => SealedWrite,
) => Promise<SealedWrite | undefined>;

/**
 * `commitWrite` for ledger changes: a write that meets a concurrent one (serialization failure, deadlock,
 * a row version changed under it) is rolled back whole and run again, up to LEDGER_WRITE_ATTEMPTS_MAX
 * times with a short growing pause; past that the caller gets 409 conflict, never a 500. With `combined`,
 * the write strategies are tried in the order of src/store/write-strategy.ts: `batched` with other
 * requests' (outside the write gate: it holds no transaction), then `combined` locked; `perTable` runs
 * only when they decline. Routes do not call this with both: they call the use case's one function
 * (`commitLoanCommand`), which states the domain step once for every strategy.
 */
export async function commitLedgerWrite<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  perTable: (tx: Queryable) => Promise<WriteOutcome<Body>>,
  combined?: CombinedLedgerWrite<Body>,
): Promise<FastifyReply> {
  let lockedCombined = combined;
  let attemptsMade = 0;
  if (combined !== undefined) {
    const first = await tryBatched(deps, request, reply, combined);
    if (first === 'declined') lockedCombined = undefined;
    else if (first === 'retry') attemptsMade = 1;
    else if (first !== 'changed') return sendSealed(reply, first);
  }
  return gateFor(deps).run(() =>
    commitWithRetries(deps, request, reply, perTable, lockedCombined, attemptsMade),
  );
}

/** Thrown inside a locked `combined` write's transaction to roll it back when it declines. */
const DECLINED = Symbol('declined');

const seal =
  <Body>(request: FastifyRequest, reply: FastifyReply) =>
  (outcome: WriteOutcome<Body>) =>
    sealWrite(request, reply, outcome);

/**
 * The `batched` attempt (unlocked): sealed; or 'changed' (a row moved since the read: try `combined`
 * locked at once); or 'retry' (a serialization failure or deadlock: it counts as the first attempt, and
 * the locked one follows a pause); or 'declined' (`per-table`).
 */
async function tryBatched<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  combined: CombinedLedgerWrite<Body>,
): Promise<SealedWrite | 'changed' | 'retry' | 'declined'> {
  try {
    const sealed = await combined(
      commandBatcherFor(deps.db, LEDGER_WRITES_WAITING_MAX),
      seal(request, reply),
    );
    return sealed ?? 'declined';
  } catch (error) {
    if (error instanceof VersionConflictError) return 'changed';
    if (retryable(error)) return 'retry';
    // A key or client id stored by a concurrent duplicate: `per-table` answers it as a repeat.
    if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) return 'declined';
    throw toLedgerProblem(error);
  }
}

/** The `combined` attempt locked, in a transaction with the loan and line locked: four round trips. */
async function tryCombinedLocked<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  combined: CombinedLedgerWrite<Body>,
): Promise<SealedWrite | undefined> {
  try {
    return await deps.db.transaction(async (tx) => {
      const io: CommandIo = {
        read: (target) => lockForCommand(tx, target, { lock: true }),
        write: (write) => writeCommands(tx, [write], { locked: true }),
      };
      const sealed = await combined(io, seal(request, reply));
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
  perTable: (tx: Queryable) => Promise<WriteOutcome<Body>>,
  combined: CombinedLedgerWrite<Body> | undefined,
  attemptsMade: number,
): Promise<FastifyReply> {
  let combinedDeclined = combined === undefined;
  if (attemptsMade > 0) await pauseBeforeAttempt(attemptsMade);
  for (let attempt = attemptsMade + 1; ; attempt++) {
    try {
      if (!combinedDeclined && combined !== undefined) {
        const sealed = await tryCombinedLocked(deps, request, reply, combined);
        if (sealed !== undefined) return sendSealed(reply, sealed);
        combinedDeclined = true;
      }
      return await commitWrite(deps, request, reply, async (tx) => {
        try {
          return await perTable(tx);
        } catch (error) {
          throw toLedgerProblem(error);
        }
      });
    } catch (error) {
      if (!retryable(error)) throw error;
      if (attempt >= LEDGER_WRITE_ATTEMPTS_MAX) {
        throw new ProblemError(
          'conflict',
          say(KERNEL_MESSAGES, 'write_conflict_repeated', { attempts: LEDGER_WRITE_ATTEMPTS_MAX }),
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
