import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allocateAs,
  decideWriteOffAs,
  EOD_OPTIONS_DEFAULT,
  ledgerEod,
  lenderToday,
  proposeWriteOffAs,
  reviewLimits,
  runEod,
  scoreBehaviourMonth,
  writeBook,
  writeOffCandidatesNow,
} from '../../jobs/index.js';
import { addDays, type Day, formatDate, parseDate } from '../../money/index.js';
import { buildServer } from '../../server/index.js';
import {
  DEMO_BEHAVIOURS,
  demoApplicationPlan,
  seededRandom,
  syntheticCustomer,
} from '../../simulation/index.js';
import {
  appendAudit,
  customerPhone,
  type Db,
  insertCustomer,
  insertToken,
  insertUser,
  loadPiiKeys,
  migrate,
  openDb,
  type PiiCipher,
  type Queryable,
  type Role,
  refreshCases,
  saveTeam,
  setDemoCode,
  setFirstBusinessDay,
  setTestGateway,
} from '../../store/index.js';
import { type CliIo, counted, UsageError, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { cliTimeZone, explained } from './db-options.js';
import { parsePort, parsePositiveInt } from './parse.js';
import { assertPortFree, DEFAULT_HOST, DEFAULT_PORT, startService } from './serve.js';

/** The demo's own folder, apart from ./lendguard-data, so that it never touches real data. */
export const DEMO_DIR_DEFAULT = './lendguard-demo';
/** Written into a folder the demo built; only such a folder is ever rebuilt. */
export const DEMO_MARKER_FILE = 'lendguard-demo.json';

const DEMO_CUSTOMERS = 300;
const DEMO_LOANS_PER_CUSTOMER_MAX = 3;
/** Loans are drawn over this many days before today. */
const DEMO_HISTORY_DAYS = 365;
/** The days closed by EOD runs at the end (the earlier ones are closed as the history is simulated). */
const DEMO_EOD_DAYS = 3;
const SEED_MAX = 2_147_483_647;

/** Empties a folder the demo built before; refuses any other non-empty folder. */
function prepareFolder(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  const marker = join(dir, DEMO_MARKER_FILE);
  if (!existsSync(marker)) {
    throw new UsageError(
      `${dir} holds data that the demo did not make; it is never overwritten. Give the demo another folder (--db ./some-new-folder), or remove ${dir} yourself if it is disposable`,
    );
  }
  JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
}

interface DemoOptions {
  db?: string;
  port?: string;
  seed?: string;
  build?: boolean;
}

/**
 * Sends the demo's invitations, blacklist entry and applications through the API in this process, so that
 * every decision is made and stored exactly as a client's would be. Returns the count of each outcome.
 */
async function decideDemoApplications(
  db: Db,
  cipher: PiiCipher,
  token: string,
  seed: number,
): Promise<Record<string, number>> {
  const app = await buildServer({ db, cipher });
  try {
    const plan = demoApplicationPlan(seed, Date.now());
    const post = async (url: string, body: object, key: string): Promise<Record<string, unknown>> => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        payload: body,
      });
      if (res.statusCode !== 201) {
        throw new Error(`assertion: the demo's POST ${url} was refused (${res.statusCode}): ${res.body}`);
      }
      return res.json() as Record<string, unknown>;
    };
    for (const [i, body] of plan.invitations.entries())
      await post('/invitations', body, `demo-invitation-${i}`);
    for (const [i, body] of plan.blacklist.entries()) await post('/blacklist', body, `demo-blacklist-${i}`);
    const outcomes: Record<string, number> = {};
    for (const [i, body] of plan.applications.entries()) {
      const decision = await post('/applications', body, `demo-application-${i}`);
      const outcome = String(decision.outcome);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    return outcomes;
  } finally {
    await app.close();
  }
}

/** A demo user with `role`, created and audited as the system (the `users create` command does the same). */
async function createDemoUser(tx: Queryable, username: string, role: Role): Promise<string> {
  const user = await insertUser(tx, { username, displayName: username, role });
  await appendAudit(tx, {
    actorUserId: null,
    actorRole: 'system',
    requestId: null,
    customerId: null,
    action: 'user.create',
    resourceType: 'user',
    resourceId: user.userId,
    details: { role, via: 'demo' },
  });
  return user.userId;
}

/**
 * Writes off the loans the lender's rule makes candidates on the business day, through the write-off path
 * a lender uses: two demo users, one proposing (with an evidence reference per loan), one approving.
 */
async function writeOffDemoLoans(db: Db): Promise<number> {
  const { candidates } = await writeOffCandidatesNow(db);
  if (candidates.length === 0) return 0;
  await db.transaction(async (tx) => {
    await createDemoUser(tx, 'demo-risk', 'risk_analyst');
    await createDemoUser(tx, 'demo-finance', 'finance');
  });
  const proposal = await proposeWriteOffAs(
    db,
    'demo-risk',
    candidates.map((c) => ({ loanId: c.loanId, evidenceRef: `DEMO-CASE-${c.loanId}` })),
    'demo: loans past 180 days after collection attempts',
  );
  const approved = await decideWriteOffAs(db, 'demo-finance', proposal.proposalId, 'approve', 'demo');
  return approved.loans.length;
}

/** The demo's collection staff: a team lead and two collectors, one team over every past-due bucket. */
const DEMO_COLLECTORS = ['demo-collector-1', 'demo-collector-2'] as const;
const DEMO_TEAM_LEAD = 'demo-lead';
const DEMO_COLLECTOR_CAPACITY = 60;

/**
 * Staffs collections as a lender would on its first day: the team and its collectors are created, then the
 * open cases EOD opened are allocated by the admin (the allocation path the API's POST
 * /collections/allocations takes), so the collector's work list and the team lead's view show a real day.
 * Returns the collector's token and the cases allocated.
 */
async function staffDemoCollections(db: Db): Promise<{ collectorToken: string; allocated: number }> {
  const collectorToken = await db.transaction(async (tx) => {
    const ids: Record<string, string> = {};
    let token = '';
    for (const username of [DEMO_TEAM_LEAD, ...DEMO_COLLECTORS]) {
      const userId = await createDemoUser(tx, username, 'collector');
      ids[username] = userId;
      if (username === DEMO_COLLECTORS[0]) {
        token = (await insertToken(tx, { userId, label: 'demo', expiresAt: null })).secret;
      }
    }
    await saveTeam(tx, {
      teamId: 'demo-team',
      name: 'Demo team (M1–M7)',
      buckets: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'],
      lead: ids[DEMO_TEAM_LEAD]!,
      members: DEMO_COLLECTORS.map((u) => ({ userId: ids[u]!, capacity: DEMO_COLLECTOR_CAPACITY })),
    });
    return token;
  });
  const { plan } = await allocateAs(db, 'demo-admin');
  return { collectorToken, allocated: plan.changes.length };
}

/**
 * Scores the last month that has ended (the monthly behaviour-score job) and runs its limit review, so the
 * behaviour-score pages and the limit proposals awaiting a second person have a month to show.
 */
async function scoreDemoMonth(
  db: Db,
  today: Day,
): Promise<{ month: string; scored: number; proposals: number }> {
  const lastMonth = addDays(parseDate(`${formatDate(today).slice(0, 7)}-01`), -1);
  const scored = await scoreBehaviourMonth(db, lastMonth);
  const user = await db.query<{ user_id: string }>("select user_id from users where username = 'demo-risk'");
  const proposedBy = user.rows[0]?.user_id;
  if (proposedBy === undefined) throw new Error('assertion: the demo has no demo-risk user');
  const review = await reviewLimits(db, lastMonth, proposedBy);
  return {
    month: review.month,
    scored: scored.linesScored,
    proposals: review.proposed.raise + review.proposed.cut + review.proposed.freeze,
  };
}

/** The fixed portal sign-in code of the demo database (portal_settings; off in every other database). */
export const DEMO_PORTAL_CODE = '246810';

/**
 * A borrower for the portal (docs/portal.md): one in M2 (31–60 days past due), or, in a book without one,
 * the past-due borrower nearest to it. This demo database takes the fixed code, and repays through the
 * built-in test gateway. Undefined when no loan is past due.
 */
async function demoBorrower(
  db: Db,
  cipher: PiiCipher,
): Promise<{ phone: string; code: string; bucket: string } | undefined> {
  const { rows } = await db.query<{ customer_id: string; bucket: string }>(
    `select customer_id, state->>'bucket' as bucket from loans
      where status = 'active' and state->>'bucket' <> 'M0'
      order by (state->>'bucket' <> 'M2'), abs(substr(state->>'bucket', 2)::int - 2), loan_id limit 1`,
  );
  const found = rows[0];
  const phone = found === undefined ? undefined : await customerPhone(db, cipher, found.customer_id);
  await setDemoCode(db, cipher, DEMO_PORTAL_CODE);
  await setTestGateway(db, true);
  return phone === undefined || found === undefined
    ? undefined
    : { phone, code: DEMO_PORTAL_CODE, bucket: found.bucket };
}

/** Builds the demo book and returns the admin token. */
async function buildDemo(
  io: CliIo,
  dir: string,
  seed: number,
): Promise<{
  token: string;
  collectorToken: string;
  summary: string;
  borrower: { phone: string; code: string; bucket: string } | undefined;
}> {
  const started_ms = Date.now();
  // Today in the lender's zone: the shell reads the clock, the core never does.
  const todayText = lenderToday(cliTimeZone());
  const today = parseDate(todayText);
  const target = { kind: 'pglite' as const, dataDir: dir };
  prepareFolder(dir);
  const { cipher } = loadPiiKeys(target);
  const db = await openDb(target);
  try {
    await migrate(db);
    // The book starts a year behind the clock, as `lendguard db migrate --business-day` would set it;
    // its history is written, then EOD closes the last days up to yesterday.
    const firstDay = addDays(today, -DEMO_HISTORY_DAYS);
    await setFirstBusinessDay(db, formatDate(firstDay), todayText);
    writeFileSync(
      join(dir, DEMO_MARKER_FILE),
      `${JSON.stringify({ demo: true, seed, builtFor: formatDate(today) })}\n`,
    );
    const rand = seededRandom(seed ^ 0x5eed);
    const customerIds = await db.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < DEMO_CUSTOMERS; i += 1) {
        ids.push((await insertCustomer(tx, cipher, syntheticCustomer(rand, i), 'demo')).customerId);
      }
      return ids;
    });
    writeLine(
      io.stderr,
      `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): ${counted(customerIds.length, 'customer')} with synthetic personal data (encrypted)`,
    );
    const lastEod = addDays(today, -1);
    const firstEod = addDays(today, -DEMO_EOD_DAYS);
    const book = await writeBook(db, {
      seed,
      customers: customerIds.length,
      customerIds,
      loansPerCustomer_max: DEMO_LOANS_PER_CUSTOMER_MAX,
      drawFrom: firstDay,
      drawTo: addDays(today, -DEMO_EOD_DAYS - 7),
      historyThrough: addDays(firstEod, -1),
      // Borrowers go on paying through yesterday; EOD closes those days afterwards.
      paymentsThrough: lastEod,
      behaviourShares: DEMO_BEHAVIOURS,
    });
    writeLine(
      io.stderr,
      `demo: ${counted(book.lines, 'credit line')}, ${counted(book.loans, 'loan')}, ${counted(book.events, 'event')} and ${counted(book.postings, 'posting')} over the past ${DEMO_HISTORY_DAYS} days`,
    );
    for (let day = firstEod; day <= lastEod; day += 1) {
      const run = await runEod(db, ledgerEod, {
        businessDay: formatDate(day),
        requestedBy: 'demo',
        today: todayText,
        workers: 1,
        options: EOD_OPTIONS_DEFAULT,
      });
      writeLine(
        io.stderr,
        `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): EOD ${run.businessDay} ${run.status}: ${counted(run.loansClosed, 'loan')} closed, ${run.loansAdvanced} advanced, ${counted(run.eventsWritten, 'event')}`,
      );
      if (run.status !== 'succeeded')
        throw new Error(`assertion: the demo's EOD of ${run.businessDay} failed`);
    }
    const writtenOff = await writeOffDemoLoans(db);
    writeLine(
      io.stderr,
      `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): ${counted(writtenOff, 'loan')} past the write-off rule written off (proposed by demo-risk, approved by demo-finance)`,
    );
    const token = await db.transaction(async (tx) => {
      const userId = await createDemoUser(tx, 'demo-admin', 'admin');
      return (await insertToken(tx, { userId, label: 'demo', expiresAt: null })).secret;
    });
    const staffed = await staffDemoCollections(db);
    writeLine(
      io.stderr,
      `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): ${counted(staffed.allocated, 'open collection case')} allocated to ${DEMO_COLLECTORS.join(' and ')} (team lead ${DEMO_TEAM_LEAD})`,
    );
    const month = await scoreDemoMonth(db, today);
    // The open cases take the month's scores now rather than at the next EOD, as the collectors see them today.
    await db.transaction((tx) => refreshCases(tx, lastEod, null));
    writeLine(
      io.stderr,
      `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): behaviour scores for ${month.month} (${counted(month.scored, 'line')}) and ${counted(month.proposals, 'limit-review proposal')} awaiting approval`,
    );
    const outcomes = await decideDemoApplications(db, cipher, token, seed);
    writeLine(
      io.stderr,
      `demo (${((Date.now() - started_ms) / 1000).toFixed(1)} s): ${counted(
        Object.values(outcomes).reduce((a, b) => a + b, 0),
        'application',
      )} decided (${Object.entries(outcomes)
        .map(([outcome, n]) => `${n} ${outcome}`)
        .join(', ')})`,
    );
    const overdue = await db.query<{ active: number; past_due: number }>(
      `select count(*)::int as active, (count(*) filter (where (state->>'bucket') <> 'M0'))::int as past_due
       from loans where status = 'active'`,
    );
    const { active = 0, past_due = 0 } = overdue.rows[0] ?? {};
    const rate = active === 0 ? 0 : (100 * past_due) / active;
    const borrower = await demoBorrower(db, cipher);
    const summary = `built in ${((Date.now() - started_ms) / 1000).toFixed(1)} s: ${counted(book.loans, 'loan')}, ${past_due} of ${active} active past due (${rate.toFixed(1)}%), ${writtenOff} written off; business day ${formatDate(today)}`;
    return { token, collectorToken: staffed.collectorToken, summary, borrower };
  } finally {
    await db.close();
  }
}

export const registerDemo: RegisterCommand = (program, io) => {
  program
    .command('demo')
    .description(
      `Build a demo book (synthetic customers, credit lines, a year of loans and repayments, EOD through yesterday) in ${DEMO_DIR_DEFAULT} and serve the API`,
    )
    .option(
      '--db <dir>',
      `folder for the demo database (default ${DEMO_DIR_DEFAULT}; only a folder the demo made is rebuilt)`,
    )
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--seed <n>', 'seed of the synthetic book (default 1)')
    .option('--no-serve', 'build the book and exit without serving')
    .action((options: DemoOptions & { serve?: boolean }) =>
      explained(async () => {
        const dir = options.db ?? DEMO_DIR_DEFAULT;
        if (/^postgres(ql)?:\/\//i.test(dir)) {
          throw new UsageError(
            'the demo builds an embedded database in a folder; give --db a folder, not a URL',
          );
        }
        const seed = options.seed === undefined ? 1 : parsePositiveInt(options.seed, '--seed', SEED_MAX);
        const port = options.port === undefined ? DEFAULT_PORT : parsePort(options.port);
        // A busy port is found before the book is built, not after.
        if (options.serve !== false) await assertPortFree(DEFAULT_HOST, port);
        const { token, collectorToken, summary, borrower } = await buildDemo(io, dir, seed);
        writeLine(io.stdout, `demo book in ${dir} ${summary}`);
        writeLine(io.stdout, `admin API token (shown once): ${token}`);
        writeLine(
          io.stdout,
          `collector API token for ${DEMO_COLLECTORS[0]} (shown once; the collector's work list): ${collectorToken}`,
        );
        if (borrower !== undefined) {
          writeLine(
            io.stdout,
            `borrower sign-in (a borrower in ${borrower.bucket}, web page /app/portal): phone ${borrower.phone}, code ${borrower.code} (this demo database only)`,
          );
        }
        if (options.serve === false) return;
        const service = await startService({ db: dir, port, host: DEFAULT_HOST }, io);
        writeLine(io.stdout, `serving ${service.url}  (API docs: ${service.url}/docs)`);
        writeLine(io.stdout, `try: curl -H 'Authorization: Bearer ${token}' ${service.url}/loans?limit=5`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            service.close().then(resolve, resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      }),
    );
};
