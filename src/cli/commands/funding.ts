import { readFileSync } from 'node:fs';
import { readFundingOutflows, writeFundingOutflows } from '../../jobs/index.js';
import { ReportInputError } from '../../reporting/index.js';
import { appendAudit } from '../../store/index.js';
import { counted, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

/** `lendguard funding import --file F.csv|F.json`: the lender's funding outflows for the liquidity report. */
export const registerFunding: RegisterCommand = (program, io) => {
  const cmd = program
    .command('funding')
    .description('Funding outflows (资金流出) the liquidity report sets expected cash-in against');
  addDbOption(
    cmd
      .command('import')
      .description(
        'Store the outflows of a CSV (header day,amount,label) or a JSON list; every row is checked first and a bad one writes nothing',
      )
      .requiredOption('--file <file>', 'the outflows: .json for a JSON list, otherwise CSV')
      .option('--as <name>', 'who enters them (recorded with each outflow)', 'cli')
      .option('--json', 'print the count as JSON'),
  ).action((o: { db?: string; file: string; as: string; json?: boolean }) =>
    explained(async () => {
      let text: string;
      try {
        text = readFileSync(o.file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${o.file}: ${(error as Error).message}`);
      }
      const format = o.file.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      const stored = await withMigratedDb(o.db, async (db) => {
        try {
          const rows = readFundingOutflows(text, format);
          return await db.transaction(async (tx) => {
            const n = await writeFundingOutflows(tx, rows, o.as);
            await appendAudit(tx, {
              actorUserId: null,
              actorRole: 'system',
              requestId: null,
              action: 'funding.import',
              resourceType: 'funding_outflows',
              resourceId: null,
              customerId: null,
              details: { outflows: n, via: 'cli', by: o.as },
            });
            return n;
          });
        } catch (error) {
          if (error instanceof ReportInputError) throw new UsageError(`${o.file}: ${error.message}`);
          throw error;
        }
      });
      if (o.json === true) writeJson(io, { stored });
      else writeLine(io.stdout, `stored ${counted(stored, 'funding outflow')} from ${o.file}`);
    }),
  );
};
