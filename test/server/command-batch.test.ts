import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/server/http/problem.js';
import { Coalescer, type Settled } from '../../src/server/ledger/command-batch.js';

/** A run whose batches are held until the test lets them go. */
function heldRun<T>() {
  const batches: { items: T[]; release: (error?: unknown) => void }[] = [];
  const run = (items: T[]) =>
    new Promise<Settled<string>[]>((resolve, reject) => {
      batches.push({
        items,
        release: (error) =>
          error === undefined
            ? resolve(items.map((i) => ({ ok: true, value: `done ${String(i)}` })))
            : reject(error),
      });
    });
  return { batches, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the coalescer of the two-statement command path (decision 0216)', () => {
  it('sends a lone item at once, and gathers what arrives while the slots are busy into the next batch', async () => {
    const { batches, run } = heldRun<number>();
    const c = new Coalescer(run, { batchMax: 3, inFlightMax: 1, waitingMax: 100, what: 'things' });
    const first = c.submit(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((i) => c.submit(i));
    expect(batches).toHaveLength(1);
    batches[0]!.release();
    expect(await first).toBe('done 1');
    await tick();
    // At most batchMax in one batch, in arrival order; the rest go next.
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.release();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5]]);
    batches[2]!.release();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4', 'done 5']);
  });

  it('keeps apart the items that do not fit together, each keeping its place for a later batch', async () => {
    const { batches, run } = heldRun<string>();
    const c = new Coalescer(run, {
      batchMax: 10,
      inFlightMax: 1,
      waitingMax: 100,
      what: 'things',
      // Same first letter: the same loan, which one statement cannot update twice.
      fits: (batch, item) => !batch.some((b) => b[0] === item[0]),
    });
    const all = ['a1', 'a2', 'b1', 'a3', 'c1', 'b2'].map((i) => c.submit(i));
    batches[0]!.release();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a1'], ['a2', 'b1', 'c1']]);
    batches[1]!.release();
    await tick();
    expect(batches[2]!.items).toEqual(['a3', 'b2']);
    batches[2]!.release();
    expect(await Promise.all(all)).toHaveLength(6);
  });

  it('gives every item of a failed batch its error, and each item its own settled result otherwise', async () => {
    const boom = new Error('connection lost');
    const { batches, run } = heldRun<number>();
    const c = new Coalescer(run, { batchMax: 5, inFlightMax: 1, waitingMax: 100, what: 'things' });
    const a = c.submit(1);
    const rest = [c.submit(2), c.submit(3)];
    batches[0]!.release(boom);
    await expect(a).rejects.toBe(boom);
    await tick();
    batches[1]!.release(boom);
    for (const r of rest) await expect(r).rejects.toBe(boom);

    const mixed = new Coalescer<number, number>(
      async (items) =>
        items.map((i) => (i % 2 === 0 ? { ok: true, value: i * 10 } : { ok: false, error: i })),
      { batchMax: 5, inFlightMax: 1, waitingMax: 100, what: 'things' },
    );
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => mixed.submit(i)));
    expect(results).toEqual([
      { status: 'rejected', reason: 1 },
      { status: 'fulfilled', value: 20 },
      { status: 'rejected', reason: 3 },
      { status: 'fulfilled', value: 40 },
    ]);
  });

  it('refuses with 503 server_busy past the items allowed to wait', async () => {
    const { batches, run } = heldRun<number>();
    const c = new Coalescer(run, { batchMax: 5, inFlightMax: 1, waitingMax: 2, what: 'ledger writes' });
    const sent = [c.submit(1), c.submit(2), c.submit(3)];
    const refused = c.submit(4);
    await expect(refused).rejects.toBeInstanceOf(ProblemError);
    await expect(refused).rejects.toMatchObject({ code: 'server_busy' });
    await expect(refused).rejects.toThrow(/2 ledger writes are already waiting/);
    batches[0]!.release();
    await tick();
    batches[1]!.release();
    expect(await Promise.all(sent)).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('settles every item exactly once, with no more batches at once than allowed, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (items, batchMax, inFlightMax) => {
          let inFlight = 0;
          let inFlightSeen = 0;
          const sentTimes = new Map<number, number>();
          const c = new Coalescer<number, number>(
            async (batch) => {
              inFlight++;
              inFlightSeen = Math.max(inFlightSeen, inFlight);
              expect(batch.length).toBeLessThanOrEqual(batchMax);
              // Items of one key (first of the pair) never share a batch.
              const keys = batch.map((i) => (items[i] as [number, number])[0]);
              expect(new Set(keys).size).toBe(keys.length);
              for (const i of batch) sentTimes.set(i, (sentTimes.get(i) ?? 0) + 1);
              for (let t = 0; t < (items[batch[0] as number] as [number, number])[1]; t++) await tick();
              inFlight--;
              return batch.map((i) => ({ ok: true, value: i }));
            },
            {
              batchMax,
              inFlightMax,
              waitingMax: 1_000,
              what: 'things',
              fits: (batch, item) =>
                !batch.some(
                  (b) => (items[b] as [number, number])[0] === (items[item] as [number, number])[0],
                ),
            },
          );
          const results = await Promise.all(items.map((_, i) => c.submit(i)));
          expect(results).toEqual(items.map((_, i) => i));
          expect([...sentTimes.values()].every((n) => n === 1)).toBe(true);
          expect(sentTimes.size).toBe(items.length);
          expect(inFlightSeen).toBeLessThanOrEqual(inFlightMax);
        },
      ),
      { numRuns: 200 },
    );
  });
});
