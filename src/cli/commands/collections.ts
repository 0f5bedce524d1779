import { COMPLIANCE_WINDOW_DAYS_MAX, isoInZone } from '../../collections/index.js';
import { allocateAs, CollectionsUserError, complianceReportFor, worklistOf } from '../../jobs/index.js';
import { type Day, formatDate, formatMinor, parseDate } from '../../money/index.js';
import { CommandFailedError, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, cliTimeZone, explained, withMigratedDb } from './db-options.js';
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

function dateOption(text: string, option: string): Day {
  try {
    return parseDate(text, option);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `lendguard collections allocate|worklist|compliance`: 分案 and a collector's list for today. */
export const registerCollections: RegisterCommand = (program, io) => {
  const collections = program
    .command('collections')
    .description(
      'Collections (催收): allocate the open cases, print a collector’s list for today, the compliance report',
    );
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
        `${formatDate(r.day)}: ${counted(r.plan.changes.length, 'case')} (re)assigned, ${r.plan.kept} kept, ${r.plan.unassigned} waiting for capacity`,
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
      writeLine(io.stdout, `${o.assignee} on ${formatDate(r.day)}: ${counted(r.items.length, 'case')}`);
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
  addDbOption(
    collections
      .command('compliance')
      .description(
        'The compliance report: attempts the conduct rules refused (by rule, collector, day) and breaches — allowed attempts the rules now refuse',
      )
      .requiredOption('--from <date>', "first day (YYYY-MM-DD, the lender's zone)")
      .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
      .option('--json', 'print as JSON'),
  ).action((o: { db?: string; from: string; to: string; json?: boolean }) =>
    explained(async () => {
      const fromDay = dateOption(o.from, '--from');
      const toDay = dateOption(o.to, '--to');
      if (fromDay > toDay || toDay - fromDay + 1 > COMPLIANCE_WINDOW_DAYS_MAX)
        throw new UsageError(
          `--from must be on or before --to, and a report spans at most ${COMPLIANCE_WINDOW_DAYS_MAX} days`,
        );
      const zone = cliTimeZone();
      const r = await withMigratedDb(o.db, (db) => complianceReportFor(db, fromDay, toDay, zone));
      const at = (a: { atMs: number; zone: string }) => isoInZone(a.atMs, a.zone);
      if (o.json) {
        writeJson(io, {
          ...r,
          fromDay: formatDate(r.fromDay),
          toDay: formatDate(r.toDay),
          byDay: r.byDay.map((d) => ({ ...d, day: formatDate(d.day) })),
          refusals: r.refusals.map((x) => ({ ...x, at: at(x) })),
          breaches: r.breaches.map((x) => ({ ...x, at: at(x) })),
        });
        return;
      }
      writeLine(
        io.stdout,
        `${formatDate(fromDay)} to ${formatDate(toDay)} (${zone}): ${counted(r.attempts, 'attempt')}, ${r.refused} refused, ${counted(r.breachCount, 'breach', 'breaches')}`,
      );
      writeLine(
        io.stdout,
        renderTable(
          [{ header: 'rule' }, { header: 'refused', align: 'right' }, { header: 'breaches', align: 'right' }],
          r.byRule.map((x) => [x.rule, String(x.refused), String(x.breaches)]),
        ),
      );
      if (r.byCollector.length > 0)
        writeLine(
          io.stdout,
          renderTable(
            [
              { header: 'collector' },
              { header: 'attempts', align: 'right' },
              { header: 'refused', align: 'right' },
              { header: 'breaches', align: 'right' },
            ],
            r.byCollector.map((x) => [x.actor, String(x.attempts), String(x.refused), String(x.breaches)]),
          ),
        );
      if (r.breaches.length > 0)
        writeLine(
          io.stdout,
          renderTable(
            [
              { header: 'breach' },
              { header: 'case' },
              { header: 'at' },
              { header: 'collector' },
              { header: 'rule' },
            ],
            r.breaches.map((x) => [x.attemptId, x.caseId, at(x), x.actor, x.rule]),
          ),
        );
    }),
  );
};
