import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

/** Output streams for running a command in-process, with what was written to each. */
export function capture(): { io: CliIo; out: () => string; err: () => string } {
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
