import { type EclPostingResult, eclPostingView, postMonthEndEcl, ReportError } from '../../jobs/index.js';
import { type Day, formatDate, parseDate } from '../../money/index.js';
import { type Db, findEclPosting } from '../../store/index.js';
import { type CliIo, CommandFailedError, counted, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';
import { ECL_SETTINGS_OPTION_HELP, eclSettingsContext } from './report.js';

interface Options {
  db?: string;
  eclSettings?: string;
  monthEnd: string;
  json?: boolean;
}

function monthEndOption(text: string): Day {
  try {
    return parseDate(text, 'month-end');
  } catch {
    throw new UsageError(`--month-end must be a date YYYY-MM-DD, not "${text}"`);
  }
}

async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReportError) {
      if (error.status === 400) throw new UsageError(error.message);
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

/** The posting as the API presents it (decimal yuan), with the run it booked. */
function posting(db: Db, result: Pick<EclPostingResult, 'posting' | 'alreadyPosted'>) {
  return eclPostingView(db, result.posting, result.alreadyPosted);
}

function print(io: CliIo, p: Awaited<ReturnType<typeof posting>>, head: string): void {
  writeLine(io.stdout, head);
  writeLine(io.stdout, `  allowance before 计提前减值准备   ${p.opening}`);
  writeLine(io.stdout, `  used by write-offs 核销转销       ${p.used}`);
  writeLine(io.stdout, `  impairment charge 减值损失        ${p.charge}`);
  writeLine(io.stdout, `  allowance after 计提后减值准备    ${p.closing}`);
  writeLine(
    io.stdout,
    `  journal posting ${p.postingNo ?? '(none: the allowance did not move)'}; ${counted(p.exposures ?? 0, 'exposure')}; scenarios ${p.scenarioSet ?? '–'}`,
  );
}

/** `lendguard ecl post|show --month-end D`: the month-end loss allowance (减值准备) posted to the books. */
export const registerEcl: RegisterCommand = (program, io) => {
  const cmd = program
    .command('ecl')
    .description(
      'Month-end ECL (IFRS 9 减值准备): post the loss allowance of a closed month end, or show it',
    );
  addDbOption(
    cmd
      .command('post')
      .description(
        'Measure the ECL as of a closed month end, store the run the next month rolls forward from, and post the allowance entry; once a month',
      )
      .requiredOption('--month-end <date>', "the month's last day (YYYY-MM-DD), closed by EOD")
      .option('--json', 'print the posting as JSON')
      .option('--ecl-settings <file>', ECL_SETTINGS_OPTION_HELP),
  ).action((o: Options) =>
    explained(async () => {
      const monthEnd = monthEndOption(o.monthEnd);
      const ecl = eclSettingsContext(o.eclSettings)?.ecl ?? {};
      await withMigratedDb(o.db, async (db) => {
        const result = await refusals(() =>
          postMonthEndEcl(db, monthEnd, { ...ecl, actor: { userId: null, role: 'system', via: 'cli' } }),
        );
        const p = await posting(db, result);
        if (o.json === true) writeJson(io, p);
        else
          print(
            io,
            p,
            result.alreadyPosted
              ? `${p.monthEnd} was posted already: nothing written`
              : `posted the ECL of ${p.monthEnd}`,
          );
      });
    }),
  );
  addDbOption(
    cmd
      .command('show')
      .description("A month end's ECL posting")
      .requiredOption('--month-end <date>', "the month's last day (YYYY-MM-DD)")
      .option('--json', 'print the posting as JSON'),
  ).action((o: Options) =>
    explained(async () => {
      const monthEnd = monthEndOption(o.monthEnd);
      await withMigratedDb(o.db, async (db) => {
        const found = await findEclPosting(db, monthEnd);
        if (found === null) {
          throw new CommandFailedError(
            `the month end ${formatDate(monthEnd)} has no ECL posting; post it with lendguard ecl post`,
          );
        }
        const p = await posting(db, { posting: found, alreadyPosted: true });
        if (o.json === true) writeJson(io, p);
        else print(io, p, `the ECL posting of ${p.monthEnd}`);
      });
    }),
  );
};
