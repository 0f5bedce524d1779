import { describe, expect, it } from 'vitest';
import { canonicalJson, checkInvitation, sealRecord, verifyRecord } from '../../src/origination/index.js';
import { application, BUSINESS_TIME, defaultPolicyAndModels } from './helpers.js';

describe('canonical JSON and sealed records', () => {
  it('sorts keys at every level, drops undefined and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });

  it('seals a copy: later changes to the input do not reach the record', () => {
    const input = { list: [1, 2], note: 'a' };
    const sealed = sealRecord(input);
    input.list.push(3);
    expect(sealed.list).toEqual([1, 2]);
    expect(Object.isFrozen(sealed.list)).toBe(true);
    expect(verifyRecord(sealed)).toBe(true);
    expect(sealed.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('checkInvitation', () => {
  it('raises no flag without an invitation when the policy does not require one', () => {
    const { document } = defaultPolicyAndModels();
    const app = application({ invitationCode: undefined });
    const check = checkInvitation(
      app,
      [],
      { ...document.settings, invitationRequired: false },
      BUSINESS_TIME,
    );
    expect(check).toEqual({ invitation: null, flags: [], limitCap_fen: null });
  });
});
