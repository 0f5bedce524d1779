/**
 * The test projects of vitest.config.ts cover the suite (every test file runs in exactly one project, so
 * `npm test` runs everything once), and property tests run with the suite's seed (test/support).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_PROJECTS } from '../../vitest.config.js';
import { PROPERTY_SEED_DEFAULT, propertySeedFrom } from '../support/property-seed.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...testFiles(full));
    else if (entry.endsWith('.test.ts')) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
  }
  return out.sort();
}

const files = testFiles(path.join(ROOT, 'test'));

/** The projects a file runs in, as vitest.config.ts builds them (a named file is left out of the others). */
function projectsOf(file: string): string[] {
  const named = Object.entries(TEST_PROJECTS).filter(([, paths]) =>
    (paths as readonly string[]).includes(file),
  );
  if (named.length > 0) return named.map(([name]) => name);
  return Object.entries(TEST_PROJECTS)
    .filter(([, paths]) => paths.some((p) => !p.endsWith('.ts') && file.startsWith(`${p}/`)))
    .map(([name]) => name);
}

describe('test projects (vitest.config.ts)', () => {
  it('run every test file exactly once', () => {
    expect(files.length).toBeGreaterThan(50);
    const wrong = files
      .map((f) => ({ f, in: projectsOf(f) }))
      .filter((x) => x.in.length !== 1)
      .map((x) => `${x.f}: ${x.in.length === 0 ? 'in no project' : `in ${x.in.join(', ')}`}`);
    expect(wrong, 'add the folder or file to one project of TEST_PROJECTS').toEqual([]);
  });

  it('name only folders and files that exist', () => {
    for (const paths of Object.values(TEST_PROJECTS)) {
      for (const p of paths) expect(statSync(path.join(ROOT, p), { throwIfNoEntry: false }), p).toBeDefined();
    }
  });
});

describe('property seed (test/support/property-seed.ts)', () => {
  it('is fixed unless asked, a given number when asked, fresh for `random`, refused otherwise', () => {
    expect(propertySeedFrom(undefined)).toBe(PROPERTY_SEED_DEFAULT);
    expect(propertySeedFrom('')).toBe(PROPERTY_SEED_DEFAULT);
    expect(propertySeedFrom('-932844')).toBe(-932844);
    expect(propertySeedFrom('random')).toBe('random');
    expect(() => propertySeedFrom('1.5')).toThrow(/LENDGUARD_PROPERTY_SEED/);
    expect(() => propertySeedFrom('yes')).toThrow(/LENDGUARD_PROPERTY_SEED/);
  });

  it('is in force for fast-check in this run', () => {
    const wanted = propertySeedFrom(process.env.LENDGUARD_PROPERTY_SEED);
    const seed = fc.readConfigureGlobal().seed;
    expect(typeof seed).toBe('number');
    if (wanted !== 'random') expect(seed).toBe(wanted);
  });

  it('is not overridden by a property test passing its own seed', () => {
    const own =
      /\{[^{}]*\bnumRuns\b[^{}]*\bseed\s*:|\{[^{}]*\bseed\s*:[^{}]*\bnumRuns\b|\bseed\s*:[^,}]*\}\s*\)\s*;?\s*$/m;
    const offenders = files.filter((f) => {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      return text.includes("from 'fast-check'") && own.test(text);
    });
    expect(offenders, 'drop the seed from fc.assert/fc.check parameters: the suite sets it').toEqual([]);
  });
});
