/**
 * Strategy-lab benchmark (not a test): borrower-months simulated per second and memory per borrower, with
 * reminders, collections, line controls and the reports running as in a real run, on worker threads.
 * Aim: 100,000 borrowers × 36 months under 60 s on two cores. Run: `npm run bench:simulate`.
 * Options: --sizes 10000,100000 (borrowers), --months 36, --workers 2, --seed 1. Runs the compiled code in dist/.
 */

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// The compiled code (`npm run bench:simulate` compiles it first): the worker threads then start from plain
// JavaScript instead of compiling every source through tsx, which took tens of seconds on a loaded machine.
const compiled = new URL('../dist/jobs/simulation/run.js', import.meta.url).href;
const { runSimulation } = (await import(compiled)) as typeof import('../src/jobs/simulation/run.js');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const sizes = option('sizes', '10000,100000').split(',').map(Number);
const months = Number(option('months', '36'));
const workers = Number(option('workers', '2'));
const seed = Number(option('seed', '1'));
const strategy = fileURLToPath(new URL('../policies/simulation/strategy-default.json', import.meta.url));

console.log(
  `strategy lab: ${months} months, ${workers} worker thread(s), load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
for (const borrowers of sizes) {
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  let shown = 0;
  const report = await runSimulation(
    { strategies: [strategy], borrowers, months, seed, replications: 1, startDate: '2027-01-01', workers },
    (n) => {
      done += n;
      if (done - shown >= Math.max(1000, borrowers / 10)) {
        shown = done;
        process.stderr.write(
          `  ${done}/${borrowers} borrowers, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
        );
      }
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  // CPU seconds of the process and its worker threads: on a machine shared with other work, the figure that
  // compares two versions of the code when wall time is mostly the machine's load.
  const cpuSeconds = (used.user + used.system) / 1e6;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const bm = borrowers * months;
  console.log(
    `${borrowers} borrowers × ${months} months: ${seconds.toFixed(1)} s, ${Math.round(bm / seconds)} borrower-months/s, ` +
      `${cpuSeconds.toFixed(1)} CPU s (${Math.round(bm / cpuSeconds)} borrower-months per CPU second), ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (${((peakRss - baseRss) / borrowers / 1024).toFixed(2)} KiB per borrower above the start), ` +
      `approval ${(report.strategies[0]!.metrics.approvalRate.mean * 100).toFixed(1)} %; ` +
      `the aim (100,000 × 36 under 60 s) needs ${Math.round(3_600_000 / 60)} borrower-months/s`,
  );
}
