import { allocateAs, CollectionsUserError, worklistOf } from '../../jobs/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import { CommandFailedError, renderTable, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

/** Cases printed by `collections worklist` at most (a named bound). */
const WORKLIST_PRINT_MAX = 500;

async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CollectionsUserError) throw new CommandFailedError(error.message);
    throw error;
  }
}

/** `lendguard collections allocate|worklist`: 分案 and a collector's list for today. */
export const registerCollections: RegisterCommand = (program, io) => {
  const collections = program
    .command('collections')
    .description('Collections (催收): allocate the open cases, print a collector’s list for today');
  addDbOption(
    collections
      .command('allocate')
      .description('Allocate the open cases to the teams’ collectors (by bucket, capacity, count and amount)')
      .requiredOption('--as <username>', 'the acting admin (the allocation is audited)')
      .option('--json', 'print as JSON'),
  ).action((o: { db?: string; as: string; json?: boolean }) =>
    explained(async () => {
      const r = await refusals(() => withMigratedDb(o.db, (db) => allocateAs(db, o.as)));
      if (o.json) {
        writeJson(io, { businessDay: formatDate(r.day), ...r.plan });
        return;
      }
      writeLine(
        io.stdout,
        `${formatDate(r.day)}: ${r.plan.changes.length} case(s) (re)assigned, ${r.plan.kept} kept, ${r.plan.unassigned} waiting for capacity`,
      );
      writeLine(
        io.stdout,
        renderTable(
          [
            { header: 'collector' },
            { header: 'team' },
            { header: 'cases', align: 'right' },
            { header: 'capacity', align: 'right' },
            { header: 'overdue', align: 'right' },
          ],
          r.plan.loads.map((l) => [
            l.userId,
            l.teamId,
            String(l.cases),
            String(l.capacity),
            formatMinor(l.overdueMinor),
          ]),
        ),
      );
    }),
  );
  addDbOption(
    collections
      .command('worklist')
      .description("A collector's list for today: promises due, actions due, then by priority")
      .requiredOption('--assignee <username>', 'the collector')
      .option('--limit <n>', `at most this many (1 to ${WORKLIST_PRINT_MAX})`, '100')
      .option('--json', 'print as JSON'),
  ).action((o: { db?: string; assignee: string; limit: string; json?: boolean }) =>
    explained(async () => {
      const limit = parsePositiveInt(o.limit, '--limit', WORKLIST_PRINT_MAX);
      const r = await refusals(() => withMigratedDb(o.db, (db) => worklistOf(db, o.assignee, limit)));
      if (o.json) {
        writeJson(io, {
          businessDay: formatDate(r.day),
          items: r.items.map((i) => ({ ...i.kase, nextPromiseDay: i.nextPromiseDay })),
        });
        return;
      }
      writeLine(io.stdout, `${o.assignee} on ${formatDate(r.day)}: ${r.items.length} case(s)`);
      if (r.items.length === 0) return;
      writeLine(
        io.stdout,
        renderTable(
          [
            { header: 'case' },
            { header: 'bucket' },
            { header: 'overdue', align: 'right' },
            { header: 'priority', align: 'right' },
            { header: 'next action' },
            { header: 'due' },
            { header: 'promise' },
          ],
          r.items.map((i) => [
            i.kase.caseId,
            i.kase.bucket,
            formatMinor(i.kase.overdueMinor),
            formatMinor(i.kase.priorityMinor),
            i.kase.nextAction ?? '',
            i.kase.nextActionDueDay ?? '',
            i.nextPromiseDay ?? '',
          ]),
        ),
      );
    }),
  );
};
