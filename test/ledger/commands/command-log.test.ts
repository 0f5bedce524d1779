import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CommandConflictError,
  canonicalJson,
  emptyCommandLog,
  firstDifference,
  lookupCommand,
  recordCommand,
  runIdempotent,
} from '../../../src/ledger/commands/index.js';
import { sha256Hex } from '../../../src/ledger/commands/sha256.js';
import { LedgerInputError } from '../../../src/ledger/errors.js';
import { InvariantError } from '../../../src/money/index.js';

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });
  it('matches node:crypto on any text, including CJK and lengths around the 64-byte block', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
    for (let n = 50; n < 140; n++) {
      const text = '额'.repeat(n % 7) + 'x'.repeat(n);
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('canonical form', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"z":2}]},"b":1}',
    );
  });
  it('refuses values that are not plain data', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(InvariantError);
    expect(() => canonicalJson({ a: 1n })).toThrow(InvariantError);
    expect(() => canonicalJson({ a: new Map() })).toThrow(InvariantError);
  });
  it('names the first differing field by its dotted path', () => {
    const a = {
      amountMinor: 100,
      product: { rate: { value: '0.0005', per: 'day' }, fees: [{ value: '1' }] },
    };
    expect(firstDifference(JSON.parse(canonicalJson(a)), JSON.parse(canonicalJson(a)))).toBeNull();
    const rate = { ...a, product: { ...a.product, rate: { value: '0.0004', per: 'day' } } };
    expect(firstDifference(JSON.parse(canonicalJson(a)), JSON.parse(canonicalJson(rate)))?.path).toBe(
      'product.rate.value',
    );
    const fee = { ...a, product: { ...a.product, fees: [{ value: '2' }] } };
    expect(firstDifference(JSON.parse(canonicalJson(a)), JSON.parse(canonicalJson(fee)))?.path).toBe(
      'product.fees[0].value',
    );
    const extra = { ...a, note: 'x' };
    expect(firstDifference(JSON.parse(canonicalJson(a)), JSON.parse(canonicalJson(extra)))).toEqual({
      path: 'note',
      before: undefined,
      after: 'x',
    });
  });
});

interface Counter {
  readonly total: number;
  readonly calls: number;
}
interface Add {
  readonly clientId: string;
  readonly amount: number;
  readonly meta?: { readonly channel: string };
}
const add = (state: Counter, command: Add) => ({
  state: { total: state.total + command.amount, calls: state.calls + 1 },
  result: { totalAfter: state.total + command.amount },
});

describe('command log', () => {
  it('returns the first result on a repeat and changes nothing', () => {
    let state: Counter = { total: 0, calls: 0 };
    let log = emptyCommandLog<{ totalAfter: number }>();
    const first = runIdempotent(state, log, { clientId: 'c-1', amount: 5 }, add);
    state = first.state;
    log = first.log;
    expect(first).toMatchObject({ repeated: false, result: { totalAfter: 5 } });
    const again = runIdempotent(state, log, { amount: 5, clientId: 'c-1' }, add);
    expect(again.repeated).toBe(true);
    expect(again.result).toEqual({ totalAfter: 5 });
    expect(again.state).toBe(state);
    expect(again.log).toBe(log);
  });

  it('refuses the same id with different content, naming the field and both values', () => {
    const log = runIdempotent(
      { total: 0, calls: 0 },
      emptyCommandLog<{ totalAfter: number }>(),
      { clientId: 'c-1', amount: 5, meta: { channel: 'app' } },
      add,
    ).log;
    const tryAgain = (command: Add) => () => lookupCommand(log, command);
    expect(tryAgain({ clientId: 'c-1', amount: 6, meta: { channel: 'app' } })).toThrow(
      /field "amount" was 5, now 6/,
    );
    try {
      lookupCommand(log, { clientId: 'c-1', amount: 5, meta: { channel: 'web' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CommandConflictError);
      expect(error).toBeInstanceOf(LedgerInputError);
      expect((error as CommandConflictError).code).toBe('command_conflict');
      expect((error as CommandConflictError).field).toBe('meta.channel');
    }
    expect(tryAgain({ clientId: 'c-1', amount: 5 })).toThrow(
      /field "meta" was \{"channel":"app"\}, now absent/,
    );
  });

  it('refuses a missing or malformed client id', () => {
    const log = emptyCommandLog<number>();
    expect(() => lookupCommand(log, { clientId: '' })).toThrow(/needs a clientId/);
    expect(() => lookupCommand(log, { clientId: 'a b' })).toThrow(/not accepted/);
    expect(() => lookupCommand(log, { clientId: 'x'.repeat(129) })).toThrow(/up to 128/);
  });

  it('does not record a refused command, so it can be fixed and sent again under the same id', () => {
    const log = emptyCommandLog<{ totalAfter: number }>();
    const refuse = () => {
      throw new LedgerInputError('too_big', 'amount', 'too big');
    };
    expect(() =>
      runIdempotent({ total: 0, calls: 0 }, log, { clientId: 'c-9', amount: 1e9 }, refuse),
    ).toThrow('too big');
    expect(runIdempotent({ total: 0, calls: 0 }, log, { clientId: 'c-9', amount: 1 }, add).repeated).toBe(
      false,
    );
  });

  it('survives a JSON round trip (the shell stores it in a table)', () => {
    const done = runIdempotent(
      { total: 0, calls: 0 },
      emptyCommandLog<{ totalAfter: number }>(),
      { clientId: 'c-1', amount: 5 },
      add,
    );
    const stored = JSON.parse(JSON.stringify(done.log));
    expect(stored).toEqual(done.log);
    expect(lookupCommand(stored, { clientId: 'c-1', amount: 5 })).toEqual({
      kind: 'repeat',
      result: { totalAfter: 5 },
    });
    expect(() => recordCommand(stored, { clientId: 'c-1' }, { totalAfter: 0 })).toThrow(InvariantError);
  });

  it('property: any sequence with repeats gives the same state as the distinct commands once each', () => {
    const commandArb = fc.record({
      clientId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      amount: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 40 }), (commands) => {
        let state: Counter = { total: 0, calls: 0 };
        let log = emptyCommandLog<{ totalAfter: number }>();
        const firstById = new Map<string, Add>();
        for (const command of commands) {
          const first = firstById.get(command.clientId);
          if (first && first.amount !== command.amount) {
            expect(() => runIdempotent(state, log, command, add)).toThrow(CommandConflictError);
            continue;
          }
          const before = state;
          const done = runIdempotent(state, log, command, add);
          if (first) expect(done.state).toBe(before);
          firstById.set(command.clientId, first ?? command);
          state = done.state;
          log = done.log;
        }
        const expected = [...firstById.values()].reduce((sum, c) => sum + c.amount, 0);
        expect(state).toEqual({ total: expected, calls: firstById.size });
      }),
      { numRuns: 200 },
    );
  });
});
