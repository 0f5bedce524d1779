/**
 * Strategy-lab totals check (not a test): runs one part of the default strategy in this thread from a tree's
 * compiled code and prints a sha256 of its totals (and of the three traced borrowers), with the CPU seconds it
 * took. Two versions of the code give the same run exactly when they print the same hashes: run it against
 * each tree (`--root`, default this one; each with its own dist/) and compare.
 * Run: `node --import tsx bench/simulate-totals.ts --borrowers 2000 [--months 36] [--seed 1] [--root ../old]`.
 */

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const root = resolve(option('root', fileURLToPath(new URL('..', import.meta.url))));
const borrowers = Number(option('borrowers', '2000'));
const months = Number(option('months', '36'));
const seed = Number(option('seed', '1'));

const compiled = (path: string) => pathToFileURL(resolve(root, 'dist', path)).href;
const sim = (await import(compiled('simulation/index.js'))) as typeof import('../src/simulation/index.js');
const files = (await import(
  compiled('jobs/simulation/files.js')
)) as typeof import('../src/jobs/simulation/files.js');

const ctx = files.contextFor({
  strategy: resolve(root, 'policies/simulation/strategy-default.json'),
  months,
  startDate: '2027-01-01',
});
const hash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const cpu0 = process.cpuUsage();
const totals = await sim.runPart(ctx, { seed, replication: 0, from: 0, to: borrowers });
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6;
const traced = await sim.traceArchetypes(ctx, seed);
// The totals' exact text (sorted keys, every figure a whole number) where the tree has its version 2, which
// holds maps; the object itself before (decision 0915).
const text = sim.totalsToText(totals);
const totalsHash = text.includes('"formatVersion":2') ? hash(JSON.parse(text)) : hash(totals);
console.log(
  `${root}: ${borrowers} borrowers × ${months} months, seed ${seed}: totals ${totalsHash}, traced ${hash(traced)}; ` +
    `${cpuSeconds.toFixed(2)} CPU s (${Math.round((borrowers * months) / cpuSeconds)} borrower-months per CPU second)`,
);
