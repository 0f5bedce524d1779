import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/server/index.js';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('problem codes', () => {
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  const documented = new Set(
    [...doc.matchAll(/^\| `([a-z_]+)`\s*\| (\d{3})\s*\|/gm)].map((m) => `${m[1]}:${m[2]}`),
  );

  it('lists every code in docs/errors.md with its status, and no other', () => {
    const inCode = new Set(Object.entries(PROBLEM_CODES).map(([code, { status }]) => `${code}:${status}`));
    expect([...documented].sort()).toEqual([...inCode].sort());
  });

  it('uses in the source only codes that are listed', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new ProblemError\(\s*'([a-z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const code of used) expect(Object.keys(PROBLEM_CODES), code).toContain(code);
  });
});
