import { verifyAuditChain } from '../../store/index.js';
import { CommandFailedError, counted, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

export const registerAudit: RegisterCommand = (program, io) => {
  const audit = program.command('audit').description('The audit log');
  addDbOption(
    audit
      .command('verify')
      .description(
        "Recompute the audit log's hash chain and report the first row that was changed, removed or inserted (exit 1)",
      )
      .option('--json', 'print the result as JSON'),
  ).action((options: { db?: string; json?: boolean }) =>
    explained(() =>
      withMigratedDb(options.db, async (db) => {
        const report = await verifyAuditChain(db);
        if (options.json === true) writeJson(io, { intact: report.firstBroken === undefined, ...report });
        else if (report.firstBroken === undefined) {
          writeLine(io.stdout, `audit log intact: ${counted(report.rowsChecked, 'row')}, every link holds`);
        }
        if (report.firstBroken !== undefined) {
          throw new CommandFailedError(
            `audit log broken at row ${report.firstBroken.auditId}: ${report.firstBroken.reason} (before it, ${counted(report.rowsChecked, 'row')} checked and intact)`,
          );
        }
      }),
    ),
  );
};
