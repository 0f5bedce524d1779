/**
 * `--json` output: JSON.stringify's indented text and a newline for any JSON value, written a piece at a
 * time, so a report whose text passes the longest string V8 holds (the ECL of a million loans) is still written.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/io.js';

function written(value: unknown): { text: string; writes: number } {
  const stdout = new PassThrough();
  const pieces: string[] = [];
  stdout.on('data', (c) => pieces.push(String(c)));
  let writes = 0;
  const write = stdout.write.bind(stdout);
  stdout.write = ((chunk: string) => {
    writes += 1;
    return write(chunk);
  }) as typeof stdout.write;
  writeJson({ stdout, stderr: new PassThrough() }, value);
  return { text: pieces.join(''), writes };
}

describe('writeJson', () => {
  it("writes JSON.stringify's indented text and a newline for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(written(value).text).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a report-sized table in many pieces, none of them the whole text', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      exposure: `loan_${i}`,
      balance: `${i}.25`,
      stage: 1,
    }));
    const report = { kind: 'ecl', tables: [{ name: 'exposures', rows }] };
    const { text, writes } = written(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(writes).toBeGreaterThan(10);
  });
});
