import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

const root = mkdtempSync(join(tmpdir(), 'lg-funding-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lendguard funding import', () => {
  it('counts one stored outflow in the singular, two in the plural', async () => {
    const dir = join(root, 'db');
    const load = async (name: string, rows: string[]) => {
      const file = join(root, name);
      writeFileSync(file, `day,amount,label\n${rows.join('\n')}\n`);
      const c = capture();
      const code = await main(['funding', 'import', '--file', file, '--db', dir], c.io);
      expect(code, c.err()).toBe(0);
      return { file, out: c.out() };
    };
    const one = await load('one.csv', ['2026-07-01,100.00,bond coupon']);
    expect(one.out).toBe(`stored 1 funding outflow from ${one.file}\n`);
    const two = await load('two.csv', ['2026-08-01,200.00,bond coupon', '2026-09-01,300.00,bank line']);
    expect(two.out).toBe(`stored 2 funding outflows from ${two.file}\n`);
  }, 60_000);
});
