/**
 * The `batched` write strategy (src/store/write-strategy.ts): repayments and waivers of different loans
 * that arrive together share the read and the write of a `combined` write (decision 0216): the reads of
 * the commands waiting are one statement, their writes one statement and one commit.
 * A batch is sent as soon as a slot is free, so a lone request waits for nothing; under load, what
 * arrived while the previous batch was at the database goes in the next one.
 */
import {
  type CommandTarget,
  type CommandWrite,
  changedSinceRead,
  type Db,
  type LockedForCommand,
  readForCommands,
  VersionConflictError,
  writeCommands,
} from '../../store/index.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { ProblemError } from '../http/problem.js';

/** Commands in one statement at most. */
export const COMMAND_BATCH_MAX = 64;
/** Batches of each kind (reads, writes) at the database at once, per server process. */
export const COMMAND_BATCHES_IN_FLIGHT_MAX = 2;

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/** What a batch gives each of its items: a result or the error that item alone should see. */
export type Settled<Out> = { ok: true; value: Out } | { ok: false; error: unknown };

export interface CoalescerOptions<In> {
  batchMax: number;
  inFlightMax: number;
  /** Items allowed to wait; past this `submit` refuses with 503 server_busy. */
  waitingMax: number;
  /** Whether the item may join the batch being formed (else it waits for a later one, keeping its place). */
  fits?: (batch: readonly In[], item: In) => boolean;
  /** What waits, for the 503 message. */
  what: string;
}

/**
 * Gathers items submitted while earlier batches are running into the next batch. `run` settles each item
 * of a batch (same length and order); if it throws, every item of the batch gets that error.
 */
export class Coalescer<In, Out> {
  private readonly queue: Waiting<In, Out>[] = [];
  private inFlight = 0;
  constructor(
    private readonly run: (items: In[]) => Promise<Settled<Out>[]>,
    private readonly options: CoalescerOptions<In>,
  ) {
    if (options.batchMax < 1 || options.inFlightMax < 1)
      throw new Error('assertion: a coalescer sends batches of at least one item, at least one at a time');
  }

  submit(item: In): Promise<Out> {
    if (this.queue.length >= this.options.waitingMax) {
      return Promise.reject(
        new ProblemError(
          'server_busy',
          say(KERNEL_MESSAGES, 'server_busy', { max: this.options.waitingMax, en_what: this.options.what }),
          [],
          { 'retry-after': '1' },
        ),
      );
    }
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.inFlightMax && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The next batch: items in arrival order, passing over those that do not fit (they keep their place). */
  private take(): Waiting<In, Out>[] {
    const fits = this.options.fits;
    const batch: Waiting<In, Out>[] = [];
    const items: In[] = [];
    for (let i = 0; i < this.queue.length && batch.length < this.options.batchMax; ) {
      const w = this.queue[i] as Waiting<In, Out>;
      if (batch.length === 0 || fits === undefined || fits(items, w.item)) {
        batch.push(w);
        items.push(w.item);
        this.queue.splice(i, 1);
      } else {
        i++;
      }
    }
    return batch;
  }

  private async send(batch: Waiting<In, Out>[]): Promise<void> {
    let settled: Settled<Out>[];
    try {
      settled = await this.run(batch.map((w) => w.item));
      if (settled.length !== batch.length)
        throw new Error(`assertion: a batch of ${batch.length} settled ${settled.length} items`);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const s = settled[i] as Settled<Out>;
      const w = batch[i] as Waiting<In, Out>;
      if (s.ok) w.resolve(s.value);
      else w.reject(s.error);
    }
  }
}

/** The `batched` reads and writes of the `combined` command write, one per database per process. */
export interface CommandBatcher {
  read(target: CommandTarget): Promise<LockedForCommand | undefined>;
  write(write: CommandWrite): Promise<void>;
}

const batchers = new WeakMap<object, CommandBatcher>();

export function commandBatcherFor(db: Db, waitingMax: number): CommandBatcher {
  let batcher = batchers.get(db);
  if (batcher === undefined) {
    batcher = makeCommandBatcher(db, { waitingMax });
    batchers.set(db, batcher);
  }
  return batcher;
}

export function makeCommandBatcher(
  db: Db,
  options: { waitingMax: number; batchMax?: number; inFlightMax?: number },
): CommandBatcher {
  const batchMax = options.batchMax ?? COMMAND_BATCH_MAX;
  const inFlightMax = options.inFlightMax ?? COMMAND_BATCHES_IN_FLIGHT_MAX;
  const reads = new Coalescer<CommandTarget, LockedForCommand | undefined>(
    async (targets) => (await readForCommands(db, targets)).map((value) => ({ ok: true, value })),
    { batchMax, inFlightMax, waitingMax: options.waitingMax, what: 'ledger reads' },
  );
  const writes = new Coalescer<CommandWrite, void>(
    async (items) => {
      try {
        await writeCommands(db, items, { locked: false });
        return items.map(() => ({ ok: true, value: undefined }));
      } catch (error) {
        if (items.length === 1) return [{ ok: false, error }];
        // Commonly a loan or line changed since its read (a line moved by another loan's repayment):
        // those are found by their versions and sent to `combined` locked, and the rest written together.
        if (error instanceof VersionConflictError) {
          const changed = await changedSinceRead(db, items);
          const rest = items.filter((_, i) => !changed[i]);
          if (rest.length > 0 && rest.length < items.length) {
            try {
              await writeCommands(db, rest, { locked: false });
              return items.map((item, i) =>
                changed[i]
                  ? {
                      ok: false,
                      error: new VersionConflictError(`loan ${item.pending.loan.loanId} or its credit line`),
                    }
                  : { ok: true, value: undefined },
              );
            } catch {
              // Written nothing again: one by one below.
            }
          }
        }
      }
      // One of them met a change or a duplicate and the statement wrote nothing: each on its own, so that
      // only that one sees its error (and takes `combined` locked or `per-table`).
      const settled: Settled<void>[] = [];
      for (const item of items) {
        try {
          await writeCommands(db, [item], { locked: false });
          settled.push({ ok: true, value: undefined });
        } catch (error) {
          settled.push({ ok: false, error });
        }
      }
      return settled;
    },
    {
      batchMax,
      inFlightMax,
      waitingMax: options.waitingMax,
      what: 'ledger writes',
      // One statement updates a row once: commands of the same loan, or of loans moving the same line, go
      // in different batches.
      fits: (batch, item) =>
        !batch.some(
          (b) =>
            b.pending.loan.loanId === item.pending.loan.loanId ||
            (b.pending.line !== undefined &&
              item.pending.line !== undefined &&
              b.pending.loan.customerId === item.pending.loan.customerId &&
              b.pending.lineBefore.lineId === item.pending.lineBefore.lineId),
        ),
    },
  );
  return { read: (target) => reads.submit(target), write: (write) => writes.submit(write) };
}
