import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The suite in projects, so that the inner loop runs only what a change can touch (README, Development):
 * `npm test` runs them all; `npm run test:core` runs `core` alone (pure, no database, no server).
 * Each project lists the folders (or single files) under test/ it runs; a file named by one project is left
 * out of the others. test/architecture/projects.test.ts checks that every test file runs in exactly one.
 */
export const TEST_PROJECTS = {
  /** The pure core and the architecture checks: the inner loop. */
  core: [
    'test/architecture',
    'test/money',
    'test/ledger',
    'test/scoring',
    'test/origination',
    'test/collections',
    'test/reporting',
    'test/monitoring',
    'test/simulation',
    'test/monitoring',
  ],
  /** Model quality on held-out data: trains every reference model several times, the slow part of scoring. */
  quality: ['test/scoring/quality.test.ts', 'test/scoring/gbm/quality.test.ts'],
  /** The database layer, on PGlite and on PostgreSQL where one is reachable. */
  store: ['test/store'],
  /** The HTTP API, the batch jobs and the command line over the store. */
  'server-jobs': ['test/server', 'test/jobs', 'test/cli'],
  /** The dashboard (needs `npm run build:web`) and the server's serving of it. */
  web: ['test/web', 'test/server/web.test.ts'],
} as const;

function includes(paths: readonly string[]): string[] {
  return paths.map((p) => (p.endsWith('.ts') ? p : `${p}/**/*.test.ts`));
}

/** A file a project names runs there only, though another project's folder holds it. */
function excludes(name: string): string[] {
  return Object.entries(TEST_PROJECTS)
    .filter(([other]) => other !== name)
    .flatMap(([, paths]) => paths.filter((p) => p.endsWith('.ts')));
}

export default defineConfig({
  test: {
    // Files run side by side, one per core and at least two. Most files spend much of their time waiting on
    // another process (the PostgreSQL server, chromium, a command they started), so vitest's default of one
    // worker per core less one would leave a 2-core machine running one file at a time, half idle.
    // Each file's databases are its own (an in-memory PGlite, or a schema of its own on PostgreSQL).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One fixed fast-check seed unless LENDGUARD_PROPERTY_SEED asks for another (or `random`); every file
    // leaves the shared process as it found it.
    setupFiles: ['test/support/property-seed.ts', 'test/support/leaves-process.ts'],
    projects: Object.entries(TEST_PROJECTS).map(([name, paths]) => ({
      extends: true,
      test: {
        name,
        // The browser files one at a time: two chromium pages and their servers at once on a busy 2-core
        // machine lost clicks aimed at controls still moving, and these files gain little from company.
        // Vitest runs projects of different `maxWorkers` in separate groups, one group after the other: the
        // browser files form the second, after the others.
        ...(name === 'web' ? { maxWorkers: 1, sequence: { groupOrder: 1 } } : {}),
        // A worker's files share its loaded modules rather than importing the server, the store and the core
        // anew for each file (that import was most of a small file's time); test/support/leaves-process.ts
        // fails a file that changes the environment or the working folder and does not put it back.
        isolate: false,
        include: includes(paths),
        exclude: ['**/node_modules/**', ...excludes(name)],
      },
    })),
  },
});
