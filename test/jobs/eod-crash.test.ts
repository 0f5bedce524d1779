import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import { EOD_OPTIONS_DEFAULT, ledgerEod, lenderToday, runEod } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { seededRandom } from '../../src/simulation/index.js';
import { type Db, migrate, openPglite, openPostgres, setFirstBusinessDay } from '../../src/store/index.js';
import { backends, TEST_PG_URL } from '../store/backends.js';
import { dumpLedger } from './book-dump.js';

/**
 * Reliability test (a): the real command (`node bin/lendguard.js eod`, compiled code in dist/) is killed
 * with SIGKILL at random points of several business days, and run again until each day succeeds. The
 * book must then equal, row for row, the same book taken through the same days without interruption:
 * every loan state and marker, event, posting, snapshot, credit line and run total.
 */

const CLI = join(process.cwd(), 'bin', 'lendguard.js');
const DATES = ['2025-04-12', '2025-05-03', '2025-05-31'];
const KILLS_MIN = 3;
const KILLS_MAX = 5;
/** A kill lands this long after the start: past start-up, mostly inside the batch. */
const KILL_AFTER_MS_MIN = 200;
const KILL_AFTER_MS_MAX = 3_000;
/** Restarts of one day allowed before the test gives up (a resume that never finishes is a failure). */
const ATTEMPTS_MAX = 12;
const OPTIONS = { ...EOD_OPTIONS_DEFAULT, batchSize: 15, partitions: 6, lease_ms: 60_000 };

const bookSpec = (seed: number, customers: number) => ({
  seed,
  customers,
  loansPerCustomer_max: 2,
  drawFrom: parseDate('2025-01-02'),
  drawTo: parseDate('2025-03-31'),
  historyThrough: parseDate('2025-04-01'),
});

function run(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  // Its own process group, so that a kill takes the worker processes it started too.
  const child = spawn(process.execPath, [CLI, 'eod', ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** Takes the book through DATES with the real command, killing it `kills` times at random moments. */
async function closeWithKills(dbArg: string, seed: number, extra: string[]): Promise<number> {
  const rand = seededRandom(seed);
  let killsLeft = KILLS_MIN + Math.floor(rand() * (KILLS_MAX - KILLS_MIN + 1));
  let killed = 0;
  let windowMax_ms = KILL_AFTER_MS_MAX;
  for (const date of DATES) {
    for (let attempt = 1; ; attempt += 1) {
      expect(attempt, `EOD ${date} did not finish after ${ATTEMPTS_MAX} starts`).toBeLessThanOrEqual(
        ATTEMPTS_MAX,
      );
      const args = [
        '--date',
        date,
        '--db',
        dbArg,
        '--batch-size',
        String(OPTIONS.batchSize),
        '--partitions',
        String(OPTIONS.partitions),
        '--no-progress',
        ...extra,
      ];
      const { child, done } = run(args);
      const started_ms = Date.now();
      let timer: NodeJS.Timeout | undefined;
      if (killsLeft > 0) {
        const after = KILL_AFTER_MS_MIN + Math.floor(rand() * (windowMax_ms - KILL_AFTER_MS_MIN));
        timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, after);
      }
      const exit = await done;
      clearTimeout(timer);
      if (exit.signal === 'SIGKILL') {
        killsLeft -= 1;
        killed += 1;
        continue;
      }
      // The run ended before its kill: aim the next kill inside a run of that length.
      if (timer !== undefined)
        windowMax_ms = Math.max(KILL_AFTER_MS_MIN + 50, Math.floor((Date.now() - started_ms) * 0.9));
      expect(exit.code, `eod --date ${date} failed: ${exit.stderr}`).toBe(0);
      break;
    }
  }
  return killed;
}

async function closeUninterrupted(db: Db): Promise<void> {
  for (const date of DATES) {
    const r = await runEod(db, ledgerEod, {
      businessDay: date,
      requestedBy: 'cli',
      workers: 1,
      // One partition at a time: the killed runs close several at once in each process.
      partitionsInFlight: 1,
      options: OPTIONS,
    });
    expect(r.status).toBe('succeeded');
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('EOD killed with SIGKILL and resumed equals an uninterrupted run', () => {
  it('has the compiled command line to run', () => {
    expect(
      existsSync(join(process.cwd(), 'dist', 'cli', 'main.js')),
      'run `npm run build` before the tests',
    ).toBe(true);
  });

  it.each([11, 23])(
    'on PGlite in a data folder (seed %i)',
    async (seed) => {
      const root = mkdtempSync(join(tmpdir(), 'lg-eod-crash-'));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      const killedDir = join(root, 'killed');
      const referenceDir = join(root, 'reference');
      const built = await openPglite({ dataDir: killedDir });
      await migrate(built);
      await setFirstBusinessDay(built, '2025-01-02', lenderToday());
      await writeBook(built, bookSpec(seed, 45));
      await built.close();
      cpSync(killedDir, referenceDir, { recursive: true });

      const kills = await closeWithKills(killedDir, seed, []);

      console.info(`PGlite seed ${seed}: ${kills} kills`);
      expect(kills).toBeGreaterThanOrEqual(2);

      const reference = await openPglite({ dataDir: referenceDir });
      await closeUninterrupted(reference);
      const expected = await dumpLedger(reference);
      await reference.close();
      const killed = await openPglite({ dataDir: killedDir });
      const actual = await dumpLedger(killed);
      await killed.close();
      expect(expected.loan_events!.length).toBeGreaterThan(500);
      expect(actual).toEqual(expected);
    },
    240_000,
  );

  const hasPostgres = backends.some((b) => b.name === 'postgres');
  it.runIf(hasPostgres).each([5, 17])(
    'on PostgreSQL with 2 worker processes (seed %i)',
    async (seed) => {
      const schemas = [
        `lg_test_${randomBytes(6).toString('hex')}`,
        `lg_test_${randomBytes(6).toString('hex')}`,
      ];
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      for (const s of schemas) await admin.query(`create schema ${s}`);
      cleanups.push(async () => {
        for (const s of schemas) await admin.query(`drop schema ${s} cascade`);
        await admin.end();
      });
      const [killedSchema, referenceSchema] = schemas as [string, string];
      for (const schema of schemas) {
        const db = await openPostgres({ url: TEST_PG_URL, schema });
        await migrate(db);
        await setFirstBusinessDay(db, '2025-01-02', lenderToday());
        await writeBook(db, bookSpec(seed, 150));
        await db.close();
      }
      const url = new URL(TEST_PG_URL);
      url.searchParams.set('options', `-c search_path=${killedSchema}`);
      const kills = await closeWithKills(url.toString(), seed, ['--workers', '2']);
      console.info(`PostgreSQL seed ${seed}: ${kills} kills`);
      expect(kills).toBeGreaterThanOrEqual(2);

      const reference = await openPostgres({ url: TEST_PG_URL, schema: referenceSchema });
      await closeUninterrupted(reference);
      const expected = await dumpLedger(reference);
      await reference.close();
      const killed = await openPostgres({ url: TEST_PG_URL, schema: killedSchema });
      const actual = await dumpLedger(killed);
      await killed.close();
      expect(expected.loan_events!.length).toBeGreaterThan(500);
      expect(actual).toEqual(expected);
    },
    240_000,
  );
});
