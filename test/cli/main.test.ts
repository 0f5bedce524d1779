import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += String(c);
  });
  stderr.on('data', (c) => {
    err += String(c);
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('command line', () => {
  it('exits with status 2 on an unknown command', async () => {
    const c = capture();
    expect(await main(['no-such-command'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown command|too many arguments/);
  });

  it('prints its version', async () => {
    const c = capture();
    expect(await main(['--version'], c.io)).toBe(0);
    expect(c.out()).toMatch(/\d+\.\d+\.\d+/);
  });
});
