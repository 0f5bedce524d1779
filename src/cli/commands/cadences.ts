import { readFileSync } from 'node:fs';
import {
  approveCadenceAs,
  CadenceUserError,
  SHIPPED_CADENCE_FILE,
  SHIPPED_CADENCE_VERSION,
  submitCadenceAs,
} from '../../jobs/index.js';
import {
  CadenceError,
  findCadenceVersion,
  listCadenceVersions,
  type StoredCadenceVersion,
} from '../../store/index.js';
import {
  type CliIo,
  CommandFailedError,
  counted,
  renderTable,
  UsageError,
  writeJson,
  writeLine,
} from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

/** Versions `cadences list` shows at most (as the API's list). */
const CADENCE_VERSIONS_LIST_MAX = 200;

interface CommonOptions {
  db?: string;
  json?: boolean;
}

/** A refusal of the store or of the acting user, as a message with the fix (exit 1). */
async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CadenceError) {
      const issues = error.issues.map((i) => `\n  ${i.path === '' ? '(document)' : i.path}: ${i.message}`);
      throw new CommandFailedError(`${error.message}${issues.join('')}`);
    }
    if (error instanceof CadenceUserError) throw new CommandFailedError(error.message);
    throw error;
  }
}

function printVersion(io: CliIo, v: StoredCadenceVersion, json: boolean | undefined): void {
  if (json) {
    writeJson(io, v);
    return;
  }
  writeLine(
    io.stdout,
    `cadence ${v.version}: ${v.status}, written by ${v.createdBy}${v.approvedBy === null ? '' : `, approved by ${v.approvedBy}`}`,
  );
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

/**
 * `lendguard cadences list|show|submit|approve`: 提醒节奏 reminder cadence versions with maker-checker, the
 * steps of `/reminder-cadences` (docs/monitoring.md).
 */
export const registerCadences: RegisterCommand = (program, io) => {
  const cmd = program
    .command('cadences')
    .description('Reminder cadences (提醒节奏): versions, a draft by one user and approval by another');
  addDbOption(
    cmd
      .command('list')
      .description('Cadence versions, newest first, with the one in force (shipped until one is published)')
      .option('--json', 'print as JSON'),
  ).action((o: CommonOptions) =>
    explained(async () => {
      const versions = await withMigratedDb(o.db, (db) => listCadenceVersions(db, CADENCE_VERSIONS_LIST_MAX));
      const inForce = versions.find((v) => v.status === 'published')?.version ?? SHIPPED_CADENCE_VERSION;
      if (o.json) {
        writeJson(io, { inForce, items: versions });
        return;
      }
      writeLine(io.stdout, `in force: ${inForce}; ${counted(versions.length, 'version')}`);
      if (versions.length === 0) return;
      writeLine(
        io.stdout,
        renderTable(
          [
            { header: 'version' },
            { header: 'status' },
            { header: 'written by' },
            { header: 'written' },
            { header: 'approved by' },
            { header: 'note' },
          ],
          versions.map((v) => [
            v.version,
            v.status,
            v.createdBy,
            v.createdAt ?? '',
            v.approvedBy ?? '–',
            v.note ?? '',
          ]),
        ),
      );
    }),
  );
  addDbOption(
    cmd
      .command('show <version>')
      .description(`One version with its document ("${SHIPPED_CADENCE_VERSION}": the cadence shipped)`)
      .option('--json', 'print as JSON'),
  ).action((version: string, o: CommonOptions) =>
    explained(async () => {
      if (version === SHIPPED_CADENCE_VERSION) {
        const document = JSON.parse(readFileSync(SHIPPED_CADENCE_FILE, 'utf8')) as unknown;
        if (o.json) writeJson(io, { version, status: 'shipped', document });
        else {
          writeLine(io.stdout, `cadence ${version}: shipped with Lendguard`);
          writeLine(io.stdout, JSON.stringify(document, null, 2));
        }
        return;
      }
      const found = await withMigratedDb(o.db, (db) => findCadenceVersion(db, version));
      if (found === undefined) {
        throw new CommandFailedError(`no cadence version ${version}; list them with lendguard cadences list`);
      }
      if (o.json) {
        writeJson(io, { ...found.version, document: found.document });
        return;
      }
      printVersion(io, found.version, false);
      writeLine(io.stdout, JSON.stringify(found.document, null, 2));
    }),
  );
  addDbOption(
    cmd
      .command('submit <file>')
      .description(
        'Draft a cadence version from a JSON document; the whole document is checked and nothing is stored if any part fails',
      )
      .requiredOption('--as <username>', 'the drafting user (admin or risk_analyst)')
      .option('--note <text>', 'why')
      .option('--json', 'print as JSON'),
  ).action((file: string, o: CommonOptions & { as: string; note?: string }) =>
    explained(async () => {
      const document = readDocument(file);
      const v = await withMigratedDb(o.db, (db) =>
        refusals(() => submitCadenceAs(db, o.as, document, o.note ?? null)),
      );
      printVersion(io, v, o.json);
    }),
  );
  addDbOption(
    cmd
      .command('approve <version>')
      .description(
        'Approve a draft (never your own): it is published and the version in force before it retired',
      )
      .requiredOption('--as <username>', 'the approving user (admin or risk_analyst), not the author')
      .option('--json', 'print as JSON'),
  ).action((version: string, o: CommonOptions & { as: string }) =>
    explained(async () => {
      const v = await withMigratedDb(o.db, (db) => refusals(() => approveCadenceAs(db, o.as, version)));
      printVersion(io, v, o.json);
    }),
  );
};
